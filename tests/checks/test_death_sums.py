"""Death counts over several whole years are judged against the sum of those years
(`checks.death_sums`), never against one year, and only when every year is held.
Sentences written for these tests; figures from the bundled CDC series."""

from __future__ import annotations

from datetime import date

import pytest

from borderflow.checks.data import OfficialData
from tests.checks.judged import headline_verdict

DAY = date(2024, 12, 7)


def _sum(data: OfficialData, first: int, last: int) -> float:
    return sum(data.us_deaths_by_substance["synthetic opioids"][y] for y in range(first, last + 1))


def test_a_total_over_whole_years_is_judged_against_their_sum(data: OfficialData) -> None:
    text = (
        "More than 210,000 Americans died of overdoses involving synthetic opioids from "
        "2021 to 2023."
    )
    verdict = headline_verdict(text, "210,000", data, DAY)
    assert verdict.verdict == "supported", verdict.explanation
    assert verdict.expected == pytest.approx(_sum(data, 2021, 2023))
    assert len(verdict.citations) == 3  # one per year summed


def test_a_total_far_above_the_sum_is_contradicted(data: OfficialData) -> None:
    text = "From 2021 to 2023, 500,000 Americans died of overdoses involving synthetic opioids."
    assert headline_verdict(text, "500,000", data, DAY).verdict == "contradicted"


def test_a_span_with_years_not_held_is_not_summed(data: OfficialData) -> None:
    first = min(data.us_deaths_by_substance["synthetic opioids"]) - 2
    text = (
        f"Over 300,000 people died from overdoses involving synthetic opioids from {first} "
        "to 2022, federal data show."
    )
    verdict = headline_verdict(text, "300,000", data, DAY)
    assert verdict.verdict == "unverifiable" and f"no figure for {first}" in verdict.explanation


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("Deaths involving synthetic opioids peaked at 74,829 between 2020 and 2023.", "74,829"),
        ("Overdose deaths hit a record of nearly 108,000 between 2021 and 2023.", "108,000"),
        ("Yearly overdose deaths ranged from 105,000 to 108,000 between 2021 and 2023.",
         "108,000"),
    ],
)  # fmt: skip
def test_a_peak_or_level_over_a_span_is_not_a_total(
    text: str, quote: str, data: OfficialData
) -> None:
    assert "summed" not in headline_verdict(text, quote, data, DAY).explanation


def test_a_span_not_over_when_written_is_not_summed(data: OfficialData) -> None:
    text = (
        "From 2022 to 2024, about 200,000 Americans died of overdoses involving synthetic opioids."
    )
    verdict = headline_verdict(text, "200,000", data, date(2024, 6, 10))
    assert "summed" not in verdict.explanation


def test_a_yearly_rate_over_a_span_is_not_a_total(data: OfficialData) -> None:
    text = "From 2021 to 2023, about 70,000 Americans died each year from synthetic opioids."
    assert "summed" not in headline_verdict(text, "70,000", data, DAY).explanation
