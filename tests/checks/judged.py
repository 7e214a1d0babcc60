"""A text's figure and its headline verdict, read and judged as a store would: the
helper the check tests share (claims numbered from 1 in one document)."""

from __future__ import annotations

from datetime import date

from borderflow.checks.data import OfficialData
from borderflow.checks.runner import check_claims, headline
from borderflow.extract import DocumentMeta, extract_claims
from borderflow.records.claims import StoredClaim
from borderflow.records.verdicts import Verdict


def stored_claims(text: str, published: date | None) -> list[StoredClaim]:
    found = extract_claims(text, DocumentMeta(published=published))
    return [StoredClaim.of(c, id=i + 1, document_id=1) for i, c in enumerate(found)]


def claim_quoting(text: str, quote: str, published: date | None) -> StoredClaim:
    """The first claim of `text` whose words hold `quote`."""
    return next(c for c in stored_claims(text, published) if quote in c.text)


def headline_verdict(text: str, quote: str, data: OfficialData, published: date) -> Verdict:
    """The headline verdict of the claim quoting `quote`, its document judged whole."""
    claims = stored_claims(text, published)
    claim = next(c for c in claims if quote in c.text)
    return headline(check_claims(claims, {1: published}, data))[claim.id]
