"""Run every check over the stored claims and keep the verdicts with the claims.

One verdict per check that applies; the claim's headline verdict is the one from the most
direct evidence: official data, then the document's own arithmetic, dose conversion, source
shares, and agreement between sources.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from borderflow.checks.data import OfficialData, load_official
from borderflow.checks.internal import doses, parts_and_total, per_day_per_year, percent_change
from borderflow.checks.model import Verdict
from borderflow.checks.official import (
    check_cbp,
    check_deaths,
    check_fentanyl_share_of_deaths,
)
from borderflow.checks.shares import check_share
from borderflow.checks.sources import across_sources
from borderflow.vocab import load_vocabulary

PRIORITY = ("official", "arithmetic", "doses", "shares", "sources")
_EVIDENCE_MEASURES = frozenset({"seizure", "deaths", "doses", "change", "share", "production"})
_SUBSTANCES = frozenset(
    {"fentanyl", "fentanyl precursors", "opioids", "synthetic opioids", "drugs"}
)


def check_claims(
    claims: list[dict[str, Any]], published: dict[int, date | None], data: OfficialData
) -> list[Verdict]:
    """Every applicable verdict for `claims` (records as Store.claims returns them)."""
    lethal = float(load_vocabulary().conventions["lethal_dose_mg"]["value"])
    by_document: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for claim in claims:
        by_document[claim["document_id"]].append(claim)
    verdicts: list[Verdict] = []
    for document_id, members in by_document.items():
        members.sort(key=lambda c: c["start"])
        verdicts += percent_change(members)
        verdicts += parts_and_total(members)
        verdicts += per_day_per_year(members)
        verdicts += doses(members, lethal)
        when = published.get(document_id)
        for claim in members:
            for check in (
                check_cbp(claim, data),
                check_deaths(claim, data, when),
                check_fentanyl_share_of_deaths(claim, data),
                check_share(claim, data, when),
            ):
                if check is not None:
                    verdicts.append(check)
    verdicts += across_sources(claims)
    judged = {v.claim_id for v in verdicts}
    for claim in claims:
        if (
            claim["id"] not in judged
            and claim["measure"] in _EVIDENCE_MEASURES
            and claim["substance"] in _SUBSTANCES
        ):
            verdicts.append(
                Verdict(
                    claim["id"],
                    "official",
                    "unverifiable",
                    0.5,
                    f"No official series borderflow holds covers this figure ({claim['measure']}"
                    f"{' by ' + claim['agency'] if claim['agency'] else ''}); nothing to compare "
                    "it with.",
                )
            )
    return verdicts


def _rank(v: Verdict) -> tuple[int, int, int]:
    # Official data first; otherwise a problem found (conflict, misleading...) before a
    # confirmation, then the more direct kind of check.
    problem = v.verdict not in ("supported", "supported-with-caveat", "unverifiable")
    return (v.check != "official", not problem, PRIORITY.index(v.check))


def headline(verdicts: Iterable[Verdict]) -> dict[int, Verdict]:
    """The headline verdict of each claim."""
    best: dict[int, Verdict] = {}
    for v in verdicts:
        current = best.get(v.claim_id)
        if current is None or _rank(v) < _rank(current):
            best[v.claim_id] = v
    return best


def run(store: Any) -> list[Verdict]:
    """Check every current claim of `store` against its official data."""
    claims = store.claims()
    published = {d.id: d.published for d in store.documents()}
    return check_claims(claims, published, load_official(store))


def _rows(store: Any, verdicts: list[Verdict]) -> list[dict[str, Any]]:
    """Verdicts as stored rows, each naming the data releases its citations drew on."""
    from borderflow.store.observations import releases

    best = headline(verdicts)
    names = {
        source: [r["file_name"] for r in releases(store, source)]
        for source in ("cbp", "cdc-vsrr", "phac")
    }
    rows = []
    for v in verdicts:
        used = sorted({r for c in v.citations if c.source for r in names.get(c.source, [])})
        rows.append(
            {
                "claim_id": v.claim_id,
                "check": v.check,
                "verdict": v.verdict,
                "headline": best[v.claim_id] is v,
                "confidence": v.confidence,
                "explanation": v.explanation,
                "expected": v.expected,
                "unit": v.unit,
                "citations": [c.as_dict() for c in v.citations],
                "releases": used,
            }
        )
    return rows


def run_and_store(store: Any) -> list[Verdict]:
    """Check everything and replace the stored verdicts (with the releases they used)."""
    from borderflow.store.checks import replace_checks

    verdicts = run(store)
    replace_checks(store, _rows(store, verdicts))
    return verdicts


def check_document(store: Any, document_id: int) -> list[Verdict]:
    """Check one document's claims and replace only their verdicts: what an upload needs,
    without re-checking the whole store. Agreement with other sources is judged within
    the document alone until the next full `borderflow check`."""
    from borderflow.store.checks import replace_checks

    claims = store.claims(document_id=document_id)
    published = {document_id: store.document(document_id).summary.published}
    verdicts = check_claims(claims, published, load_official(store))
    replace_checks(store, _rows(store, verdicts), claim_ids=[c["id"] for c in claims])
    return verdicts
