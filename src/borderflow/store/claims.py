"""Reading claims back as typed records: the rows of current document versions become
`StoredClaim`s, so the checks and the faces never index string keys."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.engine import RowMapping

from borderflow.records.claims import PeriodReading, StoredClaim
from borderflow.store.documents import (
    CLAIM_ATTRIBUTES,
    CLAIM_COLUMN_OF,
    CLAIMS,
    DOCUMENTS,
    VERSIONS,
    current_versions,
)


def claims_query(current_only: bool = True) -> Select[Any]:
    """Every field of the claims of current document versions, with their document; of
    every version with `current_only` False (for claims asked for by id, already known to
    be current: joined to the versions, SQLite scans every current version to find 500
    ids, 3 s at 50,000 articles, rather than look each id up)."""
    columns = [
        CLAIMS.c.id,
        CLAIMS.c.document_id,
        DOCUMENTS.c.source.label("document"),
        DOCUMENTS.c.title,
        *(CLAIMS.c[CLAIM_COLUMN_OF.get(k, k)].label(k) for k in CLAIM_ATTRIBUTES),
    ]
    query = select(*columns).join(DOCUMENTS, DOCUMENTS.c.id == CLAIMS.c.document_id)
    if not current_only:
        return query
    return query.join(VERSIONS, VERSIONS.c.id == CLAIMS.c.version_id).where(current_versions())


def stored_claim(row: RowMapping | Mapping[str, Any]) -> StoredClaim:
    """One row of `claims_query` as a record."""
    values = {k: row[k] for k in CLAIM_ATTRIBUTES}
    values["period_candidates"] = [
        PeriodReading.from_dict(c) for c in row["period_candidates"] or []
    ]
    return StoredClaim(
        **values, id=row["id"], document_id=row["document_id"], document=row["document"],
        title=row["title"],
    )  # fmt: skip


# Rows fetched from the database at a time when claims are streamed: a few MB of records.
CHUNK = 2_000


def _filtered(document_id: int | None, measure: str | None, substance: str | None) -> Select[Any]:
    query = claims_query()
    if document_id is not None:
        query = query.where(CLAIMS.c.document_id == document_id)
    if measure:
        query = query.where(CLAIMS.c.measure == measure)
    if substance:
        query = query.where(CLAIMS.c.substance == substance)
    return query.order_by(CLAIMS.c.document_id, CLAIMS.c.start_offset)


def read_claims(
    conn: Any,
    *,
    document_id: int | None = None,
    measure: str | None = None,
    substance: str | None = None,
) -> list[StoredClaim]:
    """Claims of current versions in document and text order, filtered by exact values."""
    query = _filtered(document_id, measure, substance)
    return [stored_claim(row._mapping) for row in conn.execute(query)]


def stream_claims(
    conn: Any,
    *,
    document_id: int | None = None,
    measure: str | None = None,
    substance: str | None = None,
) -> Iterator[StoredClaim]:
    """`read_claims`, `CHUNK` rows at a time (a server-side cursor on PostgreSQL), so
    memory does not grow with the store."""
    query = _filtered(document_id, measure, substance)
    result = conn.execution_options(yield_per=CHUNK).execute(query)
    for row in result:
        yield stored_claim(row._mapping)


def _pending(unchecked_for: str | None) -> Any:
    """Current versions, with `unchecked_for` only those not checked against that data
    generation."""
    pending: Any = current_versions()
    if unchecked_for is not None:
        pending &= VERSIONS.c.checked_generation.is_distinct_from(unchecked_for)
    return pending


def document_ranges(
    conn: Any, documents: int, unchecked_for: str | None = None
) -> Iterator[tuple[int, int]]:
    """(first, last) document ids of consecutive runs of `documents` documents with
    claims (with `unchecked_for`, only those not checked against that data generation):
    the batches of a check over the whole store, each its own transaction, on this machine
    or a cluster's workers. Ids are read a chunk at a time, from the versions alone (each
    knows its number of claims): joined to the claims, the planner could read every claim
    to find a few new documents."""
    ids = (
        select(VERSIONS.c.document_id)
        .where(_pending(unchecked_for), VERSIONS.c.claim_count > 0)
        .order_by(VERSIONS.c.document_id)
    )
    first: int | None = None
    count = last = 0
    for (document_id,) in conn.execution_options(yield_per=CHUNK).execute(ids):
        if first is None:
            first = document_id
        last, count = document_id, count + 1
        if count == documents:
            yield first, last
            first, count = None, 0
    if first is not None:
        yield first, last


def claims_between(
    conn: Any, first: int, last: int, unchecked_for: str | None = None
) -> list[StoredClaim]:
    """The claims of the documents with ids from `first` to `last`, in document and text
    order (with `unchecked_for`, of those not checked against that data generation)."""
    query = (
        claims_query()
        .where(_pending(unchecked_for), CLAIMS.c.document_id.between(first, last))
        .order_by(CLAIMS.c.document_id, CLAIMS.c.start_offset)
    )
    return [stored_claim(row._mapping) for row in conn.execute(query)]


def published_dates(conn: Any, document_ids: list[int]) -> dict[int, date | None]:
    """Each document's publication date, the date its figures are judged as of."""
    query = select(DOCUMENTS.c.id, DOCUMENTS.c.published).where(DOCUMENTS.c.id.in_(document_ids))
    return {int(i): d for i, d in conn.execute(query)}
