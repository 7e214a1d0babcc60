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
    "magnitude",
]
PeriodBasis = Literal["calendar", "us_fiscal", "ca_fiscal", "rolling", "unknown"]


@dataclass(frozen=True, slots=True)
class PeriodReading:
    """One way to read a period phrase: 'in 2024' said of CBP is a calendar and a fiscal year."""

    basis: PeriodBasis
    start: date
    end: date

    def as_dict(self) -> dict[str, str]:
        return {"basis": self.basis, "start": self.start.isoformat(), "end": self.end.isoformat()}

    @classmethod
    def from_dict(cls, raw: dict[str, str]) -> PeriodReading:
        """The reading as `as_dict` stored it (the store keeps candidates as JSON)."""
        return cls(
            raw["basis"],  # type: ignore[arg-type]
            date.fromisoformat(raw["start"]),
            date.fromisoformat(raw["end"]),
        )


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

    def in_sentence(self) -> tuple[int, int]:
        """Where the claim's words lie in its sentence (its own offsets are the document's,
        and a stored claim keeps its sentence's text, not where it starts): the first place
        they appear, else an empty span at the sentence's end."""
        at = self.sentence.find(self.text)
        if at < 0:
            return len(self.sentence), len(self.sentence)
        return at, at + len(self.text)

    def as_record(self) -> dict[str, Any]:
        """A JSON-ready dict with dates as ISO strings, fields in CLAIM_FIELDS order."""
        record: dict[str, Any] = {}
        for name in self._record_fields():
            value = getattr(self, name)
            record[name] = value.isoformat() if isinstance(value, date) else value
        record["period_candidates"] = [p.as_dict() for p in self.period_candidates]
        return record

    @classmethod
    def _record_fields(cls) -> tuple[str, ...]:
        return _CLAIM_ONLY


_CLAIM_ONLY = tuple(f.name for f in fields(Claim))


@dataclass(slots=True, kw_only=True)
class StoredClaim(Claim):
    """A claim as the store holds it: with its id and the document it belongs to."""

    id: int
    document_id: int
    document: str
    title: str | None = None

    @classmethod
    def of(cls, claim: Claim, *, id: int, document_id: int, document: str = "",
           title: str | None = None) -> StoredClaim:  # fmt: skip
        """`claim` as stored under `id` (tests and uploads build these directly)."""
        values = {name: getattr(claim, name) for name in _CLAIM_ONLY}
        values["period_candidates"] = list(claim.period_candidates)
        return cls(**values, id=id, document_id=document_id, document=document, title=title)

    @classmethod
    def _record_fields(cls) -> tuple[str, ...]:
        return CLAIM_FIELDS


# Field order of a claim in every output format (README documents each).
CLAIM_FIELDS: tuple[str, ...] = ("id", "document_id", "document", "title", *_CLAIM_ONLY)
