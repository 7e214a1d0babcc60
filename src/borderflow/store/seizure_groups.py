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
from typing import Any, cast

from sqlalchemy import Connection, Table, and_, func, select

from borderflow import __version__
from borderflow.records.claims import StoredClaim
from borderflow.store import Store
from borderflow.store.claims import CHUNK, claims_query, stored_claim
from borderflow.store.documents import CLAIMS, VERSIONS
from borderflow.store.revisions import revision, set_revision
from borderflow.store.schema import Revision

REVISIONS = cast(Table, Revision.__table__)
_JUDGED = "sources:"  # the revision names that hold each judged group's fingerprint

Key = tuple[str, str | None, str | None]
_IN = 500


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
        found = [(str(a), s, c) for a, s, c in self._conn.execute(query)]
        return sorted(found, key=lambda k: tuple((part is None, part or "") for part in k))

    def claims(self, key: Key) -> Iterator[StoredClaim]:
        agency, substance, corridor = key
        query = (
            claims_query()
            .where(
                _in_a_group(),
                CLAIMS.c.agency == agency,
                CLAIMS.c.substance.is_not_distinct_from(substance),
                CLAIMS.c.corridor.is_not_distinct_from(corridor),
            )
            .order_by(CLAIMS.c.document_id, CLAIMS.c.start_offset, CLAIMS.c.id)
        )
        for row in self._conn.execution_options(yield_per=CHUNK).execute(query):
            yield stored_claim(row._mapping)

    def fingerprints(self) -> dict[Key, int]:
        """A number per group that changes whenever its claims do. Claims are never
        changed in place, and a new id is above every id in use, so the count, sum and
        largest id of a group's claims change with any claim added or taken out of the
        current versions; the one way an id comes back (SQLite reuses the largest after a
        delete) is covered by the count of deletions; and another borderflow version may
        judge differently. 31 bits, to fit any database's integer."""
        deletions = revision(self._conn, "deletions")
        query = (
            select(
                CLAIMS.c.agency,
                CLAIMS.c.substance,
                CLAIMS.c.corridor,
                func.count(),
                func.sum(CLAIMS.c.id),
                func.max(CLAIMS.c.id),
            )
            .join(VERSIONS, VERSIONS.c.id == CLAIMS.c.version_id)
            .where(_in_a_group())
            .group_by(CLAIMS.c.agency, CLAIMS.c.substance, CLAIMS.c.corridor)
        )
        found: dict[Key, int] = {}
        for agency, substance, corridor, count, total, largest in self._conn.execute(query):
            text = f"{count}:{total}:{largest}:{deletions}:{__version__}"
            digest = hashlib.blake2b(text.encode(), digest_size=4).digest()
            found[(str(agency), substance, corridor)] = int.from_bytes(digest) >> 1
        return found

    def by_id(self, ids: Sequence[int]) -> list[StoredClaim]:
        found: list[StoredClaim] = []
        for i in range(0, len(ids), _IN):
            query = claims_query().where(CLAIMS.c.id.in_(list(ids[i : i + _IN])))
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


def judged_fingerprints(store: Store) -> dict[str, int]:
    """The fingerprint of each group when its verdicts were last stored, by `group_name`."""
    query = select(REVISIONS.c.name, REVISIONS.c.value).where(REVISIONS.c.name.startswith(_JUDGED))
    with store.engine.connect() as conn:
        return {str(name): int(value) for name, value in conn.execute(query)}


def record_judged(store: Store, key: Key, fingerprint: int) -> None:
    """Record that the group's verdicts stored now are those of the claims `fingerprint`
    was read from."""
    with store.write() as conn:
        set_revision(conn, group_name(key), fingerprint)
