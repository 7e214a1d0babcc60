"""UNODC World Drug Report statistical annex: drug seizures in kilograms by country, drug and
year (drug_seizures_2018_2022.xlsx, sheet "Export": a title row, then the header).

A country-year often has several rows for the same drug (reports from different agencies);
each is kept, numbered in file order, and series add them up.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from datetime import date
from typing import Any

from borderflow.datasets.model import ObservationRecord, ParsedFile
from borderflow.datasets.source import Source, WorkbookLayout
from borderflow.datasets.tabular import substance_of
from borderflow.store import Store
from borderflow.store.observations import observations

HEADER = (
    "Region", "SubRegion", "Country", "DrugGroup", "DrugSubGroup", "DrugName",
    "Reference year", "Kilograms", "msCode",
)  # fmt: skip
SHEET = "Export"


def read_rows(data: bytes, file: str) -> list[tuple[Any, ...]]:
    """All rows of the Export sheet; raises ValueError naming what is missing."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a damaged workbook
        raise ValueError(f"{file}: not a readable xlsx workbook ({exc})") from exc
    if SHEET not in workbook.sheetnames:
        raise ValueError(f"{file}: no sheet {SHEET!r} (sheets: {', '.join(workbook.sheetnames)})")
    return [tuple(row) for row in workbook[SHEET].iter_rows(values_only=True)]


def header_index(rows: list[tuple[Any, ...]]) -> int | None:
    for index, row in enumerate(rows[:5]):
        if tuple(str(c).strip() if c is not None else "" for c in row[: len(HEADER)]) == HEADER:
            return index
    return None


def parse(data: bytes, file: str) -> ParsedFile:
    """Every row of the Export sheet; ValueError when the workbook is unreadable or has no
    such sheet or header (then it is not this layout)."""
    sheet = read_rows(data, file)
    start = header_index(sheet)
    if start is None:
        raise ValueError(
            f"{file}:1: unknown workbook layout: expected a sheet {SHEET!r} with the "
            f"columns {', '.join(HEADER)}"
        )
    parsed = ParsedFile("unodc")
    seen: Counter[tuple[str, str, int]] = Counter()
    for offset, row in enumerate(sheet[start + 1 :], start=start + 2):
        if not any(c not in (None, "") for c in row):
            continue
        parsed.rows += 1
        try:
            parsed.records.append(_record(row, offset, seen))
        except ValueError as exc:
            parsed.refuse(file, offset, exc)
    return parsed


def _record(
    row: tuple[Any, ...], line: int, seen: Counter[tuple[str, str, int]]
) -> ObservationRecord:
    if len(row) < len(HEADER):
        raise ValueError(f"{len(HEADER) - len(row)} columns missing")
    region, subregion, country, group, subgroup, drug, year, kilograms, code = row[:9]
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValueError(f"Reference year {year!r} is not a year") from None
    if kilograms in (None, ""):
        value = None
    else:
        try:
            value = float(kilograms)
        except (TypeError, ValueError):
            raise ValueError(f"Kilograms {kilograms!r} is not a number") from None
    name = str(drug)
    seen[(str(code), name, year)] += 1
    return ObservationRecord(
        measure="seizure_weight",
        key=f"{code}|{year}|{group}|{subgroup}|{name}|{seen[(str(code), name, year)]}",
        line=line, period_start=date(year, 1, 1), period_end=date(year, 12, 31),
        period_basis="calendar", value=value, unit="kg", value_kg=value,
        substance=substance_of(name), substance_label=name, country=str(code),
        region=str(region), component=str(group), area=str(subregion), state=str(country),
    )  # fmt: skip


def unodc_seizures(store: Store, *, country: str, substance: str = "fentanyl") -> dict[int, float]:
    """Kilograms of `substance` seized by `country` (ISO3 code, e.g. CAN, USA, MEX) per year
    in UNODC's annex, adding up the several rows a country may report for one drug."""
    totals: dict[int, float] = defaultdict(float)
    for obs in observations(
        store, source=ANNEX.name, measure="seizure_weight", substance=substance,
        filters={"country": country},
    ):  # fmt: skip
        totals[obs.period_start.year] += obs.value or 0.0
    return dict(sorted(totals.items()))


ANNEX = Source(
    name="unodc",
    title="UNODC World Drug Report: drug seizures by country",
    description="UNODC World Drug Report statistical annex, drug seizures (xlsx, sheet Export)",
    layout=WorkbookLayout(SHEET, HEADER, parse),
)
