"""Series from stored observations: one function per question, used by the CLI, the claim
checks and the model.

Periods are built from months: U.S. fiscal year 2024 is October 2023 to September 2024, and
October 2023 also belongs to calendar 2023. A period the data only partly cover (the fiscal
year in progress, the first calendar year of a fiscal-year file) is marked `partial`.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Literal

from borderflow.datasets.model import LB_TO_KG
from borderflow.store import Store
from borderflow.store.observations import observations, releases, sums_by_period

PeriodBy = Literal["fy", "calendar-year", "quarter", "month"]
BY_CHOICES: tuple[str, ...] = ("fy", "calendar-year", "quarter", "month")


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    """One period of a series. `months` of `expected_months` are covered by the data."""

    period: str
    start: date
    end: date
    basis: str
    value: float
    unit: str
    value_kg: float | None
    events: float | None
    months: int
    expected_months: int
    partial: bool

    def as_record(self) -> dict[str, Any]:
        return _record(self)


def _record(point: Any) -> dict[str, Any]:
    """A series point as a JSON-ready dict (dates as ISO strings)."""
    record = asdict(point)
    record["start"], record["end"] = point.start.isoformat(), point.end.isoformat()
    return record


def _bucket(month: date, by: str) -> tuple[str, date, date, str, int]:
    """(label, start, end, basis, months in the period) of the period holding `month`."""
    y, m = month.year, month.month
    if by == "fy":
        fy = y + 1 if m >= 10 else y
        return f"FY{fy}", date(fy - 1, 10, 1), date(fy, 9, 30), "us_fiscal", 12
    if by == "calendar-year":
        return str(y), date(y, 1, 1), date(y, 12, 31), "calendar", 12
    if by == "quarter":
        q = (m - 1) // 3 + 1
        end_month = 3 * q
        return (
            f"{y}-Q{q}",
            date(y, end_month - 2, 1),
            date(y, end_month, calendar.monthrange(y, end_month)[1]),
            "quarter",
            3,
        )
    if by == "month":
        return f"{y}-{m:02d}", date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1]), "month", 1
    raise ValueError(f"unknown period basis {by!r} (expected one of {', '.join(BY_CHOICES)})")


@dataclass(frozen=True, slots=True)
class _Period:
    label: str
    start: date
    end: date
    basis: str
    months: int
    expected: int

    @property
    def partial(self) -> bool:
        return self.months < self.expected


def _periods(
    coverage: set[date], by: str, *monthly: dict[date, float]
) -> list[tuple[_Period, tuple[float, ...]]]:
    """Sum monthly values into periods of `by`, counting the months the data cover."""
    sums: dict[str, list[float]] = {}
    shape: dict[str, tuple[date, date, str, int]] = {}
    covered: dict[str, int] = defaultdict(int)
    for month in sorted(coverage):
        label, start, end, basis, expected = _bucket(month, by)
        shape.setdefault(label, (start, end, basis, expected))
        totals = sums.setdefault(label, [0.0] * len(monthly))
        for i, series in enumerate(monthly):
            totals[i] += series.get(month, 0.0)
        covered[label] += 1
    return [
        (_Period(label, *shape[label][:3], covered[label], shape[label][3]), tuple(sums[label]))
        for label in sorted(shape, key=lambda k: shape[k][0])
    ]


def _months(start: date, end: date) -> Iterable[date]:
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        yield date(y, m, 1)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def covered_months(store: Store, source: str) -> set[date]:
    """Months any release of `source` covers."""
    months: set[date] = set()
    for release in releases(store, source):
        if release["coverage_start"] and release["coverage_end"]:
            months.update(_months(release["coverage_start"], release["coverage_end"]))
    return months


def cbp_seizures(
    store: Store,
    *,
    substance: str = "fentanyl",
    region: str | None = None,
    land_only: bool = False,
    component: str | None = None,
    by: str = "fy",
    source: str = "cbp",
) -> list[SeriesPoint]:
    """CBP seizures of `substance` (pounds, kilograms and events) by period.

    `region` is CBP's Region ("Northern Border", "Southwest Border", "Coastal/Interior");
    `land_only` keeps Land Filter = Land Only (CBP's "Northern Land Border" figure);
    `component` is "Office of Field Operations" or "U.S. Border Patrol". `source="cbp-amo"`
    gives the separate Air and Marine Operations series, never mixed into the other."""
    filters: dict[str, Any] = {}
    if region:
        filters["region"] = region
    if land_only:
        filters["land_filter"] = "Land Only"
    if component:
        filters["component"] = component
    pounds = sums_by_period(
        store, source=source, measure="seizure_weight", substance=substance, filters=filters
    )
    events = sums_by_period(
        store, source=source, measure="seizure_events", substance=substance, filters=filters
    )
    return [
        SeriesPoint(
            p.label,
            p.start,
            p.end,
            p.basis,
            round(lb, 6),
            "lb",
            round(lb * LB_TO_KG, 6),
            n_events,
            p.months,
            p.expected,
            p.partial,
        )
        for p, (lb, n_events) in _periods(covered_months(store, source), by, pounds, events)
    ]


@dataclass(frozen=True, slots=True)
class DeathsPoint:
    """Deaths in the 12 months ending `end` (a calendar year when `end` is 31 December)."""

    period: str
    start: date
    end: date
    basis: str
    deaths: float | None
    predicted: float | None
    suppressed: bool
    state: str | None
    release: str | None = None
    line: int | None = None

    def as_record(self) -> dict[str, Any]:
        return _record(self)


def us_overdose_deaths(
    store: Store,
    *,
    substance: str = "synthetic opioids",
    jurisdiction: str = "US",
    by: str = "calendar-year",
) -> list[DeathsPoint]:
    """U.S. overdose deaths from CDC VSRR: `jurisdiction` is a state code, `US` (national) or
    `YC` (New York City). `by="month"` gives every 12-month-ending count; `calendar-year`
    keeps the counts ending in December, which are calendar-year totals."""
    if by not in ("month", "calendar-year"):
        raise ValueError("deaths series are by month (12-month-ending) or calendar-year")
    reported = observations(
        store,
        source="cdc-vsrr",
        measure="deaths",
        substance=substance,
        filters={"area": jurisdiction},
    )
    predicted = {
        o["key"]: o["value"]
        for o in observations(
            store,
            source="cdc-vsrr",
            measure="deaths_predicted",
            substance=substance,
            filters={"area": jurisdiction},
        )
    }
    points = []
    for obs in sorted(reported, key=lambda o: o["period_end"]):
        end = obs["period_end"]
        if by == "calendar-year" and end.month != 12:
            continue
        label = str(end.year) if by == "calendar-year" else f"{end.year}-{end.month:02d}"
        points.append(
            DeathsPoint(
                label,
                obs["period_start"],
                end,
                "rolling",
                obs["value"],
                predicted.get(obs["key"]),
                obs["suppressed"],
                obs["state"],
                obs["file_name"],
                obs["line"],
            )
        )
    return points


def wonder_deaths(
    store: Store,
    *,
    source: str = "cdc-wonder",
    state: str | None = None,
    substance: str = "synthetic opioids",
    by: str = "calendar-year",
) -> list[SeriesPoint]:
    """Deaths from CDC WONDER by period, for one state (its code, e.g. "06") or summed over
    the published state-month cells (suppressed small counts are absent, so the sum is a
    lower bound of the national count)."""
    filters = {"area": state} if state else {}
    monthly = sums_by_period(
        store, source=source, measure="deaths", substance=substance, filters=filters
    )
    return [
        SeriesPoint(
            p.label,
            p.start,
            p.end,
            p.basis,
            deaths,
            "deaths",
            None,
            None,
            p.months,
            p.expected,
            p.partial,
        )
        for p, (deaths,) in _periods(covered_months(store, source), by, monthly)
    ]


@dataclass(frozen=True, slots=True)
class CanadaPoint:
    """Apparent opioid toxicity deaths in Canada (or a province) for one period."""

    period: str
    start: date
    end: date
    deaths: float | None
    rate_per_100k: float | None
    fentanyl_share: float | None
    partial: bool
    suppressed: bool
    release: str | None = None
    line: int | None = None

    def as_record(self) -> dict[str, Any]:
        return _record(self)


def canada_opioid_deaths(
    store: Store, *, region: str = "Canada", by: str = "calendar-year"
) -> list[CanadaPoint]:
    """PHAC's apparent opioid toxicity deaths by year (or quarter) for `region` ("Canada" or
    a province), with the crude rate and, by year, the percentage involving fentanyl. A
    year PHAC publishes only in part ("2025 (Jan to Sep)") is marked partial."""
    basis = {"calendar-year": "calendar", "quarter": "quarter"}.get(by)
    if basis is None:
        raise ValueError("Canadian deaths are by calendar-year or quarter")
    base = {"region": region, "component": "Overall numbers", "period_basis": basis}
    counts = observations(store, source="phac", measure="deaths", substance="opioids", filters=base)
    rates = {
        (o["period_start"], o["period_end"]): o["value"]
        for o in observations(
            store, source="phac", measure="deaths_rate", substance="opioids", filters=base
        )
    }
    shares = {
        (o["period_start"], o["period_end"]): o["value"]
        for o in observations(
            store,
            source="phac",
            measure="deaths_percent",
            substance="opioids",
            filters={"region": region, "component": "Type of opioids", "period_basis": basis},
        )
        if (o["area"] or "").endswith("|Fentanyl")
    }
    points = []
    for obs in sorted(counts, key=lambda o: o["period_start"]):
        start, end = obs["period_start"], obs["period_end"]
        if basis == "calendar":
            label, full = str(start.year), (start.month, end.month, end.day) == (1, 12, 31)
        else:
            label, full = f"{start.year}-Q{(start.month - 1) // 3 + 1}", True
        points.append(
            CanadaPoint(
                label,
                start,
                end,
                obs["value"],
                rates.get((start, end)),
                shares.get((start, end)),
                not full,
                obs["suppressed"],
                obs["file_name"],
                obs["line"],
            )
        )
    return points


def unodc_seizures(store: Store, *, country: str, substance: str = "fentanyl") -> dict[int, float]:
    """Kilograms of `substance` seized by `country` (ISO3 code, e.g. CAN, USA, MEX) per year
    in UNODC's annex, adding up the several rows a country may report for one drug."""
    totals: dict[int, float] = defaultdict(float)
    for obs in observations(
        store,
        source="unodc",
        measure="seizure_weight",
        substance=substance,
        filters={"country": country},
    ):
        totals[obs["period_start"].year] += obs["value"] or 0.0
    return dict(sorted(totals.items()))


def official_headlines(store: Store) -> list[str]:
    """One line each for the headline figures of the series in the store (for summaries)."""
    lines = []
    north = {p.period: p for p in cbp_seizures(store, region="Northern Border", land_only=True)}
    south = {p.period: p for p in cbp_seizures(store, region="Southwest Border", land_only=True)}
    complete = [label for label, p in north.items() if not p.partial]
    if complete:
        last = complete[-1]
        lines.append(
            f"CBP fentanyl seizures {last}: northern land border {north[last].value:,.2f} "
            f"lb, southwest land border {south[last].value:,.0f} lb"
        )
    deaths = [p for p in us_overdose_deaths(store) if p.deaths is not None]
    if deaths:
        lines.append(
            f"U.S. synthetic-opioid deaths {deaths[-1].period}: {deaths[-1].deaths:,.0f} "
            "(CDC VSRR, provisional)"
        )
    canada = [p for p in canada_opioid_deaths(store) if not p.partial and p.deaths is not None]
    if canada:
        c = canada[-1]
        share = f", {c.fentanyl_share:.0f}% involving fentanyl" if c.fentanyl_share else ""
        lines.append(
            f"Canadian apparent opioid toxicity deaths {c.period}: {c.deaths:,.0f}{share} (PHAC)"
        )
    return lines


SERIES_SOURCES = ("cbp", "cbp-amo", "cdc-vsrr", "cdc-wonder", "cdc-wonder-provisional", "phac")
Columns = tuple[tuple[str, str], ...]


def series_table(
    store: Store,
    *,
    source: str = "cbp",
    substance: str = "fentanyl",
    region: str | None = None,
    land_only: bool = False,
    component: str | None = None,
    jurisdiction: str | None = None,
    by: str = "fy",
) -> tuple[list[dict[str, Any]], Columns]:
    """Any stored series as records plus (field, heading) columns, for the CLI's
    `data series`, the web app's series explorer and its API. Raises ValueError on a
    source or period it does not know. Deaths have no fiscal years: `fy` means calendar."""
    if by not in BY_CHOICES:
        raise ValueError(f"period must be one of {', '.join(BY_CHOICES)}")
    if source not in SERIES_SOURCES:
        raise ValueError(f"source must be one of {', '.join(SERIES_SOURCES)}")
    deaths_by = "calendar-year" if by == "fy" else by
    deaths_substance = "synthetic opioids" if substance == "fentanyl" else substance
    if source in ("cbp", "cbp-amo"):
        points = cbp_seizures(
            store, substance=substance, region=region, land_only=land_only,
            component=component, by=by, source=source,
        )  # fmt: skip
        return [p.as_record() for p in points], (
            ("period", "period"), ("value", "lb"), ("value_kg", "kg"), ("events", "events"),
            ("months", "months"), ("partial", "partial"),
        )  # fmt: skip
    if source == "cdc-vsrr":
        deaths = us_overdose_deaths(
            store, substance=deaths_substance, jurisdiction=jurisdiction or "US", by=deaths_by
        )
        return [p.as_record() for p in deaths], (
            ("period", "period"), ("start", "from"), ("end", "to"), ("deaths", "deaths"),
            ("predicted", "predicted"), ("suppressed", "suppressed"),
        )  # fmt: skip
    if source == "phac":
        canada = canada_opioid_deaths(store, region=region or "Canada", by=deaths_by)
        return [p.as_record() for p in canada], (
            ("period", "period"), ("deaths", "deaths"), ("rate_per_100k", "per 100k"),
            ("fentanyl_share", "% fentanyl"), ("partial", "partial"),
        )  # fmt: skip
    wonder = wonder_deaths(
        store, source=source, state=jurisdiction, substance=deaths_substance, by=deaths_by
    )
    return [p.as_record() for p in wonder], (
        ("period", "period"), ("value", "deaths"), ("months", "months"), ("partial", "partial"),
    )  # fmt: skip
