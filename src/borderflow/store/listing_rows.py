"""What a listing row is: a claim or a document as the web and the API show them, and
the fields of each in a listing and in an export (store.listings reads them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from borderflow.records.claims import StoredClaim
from borderflow.records.documents import DisplayTitle, site_of
from borderflow.records.verdicts import StoredCheck
from borderflow.store.documents import DocumentListing

# The fields of a claim a listing row shows (the claim page shows every field).
_LISTING_FIELDS = (
    "id", "document_id", "title", "document", "text", "value", "unit", "normalized_value",
    "normalized_unit", "measure", "substance", "agency", "corridor", "place", "period_start",
    "period_end", "period_text", "speaker", "start", "end",
)  # fmt: skip
_DETAIL_FIELDS = (
    "sentence", "qualifier", "value_max", "dimension", "origin", "destination",
    "period_basis", "period_candidates",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ClaimView:
    """A claim as the web shows it: the claim, its document's date and title to show,
    its headline verdict and, on the claim's own page, every check."""

    claim: StoredClaim
    published: date | None
    verdict: str | None
    verdict_check: str | None
    explanation: str | None
    checks: tuple[StoredCheck, ...] = field(default=())
    document_title: DisplayTitle | None = None

    @property
    def headline(self) -> StoredCheck | None:
        """The check whose verdict the claim carries (None when unchecked)."""
        return next((c for c in self.checks if c.headline), None)

    def as_record(self, *, detail: bool = False) -> dict[str, Any]:
        full = self.claim.as_record()
        record = {name: full[name] for name in _LISTING_FIELDS[:4]}
        shown = self.document_title or DisplayTitle(self.claim.title or self.claim.document, True)
        record["display_title"], record["title_derived"] = shown.text, shown.derived
        record["published"] = self.published.isoformat() if self.published else None
        record.update({name: full[name] for name in _LISTING_FIELDS[4:]})
        record.update(
            verdict=self.verdict, verdict_check=self.verdict_check, explanation=self.explanation
        )
        if detail:
            record.update({name: full[name] for name in _DETAIL_FIELDS})
            record["checks"] = [c.detail_record() for c in self.checks]
        return record

    def export_record(self) -> dict[str, Any]:
        """A row of a claims export: the listing's fields with the sentence and the
        reading's details (a claim's checks are exported from /api/v1/checks)."""
        full = self.claim.as_record()
        return {**self.as_record(), **{name: full[name] for name in _DETAIL_FIELDS}}


# The columns of a claims export, in order (an export with no rows still has them).
CLAIM_EXPORT_FIELDS = (
    *_LISTING_FIELDS[:4], "display_title", "title_derived", "published", *_LISTING_FIELDS[4:],
    "verdict", "verdict_check", "explanation", *_DETAIL_FIELDS,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """A document as a list shows it: its listing, the title to show (its own, or its
    first words) and the original article's address when the file named one."""

    listing: DocumentListing
    shown: DisplayTitle
    url: str | None

    @property
    def site(self) -> str | None:
        return site_of(self.url)

    def listing_record(self) -> dict[str, Any]:
        """The record the web's document lists, the API and the exports answer with."""
        return {
            **self.listing.listing_record(), "display_title": self.shown.text,
            "title_derived": self.shown.derived, "url": self.url, "site": self.site,
        }  # fmt: skip


DOCUMENT_EXPORT_FIELDS = (
    "id", "display_title", "title_derived", "title", "source", "outlet", "site", "url",
    "author", "published", "version", "format", "claims",
)  # fmt: skip
