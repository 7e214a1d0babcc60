"""Stored verdicts: replaced as a whole each time the checks run, so they always reflect the
claims and data releases currently in the store."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select

from borderflow.records.documents import HEAD_CHARS, display_title
from borderflow.records.verdicts import CheckRecord, Citation, StoredCheck
from borderflow.store import Store
from borderflow.store.schema import CheckRow, ClaimRow, Document, DocumentVersion

CHECKS = cast(Table, CheckRow.__table__)


def _row(record: CheckRecord, now: datetime, generation: str) -> dict[str, Any]:
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
    claim_ids: Sequence[int] | None = None,
) -> None:
    """Swap the stored verdicts for `records` in one transaction: all of them, or with
    `claim_ids` only those of these claims. `generation` is the store's data generation
    the verdicts were computed from."""
    now = datetime.now(UTC)
    with store.write() as conn:
        if claim_ids is None:
            conn.execute(delete(CHECKS))
        else:
            for i in range(0, len(claim_ids), 500):
                conn.execute(delete(CHECKS).where(CHECKS.c.claim_id.in_(claim_ids[i : i + 500])))
        if records:
            conn.execute(insert(CHECKS), [_row(r, now, generation) for r in records])


def checks_stale(store: Store) -> bool:
    """Whether any stored verdict was computed from other data than the store now holds
    (an import or a fit came after it, or the re-check that should have followed was
    interrupted)."""
    current = store.data_generation()
    with store.engine.connect() as conn:
        stale = select(CHECKS.c.id).where(
            (CHECKS.c.data_generation != current) | CHECKS.c.data_generation.is_(None)
        )
        return conn.execute(stale.limit(1)).first() is not None


def verdict_counts(store: Store) -> dict[str, int]:
    """How many claims have each headline verdict."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(CHECKS.c.verdict, func.count())
            .where(CHECKS.c.headline)
            .group_by(CHECKS.c.verdict)
        )
        return {str(v): int(n) for v, n in rows}


def stored_checks(
    store: Store,
    *,
    document_id: int | None = None,
    claim_id: int | None = None,
    verdict: str | None = None,
    headline_only: bool = True,
) -> list[StoredCheck]:
    """Verdicts with their claim and document, in document and text order."""
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
            func.substr(DocumentVersion.text, 1, HEAD_CHARS).label("head"),
        )
        .join(ClaimRow, ClaimRow.id == CheckRow.claim_id)
        .join(DocumentVersion, DocumentVersion.id == ClaimRow.version_id)
        .join(Document, Document.id == ClaimRow.document_id)
        .where(DocumentVersion.is_current)
    )
    if headline_only:
        query = query.where(CheckRow.headline)
    if document_id is not None:
        query = query.where(ClaimRow.document_id == document_id)
    if claim_id is not None:
        query = query.where(ClaimRow.id == claim_id)
    if verdict:
        query = query.where(CheckRow.verdict == verdict)
    query = query.order_by(ClaimRow.document_id, ClaimRow.start, CheckRow.id)
    with store.session() as session:
        return [_stored(row) for row in session.execute(query)]


def _stored(row: Any) -> StoredCheck:
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
        shown_title=display_title(row.title, row.source, row.head or ""),
    )  # fmt: skip
