"""What extraction produces and needs. The claim record itself lives in
`borderflow.records.claims` (the store and the checks read it too); it is re-exported here
because extraction is where claims are made."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from borderflow.records.claims import (
    CLAIM_FIELDS,
    Claim,
    Dimension,
    PeriodBasis,
    PeriodReading,
    Qualifier,
)

__all__ = [
    "CLAIM_FIELDS",
    "Claim",
    "Dimension",
    "DocumentMeta",
    "PeriodBasis",
    "PeriodReading",
    "Qualifier",
]


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """What extraction needs to know about the document a text came from."""

    published: date | None = None
    outlet: str | None = None
    title: str | None = None
    author: str | None = None
