"""schema.org ClaimReview JSON-LD for stored verdicts (https://schema.org/ClaimReview)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

# A 1-5 scale for reviewRating; alternateName carries borderflow's verdict itself.
RATING = {
    "contradicted": 1,
    "misleading": 2,
    "conflict": 3,
    "unverifiable": 3,
    "supported-with-caveat": 4,
    "supported": 5,
}


def claim_review(check: dict[str, Any]) -> dict[str, Any]:
    """One ClaimReview object for a stored headline verdict."""
    appearance: dict[str, Any] = {
        "@type": "CreativeWork",
        "name": check["title"] or check["document"],
    }
    if str(check["document"]).startswith(("http://", "https://")):
        appearance["url"] = check["document"]
    item: dict[str, Any] = {
        "@type": "Claim",
        "appearance": appearance,
        "firstAppearance": appearance,
    }
    if check.get("speaker"):
        item["author"] = {
            "@type": "Person"
            if " " in check["speaker"] and check["speaker"][0].isupper()
            else "Organization",
            "name": check["speaker"],
        }
    if check.get("published"):
        item["datePublished"] = check["published"]
    citations = []
    for c in check["citations"]:
        if c["kind"] == "official":
            citations.append(
                {
                    "@type": "Dataset",
                    "name": c["label"],
                    "description": f"{c['source']} release {c['release']}",
                }
            )
        else:
            citations.append({"@type": "Quotation", "text": c["quote"]})
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": check["sentence"],
        "itemReviewed": item,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATING[check["verdict"]],
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": check["verdict"],
            "ratingExplanation": check["explanation"],
        },
        "author": {"@type": "Organization", "name": "borderflow"},
        "datePublished": datetime.now(UTC).date().isoformat(),
        "url": f"borderflow:claim/{check['claim_id']}",
        "citation": citations,
    }
