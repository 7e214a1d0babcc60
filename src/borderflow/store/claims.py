"""Reading claims back as typed records: the rows of current document versions become
`StoredClaim`s, so the checks and the faces never index string keys."""

from __future__ import annotations

from collections.abc import Mapping
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
)


def claims_query() -> Select[Any]:
    """Every field of the claims of current document versions, with their document."""
    columns = [
        CLAIMS.c.id,
        CLAIMS.c.document_id,
        DOCUMENTS.c.source.label("document"),
        DOCUMENTS.c.title,
        *(CLAIMS.c[CLAIM_COLUMN_OF.get(k, k)].label(k) for k in CLAIM_ATTRIBUTES),
    ]
    return (
        select(*columns)
        .join(VERSIONS, VERSIONS.c.id == CLAIMS.c.version_id)
        .join(DOCUMENTS, DOCUMENTS.c.id == CLAIMS.c.document_id)
        .where(VERSIONS.c.is_current)
    )


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


def read_claims(
    conn: Any,
    *,
    document_id: int | None = None,
    measure: str | None = None,
    substance: str | None = None,
) -> list[StoredClaim]:
    """Claims of current versions in document and text order, filtered by exact values."""
    query = claims_query()
    if document_id is not None:
        query = query.where(CLAIMS.c.document_id == document_id)
    if measure:
        query = query.where(CLAIMS.c.measure == measure)
    if substance:
        query = query.where(CLAIMS.c.substance == substance)
    query = query.order_by(CLAIMS.c.document_id, CLAIMS.c.start_offset)
    return [stored_claim(row._mapping) for row in conn.execute(query)]
