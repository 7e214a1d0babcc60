"""PHAC "Opioid- and Stimulant-related Harms in Canada" (SubstanceHarmsData.csv).

One row per substance x source (deaths, hospitalisations, ED visits, EMS) x measure x region x
period x breakdown, as a number, a crude rate per 100,000 or a percentage. "Suppr." cells
are stored as suppressed and "n/a" as not available, never as zero. Periods are years,
quarters, or a partial year written "2025 (Jan to Sep)".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date

from borderflow.calendars import MONTH_BY_ABBR, month_end, quarter_span
from borderflow.datasets.model import ObservationRecord, ParsedFile
from borderflow.datasets.points import CanadaPoint
from borderflow.datasets.source import BundleRule, CsvLayout, Filter, Series, SeriesQuery, Source
from borderflow.datasets.tabular import Row, parse_rows, rows, substance_of
from borderflow.datasets.validity import CellError, Labels, Periods, Quantity, Validity
from borderflow.records.observations import StoredObservation
from borderflow.store import Store
from borderflow.store.observations import observations

HEADER = (
    "Substance", "Source", "Specific_Measure", "Region", "PRUID", "Time_Period",
    "Year_Quarter", "Aggregator", "Disaggregator", "Unit", "Value",
)  # fmt: skip
NATIONAL = "Canada"
_SOURCES = {
    "Deaths": "deaths",
    "Hospitalizations": "hospitalizations",
    "Emergency Department (ED) Visits": "ed_visits",
    "Emergency Medical Services (EMS)": "ems_responses",
}
_UNITS = {
    "Number": ("", "count"),
    "Crude rate": ("_rate", "per 100,000"),
    "Percent": ("_percent", "percent"),
}
_YEAR = re.compile(r"^([0-9]{4})$")
_QUARTER = re.compile(r"^([0-9]{4}) Q([1-4])$")
_PARTIAL = re.compile(r"^([0-9]{4}) \(([A-Z][a-z]{2}) to ([A-Z][a-z]{2})\)$")
REGIONS = (
    NATIONAL, "British Columbia", "Alberta", "Saskatchewan", "Manitoba", "Ontario", "Quebec",
    "New Brunswick", "Nova Scotia", "Prince Edward Island", "Newfoundland and Labrador",
    "Yukon", "Northwest Territories", "Nunavut", "Territories", "Winnipeg, Manitoba",
    "Northern and rural Manitoba", "Whitehorse, Yukon", "Yellowknife, Northwest Territories",
)  # fmt: skip


def _measures(suffix: str) -> tuple[str, ...]:
    return tuple(measure + suffix for measure in _SOURCES.values())


VALID = Validity(
    quantities=(
        Quantity(_measures(""), "Value", "people", maximum=1_000_000, whole=True),
        Quantity(_measures("_rate"), "Value", "people per 100,000", maximum=100_000),
        Quantity(_measures("_percent"), "Value", "percent", maximum=100),
    ),
    periods=Periods("Year_Quarter", first=2000),
    labels=(
        Labels("Substance", "substance", ("Opioids", "Stimulants")),
        Labels("Source", "source", tuple(_SOURCES)),
        Labels("Unit", "unit", tuple(_UNITS)),
        Labels("Time_Period", "breakdown", ("By year", "By quarter")),
        Labels("Region", "region", REGIONS),
    ),
)


def period(raw: str) -> tuple[date, date, str]:
    """'2023' -> the calendar year; '2023 Q2' -> the quarter; '2025 (Jan to Sep)' -> those
    months (a partial year)."""
    if m := _YEAR.match(raw):
        y = VALID.year(m.group(1))
        return date(y, 1, 1), date(y, 12, 31), "calendar"
    if m := _QUARTER.match(raw):
        return (*quarter_span(VALID.year(m.group(1)), int(m.group(2))), "quarter")
    months = {k.title(): v for k, v in MONTH_BY_ABBR.items()}
    if (m := _PARTIAL.match(raw)) and m.group(2) in months and m.group(3) in months:
        y, first, last = VALID.year(m.group(1)), months[m.group(2)], months[m.group(3)]
        if first <= last:
            return date(y, first, 1), month_end(y, last), "calendar"
    raise CellError(
        "Year_Quarter", f"{raw!r} is not a period", "a year, a quarter such as 2023 Q2 or a "
        "span such as 2025 (Jan to Sep)",
    )  # fmt: skip


def _record(row: Row) -> list[ObservationRecord]:
    source = VALID.label("Source", row.get("Source"))
    unit = VALID.label("Unit", row.get("Unit"))
    VALID.label("Time_Period", row.get("Time_Period"))
    start, end, basis = period(row.get("Year_Quarter"))
    label = VALID.label("Substance", row.get("Substance"))
    region = VALID.label("Region", row.get("Region"))
    measure_suffix, unit_name = _UNITS[unit]
    measure = _SOURCES[source] + measure_suffix
    raw = row.get("Value")
    suppressed = raw.lower().startswith("suppr")
    missing = suppressed or raw.lower() in ("n/a", "na", "")
    value = None if missing else VALID.figure(measure, raw, "Value")
    parts = [label, source] + [
        row.get(c)
        for c in ("Specific_Measure", "Region", "Time_Period", "Year_Quarter", "Aggregator",
                  "Disaggregator", "Unit")
    ]  # fmt: skip
    breakdown = "|".join(p for p in (row.get("Aggregator"), row.get("Disaggregator")) if p)
    return [
        ObservationRecord(
            measure=measure, key="|".join(parts), line=row.line,
            period_start=start, period_end=end, period_basis=basis, value=value,
            unit=unit_name, suppressed=suppressed, substance=substance_of(label),
            substance_label=label, country="CA", region=region,
            state=region, component=row.get("Specific_Measure"),
            area=breakdown or None,
        )
    ]  # fmt: skip


def parse(text: str, file: str, skip: int) -> ParsedFile:
    return parse_rows("phac", rows(text, file, skip), _record)


def canada_opioid_deaths(
    store: Store, *, region: str = NATIONAL, by: str = "calendar-year"
) -> list[CanadaPoint]:
    """PHAC's apparent opioid toxicity deaths by year (or quarter) for `region` ("Canada" or
    a province), with the crude rate and, by year, the percentage involving fentanyl. A
    year PHAC publishes only in part ("2025 (Jan to Sep)") is marked partial."""
    basis = {"calendar-year": "calendar", "quarter": "quarter"}.get(by)
    if basis is None:
        raise ValueError("Canadian deaths are by calendar-year or quarter")
    base = {"region": region, "component": "Overall numbers", "period_basis": basis}

    def read(measure: str, filters: dict[str, str]) -> list[StoredObservation]:
        return observations(
            store, source=HARMS.name, measure=measure, substance="opioids", filters=filters
        )

    rates = {(o.period_start, o.period_end): o.value for o in read("deaths_rate", base)}
    by_type = {**base, "component": "Type of opioids"}
    shares = {
        (o.period_start, o.period_end): o.value
        for o in read("deaths_percent", by_type)
        if (o.area or "").endswith("|Fentanyl")
    }
    points = []
    for obs in sorted(read("deaths", base), key=lambda o: o.period_start):
        start, end = obs.period_start, obs.period_end
        if basis == "calendar":
            label, full = str(start.year), (start.month, end.month, end.day) == (1, 12, 31)
        else:
            label, full = f"{start.year}-Q{(start.month - 1) // 3 + 1}", True
        points.append(
            CanadaPoint(
                label,
                start,
                end,
                obs.value,
                rates.get((start, end)),
                shares.get((start, end)),
                not full,
                obs.suppressed,
                obs.release,
                obs.line,
            )
        )
    return points


def _build(store: Store, query: SeriesQuery) -> Sequence[CanadaPoint]:
    return canada_opioid_deaths(store, region=query.text("region") or NATIONAL, by=query.by)


def _bundled(r: Mapping[str, str]) -> bool:
    return (
        r.get("Region") == NATIONAL
        and r.get("Substance") == "Opioids"
        and r.get("Source") == "Deaths"
        and r.get("Specific_Measure") in ("Overall numbers", "Type of opioids")
    )


HARMS = Source(
    name="phac",
    title="Canadian apparent opioid toxicity deaths (PHAC)",
    description="PHAC opioid- and stimulant-related harms (SubstanceHarmsData.csv)",
    layout=CsvLayout(HEADER, parse),
    series=Series(
        _build,
        filters=(
            Filter(
                "region",
                "Canada (the default) or a province or territory",
                "region",
                "deaths",
                NATIONAL,
            ),
        ),
        periods=("calendar-year", "quarter"),
        columns=(
            ("period", "period"),
            ("deaths", "deaths"),
            ("rate_per_100k", "per 100k"),
            ("fentanyl_share", "% fentanyl"),
            ("partial", "partial"),
        ),
        chart_field="deaths",
        chart_title="Apparent opioid toxicity deaths (PHAC)",
    ),
    judges=frozenset({"deaths", "share"}),
    used_by_model=True,
    aliases=("canada-deaths",),
    bundle=BundleRule(
        "Region = Canada, Substance = Opioids, Source = Deaths, overall numbers and type of "
        "opioids",
        _bundled,
    ),
    valid=VALID,
)
