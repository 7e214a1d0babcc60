"""CDC VSRR Provisional Drug Overdose Death Counts (data.cdc.gov dataset xkb8-kh2a) as its
API returns them: 12-month-ending counts by jurisdiction, month and indicator.

A row for "December 2023" counts deaths from January to December 2023 (a rolling period);
`US` is the national total and `YC` New York City. Empty values are suppressed cells (low
data quality), stored as suppressed, never as zero.

The full file has twelve indicators: each drug indicator ("Cocaine (T40.5)", "Number of
Drug Overdose Deaths"...) is stored as deaths of its own substance (the vocabulary's
dataset labels name it), so a file holding only T40.4 and the full file read alike. Two
indicators count something else, and are stored under their own measure: all deaths
("Number of Deaths") and the share of overdose deaths whose drug was specified.
"""

from __future__ import annotations

from collections.abc import Sequence

from borderflow.calendars import MONTH_BY_NAME, rolling_year
from borderflow.datasets.model import ObservationRecord, ParsedFile
from borderflow.datasets.points import DeathsPoint
from borderflow.datasets.source import BundleRule, CsvLayout, Filter, Series, SeriesQuery, Source
from borderflow.datasets.tabular import Row, parse_rows, rows, substance_of
from borderflow.datasets.validity import Labels, Periods, Quantity, Validity
from borderflow.store import Store
from borderflow.store.observations import observations

HEADER = (
    "state", "year", "month", "period", "indicator", "percent_complete",
    "percent_pending_investigation", "state_name", "footnote", "footnote_symbol", "data_value",
    "predicted_value",
)  # fmt: skip
NATIONAL = "US"
ROLLING = "12 month-ending"
# Indicators that are not deaths involving a drug: (measure, unit) of each.
OTHER_INDICATORS = {
    "Number of Deaths": ("all_cause_deaths", "deaths"),
    "Percent with drugs specified": ("drugs_specified", "percent"),
}
VALID = Validity(
    quantities=(
        Quantity(("deaths",), "data_value", "deaths in 12 months", maximum=1_000_000, whole=True),
        Quantity(("deaths_predicted",), "predicted_value", "deaths in 12 months", 1_000_000),
        Quantity(
            ("all_cause_deaths",), "data_value", "deaths from all causes in 12 months",
            maximum=10_000_000, whole=True,
        ),
        Quantity(
            ("all_cause_deaths_predicted",), "predicted_value",
            "deaths from all causes in 12 months", 10_000_000,
        ),
        Quantity(
            ("drugs_specified",), "data_value",
            "percent of overdose deaths with the drug specified", maximum=100,
        ),
        Quantity(
            ("drugs_specified_predicted",), "predicted_value",
            "percent of overdose deaths with the drug specified", maximum=100,
        ),
    ),
    periods=Periods("year", first=1999),
    labels=(
        Labels("period", "period", (ROLLING,)),
        Labels("month", "month", tuple(MONTH_BY_NAME)),
        Labels(
            "state", "jurisdiction", pattern="[A-Z]{2}",
            shape="a two-letter code such as CA, US (national) or YC (New York City)",
        ),
    ),
)  # fmt: skip


def _records(row: Row) -> list[ObservationRecord]:
    VALID.label("period", row.get("period"))
    month_name = VALID.label("month", row.get("month"))
    year = VALID.year(row.get("year"))
    month = MONTH_BY_NAME[month_name]
    start, end = rolling_year(year, month)
    label, code = row.get("indicator"), VALID.label("state", row.get("state"))
    measure, unit = OTHER_INDICATORS.get(label, ("deaths", "deaths"))
    substance = None if label in OTHER_INDICATORS else substance_of(label)

    def record(measure: str, column: str) -> ObservationRecord:
        value = VALID.figure(measure, row.get(column), column)
        return ObservationRecord(
            measure=measure, key=f"{code}|{year}|{month:02d}|{label}", line=row.line,
            period_start=start, period_end=end, period_basis="rolling", value=value,
            unit=unit, suppressed=value is None, substance=substance,
            substance_label=label, country="US", area=code, state=row.get("state_name"),
        )  # fmt: skip

    return [record(measure, "data_value"), record(f"{measure}_predicted", "predicted_value")]


def parse(text: str, file: str, skip: int) -> ParsedFile:
    return parse_rows("cdc-vsrr", rows(text, file, skip), _records)


def us_overdose_deaths(
    store: Store,
    *,
    substance: str = "synthetic opioids",
    jurisdiction: str = NATIONAL,
    by: str = "calendar-year",
) -> list[DeathsPoint]:
    """U.S. overdose deaths from CDC VSRR: `jurisdiction` is a state code, `US` (national) or
    `YC` (New York City). `by="month"` gives every 12-month-ending count; `calendar-year`
    keeps the counts ending in December, which are calendar-year totals."""
    if by not in ("month", "calendar-year"):
        raise ValueError("deaths series are by month (12-month-ending) or calendar-year")
    where = {"area": jurisdiction}
    reported = observations(
        store, source=VSRR.name, measure="deaths", substance=substance, filters=where
    )
    predicted = {
        o.key: o.value
        for o in observations(
            store, source=VSRR.name, measure="deaths_predicted", substance=substance, filters=where
        )
    }
    points = []
    for obs in sorted(reported, key=lambda o: o.period_end):
        end = obs.period_end
        if by == "calendar-year" and end.month != 12:
            continue
        label = str(end.year) if by == "calendar-year" else f"{end.year}-{end.month:02d}"
        points.append(
            DeathsPoint(
                label,
                obs.period_start,
                end,
                "rolling",
                obs.value,
                predicted.get(obs.key),
                obs.suppressed,
                obs.state,
                obs.release,
                obs.line,
            )
        )
    return points


def _build(store: Store, query: SeriesQuery) -> Sequence[DeathsPoint]:
    return us_overdose_deaths(
        store, substance=query.text("substance") or "synthetic opioids",
        jurisdiction=query.text("jurisdiction") or NATIONAL, by=query.by,
    )  # fmt: skip


VSRR = Source(
    name="cdc-vsrr",
    title="U.S. overdose deaths, provisional (CDC VSRR)",
    description="CDC VSRR provisional overdose death counts, API export (dataset xkb8-kh2a)",
    layout=CsvLayout(HEADER, parse),
    series=Series(
        _build,
        filters=(
            Filter(
                "substance",
                "the death indicator, e.g. synthetic opioids",
                "substance",
                "deaths",
                "synthetic opioids",
            ),
            Filter(
                "jurisdiction",
                "US (national, the default), a state code or YC (New York City)",
                "area",
                "deaths",
                NATIONAL,
            ),
        ),
        periods=("calendar-year", "month"),
        columns=(
            ("period", "period"),
            ("start", "from"),
            ("end", "to"),
            ("deaths", "deaths"),
            ("predicted", "predicted"),
            ("suppressed", "suppressed"),
        ),
        chart_field="deaths",
        chart_title="Deaths involving {substance} (CDC VSRR, provisional)",
    ),
    judges=frozenset({"deaths"}),
    used_by_model=True,
    aliases=("us-deaths",),
    bundle=BundleRule("state = US (national)", lambda r: r.get("state", "").strip() == NATIONAL),
    valid=VALID,
)
