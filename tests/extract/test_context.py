"""Periods, agencies, corridors, flows and speakers on sentences written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from borderflow.extract import Claim, DocumentMeta, extract_claims

DATED = DocumentMeta(published=date(2025, 1, 23))


def _one(text: str, quote: str, meta: DocumentMeta | None = None) -> Claim:
    start = text.index(quote)
    found = [
        c for c in extract_claims(text, meta) if c.start < start + len(quote) and start < c.end
    ]
    assert len(found) == 1, f"{quote!r}: {[c.text for c in extract_claims(text, meta)]}"
    return found[0]


@pytest.mark.parametrize(
    ("text", "quote", "start", "end", "basis"),
    [
        (
            "The CBSA intercepted 4.9 kg of fentanyl from January to October 2024.",
            "4.9 kg",
            date(2024, 1, 1),
            date(2024, 10, 31),
            "calendar",
        ),
        (
            "The RCMP seized 15,500 grams between 2018 and 2021.",
            "15,500 grams",
            date(2018, 1, 1),
            date(2021, 12, 31),
            "calendar",
        ),
        (
            "In fiscal year 2023–2024, the CBSA seized 4.9 kilograms.",
            "4.9 kilograms",
            date(2023, 4, 1),
            date(2024, 3, 31),
            "ca_fiscal",
        ),
        (
            "In FY2024 CBP seized 21,115 pounds at the southwest border.",
            "21,115 pounds",
            date(2023, 10, 1),
            date(2024, 9, 30),
            "us_fiscal",
        ),
        (
            "Police seized 3 kg in the first quarter of 2024.",
            "3 kg",
            date(2024, 1, 1),
            date(2024, 3, 31),
            "calendar",
        ),
        (
            "Police seized 3 kg in March 2023.",
            "3 kg",
            date(2023, 3, 1),
            date(2023, 3, 31),
            "calendar",
        ),
        (
            "Police seized 3 kg on Oct. 31, 2024.",
            "3 kg",
            date(2024, 10, 31),
            date(2024, 10, 31),
            "calendar",
        ),
    ],
)
def test_explicit_periods(text: str, quote: str, start: date, end: date, basis: str) -> None:
    claim = _one(text, quote)
    assert (claim.period_start, claim.period_end, claim.period_basis) == (start, end, basis)


def test_cbp_bare_year_keeps_both_readings() -> None:
    claim = _one("CBP seized 34.82 pounds at the northern border in 2024.", "34.82 pounds")
    assert claim.period_basis == "unknown"
    readings = {(p.basis, p.start, p.end) for p in claim.period_candidates}
    assert readings == {
        ("calendar", date(2024, 1, 1), date(2024, 12, 31)),
        ("us_fiscal", date(2023, 10, 1), date(2024, 9, 30)),
    }


def test_relative_periods_resolve_only_with_a_document_date() -> None:
    text = "Some 300,000 Americans were killed last year, and 54 kg was seized last October."
    dated = _one(text, "300,000 Americans", DATED)
    assert (dated.period_start, dated.period_end) == (date(2024, 1, 1), date(2024, 12, 31))
    october = _one(text, "54 kg", DATED)
    assert (october.period_start, october.period_end) == (date(2024, 10, 1), date(2024, 10, 31))
    undated = _one(text, "300,000 Americans")
    assert undated.period_start is None and undated.period_basis == "unknown"
    assert undated.period_text == "last year"


def test_comparison_baseline_is_not_the_figures_period() -> None:
    claim = _one("Seizures rose 775% in 2024 compared to the previous year.", "775%", DATED)
    assert claim.period_start == date(2024, 1, 1)


def test_agency_substance_corridor_and_flow() -> None:
    text = (
        "U.S. Customs and Border Protection seized 43 pounds of fentanyl at the northern "
        "border. Most of the 4.1 kg intercepted by the CBSA was bound for the Netherlands."
    )
    first = _one(text, "43 pounds")
    assert (first.agency, first.substance, first.corridor, first.measure) == (
        "CBP",
        "fentanyl",
        "northern border",
        "seizure",
    )
    second = _one(text, "4.1 kg")
    assert second.agency == "CBSA" and second.destination == "Netherlands"
    assert second.substance == "fentanyl"  # carried from the previous sentence


def test_flow_from_canada_to_the_us_implies_the_northern_border() -> None:
    text = "Fentanyl smuggled from Canada into the United States weighed 2 kg."
    claim = _one(text, "2 kg")
    assert (claim.origin, claim.destination, claim.corridor) == (
        "Canada",
        "United States",
        "northern border",
    )


def test_a_canadian_agency_at_the_border_means_the_northern_border() -> None:
    claim = _one("The RCMP seized 9 kg at the border in 2019.", "9 kg")
    assert claim.corridor == "northern border"


@pytest.mark.parametrize(
    ("text", "quote", "speaker"),
    [
        (
            "“We seized 54 kilograms,” RCMP spokesperson Charlotte Hibbard told the Star.",
            "54 kilograms",
            "Charlotte Hibbard",
        ),
        ("According to the CBSA, 4.9 kg was intercepted.", "4.9 kg", "CBSA"),
        (
            "President Donald Trump said 300,000 Americans died.",
            "300,000 Americans",
            "Donald Trump",
        ),
        ("“About 21 deaths a day,” Hibbard said.", "21 deaths a day", "Hibbard"),
        ("TRUMP: 300,000 Americans have been killed.", "300,000 Americans", "Trump"),
        (
            "According to British think tank Chatham House, there are 40,000 firms.",
            "40,000 firms",
            "Chatham House",
        ),
        ("According to police, it could have made 95 million doses.", "95 million doses", "police"),
        (
            "As reported by the Globe and Mail, 300 times as much is seized.",
            "300 times",
            "The Globe and Mail",
        ),
        ("The Canada Border Services Agency (CBSA) reported a 775% increase.", "775%", "CBSA"),
        ("Tariffs hit goods entering the United States, a 25% levy.", "25%", None),
    ],
)
def test_speakers(text: str, quote: str, speaker: str | None) -> None:
    assert _one(text, quote).speaker == speaker


def test_unattributed_claims_fall_back_to_the_document_author_then_outlet() -> None:
    text = "Seizures reached 12 kg."
    assert _one(text, "12 kg", DocumentMeta(outlet="The Star")).speaker == "The Star"
    assert (
        _one(text, "12 kg", DocumentMeta(author="Jane Doe", outlet="The Star")).speaker
        == "Jane Doe"
    )


def test_measures_by_context() -> None:
    text = (
        "Deaths rose 23% as 97% of the fentanyl came by land; a 25% tariff and a "
        "US$1.3 billion plan followed, with 95 million doses and 1,000 more officers."
    )
    measures = {c.text: c.measure for c in extract_claims(text)}
    assert measures == {
        "23%": "change",
        "97%": "share",
        "25%": "tariff",
        "US$1.3 billion": "funding",
        "95 million doses": "doses",
        "1,000 more officers": "personnel",
    }


def test_twelve_months_ending_is_a_rolling_period_not_a_duration() -> None:
    text = "In the 12 months ending December 2023, the CDC counted 74,091 deaths."
    claims = extract_claims(text)
    assert [c.text for c in claims] == ["74,091 deaths"]
    [claim] = claims
    assert (claim.period_start, claim.period_end, claim.period_basis) == (
        date(2023, 1, 1),
        date(2023, 12, 31),
        "rolling",
    )


def test_a_period_belonging_to_a_later_figure_is_not_borrowed() -> None:
    text = "At the peak, roughly 75,000 a year died, more than twice the 36,603 counted for 2019."
    first = _one(text, "75,000")
    assert first.period_start is None
    second = _one(text, "36,603")
    assert second.period_start == date(2019, 1, 1)


@pytest.mark.parametrize(
    ("text", "quote", "substance"),
    [
        ("The governor said fentanyl overdoses claim 90,000 lives a year.", "90,000", "fentanyl"),
        ("Opioid-involved overdoses killed 3,100 residents in 2023.", "3,100", "opioids"),
        ("The state counted 4,200 overdose deaths in 2023; fentanyl drove most of them.",
         "4,200", "drugs"),
        ("Fentanyl is spreading, and 2,900 overdose deaths were logged in 2022.", "2,900", "drugs"),
        ("Fentanyl and meth overdoses took 5,100 lives in 2022.", "5,100", "drugs"),
        ("Fentanyl and carfentanil overdoses took 5,100 lives in 2022.", "5,100", "fentanyl"),
        ("Unlike heroin, fentanyl overdoses took 5,100 lives in 2022.", "5,100", "fentanyl"),
    ],
)  # fmt: skip
def test_a_drug_that_names_the_overdoses_is_their_substance(
    text: str, quote: str, substance: str
) -> None:
    claim = next(c for c in extract_claims(text, DocumentMeta()) if quote in c.text)
    assert claim.substance == substance
