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
from borderflow.checks.runner import check_claims, headline
from tests.checks.judged import headline_verdict, stored_claims

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
        ("Nationwide, overdose deaths went down 2.7 percent between 2022 and 2023.", "2.7"),
        ("Year over year, fentanyl deaths jumped 25% in 2021, federal figures show.", "25%"),
        # A CDC office or data system credited, CDC's predicted counts, a month named.
        ("Final figures from the National Center for Health Statistics show overdose deaths "
         "fell 23.4% in 2024 from 2023.", "23.4%"),
        ("Predicted drug overdose deaths dropped about 23% in 2024 compared with the average "
         "in 2023, the National Vital Statistics System reported.", "about 23%"),
        ("U.S. overdose deaths fell 23 percent in 2024 from 2023, CDC data released in May "
         "show.", "23 percent"),
        ("The CDC estimates that overdose deaths fell about 23% in 2024 compared with 2023.",
         "about 23%"),
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
        # CDC's own 27% (two provisional counts), credited to its data system.
        ("A provisional release from CDC's National Vital Statistics System shows a 27 "
         "percent decrease in U.S. drug overdose deaths in 2024.", "27"),
        ("There was a decrease of nearly 27% in predicted drug overdose deaths in 2024 "
         "compared to the average in 2023, said the National Center for Injury Prevention "
         "and Control.", "27%"),
    ],
)  # fmt: skip
def test_a_change_off_the_held_series_is_not_called_false(
    text: str, quote: str, data: OfficialData
) -> None:
    verdict = headline_verdict(text, quote, data, LATER)
    assert verdict.verdict == "unverifiable", verdict.explanation
    assert "revised" in verdict.explanation and verdict.expected is not None


def test_even_the_wrong_direction_is_shown_not_called_false(data: OfficialData) -> None:
    # A text can compare other releases or series; what the held series says is shown.
    text = "Overdose deaths rose 30% in 2024 compared with 2023, a state senator claimed."
    verdict = headline_verdict(text, "30%", data, LATER)
    assert verdict.verdict == "unverifiable", verdict.explanation
    assert verdict.expected == pytest.approx(-23.44, abs=0.01)
    assert "-23.4%" in verdict.explanation and "+30%" in verdict.explanation


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("Overdose deaths fell 25% in 2024 from their 2022 peak.", "25%"),  # not year on year
        ("The overdose death rate fell 26.2% in 2024 from 2023.", "26.2%"),  # a rate
        ("Overdose deaths among teenagers fell 20% in 2024 from 2023.", "20%"),  # a part
        ("Fentanyl seizures at the border fell 50% in 2024 from 2023.", "50%"),  # no deaths
        ("Overdose deaths fell 10% in the first half of 2024 from a year earlier.", "10%"),
        # A state, region or province: the series held are national.
        ("Ohio's overdose deaths went up 12% in 2024 from 2023, state data show.", "12%"),
        ("In West Virginia, overdose deaths climbed 12% in 2024 compared with 2023.", "12%"),
        ("Apparent opioid toxicity deaths in Alberta dropped 15 per cent in 2023 compared "
         "with 2022, the Public Health Agency of Canada reported.", "15 per cent"),
        ("Overdose deaths of people 65 and older rose 12% in 2024 compared with 2023.",
         "12%"),
        # Something other than deaths changed; a share; a rate per head.
        ("Non-fatal overdoses rose 15% in 2024 from 2023, even as deaths fell.", "15%"),
        ("Naloxone distribution grew 30% in 2024 from 2023 as overdose deaths declined.",
         "30%"),
        ("The share of overdose deaths involving fentanyl fell 12 percentage points in 2021 "
         "from 2020.", "12 percentage"),
        ("Overdose deaths per capita rose 12% in 2024 from 2023.", "12%"),
        # A what-if; another drug than the claim was read as; a span of years; a second
        # change with its own base; an upper bound; Canada's fentanyl deaths (computed
        # from a share rounded to 1%).
        ("If overdose deaths rose 20% in 2024 from 2023, hospitals would be overwhelmed.",
         "20%"),
        ("The model predicted deaths to fall 12% in 2024 from 2023.", "12%"),
        ("Analysts expected overdose deaths to drop 10% in 2024 from 2023.", "10%"),
        ("Overdose deaths may have plummeted about 23% in 2024 from 2023, early data "
         "suggest.", "about 23%"),
        ("The predicted drop in overdose deaths, about 23% in 2024 from 2023, has yet to "
         "be confirmed.", "about 23%"),
        ("Overdose deaths involving cocaine rose 12% in 2024 from 2023.", "12%"),
        ("Overdose deaths rose 16% between 2019 and 2021.", "16%"),
        ("Canada's opioid deaths fell 4 per cent in 2022 from 2021, then rose 6 per cent in "
         "2023.", "6 per cent"),
        ("Fentanyl deaths fell as much as 50% in 2024 from 2023.", "50%"),
        ("Fentanyl-related deaths in Canada fell 17 per cent in 2024 from 2023.",
         "17 per cent"),
    ],
)  # fmt: skip
def test_other_changes_are_left_alone(text: str, quote: str, data: OfficialData) -> None:
    claims = stored_claims(text, LATER)
    claim = next(c for c in claims if quote in c.text)
    verdict = headline(check_claims(claims, {1: LATER}, data)).get(claim.id)
    if verdict is not None:  # no verdict at all leaves it alone too
        assert verdict.verdict not in ("supported", "supported-with-caveat", "contradicted")
        assert "revised" not in verdict.explanation, verdict.explanation


def test_a_year_not_over_when_written_is_not_compared(data: OfficialData) -> None:
    text = "Overdose deaths have fallen 20% in 2024 compared with 2023, officials said."
    verdict = headline_verdict(text, "20%", data, date(2024, 8, 1))
    assert verdict.verdict == "unverifiable" and not verdict.citations
