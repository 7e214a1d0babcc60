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
from borderflow.datasets.validity import CellError, Labels, Periods, Quantity, Validity
from borderflow.store import Store
from borderflow.store.observations import observations

HEADER = (
    "Region", "SubRegion", "Country", "DrugGroup", "DrugSubGroup", "DrugName",
    "Reference year", "Kilograms", "msCode",
)  # fmt: skip
SHEET = "Export"
VALID = Validity(
    quantities=(Quantity(("seizure_weight",), "Kilograms", "kilograms", maximum=1_000_000_000),),
    periods=Periods("Reference year", first=1990),
    labels=(
        Labels("Region", "region", ("Africa", "Americas", "Asia", "Europe", "Oceania")),
        Labels("msCode", "country code", pattern="[A-Z]{3}", shape="an ISO 3166 code: CAN"),
    ),
)


def read_rows(data: bytes, file: str) -> list[tuple[Any, ...]]:
    """All rows of the Export sheet; raises ValueError naming what is missing or damaged."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a damaged workbook
        raise ValueError(f"{file}:1: not a readable xlsx workbook ({_reason(exc)})") from exc
    try:
        if SHEET not in workbook.sheetnames:
            sheets = ", ".join(workbook.sheetnames)
            raise LookupError(f"{file}:1: no sheet {SHEET!r} (sheets: {sheets})")
        return [tuple(row) for row in workbook[SHEET].iter_rows(values_only=True)]
    except LookupError as exc:
        raise ValueError(str(exc)) from exc
    except Exception as exc:  # damaged sheet XML, a cell that is not what its type says...
        raise ValueError(f"{file}: sheet {SHEET!r} cannot be read ({_reason(exc)})") from exc
    finally:
        workbook.close()


def _reason(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:200] or type(exc).__name__


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
        missing = f"{len(HEADER) - len(row)} columns missing"
        raise CellError("row", missing, f"the {len(HEADER)} columns of the header")
    region, subregion, country, group, subgroup, drug = (_text(c) for c in row[:6])
    code = _text(row[8])
    year = VALID.year(row[6], "Reference year")
    value = VALID.figure("seizure_weight", row[7], "Kilograms")
    region, code = VALID.label("Region", region), VALID.label("msCode", code)
    seen[(code, drug, year)] += 1
    return ObservationRecord(
        measure="seizure_weight",
        key=f"{code}|{year}|{group}|{subgroup}|{drug}|{seen[(code, drug, year)]}",
        line=line, period_start=date(year, 1, 1), period_end=date(year, 12, 31),
        period_basis="calendar", value=value, unit="kg", value_kg=value,
        substance=substance_of(drug), substance_label=drug, country=code,
        region=region, component=group, area=subregion, state=country,
    )  # fmt: skip


def _text(cell: object) -> str:
    return str(cell)  # as the key has always read them (an empty cell is "None")


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
    valid=VALID,
)
