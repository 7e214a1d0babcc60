"""Small statistics files in each agency's layout, written for the tests (the values are
made up; only the headers are the agencies'), with a way to spoil one cell."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

from borderflow.datasets import cbp, cdc, cdc_annual, nflis, phac, unodc, wonder

CBP_ROWS = (
    ("2025", "OCT", "Office of Field Operations", "Northern Border", "Land Only",
     "BUFFALO FIELD OFFICE", "Fentanyl", "2", "1.25"),
    ("2025", "NOV", "U.S. Border Patrol", "Southwest Border", "Other",
     "TUCSON SECTOR", "Methamphetamine", "14", "2,310.5"),
    ("2026 (FYTD)", "DEC", "Office of Field Operations", "Coastal/Interior", "Other",
     "NEW YORK FIELD OFFICE", "Fentanyl", "3", "41.56"),
    ("2026 (FYTD)", "DEC", "U.S. Border Patrol", "Northern Border", "Land Only",
     "BLAINE SECTOR", "Cocaine", "1", "0.5"),
)  # fmt: skip
VSRR_ROWS = (
    ("US", "2024", "December", "12 month-ending", "Synthetic opioids, excl. methadone (T40.4)",
     "100", "0.1", "United States", "", "", "48,400", "48,900"),
    ("CA", "2024", "December", "12 month-ending", "Synthetic opioids, excl. methadone (T40.4)",
     "100", "0.2", "California", "", "", "6,100", "6,150"),
    ("YC", "2025", "March", "12 month-ending", "Synthetic opioids, excl. methadone (T40.4)",
     "100", "0.3", "New York City", "", "", "", ""),
)  # fmt: skip
ANNUAL_ROWS = (
    ("2023", "Cocaine (T40.5)", "29,100", "final", "A data brief written for the tests",
     "https://example.org/brief.htm", "2024-12-19"),
    ("2024", "Number of Drug Overdose Deaths", "80,100", "provisional",
     "A provisional release written for the tests", "https://example.org/vsrr.htm", "2025-05"),
)  # fmt: skip
PHAC_ROWS = (
    ("Opioids", "Deaths", "Overall numbers", "Canada", "1", "By year", "2023", "", "",
     "Number", "8,600"),
    ("Opioids", "Deaths", "Overall numbers", "Canada", "1", "By year", "2023", "", "",
     "Crude rate", "21.6"),
    ("Opioids", "Deaths", "Type of opioids", "Canada", "1", "By year", "2023", "2023",
     "Fentanyl", "Percent", "81"),
    ("Opioids", "Hospitalizations", "Overall numbers", "Ontario", "35", "By quarter",
     "2024 Q2", "", "", "Number", "Suppr."),
)  # fmt: skip
WONDER_ROWS = (
    ("", "2021", "2021", "Jan., 2021", "2021/01", "California", "06", "Other synthetic narcotics",
     "T40.4", "512", "Not Applicable", "Not Applicable"),
    ("", "2021", "2021", "Feb., 2021", "2021/02", "Ohio", "39", "Other synthetic narcotics",
     "T40.4", "377", "Not Applicable", "Not Applicable"),
)  # fmt: skip
NFLIS_ROWS = (
    ("Local/Municipal,State,Federal,Private", "DrugReport", "2023", "SA1 (JAN - JUN)", "1,204",
     "2026-03-03 13:26:55", "1504", "FENTANYL", "1504", "Fentanyl", "33",
     "Fentanyl and Fentanyl-related", "OH", "Ohio", "39"),
)  # fmt: skip
UNODC_ROWS = (
    ("Americas", "North America", "Canada", "Opioids", "Synthetic opioids", "Fentanyl", 2021,
     25.5, "CAN"),
    ("Americas", "North America", "Mexico", "Opioids", "Synthetic opioids", "Fentanyl", 2022,
     1600, "MEX"),
)  # fmt: skip

# (header, rows, column spoiled by default) per CSV source
CSV = {
    "cbp": (cbp.NATIONWIDE_HEADER, CBP_ROWS),
    "cdc-vsrr": (cdc.HEADER, VSRR_ROWS),
    "cdc-annual": (cdc_annual.HEADER, ANNUAL_ROWS),
    "phac": (phac.HEADER, PHAC_ROWS),
    "cdc-wonder": (wonder.FINAL.header, WONDER_ROWS),
    "nflis": (nflis.DQS_HEADER, NFLIS_ROWS),
}


def csv_text(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def spoiled(source: str, column: str, value: str, row: int = 0) -> tuple[str, list[list[str]]]:
    """The source's sample as CSV text with one cell replaced."""
    header, rows = CSV[source]
    cells = [list(r) for r in rows]
    cells[row][list(header).index(column)] = value
    return csv_text(header, cells), cells


def write_csv(path: Path, source: str, column: str | None = None, value: str = "") -> Path:
    if column is None:
        header, rows = CSV[source]
        text = csv_text(header, rows)
    else:
        text, _ = spoiled(source, column, value)
    path.write_text(text, encoding="utf-8")
    return path


def unodc_bytes(rows: Sequence[Sequence[object]] = UNODC_ROWS, title: bool = True) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = unodc.SHEET
    if title:
        sheet.append(["Drug seizures, 2018-2022"])
    sheet.append(list(unodc.HEADER))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def with_sheet_dimension(workbook: bytes, ref: str) -> bytes:
    """The same workbook with its sheets claiming the size `ref` ("A1:XFD1048576")."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data)
            target.writestr(entry, data)
    return out.getvalue()
