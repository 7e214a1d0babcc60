"""The stored seizure claims group by group, for the comparison between sources
(`checks.sources.GroupReader`): each group streamed from the database as often as the
comparison asks, so no process holds a group's claims, and every read from one snapshot of
the store, so a claim found in one pass is there in the next.

Which claims form a group is `checks.source_groups.group_key`'s definition, written here in
SQL: a seizure, a mass, an agency that is neither null nor empty, a normalised figure that
is neither null nor 0, and the group's substance and border (null matching null).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, and_, select

from borderflow.records.claims import StoredClaim
from borderflow.store import Store
from borderflow.store.claims import CHUNK, claims_query, stored_claim
from borderflow.store.documents import CLAIMS, VERSIONS

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
