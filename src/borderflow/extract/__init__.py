"""Extraction: every quantitative mention in a text becomes a claim with its provenance.

The extractor (its grammars and vocabularies) loads when first asked for, so commands
that only read stored claims, such as `borderflow check`, do not pay for it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from borderflow.extract.model import CLAIM_FIELDS, Claim, DocumentMeta, PeriodReading

if TYPE_CHECKING:
    from borderflow.extract.pipeline import Extractor, default_extractor, extract_claims

__all__ = [
    "CLAIM_FIELDS",
    "Claim",
    "DocumentMeta",
    "Extractor",
    "PeriodReading",
    "default_extractor",
    "extract_claims",
]
_FROM_PIPELINE = frozenset({"Extractor", "default_extractor", "extract_claims"})


def __getattr__(name: str) -> Any:
    if name in _FROM_PIPELINE:
        from borderflow.extract import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
