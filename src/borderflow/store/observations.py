"""Releases and observations of official statistics: writing a release with its revisions,
reading observations back, as typed records (`borderflow.records.observations`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from borderflow.errors import StoreError
from borderflow.records.observations import (
    RECORD_COLUMNS,
    CitedObservation,
    ObservationRecord,
    Release,
    Revision,
    StoredObservation,
)
from borderflow.store import Store
from borderflow.store.schema import Observation, ObservationValue
from borderflow.store.schema import Release as ReleaseRow

_RELEASES = cast(Table, ReleaseRow.__table__)
_OBSERVATIONS = cast(Table, Observation.__table__)
_VALUES = cast(Table, ObservationValue.__table__)
_UPDATE = (
    update(_OBSERVATIONS)
    .where(_OBSERVATIONS.c.id == bindparam("obs_id"))
    .values(
        value=bindparam("new_value"),
        value_kg=bindparam("new_value_kg"),
        suppressed=bindparam("new_suppressed"),
        release_id=bindparam("new_release"),
        line=bindparam("new_line"),
        rank=bindparam("new_rank"),
    )
)
_REVISION_TOLERANCE = 1e-9  # relative: re-saved files round to ~10 significant digits


@dataclass(frozen=True, slots=True)
class Change:
    """A stored figure a release replaced with a different value: what it was, from which
    release, and what this release says on which line."""

    measure: str
    key: str
    period_start: date
    period_end: date
    old: float | None
    new: float | None
    old_release: str
    line: int


@dataclass(frozen=True, slots=True)
class ReleaseResult:
    status: str  # imported | unchanged (these bytes were imported before, or meanwhile)
    release_id: int
    observations: int
    added: int
    revised: int
    changes: tuple[Change, ...] = ()


def find_release(store: Store, content_hash: str) -> tuple[int, str, str] | None:
    """(id, source, file name) of the release with these exact bytes, if imported."""
    with store.engine.connect() as conn:
        row = conn.execute(
            select(_RELEASES.c.id, _RELEASES.c.source, _RELEASES.c.file_name).where(
                _RELEASES.c.content_hash == content_hash
            )
        ).first()
    return (row[0], row[1], row[2]) if row else None


def _release_id(conn: Connection, content_hash: str) -> int | None:
    """The release with these bytes, seen from inside the write lock."""
    found = conn.scalar(select(_RELEASES.c.id).where(_RELEASES.c.content_hash == content_hash))
    return None if found is None else int(found)


def _differs(old: float | None, new: float | None) -> bool:
    if old is None or new is None:
        return old is not new
    return abs(old - new) > _REVISION_TOLERANCE * max(1.0, abs(old), abs(new))


def save_release(
    store: Store,
    *,
    source: str,
    file_name: str,
    content_hash: str,
    rows: int,
    skipped_rows: int,
    records: Sequence[ObservationRecord],
) -> ReleaseResult:
    """Store one release and its observations in one transaction.

    A figure not seen before is added. A figure already stored takes this release's value
    only when this release ranks above the one that provided it (its data reach later; then
    file name and hash), so releases imported in any order give the same series. Every
    release's own value is kept in observation_values, and every value this release
    replaced is returned (`changes`). The same bytes imported by another process at the
    same moment are found under the write lock or by the unique hash, and are "unchanged"."""
    known = find_release(store, content_hash)
    if known is not None:
        return ReleaseResult("unchanged", known[0], 0, 0, 0)
    coverage_end = max((r.period_end for r in records), default=None)
    rank = f"{coverage_end or ''}|{file_name}|{content_hash}"
    try:
        with store.write() as conn:
            already = _release_id(conn, content_hash)
            if already is not None:
                return ReleaseResult("unchanged", already, 0, 0, 0)
            inserted = conn.execute(
                insert(_RELEASES).values(
                    source=source, file_name=file_name, content_hash=content_hash, rows=rows,
                    observations=len(records), skipped_rows=skipped_rows,
                    coverage_start=min((r.period_start for r in records), default=None),
                    coverage_end=coverage_end, rank=rank, imported_at=datetime.now(UTC),
                )
            )  # fmt: skip
            release_id = int(inserted.inserted_primary_key[0])  # type: ignore[index]
            added, changes = _merge(conn, source, records, release_id, rank)
            _keep_history(conn, source, records, release_id)
    except IntegrityError as exc:
        known = find_release(store, content_hash)
        if known is not None:  # imported by another writer while this one was reading
            return ReleaseResult("unchanged", known[0], 0, 0, 0)
        raise StoreError(
            f"{file_name}: another import stored the same figures at the same moment; "
            "nothing of this file was written, import it again"
        ) from exc
    return ReleaseResult("imported", release_id, len(records), added, len(changes), tuple(changes))


def _merge(
    conn: Connection, source: str, records: Sequence[ObservationRecord], release_id: int, rank: str
) -> tuple[int, list[Change]]:
    """Add the figures not stored yet; take this release's value for those it outranks.
    Returns how many were added and the taken values that differ from the stored ones."""
    existing = {
        (m, k): (i, v, r, rel)
        for i, m, k, v, r, rel in conn.execute(
            select(
                _OBSERVATIONS.c.id, _OBSERVATIONS.c.measure, _OBSERVATIONS.c.key,
                _OBSERVATIONS.c.value, _OBSERVATIONS.c.rank, _OBSERVATIONS.c.release_id,
            ).where(_OBSERVATIONS.c.source == source)
        )
    }  # fmt: skip
    names = {int(i): str(n) for i, n in conn.execute(select(_RELEASES.c.id, _RELEASES.c.file_name))}
    new_rows, updates, changes = [], [], []
    seen: set[tuple[str, str]] = set()
    for record in records:
        identity = (record.measure, record.key)
        if identity in seen:
            continue  # one figure once per release (the importer collapses repeats)
        seen.add(identity)
        found = existing.get(identity)
        if found is None:
            new_rows.append(
                {
                    **{c: getattr(record, c) for c in RECORD_COLUMNS},
                    "source": source, "release_id": release_id, "rank": rank,
                }
            )  # fmt: skip
        elif rank > found[2]:
            if _differs(found[1], record.value):
                changes.append(
                    Change(
                        record.measure, record.key, record.period_start, record.period_end,
                        found[1], record.value, names.get(found[3], "?"), record.line,
                    )
                )  # fmt: skip
            updates.append(
                {
                    "obs_id": found[0], "new_value": record.value, "new_value_kg": record.value_kg,
                    "new_suppressed": record.suppressed, "new_release": release_id,
                    "new_line": record.line, "new_rank": rank,
                }
            )  # fmt: skip
    if new_rows:
        conn.execute(insert(_OBSERVATIONS), new_rows)
    if updates:
        conn.execute(_UPDATE, updates)
    return len(new_rows), changes


def _keep_history(
    conn: Connection, source: str, records: Sequence[ObservationRecord], release_id: int
) -> None:
    """What this release said of each figure, whether or not it provides it now."""
    ids = {
        (m, k): i
        for i, m, k in conn.execute(
            select(_OBSERVATIONS.c.id, _OBSERVATIONS.c.measure, _OBSERVATIONS.c.key).where(
                _OBSERVATIONS.c.source == source
            )
        )
    }
    history = [
        {
            "observation_id": ids[(r.measure, r.key)], "release_id": release_id,
            "value": r.value, "suppressed": r.suppressed, "line": r.line,
        }
        for r in records
    ]  # fmt: skip
    if history:
        conn.execute(insert(_VALUES), history)


def releases(store: Store, source: str | None = None) -> list[Release]:
    """Imported releases, by source and then from the oldest data to the newest."""
    query = select(_RELEASES).order_by(_RELEASES.c.source, _RELEASES.c.rank)
    if source:
        query = query.where(_RELEASES.c.source == source)
    with store.engine.connect() as conn:
        return [Release(**row._mapping) for row in conn.execute(query)]


def observations(
    store: Store,
    *,
    source: str,
    measure: str,
    substance: str | None = None,
    filters: dict[str, Any] | None = None,
) -> list[StoredObservation]:
    """Current observations matching exact-value filters on their columns."""
    query = (
        select(_OBSERVATIONS, _RELEASES.c.file_name.label("release"))
        .join(_RELEASES, _RELEASES.c.id == _OBSERVATIONS.c.release_id)
        .where(_OBSERVATIONS.c.source == source, _OBSERVATIONS.c.measure == measure)
    )
    if substance is not None:
        query = query.where(_OBSERVATIONS.c.substance == substance)
    for column, value in (filters or {}).items():
        query = query.where(_OBSERVATIONS.c[column] == value)
    with store.engine.connect() as conn:
        return [_stored(row._mapping) for row in conn.execute(query)]


def _stored(row: Any) -> StoredObservation:
    return StoredObservation(
        **{c: row[c] for c in RECORD_COLUMNS}, id=row["id"], source=row["source"],
        release=row["release"],
    )  # fmt: skip


def distinct_values(
    store: Store, *, source: str, column: str, measure: str | None = None, label: str | None = None
) -> list[tuple[str, str | None]]:
    """The values `column` takes in `source`'s current observations, each with every label
    recorded beside it in column `label` (a state's name beside its FIPS code), so a menu
    can show them and a request can name either."""
    value_column = _OBSERVATIONS.c[column]
    label_column = _OBSERVATIONS.c[label] if label else None
    query = select(value_column, *([label_column] if label_column is not None else []))
    query = query.where(_OBSERVATIONS.c.source == source, value_column.is_not(None)).distinct()
    if measure is not None:
        query = query.where(_OBSERVATIONS.c.measure == measure)
    with store.engine.connect() as conn:
        rows = conn.execute(query.order_by(value_column)).all()
    return [(str(r[0]), None if len(r) < 2 or r[1] is None else str(r[1])) for r in rows]


def history(store: Store, observation_id: int) -> list[Revision]:
    """What each release said about one observation, oldest release first."""
    query = (
        select(
            _VALUES.c.value,
            _VALUES.c.suppressed,
            _VALUES.c.line,
            _RELEASES.c.file_name,
            _RELEASES.c.rank,
        )
        .join(_RELEASES, _RELEASES.c.id == _VALUES.c.release_id)
        .where(_VALUES.c.observation_id == observation_id)
        .order_by(_RELEASES.c.rank)
    )
    with store.engine.connect() as conn:
        return [Revision(**row._mapping) for row in conn.execute(query)]


def sums_by_period(
    store: Store,
    *,
    source: str,
    measure: str,
    substance: str | None = None,
    filters: dict[str, Any] | None = None,
) -> dict[date, float]:
    """Sum of current values per period start, computed by the database (series queries
    need the totals, not the rows)."""
    query = (
        select(_OBSERVATIONS.c.period_start, func.sum(_OBSERVATIONS.c.value))
        .where(_OBSERVATIONS.c.source == source, _OBSERVATIONS.c.measure == measure)
        .group_by(_OBSERVATIONS.c.period_start)
    )
    if substance is not None:
        query = query.where(_OBSERVATIONS.c.substance == substance)
    for column, value in (filters or {}).items():
        query = query.where(_OBSERVATIONS.c[column] == value)
    with store.engine.connect() as conn:
        return {start: float(total or 0.0) for start, total in conn.execute(query)}


def sums_by_release(
    store: Store, *, source: str, measure: str, substance: str | None, by: tuple[str, ...]
) -> dict[tuple[Any, ...], float]:
    """Sums of the values each release stated, per (release id, period start, *columns
    `by`): the series as each release published it, before later releases revised it."""
    columns = [_VALUES.c.release_id, _OBSERVATIONS.c.period_start]
    joined = _VALUES.join(_OBSERVATIONS, _OBSERVATIONS.c.id == _VALUES.c.observation_id)
    return _sums(store, joined, _VALUES.c.value, columns, by, (source, measure, substance))


def sums_by_period_and(
    store: Store, *, source: str, measure: str, substance: str | None, by: tuple[str, ...]
) -> dict[tuple[Any, ...], float]:
    """Sums of current values per (period start, *columns `by`), for a reader that books
    rows to its own groups (the flow model's CBP cells by Area of Responsibility)."""
    columns = [_OBSERVATIONS.c.period_start]
    of = (source, measure, substance)
    return _sums(store, _OBSERVATIONS, _OBSERVATIONS.c.value, columns, by, of)


def _sums(
    store: Store, table: Any, value: Any, columns: list[Any], by: tuple[str, ...],
    of: tuple[str, str, str | None],
) -> dict[tuple[Any, ...], float]:  # fmt: skip
    """`value` summed per `columns` and observation columns `by`, over one source's
    measure (and substance, unless None)."""
    source, measure, substance = of
    grouped = [*columns, *(_OBSERVATIONS.c[c] for c in by)]
    query = (
        select(*grouped, func.sum(value))
        .select_from(table)
        .where(_OBSERVATIONS.c.source == source, _OBSERVATIONS.c.measure == measure)
        .group_by(*grouped)
    )
    if substance is not None:
        query = query.where(_OBSERVATIONS.c.substance == substance)
    with store.engine.connect() as conn:
        return {tuple(row[:-1]): float(row[-1] or 0.0) for row in conn.execute(query)}


def observations_at(store: Store, file_name: str, line: int) -> list[CitedObservation]:
    """The observations one line of one release states (what a check's citation names),
    with the value that release gave, the current one and every release's value."""
    query = (
        select(
            _OBSERVATIONS,
            _RELEASES.c.file_name.label("stated_release"),
            _VALUES.c.value.label("stated_value"),
            _VALUES.c.suppressed.label("stated_suppressed"),
            _VALUES.c.line.label("stated_line"),
        )
        .join(_VALUES, _VALUES.c.observation_id == _OBSERVATIONS.c.id)
        .join(_RELEASES, _RELEASES.c.id == _VALUES.c.release_id)
        .where(_RELEASES.c.file_name == file_name, _VALUES.c.line == line)
        .order_by(_OBSERVATIONS.c.measure, _OBSERVATIONS.c.id)
    )
    with store.engine.connect() as conn:
        found = [row._mapping for row in conn.execute(query)]
        releases_used = {row["release_id"] for row in found}
        names = select(_RELEASES.c.id, _RELEASES.c.file_name).where(
            _RELEASES.c.id.in_(releases_used)
        )
        current: dict[int, str] = {int(row[0]): str(row[1]) for row in conn.execute(names)}
    return [
        CitedObservation(
            StoredObservation(
                **{c: row[c] for c in RECORD_COLUMNS}, id=row["id"], source=row["source"],
                release=current[row["release_id"]],
            ),
            row["stated_value"], row["stated_suppressed"], row["stated_line"],
            row["stated_release"], tuple(history(store, row["id"])),
        )
        for row in found
    ]  # fmt: skip
