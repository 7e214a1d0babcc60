"""Extraction: every quantitative mention in a text becomes a claim with its provenance."""

from borderflow.extract.model import CLAIM_FIELDS, Claim, DocumentMeta, PeriodReading
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
