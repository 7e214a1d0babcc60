"""Months, fiscal years and period buckets: the one home of the calendar rules.

Agencies publish by month, by U.S. fiscal year (CBP: October to September), by Canadian
fiscal year (CBSA: April to March), by quarter or by 12 months ending in a month (CDC
VSRR). Every layer that turns months into periods asks this module, and the months a
fiscal year starts in are read from the vocabulary (`vocab/periods.yaml`, with their legal
sources), so the October start is written down once.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

from borderflow.vocab import load_vocabulary

PeriodBy = Literal["fy", "calendar-year", "quarter", "month"]
BY_CHOICES: tuple[str, ...] = get_args(PeriodBy)
US_FISCAL = "us_fiscal"

# Month numbers by the names agencies print: "OCT" (CBP), "October" (CDC), "Oct" (PHAC).
MONTH_BY_ABBR = {m.upper(): i for i, m in enumerate(calendar.month_abbr) if m}
MONTH_BY_NAME = {m: i for i, m in enumerate(calendar.month_name) if m}


def fiscal_start_month(basis: str = US_FISCAL) -> int:
    """The month a fiscal year of `basis` (us_fiscal, ca_fiscal) starts in."""
    starts = load_vocabulary().fiscal_years
    if basis not in starts:
        raise ValueError(f"unknown fiscal basis {basis!r} (known: {', '.join(starts)})")
    return starts[basis]


def fiscal_year_words(basis: str = US_FISCAL) -> str:
    """The months a fiscal year runs, in words: "October–September"."""
    start = fiscal_start_month(basis)
    return f"{calendar.month_name[start]}–{calendar.month_name[(start - 2) % 12 + 1]}"


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def months_between(start: date, end: date) -> list[date]:
    """First days of every month from `start`'s month to `end`'s, inclusive."""
    out, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def fiscal_year_of(day: date, basis: str = US_FISCAL) -> int:
    """The fiscal year holding `day`, named by the calendar year it ends in."""
    start = fiscal_start_month(basis)
    return day.year + 1 if start > 1 and day.month >= start else day.year


def fiscal_year_span(fiscal_year: int, basis: str = US_FISCAL) -> tuple[date, date]:
    """First and last day of fiscal year `fiscal_year` (FY2024 = 2023-10-01..2024-09-30)."""
    return span_of_fiscal_year(fiscal_year, fiscal_start_month(basis))


def span_of_fiscal_year(fiscal_year: int, start_month: int) -> tuple[date, date]:
    """The same for a fiscal year starting in `start_month`, for callers that read the
    start from a vocabulary of their own (the extractor can be given one)."""
    if start_month == 1:
        return date(fiscal_year, 1, 1), date(fiscal_year, 12, 31)
    return date(fiscal_year - 1, start_month, 1), month_end(fiscal_year, start_month - 1)


def fiscal_year_months(fiscal_year: int, basis: str = US_FISCAL) -> list[date]:
    return months_between(*fiscal_year_span(fiscal_year, basis))


def fiscal_month(fiscal_year: int, month: int, basis: str = US_FISCAL) -> date:
    """First day of `month` in `fiscal_year` (October of FY2024 is October 2023)."""
    start = fiscal_start_month(basis)
    return date(fiscal_year - 1 if start > 1 and month >= start else fiscal_year, month, 1)


def rolling_year(year: int, month: int) -> tuple[date, date]:
    """The 12 months ending with `month` of `year` (CDC VSRR's "12 month-ending" counts)."""
    end = month_end(year, month)
    start = date(year - 1, month + 1, 1) if month < 12 else date(year, 1, 1)
    return start, end


def quarter_span(year: int, quarter: int) -> tuple[date, date]:
    return date(year, 3 * quarter - 2, 1), month_end(year, 3 * quarter)


def is_calendar_year(start: date, end: date) -> bool:
    return start.year == end.year and (start.month, start.day, end.month, end.day) == (
        1,
        1,
        12,
        31,
    )


@dataclass(frozen=True, slots=True)
class Bucket:
    """The period of `by` holding a month: label, span, basis and how many months it has."""

    label: str
    start: date
    end: date
    basis: str
    expected_months: int


def bucket(month: date, by: str) -> Bucket:
    """The period of kind `by` (fy, calendar-year, quarter, month) that holds `month`."""
    y, m = month.year, month.month
    if by == "fy":
        fy = fiscal_year_of(month)
        return Bucket(f"FY{fy}", *fiscal_year_span(fy), US_FISCAL, 12)
    if by == "calendar-year":
        return Bucket(str(y), date(y, 1, 1), date(y, 12, 31), "calendar", 12)
    if by == "quarter":
        q = (m - 1) // 3 + 1
        return Bucket(f"{y}-Q{q}", *quarter_span(y, q), "quarter", 3)
    if by == "month":
        return Bucket(f"{y}-{m:02d}", date(y, m, 1), month_end(y, m), "month", 1)
    raise ValueError(f"unknown period {by!r} (expected one of {', '.join(BY_CHOICES)})")


@dataclass(frozen=True, slots=True)
class CoveredPeriod:
    """A period with the number of its months the data cover: fewer than expected is a
    partial period (the fiscal year in progress), which must never be read as a fall."""

    label: str
    start: date
    end: date
    basis: str
    months: int
    expected: int

    @property
    def partial(self) -> bool:
        return self.months < self.expected


def sum_by_period(
    coverage: Iterable[date], by: str, *monthly: Mapping[date, float]
) -> list[tuple[CoveredPeriod, tuple[float, ...]]]:
    """Sum monthly values into periods of `by`, counting the months the data cover; a
    covered month with no value counts as zero (the agency published nothing seized)."""
    sums: dict[str, list[float]] = {}
    shape: dict[str, Bucket] = {}
    covered: dict[str, int] = defaultdict(int)
    for month in sorted(set(coverage)):
        found = bucket(month, by)
        shape.setdefault(found.label, found)
        totals = sums.setdefault(found.label, [0.0] * len(monthly))
        for i, series in enumerate(monthly):
            totals[i] += series.get(month, 0.0)
        covered[found.label] += 1
    return [
        (
            CoveredPeriod(label, b.start, b.end, b.basis, covered[label], b.expected_months),
            tuple(sums[label]),
        )
        for label, b in sorted(shape.items(), key=lambda item: item[1].start)
    ]


def add_months(day: date, months: int) -> date:
    """`day` moved by `months` calendar months, the day clamped to the month's length
    (31 March minus one month is 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    y, m = divmod(index, 12)
    return date(y, m + 1, min(day.day, calendar.monthrange(y, m + 1)[1]))


def months_ending(year: int, month: int, count: int) -> tuple[date, date]:
    """The `count` whole months ending with `month` of `year` ("the six months to June")."""
    return add_months(date(year, month, 1), 1 - count), month_end(year, month)


def shift_span(span: tuple[date, date], months: int) -> tuple[date, date]:
    """The same stretch of the calendar `months` later (earlier when negative): the base of
    "up from 2.5 pounds the year before" is the figure's own period moved by -12. A span
    ending on a month's last day keeps doing so (February of a leap year)."""
    start, end = span
    moved_end = add_months(end, months)
    if end == month_end(end.year, end.month):
        moved_end = month_end(moved_end.year, moved_end.month)
    return add_months(start, months), moved_end


def latest_month(published: date, month: int) -> int:
    """The year of the latest `month` that began on or before `published`: "in March"
    written in June 2025 is March 2025, written in February 2025 it is March 2024."""
    return published.year if month <= published.month else published.year - 1
