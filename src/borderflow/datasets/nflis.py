"""DEA NFLIS-Drug: laboratory reports of fentanyl and related substances.

Two layouts: the Data Query System export (one row per state x half-year x substance, source
`nflis`) and the published Table 3 for a year (two title lines, then substance x state in
wide blocks that each repeat the "Drug" header, source `nflis-table`). Table 3 ends with
footnotes, which are not data.
"""

from __future__ import annotations

import re
from datetime import date

from borderflow.datasets.model import ObservationRecord, ParsedFile
from borderflow.datasets.source import CsvLayout, Source
from borderflow.datasets.tabular import Row, parse_rows, records_of, rows, substance_of
from borderflow.datasets.validity import CellError, Labels, Periods, Quantity, Validity

DQS_HEADER = (
    "LABTYPE", "RPTAGGR", "YYYY", "PERIOD", "DRUG_REPORTS", "QUERY_RUN_DATE", "SUBSTANCE_ID",
    "SUBSTANCE_DESCRIPTION", "BASE_ID", "BASE_DESCRIPTION", "DRUG_CATEGORY_CODE",
    "DRUG_CATEGORY_DESCRIPTION", "STATE", "STATE_LONG_NAME", "STATE_FIPS",
)  # fmt: skip
TABLE_HEADER = ("Drug", "Alabama", "Alaska")
_HALF = {"SA1": (1, 6), "SA2": (7, 12)}
_YEAR = re.compile(r"\b(19|20)[0-9][0-9]\b")
_REPORTS = Quantity(("lab_reports",), "DRUG_REPORTS", "reports", maximum=10_000_000, whole=True)
DQS_VALID = Validity(
    quantities=(_REPORTS,),
    periods=Periods("YYYY", first=1997),
    labels=(
        Labels(
            "STATE", "state code", pattern="[A-Z]{2}",
            shape="a two-letter code such as CA (XX: unknown)",
        ),
    ),
)  # fmt: skip
_TITLE = "title line"
TABLE_VALID = Validity(quantities=(_REPORTS,), periods=Periods(_TITLE, first=1997))


def _dqs_record(row: Row) -> list[ObservationRecord]:
    half = row.get("PERIOD").split(" ", 1)[0]
    if half not in _HALF:
        valid = "SA1 (JAN - JUN) or SA2 (JUL - DEC)"
        raise CellError("PERIOD", f"{row.get('PERIOD')!r} is not a half-year", valid)
    year = DQS_VALID.year(row.get("YYYY"))
    first, last = _HALF[half]
    category = row.get("DRUG_CATEGORY_DESCRIPTION")
    state = DQS_VALID.label("STATE", row.get("STATE"))
    key = f"{state}|{year}|{half}|{row.get('SUBSTANCE_ID')}"
    return [
        ObservationRecord(
            measure="lab_reports", key=key,
            line=row.line, period_start=date(year, first, 1),
            period_end=date(year, last, 30 if last == 6 else 31), period_basis="half-year",
            value=DQS_VALID.figure("lab_reports", row.get("DRUG_REPORTS"), "DRUG_REPORTS"),
            unit="reports",
            substance=substance_of(category), substance_label=row.get("BASE_DESCRIPTION"),
            country="US", area=state, state=row.get("STATE_LONG_NAME"),
        )
    ]  # fmt: skip


def parse_dqs(text: str, file: str, skip: int) -> ParsedFile:
    return parse_rows("nflis", rows(text, file, skip), _dqs_record)


def parse_table(text: str, file: str, skip: int) -> ParsedFile:
    """Table 3: the year comes from the title; each block's header names its states (so
    `skip` is not needed: every block header is read where it stands)."""
    del skip
    parsed = ParsedFile("nflis-table")
    lines = text.splitlines()
    year_match = _YEAR.search(lines[0]) if lines else None
    try:
        if year_match is None:
            raise CellError(_TITLE, "names no year", "a title such as 'Table 3 ...: 2021'")
        year = TABLE_VALID.year(year_match.group(), _TITLE)
    except ValueError as exc:
        parsed.refuse(file, 1, exc)
        return parsed
    states: list[str] = []
    for line, cells in records_of(text):
        if isinstance(cells, str):
            parsed.rows += 1
            parsed.refuse(file, line, cells)
        elif not cells or not any(c.strip() for c in cells):
            continue
        elif cells[0].strip() == "Drug":
            states = [c.strip() for c in cells[1:]]
        elif states and any(v.strip() for v in cells[1:]):  # not a title or a footnote
            parsed.rows += 1
            try:
                parsed.records += _table_row(cells, states, year, line)
            except ValueError as exc:
                parsed.refuse(file, line, exc)
    return parsed


def _table_row(
    cells: list[str], states: list[str], year: int, line: int
) -> list[ObservationRecord]:
    drug = cells[0].strip()
    return [
        ObservationRecord(
            measure="lab_reports",
            key=f"{state}|{year}|{drug}",
            line=line,
            period_start=date(year, 1, 1),
            period_end=date(year, 12, 31),
            period_basis="calendar",
            value=TABLE_VALID.figure("lab_reports", raw, state),
            unit="reports",
            substance="fentanyl",
            substance_label=drug,
            country="US",
            state=state,
        )
        for state, raw in zip(states, cells[1:], strict=False)
        if state
    ]


DQS = Source(
    name="nflis",
    title="DEA NFLIS-Drug laboratory reports (Data Query System)",
    description="DEA NFLIS-Drug Data Query System export (laboratory reports by state and "
    "half-year)",
    layout=CsvLayout(DQS_HEADER, parse_dqs),
    valid=DQS_VALID,
)
TABLE = Source(
    name="nflis-table",
    title="DEA NFLIS-Drug Table 3 (fentanyl-related reports)",
    description="DEA NFLIS published Table 3 (fentanyl-related reports, substance x state)",
    layout=CsvLayout(TABLE_HEADER, parse_table),
    valid=TABLE_VALID,
)
