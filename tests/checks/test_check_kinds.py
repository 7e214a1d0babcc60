"""Each check kind on cases built for the test: rounding, ranges, qualifiers, fiscal versus
calendar year, land-only versus whole-border scope, and claims no data covers."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest

from borderflow.checks.changes import percent_change
from borderflow.checks.claimreview import claim_review
from borderflow.checks.data import OfficialData
from borderflow.checks.deaths import check_deaths
from borderflow.checks.doses import doses
from borderflow.checks.internal import per_day_per_year
from borderflow.checks.seizures import check_cbp
from borderflow.checks.shares import check_share
from borderflow.checks.sources import across_sources
from borderflow.checks.tolerance import agree, rounding_step
from borderflow.checks.totals import parts_and_total
from borderflow.extract import DocumentMeta, extract_claims
from borderflow.records.claims import StoredClaim
from borderflow.records.verdicts import Citation, StoredCheck

LB = 0.45359237


def _data() -> OfficialData:
    """FY2024 (Oct 2023 - Sep 2024): northern border 30 lb on land and 10 lb other, one lb in
    each month of calendar 2023 outside FY2024; southwest 20,000 lb on land."""
    data = OfficialData()
    months = [date(y, m, 1) for y in (2022, 2023, 2024) for m in range(1, 13)]
    data.cbp_months = set(months)
    fy2024 = [m for m in months if date(2023, 10, 1) <= m <= date(2024, 9, 1)]
    data.cbp_kg[("Northern Border", "Land Only")] = {
        m: (30 / 12 * LB if m in fy2024 else LB) for m in months
    }
    data.cbp_kg[("Northern Border", "Other")] = dict.fromkeys(fy2024, 10 / 12 * LB)
    data.cbp_kg[("Southwest Border", "Land Only")] = dict.fromkeys(fy2024, 20000 / 12 * LB)
    data.us_deaths = {2022: 74_829, 2023: 74_091, 2024: 48_662}
    data.canada_deaths = {2023: 8_020, 2024: 7_313}
    data.release_names = {"cbp": ["nationwide.csv"], "cdc-vsrr": ["vsrr.csv"], "phac": ["phac.csv"]}
    return data


def _claims(text: str, published: date | None = None) -> list[StoredClaim]:
    found = extract_claims(text, DocumentMeta(published=published))
    return [StoredClaim.of(claim, id=i + 1, document_id=1) for i, claim in enumerate(found)]


def _one(text: str, quote: str, published: date | None = None) -> StoredClaim:
    return next(c for c in _claims(text, published) if quote in c.text)


def _stored_check(**fields: Any) -> StoredCheck:
    """A stored headline verdict as the store gives it back, from the fields a test names."""
    base: dict[str, Any] = {
        "claim_id": 1, "document_id": 1, "document": "a.txt", "title": None, "published": None,
        "claim": "", "sentence": "", "start": 0, "end": 0, "speaker": None, "check": "official",
        "verdict": "supported", "headline": True, "confidence": 0.8, "expected": None,
        "unit": None, "explanation": "", "citations": (), "releases": (),
    }  # fmt: skip
    citations = tuple(Citation.from_dict(c) for c in fields.pop("citations", []))
    return StoredCheck(**{**base, **fields, "citations": citations})


@pytest.mark.parametrize(
    ("stated", "actual", "qualifier", "written", "expected"),
    [
        (2, 2.47, "exact", "2 pounds", "rounding"),
        (2, 2.6, "exact", "2 pounds", "no"),
        (34.82, 34.817, "exact", "34.82 pounds", "rounding"),
        (2000, 2050, "more_than", "more than 2,000%", "exact"),
        (2000, 1950, "more_than", "more than 2,000%", "near"),
        (1, 0.2, "less_than", "well under 1%", "exact"),
        (100, 491, "vague", "hundreds of times", "exact"),
        (100, 1500, "vague", "hundreds of times", "no"),
        (80_000, 74_091, "approx", "some 80,000", "near"),  # 7.4% off: loose, not rounding
        (80_000, 78_000, "approx", "some 80,000", "rounding"),
        (95e6, 95.4e6, "exact", "95 million", "rounding"),
    ],
)
def test_tolerance(
    stated: float, actual: float, qualifier: str, written: str, expected: str
) -> None:
    assert agree(stated, actual, qualifier, rounding_step(stated, written)) == expected


def test_fiscal_year_and_land_only_reading_is_named() -> None:
    claim = _one("CBP seized 30 pounds of fentanyl at the northern border in 2024.", "30 pounds")
    verdict = check_cbp(claim, _data())
    assert verdict is not None and verdict.verdict == "supported-with-caveat"
    assert "FY2024" in verdict.explanation and "land only" in verdict.explanation


def test_whole_border_scope_matches_the_larger_figure() -> None:
    claim = _one("CBP seized 40 pounds of fentanyl at the northern border in FY2024.", "40 pounds")
    verdict = check_cbp(claim, _data())
    assert verdict is not None and verdict.verdict == "supported"  # fiscal year was stated
    assert "whole northern border" in verdict.explanation


def test_calendar_year_stated_and_right() -> None:
    claim = _one(
        "CBP seized 31.75 pounds of fentanyl at the northern border in calendar year 2023.",
        "31.75 pounds",
    )
    # Calendar 2023 land only: 9 months at 1 lb + 3 months (Oct-Dec) at 2.5 lb = 16.5 lb;
    # with other: + 3 x 10/12 = 19 lb. Neither is 31.75: contradicted, with the figures.
    verdict = check_cbp(claim, _data())
    assert verdict is not None and verdict.verdict == "contradicted"
    assert "16.50 lb" in verdict.explanation


def test_no_data_or_no_period_is_unverifiable() -> None:
    data = _data()
    claim = _one("CBP seized 5 pounds of fentanyl at the northern border in 2019.", "5 pounds")
    assert check_cbp(claim, data).verdict == "unverifiable"  # type: ignore[union-attr]
    claim = _one("CBP seized 5 pounds of fentanyl at the northern border.", "5 pounds")
    assert check_cbp(claim, data).verdict == "unverifiable"  # type: ignore[union-attr]
    claim = _one("The CBSA seized 5 kg of fentanyl in 2024.", "5 kg")
    assert check_cbp(claim, data) is None  # not a CBP figure: another check's business


def test_us_and_canadian_deaths() -> None:
    data = _data()
    killed = _one(
        "300,000 Americans were killed by fentanyl last year.", "300,000", date(2025, 1, 20)
    )
    assert check_deaths(killed, data, date(2025, 1, 20)).verdict == "contradicted"  # type: ignore[union-attr]
    yearly = _one("Some 80,000 Americans die annually from fentanyl.", "80,000", date(2025, 1, 20))
    verdict = check_deaths(yearly, data, date(2025, 1, 20))
    assert verdict is not None and verdict.verdict == "supported-with-caveat"
    assert "2023" in verdict.explanation
    canada = _one("In Canada, 22 deaths a day were attributed to opioids in 2023.", "22 deaths")
    assert check_deaths(canada, data, None).verdict == "supported"  # type: ignore[union-attr]
    undated = _one("Fentanyl deaths rose to more than 70,000 in his first year.", "70,000")
    assert check_deaths(undated, data, None).verdict == "unverifiable"  # type: ignore[union-attr]


def test_percent_change_and_parts() -> None:
    claims = _claims(
        "Seizures rose from 2 pounds in 2023 to 43 pounds in 2024, a more than "
        "2,000% increase. Officers seized 4.9 kg; this included 4.1 kg bound "
        "for Europe and 0.8 kg for the U.S."
    )
    change = percent_change(claims)
    assert [v.verdict for v in change] == ["supported"] and "2,050.0%" in change[0].explanation
    parts = {v.claim_id for v in parts_and_total(claims)}
    assert {c.id for c in claims if c.dimension == "mass" and c.unit == "kg"} <= parts
    wrong = _claims("Seizures rose from 2 pounds to 43 pounds, a 300% increase.")
    assert [v.verdict for v in percent_change(wrong)] == ["contradicted"]


def test_doses_at_two_milligrams() -> None:
    claims = _claims(
        "Police seized 54 kilograms of fentanyl, over 95 million potentially lethal doses."
    )
    [verdict] = doses(claims, 2.0)
    assert verdict.verdict == "misleading" and "27,000,000" in verdict.explanation
    fair = _claims("Police seized 2 kilograms of fentanyl, about 1 million doses.")
    assert [v.verdict for v in doses(fair, 2.0)] == ["supported"]


def test_shares_and_ratio_against_seizures() -> None:
    data = _data()
    share = _one("Well under 1% of the fentanyl entering the US comes from Canada.", "1%")
    verdict = check_share(share, data, date(2025, 2, 1))
    assert verdict is not None and verdict.verdict == "supported"
    assert "proxy" in verdict.explanation
    wrong = _one("Some 10% of the fentanyl seized comes from Canada.", "10%")
    assert check_share(wrong, data, date(2025, 2, 1)).verdict == "contradicted"  # type: ignore[union-attr]
    ratio = _one(
        "Hundreds of times as much fentanyl is intercepted at the border with Mexico "
        "as at the border with Canada.",
        "times",
    )
    assert check_share(ratio, data, date(2025, 2, 1)).verdict == "supported"  # type: ignore[union-attr]


def test_same_figure_different_periods_is_a_conflict() -> None:
    first = _one("The CBSA intercepted 4.9 kg of fentanyl from January to October 2024.", "4.9 kg")
    second = _one(
        "In fiscal year 2023-2024, the CBSA seized 4.9 kilograms of fentanyl.", "4.9 kilograms"
    )
    second = dataclasses.replace(second, id=99, document_id=2)
    verdicts = across_sources([first, second])
    assert {v.verdict for v in verdicts} == {"conflict"}


def test_claim_review_has_the_schema_org_shape() -> None:
    review = claim_review(
        _stored_check(
            claim_id=7,
            document="https://example.org/a",
            title="A",
            published=date(2025, 1, 23),
            sentence="It said 43 pounds.",
            speaker="Donald Trump",
            verdict="supported-with-caveat",
            explanation="FY2024 figure.",
            citations=[
                {"kind": "official", "label": "CBP FY2024", "source": "cbp", "release": "x.csv"},
                {"kind": "document", "label": "43 pounds", "quote": "43 pounds"},
            ],
        )
    )
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["itemReviewed"]["@type"] == "Claim"
    assert review["itemReviewed"]["author"] == {"@type": "Person", "name": "Donald Trump"}
    assert review["itemReviewed"]["datePublished"] == "2025-01-23"
    assert review["itemReviewed"]["appearance"]["url"] == "https://example.org/a"
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating" and rating["alternateName"] == "supported-with-caveat"
    assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    assert [c["@type"] for c in review["citation"]] == ["Dataset", "Quotation"]


# Properties schema.org defines for each type used (https://schema.org/ClaimReview, Claim,
# Rating, CreativeWork, Dataset, Quotation, Organization, Person; inherited ones included).
_SCHEMA = {
    "ClaimReview": {
        "claimReviewed",
        "itemReviewed",
        "reviewRating",
        "author",
        "datePublished",
        "url",
        "citation",
        "name",
    },
    "Claim": {"appearance", "firstAppearance", "author", "datePublished", "name", "url"},
    "Rating": {
        "ratingValue",
        "bestRating",
        "worstRating",
        "alternateName",
        "ratingExplanation",
        "author",
    },
    "CreativeWork": {"name", "url", "author", "datePublished"},
    "Dataset": {"name", "description", "url"},
    "Quotation": {"text", "author"},
    "Organization": {"name", "url"},
    "Person": {"name", "url"},
}


def _valid(node: Any, path: str = "$") -> list[str]:
    if isinstance(node, list):
        return [p for i, item in enumerate(node) for p in _valid(item, f"{path}[{i}]")]
    if not isinstance(node, dict):
        return []
    kind = node.get("@type")
    problems = [] if kind in _SCHEMA else [f"{path}: unknown @type {kind!r}"]
    for key, value in node.items():
        if key.startswith("@"):
            continue
        if kind in _SCHEMA and key not in _SCHEMA[kind]:
            problems.append(f"{path}.{key}: not a property of {kind}")
        problems += _valid(value, f"{path}.{key}")
    return problems


def test_claim_review_uses_only_schema_org_properties() -> None:
    review = claim_review(
        _stored_check(
            claim_id=1,
            document="a.txt",
            sentence="97% of fentanyl seized comes from the southern border.",
            speaker="RUSI",
            verdict="supported",
            explanation="96.6% in FY2024.",
            citations=[
                {"kind": "official", "label": "CBP FY2024", "source": "cbp", "release": "x.csv"}
            ],
        )
    )
    assert _valid(review) == []


def test_magnitudes_in_words() -> None:
    data = _data()
    massive = _one("The fentanyl coming through Canada is massive.", "massive")
    assert (massive.dimension, massive.value) == ("magnitude", 1.0)
    assert check_share(massive, data, date(2025, 1, 1)).verdict == "contradicted"  # type: ignore[union-attr]
    modest = _one("Canada is not a big player in the fentanyl trade.", "big player")
    assert modest.value == -1.0  # the negation flips it
    assert check_share(modest, data, date(2025, 1, 1)).verdict == "supported"  # type: ignore[union-attr]
    mexico = _one("Most fentanyl arrives from Mexico in massive loads.", "massive")
    assert check_share(mexico, data, date(2025, 1, 1)).verdict == "supported"  # type: ignore[union-attr]
    assert not [
        c for c in _claims("Crowds were massive at the game.") if c.dimension == "magnitude"
    ]  # no drug named: not a claim about supply


def test_per_day_against_the_yearly_count() -> None:
    claims = _claims("PHAC counted 8,020 deaths in 2023, about 22 deaths a day.")
    [verdict] = per_day_per_year(claims)
    assert verdict.verdict == "supported" and "22.0 deaths per day" in verdict.explanation
    wrong = _claims("PHAC counted 8,020 deaths in 2023, about 40 deaths a day.")
    assert [v.verdict for v in per_day_per_year(wrong)] == ["contradicted"]


def test_a_count_over_less_than_the_rates_unit_restates_no_rate() -> None:
    """A total said "this week" is not a week's deaths to annualise against a yearly
    toll, and two people's figures are not one figure restated."""
    claims = _claims(
        "Overdoses kill 250,000 people annually, and the official claimed in a radio "
        'interview this week that smugglers have "killed 200,000 Americans with fentanyl."',
        date(2024, 12, 7),
    )
    assert claims[1].period_start == date(2024, 12, 2)  # "this week" read as the figure's
    assert per_day_per_year(claims) == []
    said_by_two = _claims(
        "Health Minister Mark Holland said 8,020 people died of opioids in 2023, while "
        "critic Dana Reyes said it was about 40 deaths a day."
    )
    assert {c.speaker for c in said_by_two} == {"Mark Holland", "Dana Reyes"}
    half_year = _claims(
        "In the first half of 2024, 40,000 Americans died of overdoses, or about 100,000 a year.",
        date(2025, 6, 10),
    )
    assert [v.verdict for v in per_day_per_year(half_year)] == ["contradicted"]
    two_statements = _claims(
        "Fentanyl kills about 70,000 Americans a year; in the first six months of 2024, "
        "25,000 died.",
        date(2025, 6, 10),
    )
    assert per_day_per_year(two_statements) == []
    assert per_day_per_year(said_by_two) == []


def test_fentanyl_share_of_canadian_deaths() -> None:
    from borderflow.checks.official import check_fentanyl_share_of_deaths

    data = _data()
    data.canada_fentanyl_share = {2023: 82.0}
    right = _one("In Canada, fentanyl was involved in 82% of opioid deaths in 2023.", "82%")
    assert check_fentanyl_share_of_deaths(right, data).verdict == "supported"  # type: ignore[union-attr]
    wrong = _one("In Canada, fentanyl was involved in 50% of opioid deaths in 2023.", "50%")
    assert check_fentanyl_share_of_deaths(wrong, data).verdict == "contradicted"  # type: ignore[union-attr]


def test_a_range_agrees_when_the_figure_falls_inside_it() -> None:
    data = _data()
    inside = _one(
        "CBP seized between 35 and 45 pounds of fentanyl at the northern border in FY2024.",
        "35 and 45 pounds",
    )
    assert check_cbp(inside, data).verdict == "supported"  # type: ignore[union-attr]
    outside = _one(
        "CBP seized between 100 and 120 pounds of fentanyl at the northern border in FY2024.",
        "100 and 120 pounds",
    )
    assert check_cbp(outside, data).verdict == "contradicted"  # type: ignore[union-attr]
