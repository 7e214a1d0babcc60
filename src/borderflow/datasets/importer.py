"""`data import`: read each file within the import limits, detect its source from its
header, parse every row and check it against what the source declares valid, then store it
as one release. A file with a bad row is refused whole unless bad rows are explicitly
skipped; nothing of a refused file is written, and one refused file never stops the
others. Revisions beyond the margin come back with the result. Layouts and what is valid
come from the registry."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from borderflow.datasets import registry
from borderflow.datasets.limits import (
    ImportLimits,
    check_bytes,
    check_text,
    check_workbook,
    read_file,
)
from borderflow.datasets.model import ParsedFile
from borderflow.datasets.repeats import collapse_repeats
from borderflow.datasets.revisions import LargeRevision, large_revisions
from borderflow.datasets.source import CsvLayout, Source, WorkbookLayout
from borderflow.datasets.tabular import header_line, read_text
from borderflow.errors import ImportFormatError, QueryError, StoreError
from borderflow.store import Store
from borderflow.store.observations import ReleaseResult, find_release, save_release
from borderflow.text_safety import printable

_ZIP = b"PK\x03\x04"  # an xlsx workbook is a zip container


@dataclass(frozen=True, slots=True)
class FileResult:
    """What one file became: its release, the rows skipped (with --skip-bad-rows), the
    revisions beyond the margin it made, and notes (identical rows counted once)."""

    file: str
    source: str
    result: ReleaseResult
    rows: int
    skipped: list[str]
    revisions: list[LargeRevision] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped_rows: int = 0


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
        file,
        [f"{file}:1: unknown layout; header is {printable(first[:200])!r}. "
         f"Expected one of: {expected}"],
    )  # fmt: skip


def import_file(
    store: Store,
    path: Path,
    *,
    source: str = "auto",
    skip_bad_rows: bool = False,
    limits: ImportLimits | None = None,
    today: date | None = None,
) -> FileResult:
    """Import one file as a release (or find it imported already). Raises
    ImportFormatError, naming the file and each bad line, when it is refused."""
    file = printable(str(path))
    limits = limits or ImportLimits.defaults()
    data = read_file(path, file, limits)
    content_hash = hashlib.sha256(data).hexdigest()
    known = find_release(store, content_hash)
    if known is not None:
        return FileResult(file, known[1], ReleaseResult("unchanged", known[0], 0, 0, 0), 0, [])
    parsed = parse(data, file, source, limits=limits, today=today)
    if parsed.problems and not skip_bad_rows:
        raise ImportFormatError(
            file,
            [
                *parsed.problems,
                f"{file}: nothing imported ({parsed.skipped_rows} bad rows; "
                "--skip-bad-rows imports the rest)",
            ],
        )
    if not parsed.records:
        raise ImportFormatError(file, [f"{file}: no data rows after the header"])
    name = printable(path.name)
    result = save_release(
        store, source=parsed.source, file_name=name, content_hash=content_hash,
        rows=parsed.rows, skipped_rows=parsed.skipped_rows, records=parsed.records,
    )  # fmt: skip
    revisions = large_revisions(parsed.source, name, result.changes)
    return FileResult(
        file, parsed.source, result, parsed.rows, parsed.problems, revisions, parsed.notes,
        parsed.skipped_rows,
    )  # fmt: skip


def parse(
    data: bytes,
    file: str,
    source: str = "auto",
    *,
    limits: ImportLimits | None = None,
    today: date | None = None,
) -> ParsedFile:
    """Recognise the layout (or check the one given), parse every row and check each
    figure against what its source declares valid (`today` bounds the periods)."""
    limits = limits or ImportLimits.defaults()
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
        check_workbook(data, file, limits)
        parsed = _parse_workbook(data, file, wanted)
    elif wanted is not None and not isinstance(wanted.layout, CsvLayout):
        raise ImportFormatError(
            file, [f"{file}:1: not a {wanted.name} file: expected an xlsx workbook"]
        )
    else:
        check_bytes(data, file)
        text = read_text(data, file)
        check_text(text, file, limits)
        parsed = _parse_text(text, file, wanted)
    return _checked(parsed, file, today or date.today())


def _checked(parsed: ParsedFile, file: str, today: date) -> ParsedFile:
    """Every figure against its source's declared validity; a row with any bad figure is
    refused whole; repeated figures are counted once or, when they disagree, refused."""
    valid = registry.source(parsed.source).valid
    said: set[tuple[int, str]] = set()  # a row's figures often share a problem (its period)
    for record in parsed.records:
        for problem in valid.problems(record, today):
            if (record.line, problem) not in said:
                said.add((record.line, problem))
                parsed.refuse(file, record.line, problem)
    parsed.drop_bad_lines()
    collapse_repeats(parsed, file, valid)
    parsed.drop_bad_lines()
    return parsed


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
            problems.append(printable(str(exc)))
    raise ImportFormatError(file, problems)


def _parse_text(text: str, file: str, wanted: Source | None) -> ParsedFile:
    if wanted is None or not isinstance(wanted.layout, CsvLayout):
        _, layout, skip = detect(text, file)
    else:
        layout = wanted.layout
        found = header_line(text, layout.header)
        if found is None:
            first = text.splitlines()[0] if text else ""
            raise ImportFormatError(
                file,
                [
                    f"{file}:1: not a {wanted.name} file ({wanted.description}): expected the "
                    f"columns {', '.join(layout.header)}; found {printable(first[:200])!r}"
                ],
            )
        skip = found
    try:
        return layout.parse(text, file, skip)
    except ValueError as exc:  # a parser's refusal of the whole file
        raise ImportFormatError(file, [f"{file}: {printable(str(exc))}"]) from exc


def import_files(
    store: Store,
    paths: Sequence[Path],
    *,
    source: str = "auto",
    skip_bad_rows: bool = False,
    limits: ImportLimits | None = None,
    today: date | None = None,
    on_file: Callable[[Path], None] | None = None,
) -> tuple[list[FileResult], list[ImportFormatError]]:
    """Import each file on its own: one refused file does not stop the others.
    `on_file` is called after each file (progress display)."""
    results: list[FileResult] = []
    errors: list[ImportFormatError] = []
    for path in paths:
        try:
            results.append(
                import_file(
                    store, path, source=source, skip_bad_rows=skip_bad_rows, limits=limits,
                    today=today,
                )
            )  # fmt: skip
        except ImportFormatError as exc:
            errors.append(exc)
        except StoreError as exc:  # the store was busy, or another import raced this one
            file = printable(str(path))
            errors.append(ImportFormatError(file, [f"{file}: {exc}"]))
        if on_file:
            on_file(path)
    return results, errors
