"""The stored seizure claims group by group, for the comparison between sources
(`checks.sources.GroupReader`): each group streamed from the database as often as the
comparison asks, so no process holds a group's claims, and every read from one snapshot of
the store, so a claim found in one pass is there in the next.

Which claims form a group is `checks.source_groups.group_key`'s definition, written here in
SQL: a seizure, a mass, an agency that is neither null nor empty, a normalised figure that
is neither null nor 0, and the group's substance and border (null matching null).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, Table, and_, delete, func, insert, select

from borderflow import __version__
from borderflow.records.claims import StoredClaim
from borderflow.store import Store
from borderflow.store.checks import CHECKS
from borderflow.store.claims import CHUNK, claims_query, stored_claim
from borderflow.store.documents import CLAIMS, VERSIONS
from borderflow.store.revisions import revision, set_revision
from borderflow.store.schema import Revision, SourceGroupState
from borderflow.store.source_checks import SOURCES_CHECK

REVISIONS = cast(Table, Revision.__table__)
STATES = cast(Table, SourceGroupState.__table__)
_JUDGED = "sources:"  # the revision names that hold each judged group's fingerprint

Key = tuple[str, str | None, str | None]
_IN = 500


@dataclass(frozen=True, slots=True)
class Totals:
    """A group's claims counted: how many, the sum and the largest of their ids."""

    count: int
    total: int
    largest: int


def _of(key: Key) -> tuple[Any, ...]:
    agency, substance, corridor = key
    return (
        CLAIMS.c.agency == agency,
        CLAIMS.c.substance.is_not_distinct_from(substance),
        CLAIMS.c.corridor.is_not_distinct_from(corridor),
    )


def fingerprint(totals: Totals, deletions: int, version: str = __version__) -> int:
    """A number per group that changes whenever its claims do, as judged by `version` of
    the judging code. Claims are never changed in place, and a new id is above every id in
    use, so the count, sum and largest id of a group's claims change with any claim added
    or taken out of the current versions; the one way an id comes back (SQLite reuses the
    largest after a delete) is covered by the count of deletions. 31 bits, to fit any
    database's integer."""
    text = f"{totals.count}:{totals.total}:{totals.largest}:{deletions}:{version}"
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=4).digest()) >> 1


def _order(key: Key) -> tuple[tuple[bool, str], ...]:
    """Groups by agency, substance and border, the unknown last: one order on every
    database."""
    return tuple((part is None, part or "") for part in key)


def _in_a_group() -> Any:
    return and_(
        VERSIONS.c.is_current,
        CLAIMS.c.measure == "seizure",
        CLAIMS.c.dimension == "mass",
        CLAIMS.c.agency.is_not(None),
        CLAIMS.c.agency != "",
        CLAIMS.c.normalized_value.is_not(None),
        CLAIMS.c.normalized_value != 0,
    )


class SeizureGroups:
    """A `GroupReader` over one open connection (one snapshot: a repeatable-read
    transaction on PostgreSQL, a read transaction on SQLite)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def groups(self) -> list[Key]:
        query = (
            select(CLAIMS.c.agency, CLAIMS.c.substance, CLAIMS.c.corridor)
            .join(VERSIONS, VERSIONS.c.id == CLAIMS.c.version_id)
            .where(_in_a_group())
            .distinct()
        )
        return sorted(((str(a), s, c) for a, s, c in self._conn.execute(query)), key=_order)

    def claims(self, key: Key) -> Iterator[StoredClaim]:
        return self._claims(key)

    def claims_added(self, key: Key, after: int) -> Iterator[StoredClaim]:
        return self._claims(key, CLAIMS.c.id > after)

    def _claims(self, key: Key, *more: Any) -> Iterator[StoredClaim]:
        query = (
            claims_query()
            .where(_in_a_group(), *_of(key), *more)
            .order_by(CLAIMS.c.document_id, CLAIMS.c.start_offset, CLAIMS.c.id)
        )
        for row in self._conn.execution_options(yield_per=CHUNK).execute(query):
            yield stored_claim(row._mapping)

    def deletions(self) -> int:
        """How many times documents were deleted: SQLite reuses the largest ids after one."""
        return revision(self._conn, "deletions")

    def totals(self) -> dict[Key, Totals]:
        """Each group's claims counted: how many, the sum and the largest of their ids;
        in the order of `groups`, so a run needs only this one read to know its groups."""
        query = (
            select(
                CLAIMS.c.agency, CLAIMS.c.substance, CLAIMS.c.corridor,
                func.count(), func.sum(CLAIMS.c.id), func.max(CLAIMS.c.id),
            )
            .join(VERSIONS, VERSIONS.c.id == CLAIMS.c.version_id)
            .where(_in_a_group())
            .group_by(CLAIMS.c.agency, CLAIMS.c.substance, CLAIMS.c.corridor)
        )  # fmt: skip
        found = {
            (str(a), s, c): Totals(int(n), int(total), int(largest))
            for a, s, c, n, total, largest in self._conn.execute(query)
        }
        return {key: found[key] for key in sorted(found, key=_order)}

    def added(self, key: Key, after: int) -> tuple[Totals, int | None]:
        """The group's claims with ids above `after`, counted, and the oldest document
        among them (None: there are none)."""
        query = (
            select(
                func.count(), func.coalesce(func.sum(CLAIMS.c.id), 0),
                func.coalesce(func.max(CLAIMS.c.id), 0), func.min(CLAIMS.c.document_id),
            )
            .join(VERSIONS, VERSIONS.c.id == CLAIMS.c.version_id)
            .where(_in_a_group(), *_of(key), CLAIMS.c.id > after)
        )  # fmt: skip
        n, total, largest, oldest = self._conn.execute(query).one()
        return Totals(int(n), int(total), int(largest)), None if oldest is None else int(oldest)

    def judged_claims(self, key: Key) -> list[int]:
        """The claims of the group that have stored verdicts from other sources."""
        judged = select(CHECKS.c.claim_id).where(CHECKS.c.check == SOURCES_CHECK)
        query = (
            select(CLAIMS.c.id)
            .join(VERSIONS, VERSIONS.c.id == CLAIMS.c.version_id)
            .where(_in_a_group(), *_of(key), CLAIMS.c.id.in_(judged))
        )
        return [int(i) for i in self._conn.scalars(query)]

    def state(self, key: Key) -> bytes | None:
        """What the last judgement of the group kept (`checks.source_state`), if any."""
        query = select(STATES.c.state).where(STATES.c.name == group_name(key))
        found = self._conn.execute(query).scalar()
        return None if found is None else bytes(found)

    def by_id(self, ids: Sequence[int]) -> list[StoredClaim]:
        found: list[StoredClaim] = []
        for i in range(0, len(ids), _IN):
            # The ids were read from this snapshot's groups: current claims, looked up by key.
            query = claims_query(current_only=False).where(CLAIMS.c.id.in_(list(ids[i : i + _IN])))
            found += [stored_claim(row._mapping) for row in self._conn.execute(query)]
        return found


@contextmanager
def seizure_groups(store: Store) -> Iterator[SeizureGroups]:
    """The store's seizure claims by group, read from one snapshot until the block ends."""
    with store.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield SeizureGroups(conn)


def group_name(key: Key) -> str:
    """The revision name a group's fingerprint is kept under (at most 32 characters)."""
    return _JUDGED + hashlib.blake2b(repr(key).encode(), digest_size=8).hexdigest()


def forget_groups(store: Store, keep: set[str]) -> None:
    """Drop the fingerprints and kept states of groups (by `group_name`) not in `keep`:
    groups with no current claim left."""
    with store.write() as conn:
        names = select(REVISIONS.c.name).where(REVISIONS.c.name.startswith(_JUDGED))
        gone = [n for n in conn.scalars(names) if n not in keep]
        if gone:
            conn.execute(delete(REVISIONS).where(REVISIONS.c.name.in_(gone)))
            conn.execute(delete(STATES).where(STATES.c.name.in_(gone)))


def judged_fingerprints(store: Store) -> dict[str, int]:
    """The fingerprint of each group when its verdicts were last stored, by `group_name`."""
    query = select(REVISIONS.c.name, REVISIONS.c.value).where(REVISIONS.c.name.startswith(_JUDGED))
    with store.engine.connect() as conn:
        return {str(name): int(value) for name, value in conn.execute(query)}


def record_judged(store: Store, key: Key, fingerprint: int, state: bytes | None = None) -> None:
    """Record that the group's verdicts stored now are those of the claims `fingerprint`
    was read from, and keep `state` for the next judgement of the group."""
    name = group_name(key)
    with store.write() as conn:
        if state is not None:
            conn.execute(delete(STATES).where(STATES.c.name == name))
            conn.execute(insert(STATES).values(name=name, state=state))
        set_revision(conn, name, fingerprint)
