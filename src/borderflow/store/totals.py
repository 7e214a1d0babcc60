"""The store's totals (documents, and the claims of their current versions), kept in one
row that each write changing them adjusts in its own transaction (writes hold the
store's write lock, so the adjustments never race). Reading them is one row, whatever
the size of the store; counting them is what the overview and every unfiltered listing
did on each first request after a new article (55 ms at 200,000 articles)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from sqlalchemy import Connection, Table, func, insert, select, update

from borderflow.store.schema import Document, DocumentVersion, StoreTotals

TOTALS = cast(Table, StoreTotals.__table__)
_ROW = 1


@dataclass(frozen=True, slots=True)
class Totals:
    documents: int
    claims: int


def counted_totals(conn: Connection) -> Totals:
    """The totals counted from the tables themselves (what the kept row must equal)."""
    documents = conn.scalar(select(func.count(Document.id))) or 0
    claims = conn.scalar(
        select(func.coalesce(func.sum(DocumentVersion.claim_count), 0)).where(
            DocumentVersion.is_current
        )
    )
    return Totals(int(documents), int(claims or 0))


def kept_totals(conn: Connection) -> Totals:
    """The kept totals; counted (and not kept: a reader does not write) if a store has
    none, which only a store whose row was removed by hand can lack."""
    row = conn.execute(select(TOTALS.c.documents, TOTALS.c.claims)).first()
    return counted_totals(conn) if row is None else Totals(int(row[0]), int(row[1]))


def add_to_totals(conn: Connection, documents: int, claims: int) -> None:
    """Adjust the kept totals inside a write transaction; counts them first if the row
    is missing, so that the adjustment is never applied to nothing."""
    if not (documents or claims):
        return
    done = conn.execute(
        update(TOTALS)
        .where(TOTALS.c.id == _ROW)
        .values(documents=TOTALS.c.documents + documents, claims=TOTALS.c.claims + claims)
    ).rowcount
    if not done:  # counted after this write's own rows, so nothing is added to it
        counted = counted_totals(conn)
        conn.execute(
            insert(TOTALS).values(id=_ROW, documents=counted.documents, claims=counted.claims)
        )
