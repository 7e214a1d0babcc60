"""Read a file into repaired text plus metadata: plain text, Markdown, HTML and PDF.

Every failure is an IngestError naming the file and the reason in one line, so a folder
with one bad file still ingests the rest.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from borderflow.errors import IngestError
from borderflow.ingest.metadata import TextMetadata, parse_date, text_metadata
from borderflow.ingest.repair import decode_bytes, looks_binary, repair_text

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
PDF_SUFFIXES = frozenset({".pdf"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES


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


def read_document(
    path: Path,
    source: str,
    *,
    max_bytes: int,
    published: date | None = None,
    outlet: str | None = None,
) -> ParsedDocument:
    """Read, decode, repair and describe one file. `published`/`outlet` given by the user
    take precedence over what the file says."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(
            source,
            f"unsupported file type '{suffix or '(none)'}' "
            f"(supported: {', '.join(sorted(SUPPORTED_SUFFIXES))})",
        )
    data = _read_bytes(path, source, max_bytes)
    fmt, raw_text, meta = _text_of(data, suffix, source)
    text, report = repair_text(raw_text)
    found: TextMetadata = text_metadata(text)
    text = found.text
    if not text.strip():
        raise IngestError(source, "no text left after extraction")
    html_date = parse_date(str(meta.get("date"))) if meta.get("date") else None
    chosen_date, date_source = _first(
        (published, "option"), (html_date, f"{fmt}-metadata"), (found.published, found.date_source)
    )
    title, _ = _first((meta.get("title"), f"{fmt}-metadata"), (found.title, "first-line"))
    author, _ = _first((meta.get("author"), f"{fmt}-metadata"), (found.author, "byline"))
    chosen_outlet, _ = _first((outlet, "option"), (meta.get("sitename"), f"{fmt}-metadata"))
    metadata = {k: v for k, v in meta.items() if v not in (None, "")}
    metadata["date_source"] = date_source if chosen_date else "undated"
    return ParsedDocument(
        source=source, source_key=str(path.resolve()), format=fmt,
        content_hash=hashlib.sha256(data).hexdigest(), size=len(data), text=text,
        title=title or path.stem, author=author, outlet=chosen_outlet, published=chosen_date,
        metadata=metadata, repairs=report.repairs,
    )  # fmt: skip


def _read_bytes(path: Path, source: str, max_bytes: int) -> bytes:
    """The file's bytes, or an IngestError saying in words why they cannot be had."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError(
                source,
                f"file is {size:,} bytes, over the limit of {max_bytes:,} "
                "(set BORDERFLOW_MAX_FILE_BYTES to raise it)",
            )
        data = path.read_bytes()
    except IsADirectoryError as exc:
        raise IngestError(source, "is a directory") from exc
    except PermissionError as exc:
        raise IngestError(source, "permission denied") from exc
    except FileNotFoundError as exc:
        raise IngestError(source, "no such file") from exc
    except OSError as exc:
        raise IngestError(source, f"cannot read ({exc.strerror or exc})") from exc
    if not data.strip():
        raise IngestError(source, "file is empty")
    return data


def _text_of(data: bytes, suffix: str, source: str) -> tuple[str, str, dict[str, Any]]:
    """(format, text before repair, metadata the format carries) of a file's bytes."""
    if suffix in PDF_SUFFIXES:
        return "pdf", _pdf_text(data, source), _pdf_meta(data)
    if looks_binary(data):
        raise IngestError(source, "looks like a binary file, not text")
    try:
        decoded, encoding = decode_bytes(data)
    except UnicodeDecodeError as exc:
        raise IngestError(source, f"cannot decode text ({exc.reason})") from exc
    if suffix in HTML_SUFFIXES:
        raw_text, meta = _html_text(decoded, source)
        return "html", raw_text, {**meta, "encoding": encoding}
    return "text", decoded, {"encoding": encoding}


def _first(*options: tuple[Any, str | None]) -> tuple[Any, str | None]:
    for value, origin in options:
        if value:
            return value, origin
    return None, None


def _html_text(html: str, source: str) -> tuple[str, dict[str, Any]]:
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=True, favor_recall=True
        )
    except Exception as exc:  # trafilatura raises many kinds on malformed markup
        raise IngestError(source, f"cannot parse HTML ({exc})") from exc
    if doc is None:
        text = trafilatura.html2txt(html) or ""
        return text, {}
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = data.get("text") or trafilatura.html2txt(html) or ""
    meta = {key: data.get(key) for key in ("title", "author", "date", "sitename", "url")}
    return text, meta


def _pdf_reader(data: bytes, source: str) -> Any:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception as exc:
                raise IngestError(source, "PDF is encrypted") from exc
        _ = len(reader.pages)
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise IngestError(source, f"unreadable PDF ({exc})") from exc
    return reader


def _pdf_text(data: bytes, source: str) -> str:
    reader = _pdf_reader(data, source)
    pages = []
    try:
        for page in reader.pages:
            pages.append(page.extract_text() or "")
    except Exception as exc:  # pypdf raises assorted errors on damaged content streams
        raise IngestError(source, f"unreadable PDF page ({exc})") from exc
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise IngestError(source, "PDF has no extractable text (a scan without OCR?)")
    return text


def _pdf_meta(data: bytes) -> dict[str, Any]:
    from pypdf import PdfReader

    try:
        info = PdfReader(io.BytesIO(data)).metadata
    except Exception:  # metadata is optional; the text was already read
        return {}
    if not info:
        return {}
    created = info.creation_date if hasattr(info, "creation_date") else None
    return {
        "title": info.title,
        "author": info.author,
        "date": created.date().isoformat() if created else None,
    }
