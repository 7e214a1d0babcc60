"""Numbers and flags as a reader sees them in a chart's table: counts with thousands
separators and no stray ".0", rates with the decimals they were published with, yes/no
flags as the word they stand for ("partial") or nothing.

Only what a page shows is formatted here; the CSV and JSON exports keep the raw values,
so a download still sums and sorts as numbers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

_MOST_DECIMALS = 2  # a table never shows more than this; the exports keep every digit


@dataclass(frozen=True, slots=True)
class Column:
    """One column: the record field it shows, its heading, whether it holds numbers
    (right-aligned) and how many decimals each of its numbers is shown with."""

    field: str
    label: str
    numeric: bool = False
    decimals: int = 0
    blank_from: str = ""  # the record field saying why a value is missing ("suppressed")


@dataclass(frozen=True, slots=True)
class Table:
    """A chart's numbers: raw records (what the downloads answer) and the columns a page
    shows them in. `rows` is the same records formatted for reading."""

    columns: tuple[Column, ...]
    records: tuple[Mapping[str, Any], ...]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(c.field for c in self.columns)

    @property
    def rows(self) -> tuple[tuple[str, ...], ...]:
        return tuple(
            tuple(
                str(r.get(c.blank_from) or "")
                if r.get(c.field) is None and c.blank_from
                else cell(r.get(c.field), c)
                for c in self.columns
            )
            for r in self.records
        )


def decimals_of(value: float) -> int:
    """The fewest decimals (up to two) that show `value` as published: 9610.0 needs none,
    17.7 one; a figure with more (a seizure of 11,812.7554 lb) is shown with two."""
    for places in range(_MOST_DECIMALS + 1):
        if abs(round(value, places) - value) <= 1e-9 * max(1.0, abs(value)):
            return places
    return _MOST_DECIMALS


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def table_of(
    records: Sequence[Mapping[str, Any]],
    columns: Sequence[tuple[str, str]],
    decimals: Mapping[str, int] | None = None,
    blanks: Mapping[str, str] | None = None,
) -> Table:
    """A table of `records` in `columns` ((field, heading) pairs). A column is numeric when
    every value it holds is a number, and all its numbers share the decimals the most
    precise of them needs, so the column reads straight down; `decimals` fixes them for
    a column of estimates, whose digits are not all meaningful. `blanks` names, for a
    column, the record field whose words stand in a cell with no value, so a blank says
    why ("suppressed", "not published") instead of looking like a lost figure."""
    shaped = []
    for field, label in columns:
        values = [v for r in records if (v := r.get(field)) is not None]
        numeric = bool(values) and all(_is_number(v) for v in values)
        places = max((decimals_of(float(v)) for v in values), default=0) if numeric else 0
        places = (decimals or {}).get(field, places)
        shaped.append(Column(field, label, numeric, places, (blanks or {}).get(field, "")))
    return Table(tuple(shaped), tuple(records))


def cell(value: Any, column: Column) -> str:
    """One value as the table shows it: a flag as its column's word when set ("partial",
    "suppressed") and blank when not; a missing value blank."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return column.label if value else ""
    if _is_number(value):
        return f"{value:,.{column.decimals}f}"
    return str(value)


def number(value: float | None, decimals: int | None = None) -> str:
    """A figure in running text: 74,091 deaths, 13.3 per 100,000."""
    if value is None:
        return "no value"
    places = decimals_of(value) if decimals is None else decimals
    return f"{value:,.{places}f}"
