"""DEA NFLIS-Drug: laboratory reports of fentanyl and related substances.

Two layouts: the Data Query System export (one row per state x half-year x substance, source
`nflis`) and the published Table 3 for a year (two title lines, then substance x state in
wide blocks that each repeat the "Drug" header, source `nflis-table`). Table 3 ends with
footnotes, which are not data.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from borderflow.datasets.model import ObservationRecord, ParsedFile
from borderflow.datasets.tabular import Row, number

DQS = (
    "LABTYPE",
    "RPTAGGR",
    "YYYY",
    "PERIOD",
    "DRUG_REPORTS",
    "QUERY_RUN_DATE",
    "SUBSTANCE_ID",
    "SUBSTANCE_DESCRIPTION",
    "BASE_ID",
    "BASE_DESCRIPTION",
    "DRUG_CATEGORY_CODE",
    "DRUG_CATEGORY_DESCRIPTION",
    "STATE",
    "STATE_LONG_NAME",
    "STATE_FIPS",
)
TABLE = ("Drug", "Alabama", "Alaska")
_HALF = {"SA1": (1, 6), "SA2": (7, 12)}
_YEAR = re.compile(r"\b(19|20)\d\d\b")


def parse_dqs(rows: Iterable[Row], substances: dict[str, str]) -> ParsedFile:
    parsed = ParsedFile("nflis")
    for row in rows:
        parsed.rows += 1
        try:
            parsed.records.append(_dqs_record(row, substances))
        except ValueError as exc:
            parsed.problems.append(f"{row.file}:{row.line}: {exc}")
            parsed.skipped_lines.append(row.line)
    return parsed


def _dqs_record(row: Row, substances: dict[str, str]) -> ObservationRecord:
    if row.missing:
        raise ValueError(f"{row.missing} of {len(row.values)} columns missing (truncated line?)")
    half = row.get("PERIOD").split(" ", 1)[0]
    if half not in _HALF:
        raise ValueError(f"PERIOD {row.get('PERIOD')!r} is not SA1 or SA2")
    try:
        year = int(row.get("YYYY"))
    except ValueError:
        raise ValueError(f"YYYY {row.get('YYYY')!r} is not a year") from None
    first, last = _HALF[half]
    reports = number(row.get("DRUG_REPORTS"), "DRUG_REPORTS")
    category = row.get("DRUG_CATEGORY_DESCRIPTION")
    fields: dict[str, Any] = {
        "key": f"{row.get('STATE')}|{year}|{half}|{row.get('SUBSTANCE_ID')}",
        "line": row.line,
        "period_start": date(year, first, 1),
        "period_end": date(year, last, 30 if last == 6 else 31),
        "period_basis": "half-year",
        "substance": substances.get(category, category.lower()),
        "substance_label": row.get("BASE_DESCRIPTION"),
        "country": "US",
        "area": row.get("STATE"),
        "state": row.get("STATE_LONG_NAME"),
    }
    return ObservationRecord(measure="lab_reports", value=reports, unit="reports", **fields)


def parse_table(text: str, file: str) -> ParsedFile:
    """Table 3: the year comes from the title; each block's header names its states."""
    parsed = ParsedFile("nflis-table")
    lines = text.splitlines()
    year_match = _YEAR.search(lines[0]) if lines else None
    if year_match is None:
        parsed.problems.append(f"{file}:1: no year in the title line")
        return parsed
    year = int(year_match.group())
    states: list[str] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    for cells in reader:
        line = reader.line_num
        if not cells or not any(c.strip() for c in cells):
            continue
        if cells[0].strip() == "Drug":
            states = [c.strip() for c in cells[1:]]
            continue
        if not states:
            continue  # title lines
        values = cells[1:]
        if not any(v.strip() for v in values):
            continue  # a footnote
        parsed.rows += 1
        drug = cells[0].strip()
        try:
            for state, raw in zip(states, values, strict=False):
                if not state:
                    continue
                count = number(raw, state)
                parsed.records.append(
                    ObservationRecord(
                        measure="lab_reports",
                        key=f"{state}|{year}|{drug}",
                        line=line,
                        period_start=date(year, 1, 1),
                        period_end=date(year, 12, 31),
                        period_basis="calendar",
                        value=count,
                        unit="reports",
                        substance="fentanyl",
                        substance_label=drug,
                        country="US",
                        state=state,
                    )
                )
        except ValueError as exc:
            parsed.problems.append(f"{file}:{line}: {exc}")
            parsed.skipped_lines.append(line)
    return parsed
