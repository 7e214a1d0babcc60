"""PHAC "Opioid- and Stimulant-related Harms in Canada" (SubstanceHarmsData.csv).

One row per substance x source (deaths, hospitalisations, ED visits, EMS) x measure x region x
period x breakdown, as a number, a crude rate per 100,000 or a percentage. "Suppr." cells
are stored as suppressed and "n/a" as not available, never as zero. Periods are years,
quarters, or a partial year written "2025 (Jan to Sep)".
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from borderflow.datasets.model import ObservationRecord, ParsedFile
from borderflow.datasets.tabular import Row, number

HARMS = (
    "Substance",
    "Source",
    "Specific_Measure",
    "Region",
    "PRUID",
    "Time_Period",
    "Year_Quarter",
    "Aggregator",
    "Disaggregator",
    "Unit",
    "Value",
)
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
_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4}) Q([1-4])$")
_PARTIAL = re.compile(r"^(\d{4}) \(([A-Z][a-z]{2}) to ([A-Z][a-z]{2})\)$")
_MONTHS = {m: i for i, m in enumerate(calendar.month_abbr) if m}


def period(raw: str) -> tuple[date, date, str]:
    """'2023' -> the calendar year; '2023 Q2' -> the quarter; '2025 (Jan to Sep)' -> those
    months (a partial year)."""
    if m := _YEAR.match(raw):
        y = int(m.group(1))
        return date(y, 1, 1), date(y, 12, 31), "calendar"
    if m := _QUARTER.match(raw):
        y, q = int(m.group(1)), int(m.group(2))
        return date(y, 3 * q - 2, 1), date(y, 3 * q, calendar.monthrange(y, 3 * q)[1]), "quarter"
    if (m := _PARTIAL.match(raw)) and m.group(2) in _MONTHS and m.group(3) in _MONTHS:
        y, first, last = int(m.group(1)), _MONTHS[m.group(2)], _MONTHS[m.group(3)]
        return date(y, first, 1), date(y, last, calendar.monthrange(y, last)[1]), "calendar"
    raise ValueError(f"Year_Quarter {raw!r} is not a year, quarter or '(Mon to Mon)' span")


def parse(rows: Iterable[Row], substances: dict[str, str]) -> ParsedFile:
    parsed = ParsedFile("phac")
    for row in rows:
        parsed.rows += 1
        try:
            parsed.records.append(_record(row, substances))
        except ValueError as exc:
            parsed.problems.append(f"{row.file}:{row.line}: {exc}")
            parsed.skipped_lines.append(row.line)
    return parsed


def _record(row: Row, substances: dict[str, str]) -> ObservationRecord:
    if row.missing:
        raise ValueError(f"{row.missing} of {len(row.values)} columns missing (truncated line?)")
    source, unit = row.get("Source"), row.get("Unit")
    if source not in _SOURCES:
        raise ValueError(f"unknown Source {source!r} (expected one of {sorted(_SOURCES)})")
    if unit not in _UNITS:
        raise ValueError(f"unknown Unit {unit!r} (expected one of {sorted(_UNITS)})")
    start, end, basis = period(row.get("Year_Quarter"))
    raw = row.get("Value")
    suppressed = raw.lower().startswith("suppr")
    value = None if suppressed or raw.lower() in ("n/a", "na", "") else number(raw, "Value")
    label = row.get("Substance")
    measure_suffix, unit_name = _UNITS[unit]
    parts = [
        label,
        source,
        row.get("Specific_Measure"),
        row.get("Region"),
        row.get("Time_Period"),
        row.get("Year_Quarter"),
        row.get("Aggregator"),
        row.get("Disaggregator"),
        unit,
    ]
    fields: dict[str, Any] = {
        "key": "|".join(parts),
        "line": row.line,
        "period_start": start,
        "period_end": end,
        "period_basis": basis,
        "substance": substances.get(label, label.lower()),
        "substance_label": label,
        "country": "CA",
        "region": row.get("Region"),
        "state": row.get("Region"),
        "component": row.get("Specific_Measure"),
        "area": "|".join(p for p in (row.get("Aggregator"), row.get("Disaggregator")) if p) or None,
    }
    return ObservationRecord(
        measure=_SOURCES[source] + measure_suffix,
        value=value,
        unit=unit_name,
        suppressed=suppressed,
        **fields,
    )
