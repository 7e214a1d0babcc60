"""`data import`: detect each file's source from its header, parse and validate every row,
then store it as one release. A file with a bad row is refused whole unless bad rows are
explicitly skipped; nothing of a refused file is written. Layouts come from the registry."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from borderflow.datasets import registry
from borderflow.datasets.model import ParsedFile
from borderflow.datasets.source import CsvLayout, Source, WorkbookLayout
from borderflow.datasets.tabular import header_line, read_text
from borderflow.errors import ImportFormatError, QueryError
from borderflow.store import Store
from borderflow.store.observations import ReleaseResult, find_release, save_release

_ZIP = b"PK\x03\x04"  # an xlsx workbook is a zip container


@dataclass(frozen=True, slots=True)
class FileResult:
    file: str
    source: str
    result: ReleaseResult
    rows: int
    skipped: list[str]


def _csv_layouts() -> list[tuple[Source, CsvLayout]]:
    return [(s, s.layout) for s in registry.SOURCES if isinstance(s.layout, CsvLayout)]


def _workbook_layouts() -> list[tuple[Source, WorkbookLayout]]:
    return [(s, s.layout) for s in registry.SOURCES if isinstance(s.layout, WorkbookLayout)]


def detect(text: str, file: str) -> tuple[Source, CsvLayout, int]:
    """The source whose header the file has, and the number of title lines before it."""
    for found, layout in _csv_layouts():
        index = header_line(text, layout.header)
        if index is not None:
            return found, layout, index
    first = text.splitlines()[0] if text else ""
    expected = "; ".join(f"{s.name}: {', '.join(layout.header)}" for s, layout in _csv_layouts())
    raise ImportFormatError(
        file, [f"{file}:1: unknown layout; header is {first[:200]!r}. Expected one of: {expected}"]
    )


def import_file(
    store: Store, path: Path, *, source: str = "auto", skip_bad_rows: bool = False
) -> FileResult:
    file = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFormatError(file, [f"{file}: cannot read ({exc.strerror or exc})"]) from exc
    content_hash = hashlib.sha256(data).hexdigest()
    known = find_release(store, content_hash)
    if known is not None:
        return FileResult(file, known[1], ReleaseResult("unchanged", known[0], 0, 0, 0), 0, [])
    parsed = parse(data, file, source)
    if parsed.problems and not skip_bad_rows:
        raise ImportFormatError(
            file,
            [
                *parsed.problems,
                f"{file}: nothing imported ({len(parsed.problems)} bad rows; "
                "--skip-bad-rows imports the rest)",
            ],
        )
    if not parsed.records:
        raise ImportFormatError(file, [f"{file}: no data rows after the header"])
    result = save_release(
        store,
        source=parsed.source,
        file_name=path.name,
        content_hash=content_hash,
        rows=parsed.rows,
        skipped_rows=len(parsed.skipped_lines),
        records=parsed.records,
    )
    return FileResult(file, parsed.source, result, parsed.rows, parsed.problems)


def parse(data: bytes, file: str, source: str = "auto") -> ParsedFile:
    """Recognise the layout (or check the one given) and parse every row."""
    wanted = None
    if source != "auto":
        try:
            wanted = registry.source(source)
        except QueryError as exc:
            known = ", ".join(["auto", *registry.names()])
            raise ImportFormatError(
                file, [f"{file}: unknown source {source!r} (known: {known})"]
            ) from exc
    if data.startswith(_ZIP):
        return _parse_workbook(data, file, wanted)
    if wanted is not None and not isinstance(wanted.layout, CsvLayout):
        raise ImportFormatError(
            file, [f"{file}:1: not a {wanted.name} file: expected an xlsx workbook"]
        )
    return _parse_text(data, file, wanted)


def _parse_workbook(data: bytes, file: str, wanted: Source | None) -> ParsedFile:
    layouts = _workbook_layouts()
    if wanted is not None:
        if not isinstance(wanted.layout, WorkbookLayout):
            kinds = ", ".join(s.name for s, _ in layouts)
            raise ImportFormatError(
                file,
                [f"{file}:1: not a {wanted.name} file: it is an xlsx workbook "
                 f"(only {kinds} come as xlsx)"],
            )  # fmt: skip
        layouts = [(wanted, wanted.layout)]
    problems = []
    for _, layout in layouts:
        try:
            return layout.parse(data, file)
        except ValueError as exc:
            problems.append(str(exc))
    raise ImportFormatError(file, problems)


def _parse_text(data: bytes, file: str, wanted: Source | None) -> ParsedFile:
    text = read_text(data, file)
    if wanted is None or not isinstance(wanted.layout, CsvLayout):
        _, layout, skip = detect(text, file)
        return layout.parse(text, file, skip)
    index = header_line(text, wanted.layout.header)
    if index is None:
        first = text.splitlines()[0] if text else ""
        raise ImportFormatError(
            file,
            [
                f"{file}:1: not a {wanted.name} file ({wanted.description}): expected the "
                f"columns {', '.join(wanted.layout.header)}; found {first[:200]!r}"
            ],
        )
    return wanted.layout.parse(text, file, index)


def import_files(
    store: Store,
    paths: Sequence[Path],
    *,
    source: str = "auto",
    skip_bad_rows: bool = False,
    on_file: Callable[[Path], None] | None = None,
) -> tuple[list[FileResult], list[ImportFormatError]]:
    """Import each file on its own: one refused file does not stop the others.
    `on_file` is called after each file (progress display)."""
    results: list[FileResult] = []
    errors: list[ImportFormatError] = []
    for path in paths:
        try:
            results.append(import_file(store, path, source=source, skip_bad_rows=skip_bad_rows))
        except ImportFormatError as exc:
            errors.append(exc)
        if on_file:
            on_file(path)
    return results, errors
