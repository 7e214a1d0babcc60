"""PHAC's share of Canadian opioid deaths involving fentanyl ("fentanyl was involved in 82%
of them"). CBP seizures are judged in `borderflow.checks.seizures`, deaths themselves in
`borderflow.checks.deaths`. A year PHAC has not published, or no year stated, is
`unverifiable`: never a guess.
"""

from __future__ import annotations

from borderflow.checks.data import OfficialData
from borderflow.checks.model import Citation, Verdict, VerdictKind
from borderflow.checks.tolerance import (
    agree,
    rounding_step,
    verdict_for,
)
from borderflow.datasets import phac
from borderflow.records.claims import StoredClaim
from borderflow.vocab import load_vocabulary


def _agency_country(claim: StoredClaim) -> str | None:
    return load_vocabulary().agency_country(claim.agency)


def _citation(
    data: OfficialData, source: str, label: str, value: float, unit: str, year: int | None = None
) -> Citation:
    """An official series; for a single observation (a year of deaths), its file and line."""
    release, line = data.latest_release(source), None
    if year is not None and (source, year) in data.lines:
        release, line = data.lines[(source, year)]
    return Citation(
        "official",
        label,
        source=source,
        release=release,
        value=round(value, 4),
        unit=unit,
        line=line,
    )


def check_fentanyl_share_of_deaths(claim: StoredClaim, data: OfficialData) -> Verdict | None:
    """'Fentanyl was involved in 82% of them': PHAC's share of Canadian opioid deaths."""
    sentence = claim.sentence.lower()
    if (
        claim.measure != "share"  # a percent change is no share of deaths
        or claim.dimension != "percent"
        or claim.substance not in ("fentanyl", "opioids")
        or "fentanyl" not in sentence
        or "death" not in sentence
    ):
        return None
    canadian = (
        _agency_country(claim) == "CA"
        or claim.place == "Canada"
        or "canad" in claim.sentence.lower()
    )
    if not canadian:
        return None
    start, end = claim.period_start, claim.period_end
    year = start.year if start and end and start.year == end.year else None
    if year is None or year not in data.canada_fentanyl_share:
        return Verdict(
            claim.id,
            "official",
            VerdictKind.UNVERIFIABLE,
            0.5,
            "PHAC's share of opioid deaths involving fentanyl is published by year; "
            "the claim's year is not stated or not covered.",
        )
    actual = data.canada_fentanyl_share[year]
    grade = agree(
        float(claim.value),
        actual,
        claim.qualifier,
        rounding_step(float(claim.value), claim.text),
    )
    return Verdict(
        claim.id,
        "official",
        verdict_for(grade),
        0.8,
        f"PHAC: {actual:g}% of apparent opioid toxicity deaths in {year} involved "
        f"fentanyl; the claim says {claim.text}.",
        expected=actual,
        unit="percent",
        citations=[
            _citation(
                data, phac.HARMS.name, f"PHAC deaths involving fentanyl, {year}", actual, "percent"
            )
        ],
    )
