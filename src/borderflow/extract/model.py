"""The claim record: what one quantitative mention says, and where it stands in the text."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any, Literal

Qualifier = Literal["exact", "approx", "at_least", "more_than", "at_most", "less_than", "vague"]
Dimension = Literal[
    "mass",
    "volume",
    "count",
    "percent",
    "currency",
    "length",
    "duration",
    "rate",
    "speed",
    "temperature",
    "ratio",
]
PeriodBasis = Literal["calendar", "us_fiscal", "ca_fiscal", "rolling", "unknown"]

# Field order of a claim in every output format (README documents each).
CLAIM_FIELDS: tuple[str, ...] = (
    "id",
    "document_id",
    "document",
    "title",
    "start",
    "end",
    "text",
    "sentence",
    "value",
    "value_max",
    "qualifier",
    "unit",
    "dimension",
    "normalized_value",
    "normalized_unit",
    "measure",
    "substance",
    "agency",
    "place",
    "corridor",
    "origin",
    "destination",
    "period_start",
    "period_end",
    "period_basis",
    "period_text",
    "period_candidates",
    "speaker",
)


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """What extraction needs to know about the document a text came from."""

    published: date | None = None
    outlet: str | None = None
    title: str | None = None
    author: str | None = None


@dataclass(frozen=True, slots=True)
class PeriodReading:
    """One way to read a period phrase: 'in 2024' said of CBP is a calendar and a fiscal year."""

    basis: PeriodBasis
    start: date
    end: date

    def as_dict(self) -> dict[str, str]:
        return {"basis": self.basis, "start": self.start.isoformat(), "end": self.end.isoformat()}


@dataclass(slots=True)
class Claim:
    """A quantity found in a text, with its provenance. Offsets index the repaired text."""

    start: int
    end: int
    text: str
    sentence: str
    value: float
    value_max: float | None
    qualifier: Qualifier
    unit: str | None
    dimension: Dimension
    normalized_value: float | None
    normalized_unit: str | None
    measure: str = "other"
    substance: str | None = None
    agency: str | None = None
    place: str | None = None
    corridor: str | None = None
    origin: str | None = None
    destination: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    period_basis: PeriodBasis | None = None
    period_text: str | None = None
    period_candidates: list[PeriodReading] = field(default_factory=list)
    speaker: str | None = None

    def as_record(self) -> dict[str, Any]:
        """A JSON-ready dict with dates as ISO strings."""
        record = {name: getattr(self, name) for name in _RECORD_FIELDS}
        for key in ("period_start", "period_end"):
            if record[key] is not None:
                record[key] = record[key].isoformat()
        record["period_candidates"] = [p.as_dict() for p in self.period_candidates]
        return record


_RECORD_FIELDS = tuple(f.name for f in fields(Claim))
