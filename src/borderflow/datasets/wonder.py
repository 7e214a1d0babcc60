"""CDC WONDER exports of deaths by state and month (Multiple Cause of Death, ICD-10 T40.4).

Three layouts as published: final 1999–2020 and 2018–2023 ("State", source `cdc-wonder`) and
provisional from 2018 ("Residence State", source `cdc-wonder-provisional`; years read like
"2024 (provisional)"). WONDER suppresses counts under 10, and the uploader removed them and
the footnote block, so sums over states are slightly below national totals.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from borderflow.datasets.model import ObservationRecord, ParsedFile
from borderflow.datasets.tabular import Row, number

FINAL = (
    "Notes",
    "Year",
    "Year Code",
    "Month",
    "Month Code",
    "State",
    "State Code",
    "Multiple Cause of death",
    "Multiple Cause of death Code",
    "Deaths",
    "Population",
    "Crude Rate",
)
PROVISIONAL = (
    "Notes",
    "Year",
    "Year Code",
    "Month",
    "Month Code",
    "Residence State",
    "Residence State Code",
    "Multiple Cause of death",
    "Multiple Cause of death Code",
    "Deaths",
    "Population",
    "Crude Rate",
)
_MONTH_CODE = re.compile(r"^(\d{4})/(\d{2})$")


def parse(rows: Iterable[Row], source: str, substances: dict[str, str]) -> ParsedFile:
    prefix = "Residence State" if source == "cdc-wonder-provisional" else "State"
    parsed = ParsedFile(source)
    for row in rows:
        parsed.rows += 1
        try:
            parsed.records.append(_record(row, prefix, substances))
        except ValueError as exc:
            parsed.problems.append(f"{row.file}:{row.line}: {exc}")
            parsed.skipped_lines.append(row.line)
    return parsed


def _record(row: Row, prefix: str, substances: dict[str, str]) -> ObservationRecord:
    if row.missing:
        raise ValueError(f"{row.missing} of {len(row.values)} columns missing (truncated line?)")
    m = _MONTH_CODE.match(row.get("Month Code"))
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"Month Code {row.get('Month Code')!r} is not YYYY/MM")
    year, month = int(m.group(1)), int(m.group(2))
    deaths = number(row.get("Deaths"), "Deaths")
    if deaths is None:
        raise ValueError("Deaths is empty")
    label, code = row.get("Multiple Cause of death"), row.get("Multiple Cause of death Code")
    state_code = row.get(f"{prefix} Code")
    fields: dict[str, Any] = {
        "key": f"{state_code}|{year}-{month:02d}|{code}",
        "line": row.line,
        "period_start": date(year, month, 1),
        "period_end": date(year, month, calendar.monthrange(year, month)[1]),
        "period_basis": "month",
        "substance": substances.get(label, label.lower()),
        "substance_label": f"{label} ({code})",
        "country": "US",
        "area": state_code,
        "state": row.get(prefix),
    }
    return ObservationRecord(measure="deaths", value=deaths, unit="deaths", **fields)
