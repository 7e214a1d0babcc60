"""CBP "Drug Seizure Statistics": OFO + Border Patrol (nationwide) and Air and Marine
Operations files, monthly by U.S. fiscal year.

Header (nationwide): FY, Month (abbv), Component, Region, Land Filter, Area of
Responsibility, Drug Type, Count of Event, Sum Qty (lbs). AMO files have Branch instead of
Area of Responsibility; they are a separate source (`cbp-amo`) and never added to the
at-border totals.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from borderflow.datasets.model import LB_TO_KG, ObservationRecord, ParsedFile
from borderflow.datasets.tabular import Row, number

NATIONWIDE = (
    "FY",
    "Month (abbv)",
    "Component",
    "Region",
    "Land Filter",
    "Area of Responsibility",
    "Drug Type",
    "Count of Event",
    "Sum Qty (lbs)",
)
AMO = (
    "FY",
    "Month (abbv)",
    "Component",
    "Region",
    "Land Filter",
    "Branch",
    "Drug Type",
    "Count of Event",
    "Sum Qty (lbs)",
)
REGIONS = frozenset({"Northern Border", "Southwest Border", "Coastal/Interior"})
LAND_FILTERS = frozenset({"Land Only", "Other", "Land"})
_MONTHS = {m.upper(): i for i, m in enumerate(calendar.month_abbr) if m}
_FY = re.compile(r"^(\d{4})(?:\s*\(FYTD\))?$")


def fiscal_month(fy: int, month: int) -> date:
    """First day of `month` in U.S. fiscal year `fy` (October to December fall in fy - 1)."""
    return date(fy - 1 if month >= 10 else fy, month, 1)


def parse(rows: Iterable[Row], source: str, substances: dict[str, str]) -> ParsedFile:
    area_column = "Branch" if source == "cbp-amo" else "Area of Responsibility"
    parsed = ParsedFile(source)
    for row in rows:
        parsed.rows += 1
        try:
            records = _records(row, source, area_column, substances)
        except ValueError as exc:
            parsed.problems.append(f"{row.file}:{row.line}: {exc}")
            parsed.skipped_lines.append(row.line)
            continue
        parsed.records.extend(records)
    return parsed


def _records(
    row: Row, source: str, area_column: str, substances: dict[str, str]
) -> list[ObservationRecord]:
    if row.missing:
        raise ValueError(f"{row.missing} of {len(row.values)} columns missing (truncated line?)")
    fy_raw = row.get("FY")
    m = _FY.match(fy_raw)
    if not m:
        raise ValueError(f"FY {fy_raw!r} is not a fiscal year like 2024 or '2026 (FYTD)'")
    fy = int(m.group(1))
    month_raw = row.get("Month (abbv)").upper()
    if month_raw not in _MONTHS:
        raise ValueError(f"unknown month {month_raw!r} (expected JAN..DEC)")
    start = fiscal_month(fy, _MONTHS[month_raw])
    end = date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
    region = row.get("Region")
    if region not in REGIONS:
        raise ValueError(f"unknown region {region!r} (expected one of {sorted(REGIONS)})")
    land = row.get("Land Filter")
    if land not in LAND_FILTERS:
        raise ValueError(f"unknown land filter {land!r}")
    land = "Land Only" if land == "Land" else land
    label = row.get("Drug Type")
    events = number(row.get("Count of Event"), "Count of Event")
    pounds = number(row.get("Sum Qty (lbs)"), "Sum Qty (lbs)")
    component, area = row.get("Component"), row.get(area_column)
    key = "|".join((str(fy), month_raw, component, region, land, area, label))
    common: dict[str, Any] = {
        "key": key,
        "line": row.line,
        "period_start": start,
        "period_end": end,
        "period_basis": "month",
        "substance": substances.get(label, label.lower()),
        "substance_label": label,
        "country": "US",
        "region": region,
        "land_filter": land,
        "component": component,
        "area": area,
        "fiscal_year": fy,
    }
    return [
        ObservationRecord(
            measure="seizure_weight",
            value=pounds,
            unit="lb",
            value_kg=None if pounds is None else pounds * LB_TO_KG,
            **common,
        ),
        ObservationRecord(measure="seizure_events", value=events, unit="events", **common),
    ]
