"""Writing records as a Rich table, JSON, JSON lines or CSV: one function per format, the
same records for all, so every format carries every field.

JSON, JSON lines and CSV are written record by record (`write_records`), so an export of
any size holds one record in memory at a time; the string forms (`to_json`...) are the
same writers into a buffer, for answers that are small by construction."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import IO, Any

from rich.console import Console
from rich.table import Table


class Format(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


def write_json(out: IO[str], records: Iterable[dict[str, Any]]) -> int:
    """One JSON array, indented as `json.dumps(list, indent=2)` would, one record at a
    time; returns how many were written."""
    n = 0
    for record in records:
        text = json.dumps(record, ensure_ascii=False, indent=2, default=str)
        out.write(("[\n  " if n == 0 else ",\n  ") + text.replace("\n", "\n  "))
        n += 1
    out.write("[]" if n == 0 else "\n]")
    return n


def write_jsonl(out: IO[str], records: Iterable[dict[str, Any]]) -> int:
    n = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        n += 1
    return n


def to_json(records: Sequence[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    write_json(buffer, records)
    return buffer.getvalue()


def to_jsonl(records: Sequence[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    write_jsonl(buffer, records)
    return buffer.getvalue()


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


class _Rows:
    """Rows ending in a bare newline. The writer ends them in CRLF, which makes it quote
    every cell holding a carriage return (with "\n" alone, a lone "\r" in a cell went out
    unquoted and broke the row in two for most readers)."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out

    def write(self, row: str) -> int:
        return self.out.write(row[:-2] + "\n" if row.endswith("\r\n") else row)


def write_csv(out: IO[str], records: Iterable[dict[str, Any]], fields: Sequence[str]) -> int:
    writer = csv.DictWriter(
        _Rows(out), fieldnames=list(fields), extrasaction="ignore", lineterminator="\r\n"
    )
    writer.writerow({f: csv_cell(f) for f in fields})
    n = 0
    for record in records:
        writer.writerow({k: csv_cell(v) for k, v in record.items()})
        n += 1
    return n


def to_csv(records: Sequence[dict[str, Any]], fields: Sequence[str]) -> str:
    buffer = io.StringIO()
    write_csv(buffer, records, fields)
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


def write_records(
    out: IO[str], records: Iterable[dict[str, Any]], fmt: Format, fields: Sequence[str]
) -> int:
    """`records` in a file format (json, jsonl or csv), streamed; returns the count."""
    if fmt is Format.json:
        n = write_json(out, records)
        out.write("\n")
        return n
    if fmt is Format.jsonl:
        return write_jsonl(out, records)
    if fmt is Format.csv:
        return write_csv(out, records, fields)
    raise ValueError(f"{fmt} is not a file format")


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
    else:
        write_records(console.file, records, fmt, fields)
