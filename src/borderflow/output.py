"""Writing records as a Rich table, JSON, JSON lines or CSV: one function per format, the
same records for all, so every format carries every field."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from rich.console import Console
from rich.table import Table


class Format(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


def to_json(records: Sequence[dict[str, Any]]) -> str:
    return json.dumps(list(records), ensure_ascii=False, indent=2, default=str)


def to_jsonl(records: Sequence[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in records)


# A text cell starting with one of these is read as a formula by spreadsheets (OWASP,
# "CSV Injection"): "=HYPERLINK(...)" from a document or an official file must stay text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """One cell as CSV carries it: lists and objects as JSON, None empty, and text that
    a spreadsheet would run as a formula prefixed with a single quote. Numbers stay
    numbers, negative ones included: only text can smuggle a formula."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


class _Rows(io.StringIO):
    """Rows ending in a bare newline. The writer ends them in CRLF, which makes it quote
    every cell holding a carriage return (with "\n" alone, a lone "\r" in a cell went out
    unquoted and broke the row in two for most readers)."""

    def write(self, row: str) -> int:
        return super().write(row[:-2] + "\n" if row.endswith("\r\n") else row)


def to_csv(records: Sequence[dict[str, Any]], fields: Sequence[str]) -> str:
    buffer = _Rows()
    writer = csv.DictWriter(
        buffer, fieldnames=list(fields), extrasaction="ignore", lineterminator="\r\n"
    )
    writer.writerow({f: csv_cell(f) for f in fields})
    for record in records:
        writer.writerow({k: csv_cell(v) for k, v in record.items()})
    return buffer.getvalue()


def print_table(
    console: Console,
    records: Sequence[dict[str, Any]],
    columns: Sequence[tuple[str, str]],
    title: str | None = None,
) -> None:
    """Columns are (field, heading) pairs; long cells wrap."""
    table = Table(title=title, show_lines=False, header_style="bold")
    for _field, heading in columns:
        table.add_column(heading, overflow="fold")
    for record in records:
        table.add_row(*("" if record.get(f) is None else _cell(record.get(f)) for f, _ in columns))
    console.print(table)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.6g}" if abs(value) < 1e15 else f"{value:.6g}"
    return str(value)


def emit(
    console: Console,
    records: Sequence[dict[str, Any]],
    fmt: Format,
    fields: Sequence[str],
    columns: Sequence[tuple[str, str]],
    title: str | None = None,
) -> None:
    if fmt is Format.table:
        print_table(console, records, columns, title)
    elif fmt is Format.json:
        console.file.write(to_json(records) + "\n")
    elif fmt is Format.jsonl:
        console.file.write(to_jsonl(records))
    else:
        console.file.write(to_csv(records, fields))
