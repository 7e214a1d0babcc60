"""Stored verdicts: replaced as a whole each time the checks run, so they always reflect the
claims and data releases currently in the store."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select

from borderflow.store import Store
from borderflow.store.schema import CheckRow, ClaimRow, Document, DocumentVersion

_CHECKS = cast(Table, CheckRow.__table__)


def replace_checks(
    store: Store, rows: Sequence[dict[str, Any]], *, claim_ids: Sequence[int] | None = None
) -> None:
    """Swap the stored verdicts for `rows` in one transaction: all of them, or with
    `claim_ids` only those of these claims."""
    now = datetime.now(UTC)
    with store.engine.begin() as conn:
        if claim_ids is None:
            conn.execute(delete(_CHECKS))
        else:
            for i in range(0, len(claim_ids), 500):
                conn.execute(delete(_CHECKS).where(_CHECKS.c.claim_id.in_(claim_ids[i : i + 500])))
        if rows:
            conn.execute(insert(_CHECKS), [{**row, "checked_at": now} for row in rows])


def has_checks(store: Store) -> bool:
    """Whether any verdicts are stored (so new data should refresh them)."""
    with store.engine.connect() as conn:
        return conn.execute(select(_CHECKS.c.id).limit(1)).first() is not None


def stored_checks(
    store: Store,
    *,
    document_id: int | None = None,
    verdict: str | None = None,
    headline_only: bool = True,
) -> list[dict[str, Any]]:
    """Verdicts joined with their claim and document."""
    query = (
        select(
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
        )
        .join(ClaimRow, ClaimRow.id == CheckRow.claim_id)
        .join(DocumentVersion, DocumentVersion.id == ClaimRow.version_id)
        .join(Document, Document.id == ClaimRow.document_id)
        .where(DocumentVersion.is_current)
        .order_by(ClaimRow.document_id, ClaimRow.start, CheckRow.id)
    )
    if headline_only:
        query = query.where(CheckRow.headline)
    if document_id is not None:
        query = query.where(ClaimRow.document_id == document_id)
    if verdict:
        query = query.where(CheckRow.verdict == verdict)
    out = []
    with store._sessions() as session:
        for row in session.execute(query):
            check = row[0]
            out.append(
                {
                    "claim_id": check.claim_id,
                    "document_id": row.document_id,
                    "document": row.source,
                    "title": row.title,
                    "published": row.published.isoformat() if row.published else None,
                    "claim": row.text,
                    "sentence": row.sentence,
                    "start": row.start,
                    "end": row.end,
                    "speaker": row.speaker,
                    "check": check.check,
                    "verdict": check.verdict,
                    "confidence": check.confidence,
                    "expected": check.expected,
                    "unit": check.unit,
                    "explanation": check.explanation,
                    "citations": check.citations,
                    "releases": check.releases,
                }
            )
    return out
