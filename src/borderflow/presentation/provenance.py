"""What a reader must be told beside a chart's numbers: the release files they come from
(the source line under every chart), the period basis in words, the months a partial period
covers, and how much a sum of published cells can miss where small counts are suppressed.

A period the data cover only in part is named with its months ("2025, Jan–Sep only"), so a
nine-month year is never read as a fall; a total summed from cells an agency publishes only
above a threshold says how many cells are missing and how many deaths they can hold."""

from __future__ import annotations

import calendar
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from borderflow.calendars import fiscal_year_words, months_between
from borderflow.datasets import wonder
from borderflow.datasets.points import covered_months
from borderflow.datasets.source import Series, SeriesQuery, Source
from borderflow.store import Store
from borderflow.store.observations import observations, releases

# CDC WONDER exports by state: its State dimension has the 50 states and the District of
# Columbia, and it suppresses counts from 1 to 9, which the exports here leave out.
WONDER_SOURCES = frozenset((wonder.FINAL.name, wonder.PROVISIONAL.name))
WONDER_STATES = wonder.STATES
WONDER_LARGEST_SUPPRESSED = wonder.LARGEST_SUPPRESSED

_UNIT_WORDS = {"lb": "pounds", "kg": "kilograms"}


def unit_words(unit: str) -> str:
    """A column's unit as a title says it: "lb" is "pounds"."""
    return _UNIT_WORDS.get(unit, unit)


def basis_words(by: str, records: Sequence[Mapping[str, Any]] = ()) -> str:
    """What one point of a series stands for, to follow "per": "calendar year", "U.S.
    fiscal year (October–September)"; CDC VSRR's months are 12-month-ending counts."""
    if by == "month" and any(r.get("basis") == "rolling" for r in records):
        return "12 months ending in each month"
    return {
        "fy": f"U.S. fiscal year ({fiscal_year_words()})",
        "calendar-year": "calendar year",
        "quarter": "calendar quarter",
        "month": "month",
    }.get(by, by)


# -- release files ----------------------------------------------------------------------------
def files_used(
    store: Store, source: Source, series: Series, query: SeriesQuery,
    records: Sequence[Mapping[str, Any]],
) -> set[str]:  # fmt: skip
    """The release files a series' points were read from: named on each point where the
    series keeps it, otherwise those whose observations match the request's filters
    (overlapping releases leave each observation to the newest, so an old file that no
    longer supplies a figure is not named)."""
    named = {str(r["release"]) for r in records if r.get("release")}
    if named:
        return named
    measure = next((f.measure for f in series.filters if f.measure), None)
    if measure is None or not records:
        return {r.file_name for r in releases(store, source.name)}
    filters = {
        f.column: value
        for f in series.filters
        if f.column and isinstance(value := query.values.get(f.name), str)
    }
    first, last = str(records[0].get("start", "")), str(records[-1].get("end", "9999"))
    found = {
        o.release
        for o in observations(store, source=source.name, measure=measure, filters=filters)
        if o.period_end.isoformat() >= first and o.period_start.isoformat() <= last
    }
    return found | _leaving_out(store, source, [r for r in records if r.get("suppressed_cells")])


def _leaving_out(store: Store, source: Source, records: Sequence[Mapping[str, Any]]) -> set[str]:
    """The releases that left out the suppressed cells of these periods: for each month,
    the newest release covering it (the one whose figures the store keeps there). A
    period of Wyoming's with every cell suppressed comes from the file that covers it
    even though no row of that file names Wyoming."""
    ranked = [r for r in releases(store, source.name) if r.coverage_start and r.coverage_end]
    files = set()
    for record in records:
        start, end = (date.fromisoformat(str(record[k])) for k in ("start", "end"))
        for month in months_between(start, end):
            covering = [
                r.file_name
                for r in ranked
                if r.coverage_start and r.coverage_end
                and r.coverage_start <= month <= r.coverage_end
            ]  # fmt: skip
            files.update(covering[-1:])
    return files


def source_line(store: Store, source: Source, files: Collection[str]) -> str:
    """The source, then each release file read with the day it was imported: "CDC VSRR
    provisional overdose death counts, API export (dataset xkb8-kh2a), release file
    cdc_api_provisional_overdose_counts.csv (imported 2026-11-30)"."""
    chosen = [r for r in releases(store, source.name) if r.file_name in files]
    if not chosen:
        return f"{source.description} (no release file imported)"
    by_day: dict[str, list[str]] = {}
    for release in chosen:
        by_day.setdefault(release.imported_at.date().isoformat(), []).append(release.file_name)
    parts = [
        f"{'release file' if len(names) == 1 else 'release files'} {_and(names)} (imported {day})"
        for day, names in by_day.items()
    ]
    return f"{source.description}, {'; '.join(parts)}"


def _and(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


# -- partial periods ---------------------------------------------------------------------------
def _month(day: date) -> str:
    return calendar.month_abbr[day.month]


def partial_label(period: str, first: date, last: date) -> str:
    """A partial period with the months it covers: "2025, Jan–Sep only", "FY2026,
    Oct–Dec 2025 only"."""
    if (first.year, first.month) == (last.year, last.month):
        span = f"{_month(first)} {first.year}"
    elif first.year == last.year:
        span = f"{_month(first)}–{_month(last)} {last.year}"
    else:
        span = f"{_month(first)} {first.year}–{_month(last)} {last.year}"
    if period == str(last.year):
        span = span.removesuffix(f" {last.year}")
    return f"{period}, {span} only"


def months_only(label: str) -> str:
    """A partial period's months without its name, for a table row that names it:
    "Oct–Dec 2025 only" of "FY2026, Oct–Dec 2025 only"."""
    return label.partition(", ")[2]


def partial_labels(
    store: Store, source: str, records: Iterable[Mapping[str, Any]]
) -> dict[str, str]:
    """Each partial period of a series (by its label) with the months the source's
    releases cover in it; a period whose months cannot be told says "part of the period"."""
    wanted = [r for r in records if r.get("partial")]
    if not wanted:
        return {}
    months = covered_months(store, source)
    labels = {}
    for record in wanted:
        start = date.fromisoformat(str(record["start"]))
        end = date.fromisoformat(str(record["end"]))
        inside = sorted(m for m in months if start <= m <= end)
        period = str(record["period"])
        labels[period] = (
            partial_label(period, inside[0], inside[-1])
            if inside
            else f"{period}, part of the period only"
        )
    return labels


# -- suppressed cells --------------------------------------------------------------------------
def missing_cells(store: Store, source: str, query: SeriesQuery) -> dict[str, tuple[int, int]]:
    """For a CDC WONDER series, each period's state-month cells left out (counts under 10
    are suppressed) and the cells the period has: the sum is short by up to 9 deaths for
    each missing cell. Empty for any other source."""
    if source not in WONDER_SOURCES:
        return {}
    points = wonder.wonder_deaths(
        store, source=source, state=query.text("jurisdiction"),
        substance=query.text("substance") or "synthetic opioids", by=query.by,
    )  # fmt: skip
    return {p.period: (p.suppressed_cells, p.cells) for p in points}
