"""schema.org ClaimReview JSON-LD for stored verdicts (https://schema.org/ClaimReview).

The rating is the verdict kind's `rating` (1-5) from the one table of kinds;
alternateName carries borderflow's verdict itself."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from borderflow.records.verdicts import KIND_INFO, StoredCheck


def _author(speaker: str) -> dict[str, str]:
    person = " " in speaker and speaker[0].isupper()
    return {"@type": "Person" if person else "Organization", "name": speaker}


def claim_review(check: StoredCheck) -> dict[str, Any]:
    """One ClaimReview object for a stored headline verdict."""
    appearance: dict[str, Any] = {"@type": "CreativeWork", "name": check.display_title}
    if check.document.startswith(("http://", "https://")):
        appearance["url"] = check.document
    item: dict[str, Any] = {
        "@type": "Claim",
        "appearance": appearance,
        "firstAppearance": appearance,
    }
    if check.speaker:
        item["author"] = _author(check.speaker)
    if check.published:
        item["datePublished"] = check.published.isoformat()
    citations = [
        {"@type": "Dataset", "name": c.label, "description": f"{c.source} release {c.release}"}
        if c.kind == "official"
        else {"@type": "Quotation", "text": c.quote}
        for c in check.citations
    ]
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": check.sentence,
        "itemReviewed": item,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": KIND_INFO[check.verdict].rating,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": check.verdict,
            "ratingExplanation": check.explanation,
        },
        "author": {"@type": "Organization", "name": "borderflow"},
        "datePublished": datetime.now(UTC).date().isoformat(),
        "url": f"borderflow:claim/{check.claim_id}",
        "citation": citations,
    }
