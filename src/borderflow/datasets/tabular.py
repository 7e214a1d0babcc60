"""Reading agency CSV files as published: BOMs, CRLF or LF, title lines before the header,
thousands separators, suppressed cells. Every row remembers its file line."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from borderflow.datasets.model import ObservationRecord, ParsedFile
from borderflow.vocab import load_vocabulary


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


def parse_rows(
    source: str, rows: Iterable[Row], records: Callable[[Row], list[ObservationRecord]]
) -> ParsedFile:
    """Every row through `records`; a truncated row or one whose values `records` refuses
    (ValueError) becomes a problem naming its file and line, and the others go on."""
    parsed = ParsedFile(source)
    for row in rows:
        parsed.rows += 1
        try:
            if row.missing:
                raise ValueError(
                    f"{row.missing} of {len(row.values)} columns missing (truncated line?)"
                )
            parsed.records.extend(records(row))
        except ValueError as exc:
            parsed.refuse(row.file, row.line, exc)
    return parsed


def substance_of(label: str) -> str:
    """borderflow's substance for an agency's label ("Fentanyl" -> fentanyl); a label the
    vocabulary does not map is kept, lower-cased."""
    return load_vocabulary().dataset_substances.get(label, label.lower())
