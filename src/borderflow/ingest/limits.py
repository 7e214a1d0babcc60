"""How much of a document ingest will read: the bounds from the settings, and the hint that
ends every refusal (naming the setting that raises the limit)."""

from __future__ import annotations

from dataclasses import dataclass

from borderflow.config import Settings, declared_default


def _declared(name: str) -> int:
    value = declared_default(name)
    assert isinstance(value, int)
    return value


@dataclass(frozen=True, slots=True)
class IngestLimits:
    """Bounds on one document besides its size in bytes (which callers give as
    `max_bytes`, since the web app's upload limit differs from the command line's)."""

    max_text_chars: int = _declared("max_text_chars")
    max_claims_per_document: int = _declared("max_claims_per_document")
    max_decompressed_bytes: int = _declared("max_decompressed_bytes")
    max_pdf_pages: int = _declared("max_pdf_pages")

    @classmethod
    def from_settings(cls, settings: Settings) -> IngestLimits:
        return cls(
            max_text_chars=settings.max_text_chars,
            max_claims_per_document=settings.max_claims_per_document,
            max_decompressed_bytes=settings.max_decompressed_bytes,
            max_pdf_pages=settings.max_pdf_pages,
        )


def setting_hint(setting: str) -> str:
    """How to raise a limit, for the end of the message that refuses a document:
    '(set BORDERFLOW_MAX_TEXT_CHARS to raise it)'."""
    return f"(set BORDERFLOW_{setting.upper()} to raise it)"
