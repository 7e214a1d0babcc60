"""`data import`: detect each file's source from its header, parse and validate every row,
then store it as one release. A file with a bad row is refused whole unless bad rows are
explicitly skipped; nothing of a refused file is written."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from borderflow.datasets import cbp, cdc, nflis, phac, unodc, wonder
from borderflow.datasets.model import ObservationRecord, ParsedFile
from borderflow.datasets.tabular import header_line, read_text, rows
from borderflow.errors import ImportFormatError
from borderflow.store import Store
from borderflow.store.observations import ReleaseResult, find_release, save_release
from borderflow.vocab import VOCAB_DIR


@dataclass(frozen=True, slots=True)
class SourceFormat:
    """A publisher's file layout: the header that identifies it and its parser."""

    name: str
    description: str
    header: tuple[str, ...]
    parse: Callable[[str, str, int, dict[str, str]], ParsedFile]


def _cbp(source: str) -> Callable[[str, str, int, dict[str, str]], ParsedFile]:
    def parse(text: str, file: str, skip: int, substances: dict[str, str]) -> ParsedFile:
        return cbp.parse(rows(text, file, skip), source, substances)

    return parse


def _cdc_vsrr(text: str, file: str, skip: int, substances: dict[str, str]) -> ParsedFile:
    return cdc.parse(rows(text, file, skip), substances)


def _wonder(source: str) -> Callable[[str, str, int, dict[str, str]], ParsedFile]:
    def parse(text: str, file: str, skip: int, substances: dict[str, str]) -> ParsedFile:
        return wonder.parse(rows(text, file, skip), source, substances)

    return parse


def _phac(text: str, file: str, skip: int, substances: dict[str, str]) -> ParsedFile:
    return phac.parse(rows(text, file, skip), substances)


def _nflis(text: str, file: str, skip: int, substances: dict[str, str]) -> ParsedFile:
    return nflis.parse_dqs(rows(text, file, skip), substances)


def _nflis_table(text: str, file: str, skip: int, substances: dict[str, str]) -> ParsedFile:
    del skip, substances  # the parser reads the title and every block header itself
    return nflis.parse_table(text, file)


FORMATS: dict[str, SourceFormat] = {
    "cbp": SourceFormat(
        "cbp",
        "CBP drug seizures, OFO + Border Patrol (nationwide-drugs-*.csv)",
        cbp.NATIONWIDE,
        _cbp("cbp"),
    ),
    "cbp-amo": SourceFormat(
        "cbp-amo", "CBP Air and Marine Operations seizures (amo-*.csv)", cbp.AMO, _cbp("cbp-amo")
    ),
    "cdc-vsrr": SourceFormat(
        "cdc-vsrr",
        "CDC VSRR provisional overdose death counts, API export (dataset xkb8-kh2a)",
        cdc.VSRR,
        _cdc_vsrr,
    ),
    "cdc-wonder": SourceFormat(
        "cdc-wonder",
        "CDC WONDER final deaths by state and month (Multiple Cause of Death)",
        wonder.FINAL,
        _wonder("cdc-wonder"),
    ),
    "cdc-wonder-provisional": SourceFormat(
        "cdc-wonder-provisional",
        "CDC WONDER provisional deaths by residence state and month",
        wonder.PROVISIONAL,
        _wonder("cdc-wonder-provisional"),
    ),
    "phac": SourceFormat(
        "phac",
        "PHAC opioid- and stimulant-related harms (SubstanceHarmsData.csv)",
        phac.HARMS,
        _phac,
    ),
    "nflis": SourceFormat(
        "nflis",
        "DEA NFLIS-Drug Data Query System export (laboratory reports by state and half-year)",
        nflis.DQS,
        _nflis,
    ),
    "nflis-table": SourceFormat(
        "nflis-table",
        "DEA NFLIS published Table 3 (fentanyl-related reports, substance x state)",
        nflis.TABLE,
        _nflis_table,
    ),
}


_RECORD_FIELDS = tuple(f.name for f in dataclasses.fields(ObservationRecord))


@functools.cache
def substance_labels() -> dict[str, str]:
    data = yaml.safe_load((VOCAB_DIR / "dataset_labels.yaml").read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in data["substances"].items()}


@dataclass(frozen=True, slots=True)
class FileResult:
    file: str
    source: str
    result: ReleaseResult
    rows: int
    skipped: list[str]


def detect(text: str, file: str) -> tuple[SourceFormat, int]:
    """The format whose header the file has, and the number of title lines before it."""
    for fmt in FORMATS.values():
        index = header_line(text, fmt.header)
        if index is not None:
            return fmt, index
    first = text.splitlines()[0] if text else ""
    expected = "; ".join(f"{f.name}: {', '.join(f.header)}" for f in FORMATS.values())
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
    parsed = _parse(data, file, source)
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
        records=[{f: getattr(r, f) for f in _RECORD_FIELDS} for r in parsed.records],
    )
    return FileResult(file, parsed.source, result, parsed.rows, parsed.problems)


def _parse(data: bytes, file: str, source: str) -> ParsedFile:
    """Recognise the layout (or check the one given) and parse every row."""
    if source not in ("auto", "unodc", *FORMATS):
        known = ", ".join(["auto", *FORMATS, "unodc"])
        raise ImportFormatError(file, [f"{file}: unknown source {source!r} (known: {known})"])
    if data.startswith(b"PK\x03\x04"):  # a zip container: the UNODC xlsx workbook
        if source not in ("auto", "unodc"):
            raise ImportFormatError(
                file,
                [
                    f"{file}:1: not a {source} file: it is an xlsx "
                    "workbook (only unodc comes as xlsx)"
                ],
            )
        try:
            sheet = unodc.read_rows(data, file)
        except ValueError as exc:
            raise ImportFormatError(file, [str(exc)]) from exc
        start = unodc.header_index(sheet)
        if start is None:
            raise ImportFormatError(
                file,
                [
                    f"{file}:1: unknown workbook layout: expected a sheet {unodc.SHEET!r} with the "
                    f"columns {', '.join(unodc.HEADER)}"
                ],
            )
        return unodc.parse(sheet, file, start, substance_labels())
    if source == "unodc":
        raise ImportFormatError(file, [f"{file}:1: not a unodc file: expected an xlsx workbook"])
    text = read_text(data, file)
    if source == "auto":
        fmt, skip = detect(text, file)
    else:
        fmt = FORMATS[source]
        found = header_line(text, fmt.header)
        if found is None:
            first = text.splitlines()[0] if text else ""
            raise ImportFormatError(
                file,
                [
                    f"{file}:1: not a {fmt.name} file ({fmt.description}): expected the columns "
                    f"{', '.join(fmt.header)}; found {first[:200]!r}"
                ],
            )
        skip = found
    return fmt.parse(text, file, skip, substance_labels())


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
