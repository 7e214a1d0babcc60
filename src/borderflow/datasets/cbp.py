"""CBP "Drug Seizure Statistics": OFO + Border Patrol (nationwide) and Air and Marine
Operations files, monthly by U.S. fiscal year.

Header (nationwide): FY, Month (abbv), Component, Region, Land Filter, Area of
Responsibility, Drug Type, Count of Event, Sum Qty (lbs). AMO files have Branch instead of
Area of Responsibility; they are a separate source (`cbp-amo`) and never added to the
at-border totals. This module is the one home of CBP's regions and land filters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from borderflow.calendars import (
    BY_CHOICES,
    MONTH_BY_ABBR,
    US_FISCAL,
    fiscal_month,
    month_end,
    sum_by_period,
)
from borderflow.datasets.model import ObservationRecord, ParsedFile
from borderflow.datasets.points import SeriesPoint, covered_months
from borderflow.datasets.source import BundleRule, CsvLayout, Filter, Series, SeriesQuery, Source
from borderflow.datasets.tabular import Row, parse_rows, rows, substance_of
from borderflow.datasets.validity import CellError, Labels, Periods, Quantity, Validity
from borderflow.store import Store
from borderflow.store.observations import sums_by_period
from borderflow.units import LB_TO_KG
from borderflow.vocab import load_vocabulary

NATIONWIDE_HEADER = (
    "FY", "Month (abbv)", "Component", "Region", "Land Filter", "Area of Responsibility",
    "Drug Type", "Count of Event", "Sum Qty (lbs)",
)  # fmt: skip
AMO_HEADER = (*NATIONWIDE_HEADER[:5], "Branch", *NATIONWIDE_HEADER[6:])


@dataclass(frozen=True, slots=True)
class Region:
    """A CBP region and the country across its border (none for the coasts and interior)."""

    name: str
    border_country: str | None


REGIONS = (
    Region("Northern Border", "CA"),
    Region("Southwest Border", "MX"),
    Region("Coastal/Interior", None),
)
REGION_NAMES = frozenset(r.name for r in REGIONS)
# Scopes (corridor names in vocab/places.yaml) that take in every CBP region at once: "at all
# U.S. borders", "nationwide". CBP's nationwide total is the sum of its three regions.
ALL_BORDER_SCOPES = ("all borders", "nationwide")
# The agencies (vocabulary names) whose seizures these files count: a claim by another
# agency (CBSA, RCMP, DEA) is not a CBP figure.
AGENCIES = ("CBP", "U.S. Border Patrol")
# CBP posts a month's figures about two weeks after it ends (the monthly update of its drug
# seizure statistics page): data to the end of May are readable from mid-June. How long
# the figures of a recent month may still grow as late seizures are recorded: the one
# revision on record is April 2025 at the northern border, about 6 kg in the release two
# months after it and 12.2 kg in the one nine months after (CBC News, July 2025, against the
# January 2026 file); the overlapping files held show no change at all in months a year
# old. So a month counts as revisable for about three months, and its figure then may be
# as little as half its figure now. Revisions add late seizures: they raise figures.
PUBLICATION_LAG_DAYS = 14
REVISED_DAYS = 100
REVISED_AT_MOST = 0.5
LAND_ONLY, OTHER = "Land Only", "Other"  # "Land" in older files means Land Only
_LAND_FILTERS = {"Land Only": LAND_ONLY, "Land": LAND_ONLY, "Other": OTHER}
_FY = re.compile(r"^([0-9]{4})(?:\s*\(FYTD\))?$")
OFO_AND_USBP = ("Office of Field Operations", "U.S. Border Patrol")
AMO = ("Air and Marine Operations",)


def _validity(components: tuple[str, ...]) -> Validity:
    """What a CBP file may hold; the nationwide and AMO files differ in their components.
    CBP publishes every cell (it withholds none), so an empty one is an error.
    The largest monthly cell published is about 400,000 lb (AMO, marijuana)."""
    return Validity(
        quantities=(
            Quantity(
                ("seizure_weight",),
                "Sum Qty (lbs)",
                "pounds",
                maximum=10_000_000,
                suppressible=False,
            ),
            Quantity(
                ("seizure_events",),
                "Count of Event",
                "seizures",
                maximum=1_000_000,
                whole=True,
                suppressible=False,
            ),
        ),
        periods=Periods("FY", first=2000, basis=US_FISCAL),
        labels=(
            Labels("Month (abbv)", "month", tuple(MONTH_BY_ABBR)),
            Labels("Region", "region", tuple(r.name for r in REGIONS)),
            Labels("Land Filter", "land filter", tuple(_LAND_FILTERS)),
            Labels("Component", "component", components),
        ),
    )


def region_of_country(code: str | None) -> str | None:
    """The CBP region on the U.S. border with `code` (CA, MX)."""
    return next((r.name for r in REGIONS if code and r.border_country == code), None)


def region_of_corridor(corridor: str | None) -> str | None:
    """The CBP region of a corridor from the vocabulary: "northern border" lies between the
    U.S. and Canada, so it is CBP's Northern Border; a corridor with no country across it
    (the coasts) is Coastal/Interior."""
    for term in load_vocabulary().corridors:
        if term.name == corridor:
            across = [c for c in term.attrs.get("between", []) if c != "US"]
            country = across[0] if across else None
            return next((r.name for r in REGIONS if r.border_country == country), None)
    return None


def _records(row: Row, area_column: str, valid: Validity) -> list[ObservationRecord]:
    fy_raw = row.get("FY")
    m = _FY.match(fy_raw)
    if not m:
        raise CellError("FY", f"{fy_raw!r} is not a fiscal year", "a year like 2024 or 2026 (FYTD)")
    fy = valid.year(m.group(1), "FY")
    month_raw = valid.label("Month (abbv)", row.get("Month (abbv)").upper())
    start = fiscal_month(fy, MONTH_BY_ABBR[month_raw])
    region = valid.label("Region", row.get("Region"))
    land = _LAND_FILTERS[valid.label("Land Filter", row.get("Land Filter"))]
    component = valid.label("Component", row.get("Component"))
    label = row.get("Drug Type")
    events = valid.figure("seizure_events", row.get("Count of Event"), "Count of Event")
    pounds = valid.figure("seizure_weight", row.get("Sum Qty (lbs)"), "Sum Qty (lbs)")
    area = row.get(area_column)
    key = "|".join((str(fy), month_raw, component, region, land, area, label))

    def record(measure: str, value: float | None, unit: str, kg: float | None) -> ObservationRecord:
        return ObservationRecord(
            measure=measure, key=key, line=row.line, period_start=start,
            period_end=month_end(start.year, start.month), period_basis="month", value=value,
            unit=unit, value_kg=kg, substance=substance_of(label), substance_label=label,
            country="US", region=region, land_filter=land, component=component, area=area,
            fiscal_year=fy,
        )  # fmt: skip

    return [
        record("seizure_weight", pounds, "lb", None if pounds is None else pounds * LB_TO_KG),
        record("seizure_events", events, "events", None),
    ]


def _layout(source: str, header: tuple[str, ...], valid: Validity) -> CsvLayout:
    """The nationwide and AMO files differ only in their sixth column (and components)."""

    def parse(text: str, file: str, skip: int) -> ParsedFile:
        records = partial(_records, area_column=header[5], valid=valid)
        return parse_rows(source, rows(text, file, skip), records)

    return CsvLayout(header, parse)


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
    filters = {"region": region, "land_filter": LAND_ONLY if land_only else None,
               "component": component}  # fmt: skip
    wanted = {k: v for k, v in filters.items() if v}
    pounds, events = (
        sums_by_period(store, source=source, measure=m, substance=substance, filters=wanted)
        for m in ("seizure_weight", "seizure_events")
    )
    return [
        SeriesPoint.of(p, round(lb, 6), "lb", value_kg=round(lb * LB_TO_KG, 6), events=n_events)
        for p, (lb, n_events) in sum_by_period(covered_months(store, source), by, pounds, events)
    ]


def _series(source: str, title: str) -> Series:
    def build(store: Store, query: SeriesQuery) -> Sequence[SeriesPoint]:
        return cbp_seizures(
            store, substance=query.text("substance") or "fentanyl", region=query.text("region"),
            land_only=query.flag("land_only"), component=query.text("component"),
            by=query.by, source=source,
        )  # fmt: skip

    weight = "seizure_weight"
    return Series(
        build,
        filters=(
            Filter("substance", "CBP's Drug Type, e.g. fentanyl", "substance", weight, "fentanyl"),
            Filter(
                "region",
                "CBP region: Northern Border, Southwest Border or Coastal/Interior",
                "region",
                weight,
            ),
            Filter(
                "land_only",
                "only Land Filter = Land Only (CBP's 'Land Border' figures)",
                flag=True,
                shown_as="land ports and between them only",
            ),
            Filter(
                "component",
                "e.g. Office of Field Operations or U.S. Border Patrol",
                "component",
                weight,
            ),
        ),
        periods=BY_CHOICES,
        columns=(
            ("period", "period"),
            ("value", "lb"),
            ("value_kg", "kg"),
            ("events", "events"),
            ("months", "months"),
            ("partial", "partial"),
        ),
        chart_field="value",
        chart_title=title,
    )


_NATIONWIDE_VALID = _validity(OFO_AND_USBP)
_AMO_VALID = _validity(AMO)
CBP = Source(
    name="cbp",
    title="CBP drug seizures (Office of Field Operations and Border Patrol)",
    description="CBP Drug Seizure Statistics, OFO + Border Patrol (nationwide-drugs-*.csv)",
    layout=_layout("cbp", NATIONWIDE_HEADER, _NATIONWIDE_VALID),
    series=_series("cbp", "CBP {substance} seizures at and between ports, pounds"),
    judges=frozenset({"seizure", "share"}),
    used_by_model=True,
    bundle=BundleRule(
        "Drug Type = Fentanyl", lambda r: r.get("Drug Type", "").strip() == "Fentanyl"
    ),
    valid=_NATIONWIDE_VALID,
)
CBP_AMO = Source(
    name="cbp-amo",
    title="CBP Air and Marine Operations seizures",
    description="CBP Air and Marine Operations seizures (amo-*.csv); never added to the "
    "at-border totals",
    layout=_layout("cbp-amo", AMO_HEADER, _AMO_VALID),
    series=_series("cbp-amo", "CBP Air and Marine Operations {substance} seizures, pounds"),
    valid=_AMO_VALID,
)
