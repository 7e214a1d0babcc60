"""What one imported file may cost, bounded by the settings, and checked before the step
each bound protects: the file's size before it is read (a sparse 1 GB file, a device or a
pipe is never read), NUL bytes and rows before a text file is parsed, one cell's length
before the csv reader meets it, and for a workbook the bytes it unpacks to and the rows
and cells of its sheets before openpyxl opens it. The same pass over a sheet's XML refuses
number cells that are not numbers ("1_000", "NaN"), which openpyxl would read as 1000 or
fail the whole sheet on.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from borderflow.config import Settings, declared_default
from borderflow.errors import ImportFormatError
from borderflow.text_safety import printable

_SHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+)?([0-9]+)?(?::([A-Z]+)([0-9]+))?\"")
_ROW = re.compile(rb"<(?:\w+:)?row[\s/>]")
_CELL = re.compile(rb"<(?:\w+:)?c[\s/>]")
# A cell with a stored value: its attributes and the value (after an optional formula).
_VALUE_CELL = re.compile(
    rb"<(?:\w+:)?c\b([^>/]*)>\s*(?:<(?:\w+:)?f\b[^>]*(?:/>|>[^<]*</(?:\w+:)?f>)\s*)?"
    rb"<(?:\w+:)?v>([^<]*)</"
)
_TYPE = re.compile(rb'\bt="([^"]*)"')
_REF = re.compile(rb'\br="([A-Z]+([0-9]+))"')
# A number cell as spreadsheet programs store it; openpyxl would also read "1_000" (as
# 1000) and fail on the whole sheet at "NaN".
_STORED_NUMBER = re.compile(rb"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class ImportLimits:
    """The settings an import is bounded by (their meaning is in `config.Settings`)."""

    max_file_bytes: int
    max_decompressed_bytes: int
    max_rows: int
    max_cells: int
    max_field_chars: int

    @classmethod
    def of(cls, settings: Settings) -> ImportLimits:
        return cls(**{f.name: getattr(settings, f.name) for f in dataclasses.fields(cls)})

    @classmethod
    def defaults(cls) -> ImportLimits:
        """The settings' declared defaults, for library callers that pass no settings
        (the environment is read only where a Settings object is made)."""
        return cls(**{f.name: declared_default(f.name) for f in dataclasses.fields(cls)})


def _refuse(file: str, problem: str) -> ImportFormatError:
    return ImportFormatError(file, [f"{file}: {printable(problem)}"])


def read_file(path: Path, file: str, limits: ImportLimits) -> bytes:
    """The bytes of a regular file no larger than the limit, never reading past it."""
    try:
        info = path.stat()
    except OSError as exc:
        raise _refuse(file, f"cannot read ({exc.strerror or exc})") from exc
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(file, "not a regular file (valid: a CSV or xlsx file)")
    if info.st_size > limits.max_file_bytes:
        raise _too_big(file, info.st_size, limits)
    try:
        with path.open("rb") as handle:
            data = handle.read(limits.max_file_bytes + 1)
    except OSError as exc:
        raise _refuse(file, f"cannot read ({exc.strerror or exc})") from exc
    if len(data) > limits.max_file_bytes:  # it grew while being read
        raise _too_big(file, len(data), limits)
    return data


def _too_big(file: str, size: int, limits: ImportLimits) -> ImportFormatError:
    return _refuse(
        file,
        f"{size:,} bytes is over the limit of {limits.max_file_bytes:,} (valid: files up to "
        "that size; BORDERFLOW_MAX_FILE_BYTES sets it)",
    )


def check_bytes(data: bytes, file: str) -> None:
    """A text file holds no NUL byte: one means binary data or a sparse file's holes."""
    at = data.find(b"\x00")
    if at >= 0:
        line = data.count(b"\n", 0, at) + 1
        raise ImportFormatError(
            file,
            [f"{file}:{line}: a NUL byte at byte {at:,}: binary data, not text (valid: a "
             "CSV text file or an xlsx workbook)"],
        )  # fmt: skip


def check_text(text: str, file: str, limits: ImportLimits) -> None:
    """No more lines than the row limit allows (a header and title lines aside), and no
    cell longer than the cell limit, each named by its line."""
    lines = text.count("\n") + 1
    if lines > limits.max_rows + 10:
        raise _refuse(
            file,
            f"{lines:,} lines is over the limit of {limits.max_rows:,} rows (valid: files up "
            "to that many rows; BORDERFLOW_MAX_ROWS sets it)",
        )
    if len(text) <= limits.max_field_chars:
        return
    problems = [
        f"{file}:{number}: a cell of {length:,} characters is over the limit of "
        f"{limits.max_field_chars:,} (valid: cells up to that length; "
        "BORDERFLOW_MAX_FIELD_CHARS sets it)"
        for number, length in _long_cells(text, limits.max_field_chars)
    ]
    if problems:
        raise ImportFormatError(file, problems)


def _long_cells(text: str, limit: int) -> Iterator[tuple[int, int]]:
    """(line, length of its longest cell) for each line holding a cell over `limit`."""
    for number, line in enumerate(text.splitlines(), start=1):
        if len(line) <= limit:
            continue
        try:
            longest = max(map(len, next(csv.reader([line]), [""])), default=0)
        except csv.Error:  # over the csv reader's own limit
            longest = max(map(len, line.split(",")))
        if longest > limit:
            yield number, longest


def check_workbook(data: bytes, file: str, limits: ImportLimits) -> None:
    """From the zip directory and a stream through each sheet, without unpacking it into
    memory: the workbook unpacks to no more than the limit, and its sheets declare and
    hold no more rows and cells than allowed."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except Exception as exc:  # zipfile raises several kinds for a damaged archive
        raise _refuse(file, f"not a readable xlsx workbook ({exc})") from exc
    total = sum(e.file_size for e in entries)
    if total > limits.max_decompressed_bytes:
        raise _refuse(
            file,
            f"unpacks to {total:,} bytes, over the limit of {limits.max_decompressed_bytes:,} "
            "(valid: workbooks up to that size; BORDERFLOW_MAX_DECOMPRESSED_BYTES sets it)",
        )
    for entry in entries:
        if _SHEET.fullmatch(entry.filename):
            sheet = entry.filename.rsplit("/", 1)[-1]
            problem, malformed = _scan_sheet(archive, entry, limits)
            if problem:
                raise _refuse(file, f"sheet {sheet}: {problem}")
            if malformed:
                raise ImportFormatError(
                    file, [f"{file}:{row}: {printable(what)} ({sheet})" for row, what in malformed]
                )


def _scan_sheet(
    archive: zipfile.ZipFile, entry: zipfile.ZipInfo, limits: ImportLimits
) -> tuple[str | None, list[tuple[int, str]]]:
    """What is over the limits in one sheet (the size its dimension declares, else the
    rows and cells it holds, counted while streaming its XML: a dimension can lie), and
    its number cells whose stored value is not a number, by row."""
    rows = cells = 0
    carry = b""
    malformed: list[tuple[int, str]] = []
    try:
        with archive.open(entry) as stream:
            head = stream.read(_CHUNK)
            declared = _declared_cells(head)
            if declared is not None and declared > limits.max_cells:
                return (
                    f"its dimension declares {declared:,} cells, over the limit of "
                    f"{limits.max_cells:,} (valid: sheets up to that many cells; "
                    "BORDERFLOW_MAX_CELLS sets it)"
                ), []
            chunk = head
            while chunk:
                buffer = carry + chunk
                cut = _boundary(buffer)
                rows += len(_ROW.findall(buffer, 0, cut))
                cells += len(_CELL.findall(buffer, 0, cut))
                malformed += _malformed_numbers(buffer, cut)
                carry = buffer[cut:]
                if rows > limits.max_rows:
                    return _over(limits.max_rows, "rows", "BORDERFLOW_MAX_ROWS"), []
                if cells > limits.max_cells:
                    return _over(limits.max_cells, "cells", "BORDERFLOW_MAX_CELLS"), []
                chunk = stream.read(_CHUNK)
    except Exception as exc:  # a damaged, encrypted or oddly compressed entry
        return f"cannot be unpacked ({exc})", []
    return None, malformed


def _boundary(buffer: bytes) -> int:
    """Where to cut a chunk of sheet XML so no tag and no cell is split: after the last
    complete cell, else before the last tag."""
    end = buffer.rfind(b"</c>")
    if end < 0:
        end = buffer.rfind(b":c>")
    if end >= 0:
        return buffer.index(b">", end) + 1
    cut = buffer.rfind(b"<")
    return len(buffer) if cut < 0 else cut


def _malformed_numbers(buffer: bytes, end: int) -> list[tuple[int, str]]:
    """Number cells whose stored value is not a decimal number: (row, what is wrong)."""
    found = []
    for match in _VALUE_CELL.finditer(buffer, 0, end):
        kind = _TYPE.search(match.group(1))
        value = match.group(2).strip()
        if (kind is None or kind.group(1) == b"n") and not _STORED_NUMBER.fullmatch(value):
            ref = _REF.search(match.group(1))
            row, cell = (int(ref.group(2)), ref.group(1).decode()) if ref else (1, "?")
            shown = value[:40].decode("utf-8", "replace")
            found.append((row, f"cell {cell}: {shown!r} is not a stored number (valid: a number)"))
    return found


def _over(limit: int, what: str, setting: str) -> str:
    return f"holds more than {limit:,} {what} (valid: sheets up to that many; {setting} sets it)"


def _declared_cells(head: bytes) -> int | None:
    """Cells of the sheet's <dimension ref="A1:I11015">, the size it says it has."""
    m = _DIMENSION.search(head, 0, 65536)
    if m is None or m.group(4) is None:
        return None
    first_col, first_row = _column(m.group(1) or b"A"), int(m.group(2) or b"1")
    last_col, last_row = _column(m.group(3)), int(m.group(4))
    return max(0, last_col - first_col + 1) * max(0, last_row - first_row + 1)


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number
