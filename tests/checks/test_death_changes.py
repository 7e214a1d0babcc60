"""A year's change in deaths against the held series' change (checks.death_changes).

The held figures these cases were written against (the bundled reference data): U.S.
drug overdose deaths 106,699 (2021), 107,941 (2022), 105,007 (2023, final), 80,391 (2024,
provisional); deaths involving synthetic opioids 74,829 (2022), 74,091 (2023), 48,662
(2024); PHAC apparent opioid toxicity deaths 8,020 (2023), 7,313 (2024). Computed by
hand: 2022 on 2021 +1.16%; 2024 on 2023 -23.44% (all drugs), -34.32% (synthetic opioids),
-8.82% (Canada)."""

from __future__ import annotations

from datetime import date

import pytest

from borderflow.checks.data import OfficialData
from tests.checks.judged import headline_verdict

LATER = date(2025, 9, 1)


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("Drug overdose deaths nationwide edged up 1.2% in 2022 from 2021, final CDC data "
         "show.", "1.2%"),
        ("Overdose deaths in the United States fell nearly 24% in 2024 from the year before.",
         "24%"),
        ("Deaths from synthetic opioids such as fentanyl declined 34 percent in 2024 "
         "compared with 2023.", "34 percent"),
        ("Across Canada, apparent opioid toxicity deaths dropped 8.8 per cent in 2024 over "
         "2023, federal figures show.", "8.8 per cent"),
        ("Canada recorded about 9 per cent fewer opioid deaths in 2024 than in 2023.",
         "9 per cent"),
    ],
)  # fmt: skip
def test_a_change_the_held_series_shows_is_supported(
    text: str, quote: str, data: OfficialData
) -> None:
    verdict = headline_verdict(text, quote, data, LATER)
    assert verdict.verdict == "supported", verdict.explanation
    assert verdict.unit == "percent" and len(verdict.citations) == 2


def test_an_implied_base_year_is_a_caveat(data: OfficialData) -> None:
    text = "Overdose deaths rose by about 1% in 2022, the agency said."
    verdict = headline_verdict(text, "1%", data, LATER)
    assert verdict.verdict == "supported-with-caveat", verdict.explanation
    assert "names no base year" in (verdict.caveat or "")


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        # CDC's own 27% compared two provisional counts; the held 2023 count is final.
        ("U.S. overdose deaths dropped 27 percent in 2024 compared with 2023, the CDC "
         "said.", "27 percent"),
        # Against a later release of 2023 than the one held.
        ("Canada saw a 17 per cent decrease in opioid deaths in 2024 compared with 2023.",
         "17 per cent"),
        ("Drug overdose deaths climbed 15% in 2022 from 2021.", "15%"),
    ],
)  # fmt: skip
def test_a_change_off_the_held_series_is_not_called_false(
    text: str, quote: str, data: OfficialData
) -> None:
    verdict = headline_verdict(text, quote, data, LATER)
    assert verdict.verdict == "unverifiable", verdict.explanation
    assert "revised" in verdict.explanation and verdict.expected is not None


def test_the_wrong_direction_against_a_large_change_is_contradicted(data: OfficialData) -> None:
    text = "Overdose deaths rose 30% in 2024 compared with 2023, a state senator claimed."
    verdict = headline_verdict(text, "30%", data, LATER)
    assert verdict.verdict == "contradicted", verdict.explanation
    assert verdict.expected == pytest.approx(-23.44, abs=0.01)


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("Overdose deaths fell 25% in 2024 from their 2022 peak.", "25%"),  # not year on year
        ("The overdose death rate fell 26.2% in 2024 from 2023.", "26.2%"),  # a rate
        ("Overdose deaths among teenagers fell 20% in 2024 from 2023.", "20%"),  # a part
        ("Fentanyl seizures at the border fell 50% in 2024 from 2023.", "50%"),  # no deaths
        ("Overdose deaths fell 10% in the first half of 2024 from a year earlier.", "10%"),
    ],
)  # fmt: skip
def test_other_changes_are_left_alone(text: str, quote: str, data: OfficialData) -> None:
    verdict = headline_verdict(text, quote, data, LATER)
    assert verdict.verdict == "unverifiable"
    assert not verdict.citations or "revised" not in verdict.explanation


def test_a_year_not_over_when_written_is_not_compared(data: OfficialData) -> None:
    text = "Overdose deaths have fallen 20% in 2024 compared with 2023, officials said."
    verdict = headline_verdict(text, "20%", data, date(2024, 8, 1))
    assert verdict.verdict == "unverifiable" and not verdict.citations
