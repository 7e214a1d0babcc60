"""Reading agency CSV files as published: BOMs, CRLF or LF, title lines before the header,
thousands separators, suppressed cells. Every row remembers its file line."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass


@dataclass(slots=True)
class Row:
    file: str
    line: int
    values: dict[str, str]
    missing: int = 0  # columns absent at the end of the line (a truncated row)

    def get(self, column: str) -> str:
        value = self.values.get(column)
        if value is None:
            raise ValueError(f"missing column {column!r}")
        return value.strip()


def read_text(data: bytes, file: str) -> str:
    from borderflow.errors import ImportFormatError

    if not data.strip():
        raise ImportFormatError(file, [f"{file}:1: file is empty"])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise ImportFormatError(file, [f"{file}: not a text file ({exc.reason})"]) from exc


def header_line(text: str, expected: Sequence[str], search: int = 5) -> int | None:
    """Index of the line (0-based) holding the header `expected` among the first lines."""
    for index, line in enumerate(text.splitlines()[:search]):
        cells = next(csv.reader([line]), [])
        if [c.strip() for c in cells[: len(expected)]] == list(expected):
            return index
    return None


def rows(text: str, file: str, skip_lines: int = 0) -> Iterator[Row]:
    """Rows after the header line (which comes after `skip_lines` title lines)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] = []
    for _ in range(skip_lines + 1):
        header = next(reader, [])
    header = [h.strip() for h in header]
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        line = reader.line_num
        missing = max(0, len(header) - len(values))
        values = values + [""] * missing
        yield Row(file, line, dict(zip(header, values[: len(header)], strict=True)), missing)


def number(raw: str, column: str) -> float | None:
    """'26,693' -> 26693.0; '' -> None (suppressed or absent); anything else is an error."""
    cleaned = raw.strip().replace(",", "").replace("\u00a0", "").replace(" ", "")
    if cleaned == "":
        return None
    try:
        return float(cleaned)
    except ValueError:
        raise ValueError(f"{column} {raw!r} is not a number") from None
