"""Read a file into repaired text plus metadata: plain text, Markdown, HTML and PDF.

Every failure is an IngestError naming the file and the reason in one line, so a folder
with one bad file still ingests the rest. What the reading libraries warn about is kept
with the document (`warnings`), to be reported with the file's name.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from borderflow.errors import IngestError
from borderflow.ingest.files import read_regular, source_key
from borderflow.ingest.html import read_html
from borderflow.ingest.library_warnings import caught_warnings, summarised
from borderflow.ingest.limits import IngestLimits, setting_hint
from borderflow.ingest.metadata import TextMetadata, text_metadata
from borderflow.ingest.pdf import read_pdf
from borderflow.ingest.repair import decode_bytes, looks_binary, repair_text
from borderflow.text_safety import printable
from borderflow.vocab import load_vocabulary
from borderflow.vocab.sites import site_owner

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
PDF_SUFFIXES = frozenset({".pdf"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES
# Control characters have no place in a title, an author or an outlet (and would reach the
# terminal and the web pages that show them).
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]+")


@dataclass(slots=True)
class ParsedDocument:
    """A document ready for extraction and storage."""

    source: str
    source_key: str
    format: str
    content_hash: str
    size: int
    text: str
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    published: date | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    repairs: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_document(
    path: Path,
    source: str,
    *,
    max_bytes: int,
    limits: IngestLimits | None = None,
    published: date | None = None,
    outlet: str | None = None,
    title: str | None = None,
) -> ParsedDocument:
    """Read, decode, repair and describe one file. `published`/`outlet` given by the user
    take precedence over what the file says; `title` is the title of last resort (else
    the file's name)."""
    limits = limits or IngestLimits()
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(
            source,
            f"unsupported file type '{suffix or '(none)'}' "
            f"(supported: {', '.join(sorted(SUPPORTED_SUFFIXES))})",
        )
    data = read_regular(path, source, max_bytes)
    if not data.strip():
        raise IngestError(source, "file is empty")
    with caught_warnings() as warnings:
        fmt, raw_text, meta = _text_of(data, suffix, source, limits)
    if len(raw_text) > limits.max_text_chars:
        raise IngestError(
            source,
            f"text is {len(raw_text):,} characters, over the limit of "
            f"{limits.max_text_chars:,} " + setting_hint("max_text_chars"),
        )
    text, report = repair_text(raw_text)
    found: TextMetadata = text_metadata(text)
    text = found.text
    if not text.strip():
        raise IngestError(source, "no text left after extraction")
    chosen_date, date_source = _first(
        (published, "option"), (meta.get("date"), f"{fmt}-metadata"),
        (found.published, found.date_source),
    )  # fmt: skip
    found_title = _clean(meta.get("title")) or found.title
    author = _clean(meta.get("author")) or found.author
    # An agency's release saved from its own site is the agency's, whatever the site's
    # name ("Canada.ca"): its figures are then read as the agency's own (extract).
    chosen_outlet = outlet or _site_agency(meta.get("url"), source) or _clean(meta.get("sitename"))
    metadata = {k: _json_ready(v) for k, v in meta.items() if v not in (None, "")}
    metadata["date_source"] = date_source if chosen_date else "undated"
    notes = summarised(warnings)
    if notes:
        metadata["warnings"] = notes
    return ParsedDocument(
        source=source, source_key=source_key(path), format=fmt,
        content_hash=hashlib.sha256(data).hexdigest(), size=len(data), text=text,
        title=found_title or title or printable(path.stem), author=author, outlet=chosen_outlet,
        published=chosen_date, metadata=metadata, repairs=report.repairs, warnings=notes,
    )  # fmt: skip


def _text_of(
    data: bytes, suffix: str, source: str, limits: IngestLimits
) -> tuple[str, str, dict[str, Any]]:
    """(format, text before repair, metadata the format carries) of a file's bytes."""
    if suffix in PDF_SUFFIXES:
        pdf = read_pdf(data, source, limits)
        return "pdf", pdf.text, pdf.metadata
    if looks_binary(data):
        raise IngestError(source, "looks like a binary file, not text")
    try:
        decoded, encoding = decode_bytes(data)
    except UnicodeDecodeError as exc:
        raise IngestError(source, f"cannot decode text ({exc.reason})") from exc
    if suffix in HTML_SUFFIXES:
        raw_text, meta = read_html(decoded, source)
        return "html", raw_text, {**meta, "encoding": encoding}
    return "text", decoded, {"encoding": encoding}


def _first(*options: tuple[Any, str | None]) -> tuple[Any, str | None]:
    for value, origin in options:
        if value:
            return value, origin
    return None, None


def _clean(value: Any) -> str | None:
    """A metadata string without control characters and runs of white space."""
    if not isinstance(value, str):
        return None
    return " ".join(_CONTROLS.sub(" ", value).split()) or None


def _json_ready(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _site_agency(url: Any, source: str) -> str | None:
    """The agency whose own site the page says it is from (its canonical address), or
    that it was fetched from."""
    agencies = load_vocabulary().agencies
    fetched = source if source.startswith(("http://", "https://")) else None
    return site_owner(url if isinstance(url, str) else None, agencies) or site_owner(
        fetched, agencies
    )
