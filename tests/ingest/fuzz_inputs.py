"""Generated bad inputs for ingest, shared by the property tests and the robustness
benchmark (benchmarks/ingest_fuzz.py): random bytes, text in random encodings,
HTML built from odd pieces, damaged PDFs, and file names made of any bytes a Linux file
system takes. `reading` and `ingesting` say what became of them: a per-file IngestError
is the expected outcome for a bad file, anything else is a crash."""

from __future__ import annotations

import codecs
import os
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

from borderflow.errors import IngestError
from borderflow.ingest.limits import IngestLimits
from borderflow.ingest.pipeline import ingest_paths
from borderflow.ingest.readers import read_document
from borderflow.store import Store
from borderflow.text_safety import printable
from tests.ingest.pdfs import raw_pdf, text_stream

MAX_BYTES = 200_000
# Small limits, so the refusals are exercised too.
LIMITS = IngestLimits(
    max_text_chars=50_000,
    max_claims_per_document=200,
    max_decompressed_bytes=2_000_000,
    max_pdf_pages=40,
)
SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".xhtml", ".pdf", ".TXT", ".Html")
ENCODINGS = (
    "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1", "cp1252",
    "gb18030", "shift_jis", "koi8-r", "utf-7",
)  # fmt: skip
_BOM_OF = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}
_NEWS = (
    "4.9 kg", "26,693 pounds", " more than ", "between 3 and 9 percent", "US$1.3 billion",
    " in 2024", "fiscal year 2023–2024", "last year", "Posted on 07 Feb 2025\n", "date 2025-01-23 ",
    "By Jane Doe\n", "“", "”", "鈥渕", "聽", "\u00a0", "\r\n", "\x1b[31m", "\ufeff", "%",
    "The CBSA seized ", " fentanyl ", ". ", "\n\n", "Québec", "\u202e",
)  # fmt: skip
_HTML = (
    "<html>", "</html>", "<head>", "</head>", "<body>", "</body>", "<article>", "</article>",
    "<header>", "</header>", "<p>", "</p>", "<title>", "</title>", "<script>", "</script>",
    "<meta property='article:published_time' content='2024-12-02'>",
    "<meta name='date' content='not a date'>", "<meta name='date' content='2024-02-30'>",
    '<script type="application/ld+json">{"datePublished": "2023-05-06"}</script>',
    '<script type="application/ld+json">{"@graph": [[[{"datePublished": 7}]]]}</script>',
    '<script type="application/ld+json">{broken</script>',
    "<time datetime='2022-07-01' pubdate>", "</time>", "<span itemprop='datePublished'>",
    "</span>", "<!--", "-->", "<![CDATA[", "]]>", "<?xml version='1.0' encoding='utf-8'?>",
    "&amp;", "&#0;", "&#xD800;", "<div", ">", "<table><tr><td>", "</td></tr></table>",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class FileCase:
    """One generated file: its name as bytes (any but '/' and NUL) and its content."""

    name: bytes
    data: bytes


def _encoded(text: str, encoding: str) -> bytes:
    return _BOM_OF.get(encoding, b"") + text.encode(encoding, errors="replace")


_fragments = st.sampled_from(_NEWS)
# Mostly news-like pieces, some arbitrary text: enough of it is read, not refused, to go
# through repair and extraction too.
_newsish = st.lists(
    st.one_of(_fragments, _fragments, _fragments, st.text(max_size=30)), max_size=40
).map("".join)
_text_bytes = st.builds(_encoded, _newsish, st.sampled_from(ENCODINGS))
_html_bytes = st.builds(
    _encoded,
    st.lists(st.one_of(st.sampled_from(_HTML), _newsish), max_size=40).map("".join),
    st.sampled_from(("utf-8", "utf-16", "cp1252")),
)
_good_pdf = raw_pdf(2, text_stream("Agents seized 4 kg of fentanyl in 2023."))
_edits = st.lists(
    st.tuples(st.integers(0, len(_good_pdf)), st.integers(0, 16), st.binary(max_size=16)),
    max_size=6,
)


def _damaged(edits: list[tuple[int, int, bytes]]) -> bytes:
    data = _good_pdf
    for at, cut, insert in edits:
        data = data[:at] + insert + data[at + cut :]
    return data


_pdf_bytes = st.one_of(
    st.builds(_damaged, _edits),
    st.builds(raw_pdf, st.integers(0, 60), st.binary(max_size=200), compress=st.booleans()),
    st.builds(
        raw_pdf,
        st.integers(1, 60),
        _newsish.map(lambda text: text_stream(text.encode("latin-1", "replace").decode("latin-1"))),
    ),
)
contents = st.one_of(
    st.binary(max_size=4096), _text_bytes, _text_bytes, _html_bytes, _html_bytes, _pdf_bytes
)
names = st.builds(
    lambda stem, suffix: stem + suffix.encode(),
    st.binary(min_size=1, max_size=80).map(lambda b: b.replace(b"/", b"_").replace(b"\0", b"_")),
    st.sampled_from(SUFFIXES),
)
file_cases = st.builds(FileCase, names, contents)
folders = st.lists(file_cases, min_size=1, max_size=6, unique_by=lambda c: c.name)


def _written(folder: Path, case: FileCase) -> Path:
    path = Path(os.fsdecode(os.fsencode(folder) + b"/" + case.name))
    path.write_bytes(case.data)
    return path


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of generated input: files read (and stored, when ingesting), files
    refused with a one-line IngestError, and a crash (anything else), if there was one."""

    read: int = 0
    refused: int = 0
    crash: str | None = None


def reading(case: FileCase) -> Outcome:
    """Read one generated file."""
    with tempfile.TemporaryDirectory(prefix="bf-fuzz-") as folder:
        path = _written(Path(folder), case)
        try:
            doc = read_document(path, printable(path.name), max_bytes=MAX_BYTES, limits=LIMITS)
        except IngestError as exc:
            if "\n" in str(exc):
                return Outcome(crash=f"error on two lines: {exc!r}")
            return Outcome(refused=1)
        except Exception:
            return Outcome(crash=f"{case!r}\n{traceback.format_exc()}")
    if not doc.text.strip() or len(doc.text) > LIMITS.max_text_chars:
        return Outcome(crash=f"{case!r}: read a text it should have refused")
    return Outcome(read=1)


def ingesting(store: Store, cases: list[FileCase]) -> Outcome:
    """Ingest a folder of generated files: every visible file must come back as a result
    or as a one-line error, every name printable."""
    with tempfile.TemporaryDirectory(prefix="bf-fuzz-") as folder:
        for case in cases:
            _written(Path(folder), case)
        visible = sum(1 for c in cases if not c.name.startswith(b"."))
        try:
            report = ingest_paths([folder], store, max_bytes=MAX_BYTES, limits=LIMITS)
        except Exception:
            return Outcome(crash=f"{cases!r}\n{traceback.format_exc()}")
    outcome = Outcome(len(report.results), len(report.errors))
    if outcome.read + outcome.refused != visible:
        crash = f"{cases!r}: {visible} files, {outcome.read + outcome.refused} accounted for"
        return Outcome(outcome.read, outcome.refused, crash)
    lines = [str(e) for e in report.errors] + [source for source, _ in report.results]
    bad = [line for line in lines if line != printable(line)]
    return Outcome(outcome.read, outcome.refused, f"unescaped: {bad!r}" if bad else None)
