"""CDC VSRR Provisional Drug Overdose Death Counts (data.cdc.gov dataset xkb8-kh2a) as its
API returns them: 12-month-ending counts by jurisdiction and month.

A row for "December 2023" counts deaths from January to December 2023 (a rolling period);
`US` is the national total and `YC` New York City. Empty values are suppressed cells (low
data quality), stored as suppressed, never as zero.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date
from typing import Any

from borderflow.datasets.model import ObservationRecord, ParsedFile
from borderflow.datasets.tabular import Row, number

VSRR = (
    "state",
    "year",
    "month",
    "period",
    "indicator",
    "percent_complete",
    "percent_pending_investigation",
    "state_name",
    "footnote",
    "footnote_symbol",
    "data_value",
    "predicted_value",
)
_MONTHS = {m: i for i, m in enumerate(calendar.month_name) if m}


def rolling_year(year: int, month: int) -> tuple[date, date]:
    """The 12 months ending with `month` of `year`."""
    end = date(year, month, calendar.monthrange(year, month)[1])
    start = date(year - 1, month + 1, 1) if month < 12 else date(year, 1, 1)
    return start, end


def parse(rows: Iterable[Row], substances: dict[str, str]) -> ParsedFile:
    parsed = ParsedFile("cdc-vsrr")
    for row in rows:
        parsed.rows += 1
        try:
            parsed.records.extend(_records(row, substances))
        except ValueError as exc:
            parsed.problems.append(f"{row.file}:{row.line}: {exc}")
            parsed.skipped_lines.append(row.line)
    return parsed


def _records(row: Row, substances: dict[str, str]) -> list[ObservationRecord]:
    if row.missing:
        raise ValueError(f"{row.missing} of {len(row.values)} columns missing (truncated line?)")
    if row.get("period") != "12 month-ending":
        raise ValueError(f"period {row.get('period')!r} is not '12 month-ending'")
    month_name = row.get("month")
    if month_name not in _MONTHS:
        raise ValueError(f"unknown month {month_name!r}")
    try:
        year = int(row.get("year"))
    except ValueError:
        raise ValueError(f"year {row.get('year')!r} is not a year") from None
    start, end = rolling_year(year, _MONTHS[month_name])
    label, code = row.get("indicator"), row.get("state")
    common: dict[str, Any] = {
        "key": f"{code}|{year}|{_MONTHS[month_name]:02d}|{label}",
        "line": row.line,
        "period_start": start,
        "period_end": end,
        "period_basis": "rolling",
        "substance": substances.get(label, label.lower()),
        "substance_label": label,
        "country": "US",
        "area": code,
        "state": row.get("state_name"),
        "unit": "deaths",
    }
    reported = number(row.get("data_value"), "data_value")
    predicted = number(row.get("predicted_value"), "predicted_value")
    return [
        ObservationRecord(measure="deaths", value=reported, suppressed=reported is None, **common),
        ObservationRecord(
            measure="deaths_predicted", value=predicted, suppressed=predicted is None, **common
        ),
    ]
