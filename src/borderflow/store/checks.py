"""Stored verdicts, kept in step with the claims and data releases in the store.

A check run writes its verdicts batch by batch, and only what changed: a verdict the same
as the stored one is left alone, a changed one is updated in place, new ones are added and
those no longer reached are deleted. Re-checking an unchanged archive therefore writes
nothing (on PostgreSQL, rewriting every row left millions of dead rows behind), and each
write that changes something bumps the `checks` revision that caches are keyed on."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Select,
    Table,
    bindparam,
    case,
    delete,
    false,
    func,
    insert,
    select,
)
from sqlalchemy import update as sql_update

from borderflow.records.documents import HEAD_CHARS, DisplayTitle, display_title
from borderflow.records.verdicts import KINDS, CheckRecord, Citation, StoredCheck
from borderflow.store import Store
from borderflow.store.claims import CHUNK
from borderflow.store.documents import current_versions
from borderflow.store.revisions import bump
from borderflow.store.schema import FACETED, CheckRow, ClaimRow, Document, DocumentVersion

CHECKS = cast(Table, CheckRow.__table__)
CLAIMS = cast(Table, ClaimRow.__table__)
VERSIONS = cast(Table, DocumentVersion.__table__)
# What makes two verdicts the same: what they say. When and under which data generation
# a verdict was last written is left out, so new data that leave a verdict as it was do
# not rewrite it (each version records the generation it was checked against).
_COMPARED = (
    "check", "verdict", "headline", "confidence", "explanation", "caveat", "expected", "unit",
    "citations", "releases",
)  # fmt: skip
_IN = 500  # ids per IN (...) list


def check_row(record: CheckRecord, now: datetime, generation: str) -> dict[str, Any]:
    v = record.verdict
    return {
        "claim_id": v.claim_id, "check": v.check, "verdict": v.verdict.value,
        "headline": record.headline, "confidence": v.confidence,
        "explanation": v.explanation, "caveat": v.caveat, "expected": v.expected, "unit": v.unit,
        "citations": [c.as_dict() for c in v.citations], "releases": list(record.releases),
        "checked_at": now, "data_generation": generation,
    }  # fmt: skip


def replace_checks(
    store: Store,
    records: Sequence[CheckRecord],
    *,
    generation: str,
    claim_ids: Sequence[int],
) -> int:
    """Make the stored verdicts of `claim_ids` exactly `records` (which are about those
    claims), in one transaction, writing only the differences; returns how many rows
    were added, changed or deleted. The document versions these claims belong to are
    recorded as checked against `generation`, the store's data generation the verdicts
    were computed from: those versions, not whatever is current now, so a version stored
    while the claims were being checked is still checked by the next run."""
    now = datetime.now(UTC)
    with store.write() as conn:
        ids = existing_claims(conn, claim_ids)
        wanted = [check_row(r, now, generation) for r in records if r.verdict.claim_id in ids]
        changed = write_differences(conn, sorted(ids), wanted)
        if changed:
            bump(conn, "checks")
        mark_versions(conn, sorted(ids), generation)
    return changed


def mark_versions(conn: Connection, claim_ids: Sequence[int], generation: str | None) -> None:
    """Record the versions these claims belong to as checked against `generation` (None:
    to be checked again by the next run)."""
    for i in range(0, len(claim_ids), _IN):
        versions = select(CLAIMS.c.version_id).where(CLAIMS.c.id.in_(claim_ids[i : i + _IN]))
        conn.execute(
            sql_update(VERSIONS)
            .where(VERSIONS.c.id.in_(versions.scalar_subquery()))
            .values(checked_generation=generation)
        )


def existing_claims(conn: Connection, claim_ids: Sequence[int]) -> set[int]:
    """Those of `claim_ids` still stored: a document deleted while its claims were being
    judged takes its claims with it, and their verdicts are dropped, not written."""
    ids = list(claim_ids)
    found: set[int] = set()
    for i in range(0, len(ids), _IN):
        found.update(conn.scalars(select(CLAIMS.c.id).where(CLAIMS.c.id.in_(ids[i : i + _IN]))))
    return found


def write_differences(
    conn: Connection, claim_ids: list[int], wanted: list[dict[str, Any]], check: str | None = None
) -> int:
    """Pair stored and wanted verdicts by (claim, check, n-th of that check), then update,
    insert and delete only what differs. With `check`, only that check's verdicts are
    replaced, and a paired verdict keeps whether it is the headline (the claim's other
    verdicts, which decide that, are not in view)."""
    stored: dict[tuple[int, str, int], dict[str, Any]] = {}
    for i in range(0, len(claim_ids), _IN):
        query = (
            select(CHECKS.c.id, CHECKS.c.claim_id, *(CHECKS.c[f] for f in _COMPARED))
            .where(CHECKS.c.claim_id.in_(claim_ids[i : i + _IN]))
            .order_by(CHECKS.c.id)
        )
        if check is not None:
            query = query.where(CHECKS.c.check == check)
        for found in conn.execute(query).mappings():
            stored[_slot(stored, found["claim_id"], found["check"])] = dict(found)
    updates: list[dict[str, Any]] = []
    inserts: list[dict[str, Any]] = []
    slots: dict[tuple[int, str, int], dict[str, Any]] = {}
    for row in wanted:
        slots[_slot(slots, row["claim_id"], row["check"])] = row
    for slot, new in slots.items():
        old = stored.pop(slot, None)
        if old is not None and check is not None:
            new["headline"] = old["headline"]
        if old is None:
            inserts.append(new)
        elif any(old[f] != new[f] for f in _COMPARED):
            updates.append({**new, "_id": old["id"]})
    if updates:
        target = sql_update(CHECKS).where(CHECKS.c.id == bindparam("_id"))
        conn.execute(target, updates)
    if inserts:
        conn.execute(insert(CHECKS), _with_claim_values(conn, inserts))
    gone = [old["id"] for old in stored.values()]
    for i in range(0, len(gone), _IN):
        conn.execute(delete(CHECKS).where(CHECKS.c.id.in_(gone[i : i + _IN])))
    return len(updates) + len(inserts) + len(gone)


def _with_claim_values(conn: Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """New verdict rows with their claim's filter values (schema.FACETED), which the
    listings read with the verdict's kind from one index. An update never needs them:
    a verdict stays with its claim, and a claim is never changed once stored. The
    claims were found in this transaction, so each is there (a missing one is a bug:
    its verdict would drop out of those listings, so it raises)."""
    claim_ids = sorted({row["claim_id"] for row in rows})
    names = [f"claim_{name}" for name in FACETED]
    read = [CLAIMS.c[name].label(copy) for name, copy in zip(FACETED, names, strict=True)]
    values: dict[int, dict[str, Any]] = {}
    for i in range(0, len(claim_ids), _IN):
        chunk = select(CLAIMS.c.id, *read).where(CLAIMS.c.id.in_(claim_ids[i : i + _IN]))
        values.update((row.id, dict(row._mapping)) for row in conn.execute(chunk))
    return [{**row, **{k: values[row["claim_id"]][k] for k in names}} for row in rows]


def _slot(
    taken: dict[tuple[int, str, int], Any], claim_id: int, check: str
) -> tuple[int, str, int]:
    """The first free (claim, check, n) key: a claim can have several verdicts of one
    kind of check (two arithmetic findings), paired with the stored ones in order."""
    n = 0
    while (claim_id, check, n) in taken:
        n += 1
    return (claim_id, check, n)


def drop_orphan_checks(store: Store) -> int:
    """Delete the verdicts of claims that are no longer current (their document has a
    newer version); returns how many."""
    orphans = (
        select(CLAIMS.c.id)
        .join(VERSIONS, VERSIONS.c.id == CLAIMS.c.version_id)
        .where(~VERSIONS.c.is_current)
    )
    with store.write() as conn:
        gone = conn.execute(delete(CHECKS).where(CHECKS.c.claim_id.in_(orphans))).rowcount
        if gone:
            bump(conn, "checks")
    return int(gone or 0)


def checks_stale(store: Store) -> bool:
    """Whether any document was checked against other data than the store now holds
    (an import or a fit came after it, or the re-check that should have followed was
    interrupted). Documents never checked are unchecked, not stale."""
    current = store.data_generation()
    with store.engine.connect() as conn:
        stale = select(VERSIONS.c.id).where(
            VERSIONS.c.is_current
            & VERSIONS.c.checked_generation.is_not(None)
            & (VERSIONS.c.checked_generation != current)
        )
        return conn.execute(stale.limit(1)).first() is not None


def _narrowed(
    query: Select[Any],
    document_id: int | None = None,
    claim_id: int | None = None,
    verdict: str | None = None,
    headline_only: bool = True,
    among: Select[Any] | None = None,
) -> Select[Any]:
    """`query` over the verdicts of current claims, narrowed as asked: every way of
    reading verdicts (rows, counts, the summary) filters them alike."""
    query = (
        query.join(ClaimRow, ClaimRow.id == CheckRow.claim_id)
        .join(DocumentVersion, DocumentVersion.id == ClaimRow.version_id)
        # `IS NOT false`, not `= 1`: from `= 1` SQLite's planner starts at the is_current
        # index and reads every verdict (1.4 s for 50 claims at 10,000 articles).
        .where(current_versions())
    )
    query = _by_verdict(query, verdict, headline_only)
    if document_id is not None:
        query = query.where(ClaimRow.document_id == document_id)
    if claim_id is not None:
        query = query.where(ClaimRow.id == claim_id)
    if among is not None:
        query = query.where(ClaimRow.id.in_(among.scalar_subquery()))
    return query


def _by_verdict(query: Select[Any], verdict: str | None, headline_only: bool) -> Select[Any]:
    if headline_only:
        query = query.where(CheckRow.headline)
    if verdict:
        query = query.where(CheckRow.verdict == verdict)
    return query


def _checks_query(
    document_id: int | None,
    claim_id: int | None,
    verdict: str | None,
    headline_only: bool,
    among: Select[Any] | None = None,
) -> Select[Any]:
    rows: Select[Any] = select(  # type: ignore[assignment]
        CheckRow,
        ClaimRow.text,
        ClaimRow.sentence,
        ClaimRow.start,
        ClaimRow.end,
        ClaimRow.speaker,
        ClaimRow.document_id,
        Document.source,
        Document.title,
        Document.published,
        func.substr(DocumentVersion.text, 1, HEAD_CHARS).label("head"),
    ).select_from(CheckRow)
    query = _narrowed(rows, document_id, claim_id, verdict, headline_only, among)
    return query.join(Document, Document.id == ClaimRow.document_id)


def _importance() -> Any:
    """The verdict kinds in the order a reader should see them (`KindInfo.attention`)."""
    return case({k.kind.value: k.attention for k in KINDS}, value=CheckRow.verdict, else_=99)


def stored_checks(
    store: Store,
    *,
    document_id: int | None = None,
    claim_id: int | None = None,
    verdict: str | None = None,
    headline_only: bool = True,
    limit: int | None = None,
    offset: int = 0,
    by_importance: bool = False,
    among: Select[Any] | None = None,
    claim_ids: Sequence[int] | None = None,
    check_ids: Sequence[int] | None = None,
) -> list[StoredCheck]:
    """Verdicts with their claim and document, in document and text order, or with
    `by_importance` problems first, then most confident, then newest claims (the order
    of the verdicts' attention index, so a short list reads few rows); at most `limit`
    of them from `offset`; `among`: a query of the claim ids to keep (the claims' own filters);
    `claim_ids`, `check_ids`: the claims or verdicts to read (a page's: one query, each
    found by its key)."""
    if by_importance and limit is not None and not offset and verdict is None:
        return _most_important(
            store, limit, document_id=document_id, claim_id=claim_id,
            headline_only=headline_only, among=among, claim_ids=claim_ids,
        )  # fmt: skip
    query = _checks_query(document_id, claim_id, verdict, headline_only, among)
    if claim_ids is not None:
        query = query.where(ClaimRow.id.in_(claim_ids))
    if check_ids is not None:
        query = query.where(CheckRow.id.in_(check_ids))
    order: tuple[Any, ...] = (ClaimRow.document_id, ClaimRow.start, CheckRow.id)
    if by_importance:  # of one verdict, no kinds to order: the index gives the rest
        kinds = () if verdict is not None else (_importance(),)
        order = (*kinds, CheckRow.confidence.desc(), CheckRow.claim_id.desc(), CheckRow.id.desc())
    query = query.order_by(*order)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    with store.session() as session:
        return [_stored(row) for row in session.execute(query)]


def _most_important(store: Store, limit: int, **narrowed: Any) -> list[StoredCheck]:
    """The first `limit` verdicts by importance, read kind by kind in the order of their
    attention, each kind from the verdicts' attention index: sorting every verdict of the
    store to list twenty took 0.6 s at 10,000 articles (7 s from a cold disk), and sorting
    one kind's 0.16 s at 20,000 on PostgreSQL."""
    found: list[StoredCheck] = []
    for kind in sorted(KINDS, key=lambda k: k.attention):
        if len(found) >= limit:
            break
        more = stored_checks(
            store, verdict=kind.kind.value, limit=limit - len(found), by_importance=True,
            **narrowed,
        )  # fmt: skip
        found += more
    return found


def count_checks(
    store: Store,
    *,
    document_id: int | None = None,
    claim_id: int | None = None,
    verdict: str | None = None,
    headline_only: bool = True,
    among: Select[Any] | None = None,
) -> int:
    """How many verdicts `stored_checks` would give, counted in the database."""
    counted = select(func.count(CheckRow.id)).select_from(CheckRow)
    query = _narrowed(counted, document_id, claim_id, verdict, headline_only, among)
    with store.engine.connect() as conn:
        return int(conn.scalar(query) or 0)


def iter_checks(
    store: Store,
    *,
    document_id: int | None = None,
    verdict: str | None = None,
    headline_only: bool = True,
) -> Iterator[StoredCheck]:
    """`stored_checks` in document and text order, read `CHUNK` rows at a time, for
    exports of any size."""
    query = _checks_query(document_id, None, verdict, headline_only).order_by(
        ClaimRow.document_id, ClaimRow.start, CheckRow.id
    )
    # Rows come document by document: each document's title to show is worked out once.
    last: tuple[int, DisplayTitle] | None = None
    with store.session() as session:
        for row in session.execute(query.execution_options(yield_per=CHUNK)):
            if last is None or last[0] != row.document_id:
                last = (row.document_id, display_title(row.title, row.source, row.head or ""))
            yield _stored(row, last[1])


def verdict_kinds(
    store: Store,
    *,
    document_id: int | None = None,
    verdict: str | None = None,
    headline_only: bool = True,
) -> list[tuple[str, str, int]]:
    """(verdict, check, count) over the stored verdicts: what a summary of any size shows.

    Only verdicts of current claims count. Every check ends by deleting the others, so
    when none is left (asked first: a walk over the few superseded versions) the verdicts
    are counted on their own, without joining each to its claim and version, which was
    most of a check that had little to do (1.9 s at 50,000 articles)."""
    counted: Select[Any] = select(  # type: ignore[assignment]
        CheckRow.verdict, CheckRow.check, func.count()
    ).select_from(CheckRow)
    with store.engine.connect() as conn:
        if document_id is None and not superseded_verdicts(conn):
            query = _by_verdict(counted, verdict, headline_only)
        else:
            query = _narrowed(counted, document_id, None, verdict, headline_only)
        query = query.group_by(CheckRow.verdict, CheckRow.check)
        return [(str(v), str(c), int(n)) for v, c, n in conn.execute(query)]


def superseded_verdicts(conn: Connection) -> bool:
    """Whether any verdict belongs to a claim whose document has a newer version. Most
    stores have no superseded version at all, which the versions' index says at once,
    whatever an engine's statistics make of the join."""
    superseded = VERSIONS.c.is_current == false()  # `= false`: the versions' index answers
    if conn.execute(select(VERSIONS.c.id).where(superseded).limit(1)).first() is None:
        return False
    found = (
        select(CHECKS.c.id)
        .join(CLAIMS, CLAIMS.c.id == CHECKS.c.claim_id)
        .join(VERSIONS, VERSIONS.c.id == CLAIMS.c.version_id)
        .where(superseded)
        .limit(1)
    )
    return conn.execute(found).first() is not None


def _stored(row: Any, shown: DisplayTitle | None = None) -> StoredCheck:
    """A row as a record; `shown`: its document's title to show, when already known."""
    check: CheckRow = row[0]
    return StoredCheck(
        claim_id=check.claim_id, document_id=row.document_id, document=row.source,
        title=row.title, published=row.published, claim=row.text, sentence=row.sentence,
        start=row.start, end=row.end, speaker=row.speaker, check=check.check,
        verdict=check.verdict, headline=check.headline, confidence=check.confidence,
        expected=check.expected, unit=check.unit, explanation=check.explanation,
        citations=tuple(Citation.from_dict(c) for c in check.citations or []),
        releases=tuple(check.releases or ()), checked_at=check.checked_at,
        caveat=check.caveat,
        shown_title=shown or display_title(row.title, row.source, row.head or ""),
    )  # fmt: skip
