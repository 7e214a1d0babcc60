"""The calendar rules every layer asks: fiscal years of both countries, month buckets,
coverage of partial periods, and the one pound factor."""

from __future__ import annotations

from datetime import date

import pint
import pytest

from borderflow.calendars import (
    bucket,
    fiscal_month,
    fiscal_start_month,
    fiscal_year_months,
    fiscal_year_of,
    fiscal_year_span,
    fiscal_year_words,
    months_between,
    rolling_year,
    sum_by_period,
)
from borderflow.units import LB_TO_KG, kg_to_lb
from borderflow.vocab import load_vocabulary


def test_fiscal_years_follow_the_vocabulary() -> None:
    starts = load_vocabulary().fiscal_years
    assert fiscal_start_month("us_fiscal") == starts["us_fiscal"] == 10
    assert fiscal_start_month("ca_fiscal") == starts["ca_fiscal"] == 4
    with pytest.raises(ValueError, match="unknown fiscal basis 'mx_fiscal'"):
        fiscal_start_month("mx_fiscal")


@pytest.mark.parametrize(
    ("day", "basis", "year"),
    [
        (date(2023, 9, 30), "us_fiscal", 2023),
        (date(2023, 10, 1), "us_fiscal", 2024),
        (date(2024, 3, 31), "ca_fiscal", 2024),
        (date(2024, 4, 1), "ca_fiscal", 2025),
    ],
)
def test_the_fiscal_year_holding_a_day(day: date, basis: str, year: int) -> None:
    assert fiscal_year_of(day, basis) == year
    start, end = fiscal_year_span(year, basis)
    assert start <= day <= end


def test_spans_months_and_words() -> None:
    assert fiscal_year_span(2024) == (date(2023, 10, 1), date(2024, 9, 30))
    assert fiscal_year_span(2024, "ca_fiscal") == (date(2023, 4, 1), date(2024, 3, 31))
    months = fiscal_year_months(2024)
    assert len(months) == 12 and months[0] == date(2023, 10, 1) and months[-1] == date(2024, 9, 1)
    assert fiscal_month(2024, 10) == date(2023, 10, 1) and fiscal_month(2024, 9) == date(2024, 9, 1)
    assert fiscal_year_words() == "October–September"
    assert fiscal_year_words("ca_fiscal") == "April–March"
    assert rolling_year(2023, 12) == (date(2023, 1, 1), date(2023, 12, 31))
    assert rolling_year(2024, 2) == (date(2023, 3, 1), date(2024, 2, 29))
    assert months_between(date(2023, 11, 15), date(2024, 1, 2)) == [
        date(2023, 11, 1),
        date(2023, 12, 1),
        date(2024, 1, 1),
    ]


def test_buckets_and_partial_periods() -> None:
    october = date(2023, 10, 1)
    assert bucket(october, "fy").label == "FY2024"
    assert bucket(october, "calendar-year").label == "2023"
    assert bucket(october, "quarter").label == "2023-Q4"
    assert bucket(october, "month").end == date(2023, 10, 31)
    with pytest.raises(ValueError, match="unknown period 'decade'"):
        bucket(october, "decade")
    # Three months of FY2024 and nothing else: a partial year, summed as it stands.
    covered = [date(2023, 10, 1), date(2023, 11, 1), date(2023, 12, 1)]
    [(period, (total,))] = sum_by_period(covered, "fy", {date(2023, 11, 1): 5.0})
    assert (period.label, period.months, period.partial, total) == ("FY2024", 3, True, 5.0)


def test_the_pound_is_pints_pound() -> None:
    registry = pint.UnitRegistry()
    assert registry.Quantity(1, "lb").to("kg").magnitude == pytest.approx(LB_TO_KG, rel=1e-15)
    assert kg_to_lb(15.794) == pytest.approx(34.82, abs=1e-3)  # CBP FY2024, in kg
