"""Quantities in sentences written for these tests, beyond the seed articles: every kind of
number, unit and qualifier the extractor promises, and things that are not quantities."""

from __future__ import annotations

import math

import pytest

from borderflow.extract import Claim, extract_claims

# (sentence, expected claims as (quote, value, unit, normalized value, normalized unit,
#  qualifier, value_max), quotes that must NOT be claims)
Case = tuple[
    str, list[tuple[str, float, str | None, float | None, str | None, str, float | None]], list[str]
]
CASES: list[Case] = [
    (
        "Police seized 26,693 pounds and 34.82 lb in separate raids.",
        [
            ("26,693 pounds", 26693, "lb", 12107.74113241, "kg", "exact", None),
            ("34.82 lb", 34.82, "lb", 15.7940863234, "kg", "exact", None),
        ],
        [],
    ),
    (
        "The lab held 15,500 grams of powder and 250 mg of carfentanil.",
        [
            ("15,500 grams", 15500, "g", 15.5, "kg", "exact", None),
            ("250 mg", 250, "mg", 0.00025, "kg", "exact", None),
        ],
        [],
    ),
    (
        "Officers found 12 kilos in the trunk and 3 tonnes at the port.",
        [
            ("12 kilos", 12, "kg", 12, "kg", "exact", None),
            ("3 tonnes", 3, "tonne", 3000, "kg", "exact", None),
        ],
        [],
    ),
    (
        "The shipment weighed two tons.",
        [("two tons", 2, "ton", 1814.36948, "kg", "exact", None)],
        [],
    ),
    (
        "Inspectors seized 450 litres of a precursor and 12 gallons of solvent.",
        [
            ("450 litres", 450, "L", 450, "L", "exact", None),
            ("12 gallons", 12, "gal", 45.424941, "L", "exact", None),
        ],
        [],
    ),
    (
        "The pipeline is 1,200 km long, about 746 miles.",
        [
            ("1,200 km", 1200, "km", 1200, "km", "exact", None),
            ("about 746 miles", 746, "mi", 1200.572, "km", "approx", None),
        ],
        [],
    ),
    (
        "Ottawa pledged C$1.3 billion and Washington $250 million.",
        [
            ("C$1.3 billion", 1.3e9, "CAD", 1.3e9, "CAD", "exact", None),
            ("$250 million", 2.5e8, "USD", 2.5e8, "USD", "exact", None),
        ],
        [],
    ),
    (
        "Fines reached €40,000, £12m and 5 million pesos.",
        [
            ("€40,000", 40000, "EUR", 40000, "EUR", "exact", None),
            ("£12m", 1.2e7, "GBP", 1.2e7, "GBP", "exact", None),
            ("5 million pesos", 5e6, "MXN", 5e6, "MXN", "exact", None),
        ],
        [],
    ),
    (
        "The budget is 95,500,000 dollars.",
        [("95,500,000 dollars", 95.5e6, "USD", 95.5e6, "USD", "exact", None)],
        [],
    ),
    (
        "Eleven officers and a dozen agents joined twenty-five analysts.",
        [
            ("Eleven officers", 11, "officers", 11, "officers", "exact", None),
            ("a dozen agents", 12, "agents", 12, "agents", "exact", None),
            ("twenty-five analysts", 25, "analysts", 25, "analysts", "exact", None),
        ],
        [],
    ),
    (
        "Agents recovered half a million pills.",
        [("half a million pills", 500000, "doses", 500000, "doses", "exact", None)],
        [],
    ),
    (
        "Thousands of people crossed and dozens of labs closed.",
        [
            ("Thousands of people", 1000, "people", 1000, "people", "vague", None),
            ("dozens of labs", 12, "labs", 12, "labs", "vague", None),
        ],
        [],
    ),
    (
        "Estimates range between 40 and 50 kg a week.",
        [("40 and 50 kg", 40, "kg/week", 2087.144, "kg/year", "exact", 50)],
        [],
    ),
    (
        "Purity varied from 3 percent to 9 percent, or 10–12 per cent in pills.",
        [
            ("3 percent", 3, "percent", 3, "percent", "exact", None),
            ("10–12 per cent", 10, "percent", 10, "percent", "exact", 12),
        ],
        [],
    ),
    (
        "Seizures rose more than 200 percent, at least 75% came by road, well under 1% by air, "
        "nearly 40 per cent by sea and up to 5 percentage points more than last year.",
        [
            ("more than 200 percent", 200, "percent", 200, "percent", "more_than", None),
            ("at least 75%", 75, "percent", 75, "percent", "at_least", None),
            ("well under 1%", 1, "percent", 1, "percent", "less_than", None),
            ("nearly 40 per cent", 40, "percent", 40, "percent", "approx", None),
            (
                "up to 5 percentage points",
                5,
                "percentage points",
                5,
                "percentage points",
                "at_most",
                None,
            ),
        ],
        [],
    ),
    (
        "About 21 deaths a day, or roughly 7,700 deaths per year, are linked to opioids.",
        [
            ("About 21 deaths a day", 21, "deaths/day", 7670.25, "deaths/year", "approx", None),
            (
                "roughly 7,700 deaths per year",
                7700,
                "deaths/year",
                7700,
                "deaths/year",
                "approx",
                None,
            ),
        ],
        [],
    ),
    (
        "Some 80,000 Americans die annually and 300 people overdose every week.",
        [
            (
                "Some 80,000 Americans die annually",
                80000,
                "deaths/year",
                80000,
                "deaths/year",
                "approx",
                None,
            ),
            (
                "300 people overdose every week",
                300,
                "deaths/week",
                15653.58,
                "deaths/year",
                "exact",
                None,
            ),
        ],
        [],
    ),
    (
        "The raid netted 89 firearms, 3 labs and 17 seizures across 48 countries by 600 groups.",
        [
            ("89 firearms", 89, "firearms", 89, "firearms", "exact", None),
            ("3 labs", 3, "labs", 3, "labs", "exact", None),
            ("17 seizures", 17, "seizures", 17, "seizures", "exact", None),
            ("48 countries", 48, "countries", 48, "countries", "exact", None),
            ("600 groups", 600, "groups", 600, "groups", "exact", None),
        ],
        [],
    ),
    (
        "The tariff was paused for 30 days, 48 hours after the order; talks lasted 6 weeks.",
        [
            ("30 days", 30, "days", 30, "days", "exact", None),
            ("48 hours", 48, "hours", 48, "hours", "exact", None),
            ("6 weeks", 6, "weeks", 6, "weeks", "exact", None),
        ],
        [],
    ),
    (
        "The truck was doing 120 km/h, well over the 65 mph limit.",
        [
            ("120 km/h", 120, "km/h", 120, "km/h", "exact", None),
            ("65 mph", 65, "mph", 65, "mph", "exact", None),
        ],
        [],
    ),
    (
        "The suspect, a 45-year-old man, paid ¥300,000 for the chemicals.",
        [
            ("45-year", 45, "years", 45, "years", "exact", None),
            ("¥300,000", 300000, "JPY", 300000, "JPY", "exact", None),
        ],
        [],
    ),
    (
        "The drug is 100x stronger than morphine and fifty times stronger than heroin.",
        [
            ("100x", 100, "times", 100, "times", "exact", None),
            ("fifty times", 50, "times", 50, "times", "exact", None),
        ],
        [],
    ),
    (
        "On March 3, 2024, the 47th President met the G7 at 10:30 about COVID-19 and Section 232.",
        [],
        ["3", "2024", "47", "7", "10", "30", "19", "232"],
    ),
    (
        "In 2023 and again in fiscal year 2024, see https://example.org/report2024.pdf or "
        "call 555-0100.",
        [],
        ["2023", "2024", "2024.pdf"],
    ),
    ("Un kilo de fentanilo cuesta 5.000 dólares.", [], []),
    (
        "The team won 3-1 and scored 2 goals in 90 minutes.",
        [
            ("2 goals", 2, "goals", 2, "goals", "exact", None),
            ("90 minutes", 90, "minutes", 90, "minutes", "exact", None),
        ],
        [],
    ),
    (
        "The price of a pill fell to $5, down from $20 in 2019.",
        [("$5", 5, "USD", 5, "USD", "exact", None), ("$20", 20, "USD", 20, "USD", "exact", None)],
        [],
    ),
    (
        "More than 100 000 Americans die each year from overdoses.",
        [
            (
                "More than 100 000 Americans die each year",
                100000,
                "deaths/year",
                100000,
                "deaths/year",
                "more_than",
                None,
            )
        ],
        [],
    ),
]


def _find(claims: list[Claim], sentence: str, quote: str) -> Claim | None:
    start = sentence.find(quote)
    assert start >= 0, f"bad test: {quote!r} not in {sentence!r}"
    end = start + len(quote)
    return next((c for c in claims if c.start < end and start < c.end), None)


@pytest.mark.parametrize(("sentence", "expected", "absent"), CASES, ids=[c[0][:40] for c in CASES])
def test_quantities_in_varied_sentences(sentence: str, expected: list, absent: list[str]) -> None:
    claims = extract_claims(sentence)
    problems = []
    for quote, value, unit, norm, norm_unit, qualifier, value_max in expected:
        claim = _find(claims, sentence, quote)
        if claim is None:
            problems.append(f"{quote!r}: not extracted")
            continue
        got = (
            claim.value,
            claim.unit,
            claim.normalized_value,
            claim.normalized_unit,
            claim.qualifier,
            claim.value_max,
        )
        ok = (
            math.isclose(claim.value, value, rel_tol=1e-6)
            and claim.unit == unit
            and (norm is None or math.isclose(claim.normalized_value or 0, norm, rel_tol=1e-4))
            and claim.normalized_unit == norm_unit
            and claim.qualifier == qualifier
            and (value_max is None) == (claim.value_max is None)
            and (value_max is None or math.isclose(claim.value_max or 0, value_max))
        )
        if not ok:
            problems.append(
                f"{quote!r}: expected {(value, unit, norm, norm_unit, qualifier, value_max)}"
                f", got {got} from {claim.text!r}"
            )
    for quote in absent:
        start = sentence.find(quote)
        hit = [c for c in claims if c.start <= start < c.end]
        if hit:
            problems.append(f"{quote!r} should not be a quantity, got {hit[0].text!r}")
    assert not problems, "\n".join(problems)


def test_offsets_slice_back_to_claim_text() -> None:
    text = "Agents seized 4.9 kg.\nThen 1,000 officers arrived, about 21 deaths a day."
    for claim in extract_claims(text):
        assert text[claim.start : claim.end] == claim.text


def test_spanish_thousands_dot_is_not_read_as_decimal_quantity() -> None:
    claims = extract_claims("Un kilo de fentanilo cuesta 5.000 dólares.")
    # "5.000" is ambiguous across languages; it must at least not become 5,000 kg or similar.
    assert all(c.dimension != "mass" for c in claims)
