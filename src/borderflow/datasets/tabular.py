"""Reading agency CSV files as published: BOMs, CRLF or LF, title lines before the header,
thousands separators, suppressed cells. Every row remembers its file line; a line the csv
reader cannot read (a cell over its size limit) is a bad row, never the end of the file."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from borderflow.datasets.model import ObservationRecord, ParsedFile
from borderflow.datasets.validity import number
from borderflow.vocab import load_vocabulary

__all__ = [
    "Row", "header_line", "number", "parse_rows", "read_text", "records_of", "rows",
    "substance_of",
]  # fmt: skip


@dataclass(slots=True)
class Row:
    file: str
    line: int
    values: dict[str, str]
    missing: int = 0  # columns absent at the end of the line (a truncated row)
    error: str | None = None  # why the csv reader could not read the line

    def get(self, column: str) -> str:
        value = self.values.get(column)
        if value is None:
            raise ValueError(f"{column}: column missing (valid: every column of the header)")
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
        try:
            cells = next(csv.reader([line]), [])
        except csv.Error:
            continue  # not a header: a cell too long for the reader
        if [c.strip() for c in cells[: len(expected)]] == list(expected):
            return index
    return None


def records_of(text: str) -> Iterator[tuple[int, list[str] | str]]:
    """Each CSV record with the line it ends on: its cells, or why the reader could not
    read it (the reader then goes on with the next line)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield reader.line_num, f"line: cannot be read as CSV ({exc})"
            continue
        yield reader.line_num, cells


def rows(text: str, file: str, skip_lines: int = 0) -> Iterator[Row]:
    """Rows after the header line (which comes after `skip_lines` title lines)."""
    records = records_of(text)
    header: list[str] = []
    for _ in range(skip_lines + 1):
        _, first = next(records, (0, []))
        header = [h.strip() for h in first] if isinstance(first, list) else []
    for line, values in records:
        if isinstance(values, str):
            yield Row(file, line, {}, error=values)
            continue
        if not any(v.strip() for v in values):
            continue
        missing = max(0, len(header) - len(values))
        values = values + [""] * missing
        yield Row(file, line, dict(zip(header, values[: len(header)], strict=True)), missing)


def parse_rows(
    source: str, rows: Iterable[Row], records: Callable[[Row], list[ObservationRecord]]
) -> ParsedFile:
    """Every row through `records`; a truncated row or one whose values `records` refuses
    (ValueError) becomes a problem naming its file and line, and the others go on."""
    parsed = ParsedFile(source)
    for row in rows:
        parsed.rows += 1
        try:
            if row.error:
                raise ValueError(row.error)
            if row.missing:
                raise ValueError(
                    f"line: {row.missing} of {len(row.values)} columns missing (truncated "
                    "line?) (valid: every column of the header)"
                )
            parsed.records.extend(records(row))
        except ValueError as exc:
            parsed.refuse(row.file, row.line, exc)
    return parsed


def substance_of(label: str) -> str:
    """borderflow's substance for an agency's label ("Fentanyl" -> fentanyl); a label the
    vocabulary does not map is kept, lower-cased."""
    return load_vocabulary().dataset_substances.get(label, label.lower())
