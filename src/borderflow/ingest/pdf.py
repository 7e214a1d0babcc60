"""PDF text and metadata, read within bounds.

A few kilobytes of PDF can declare streams that unpack to gigabytes, a page tree of
thousands of pages, or one huge content stream that every page draws again. So the page
count is checked before any page is read; each page's content is unpacked (pypdf's
decompression limits set from max_decompressed_bytes, as a context variable, so readers in
other threads keep theirs) and counted against max_decompressed_bytes for the whole
document before its text is extracted; and extraction stops as soon as the text is over
max_text_chars.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from borderflow.errors import IngestError
from borderflow.ingest.limits import IngestLimits, setting_hint

_DECOMPRESSION_LIMITS = (
    "zlib_maximum_output_length",
    "lzw_maximum_output_length",
    "run_length_maximum_output_length",
    "brotli_maximum_output_length",
    "jbig2_maximum_output_length",
    "array_based_stream_maximum_output_length",
    "image_maximum_buffer_size",
)


@dataclass(slots=True)
class PdfContent:
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)


def read_pdf(data: bytes, source: str, limits: IngestLimits) -> PdfContent:
    """The text of every page and the document's title, author and creation date."""
    from pypdf import apply_configuration
    from pypdf.errors import LimitReachedError

    overwrites = dict.fromkeys(_DECOMPRESSION_LIMITS, limits.max_decompressed_bytes)
    with apply_configuration(None, **overwrites):
        try:
            reader = _open(data, source)
            _check_pages(reader, source, limits)
            return PdfContent(_text(reader, source, limits), _metadata(reader))
        except LimitReachedError as exc:
            if "decompress" not in str(exc).lower():
                raise IngestError(
                    source, f"PDF refused by a safety limit of pypdf ({exc})"
                ) from exc
            raise _unpacks_too_much(source, limits, f" ({exc})") from exc


def _unpacks_too_much(source: str, limits: IngestLimits, detail: str = "") -> IngestError:
    return IngestError(
        source,
        f"PDF content unpacks to more than {limits.max_decompressed_bytes:,} bytes{detail} "
        + setting_hint("max_decompressed_bytes"),
    )


def _open(data: bytes, source: str) -> Any:
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception as exc:
                raise IngestError(source, "PDF is encrypted") from exc
        return reader
    except (IngestError, LimitReachedError):
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise IngestError(source, f"unreadable PDF ({exc})") from exc


def _check_pages(reader: Any, source: str, limits: IngestLimits) -> None:
    from pypdf.errors import LimitReachedError

    try:
        pages = len(reader.pages)
    except LimitReachedError:
        raise
    except Exception as exc:  # pypdf raises assorted errors on a damaged page tree
        raise IngestError(source, f"unreadable PDF ({exc})") from exc
    if pages > limits.max_pdf_pages:
        raise IngestError(
            source,
            f"PDF has {pages:,} pages, over the limit of {limits.max_pdf_pages:,} "
            + setting_hint("max_pdf_pages"),
        )


def _text(reader: Any, source: str, limits: IngestLimits) -> str:
    from pypdf.errors import LimitReachedError

    pages: list[str] = []
    length = unpacked = 0
    for number, page in enumerate(reader.pages, 1):
        try:
            unpacked += _content_bytes(page)
            if unpacked > limits.max_decompressed_bytes:
                raise _unpacks_too_much(source, limits, f" by page {number}")
            text = (page.extract_text() or "").strip()
        except (LimitReachedError, IngestError):
            raise
        except Exception as exc:  # pypdf raises assorted errors on damaged content streams
            raise IngestError(source, f"unreadable PDF page {number} ({exc})") from exc
        length += len(text) + 2
        if length > limits.max_text_chars:
            raise IngestError(
                source,
                f"text is over the limit of {limits.max_text_chars:,} characters by page "
                f"{number} " + setting_hint("max_text_chars"),
            )
        if text:
            pages.append(text)
    joined = "\n\n".join(pages)
    if not joined:
        raise IngestError(source, "PDF has no extractable text (a scan without OCR?)")
    return joined


def _content_bytes(page: Any) -> int:
    """How many bytes the page's content streams unpack to (pypdf keeps them unpacked for
    the text extraction that follows)."""
    contents = page.get_contents()
    return len(contents.get_data()) if contents is not None else 0


def _metadata(reader: Any) -> dict[str, Any]:
    """Title, author and creation date from the document information dictionary."""
    try:
        info = reader.metadata
        if not info:
            return {}
        created = info.creation_date
        return {
            "title": info.title,
            "author": info.author,
            "date": created.date() if created else None,
        }
    except Exception:  # metadata is optional (and often malformed); the text was read
        return {}
