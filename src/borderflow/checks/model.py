"""Verdicts and the evidence behind them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

VerdictName = Literal[
    "supported", "supported-with-caveat", "misleading", "contradicted", "conflict", "unverifiable"
]
VERDICTS: tuple[str, ...] = (
    "supported",
    "supported-with-caveat",
    "misleading",
    "contradicted",
    "conflict",
    "unverifiable",
)


@dataclass(frozen=True, slots=True)
class Citation:
    """A piece of evidence: a span of a document, or an official observation series."""

    kind: Literal["document", "official", "model"]
    label: str
    document_id: int | None = None
    start: int | None = None
    end: int | None = None
    quote: str | None = None
    source: str | None = None
    release: str | None = None
    value: float | None = None
    unit: str | None = None
    line: int | None = None  # the file line of a single official observation

    @classmethod
    def of_claim(cls, claim: dict[str, Any], *, sentence: bool = False) -> Citation:
        """A claim's span in its document, quoting the claim's words or its sentence."""
        return cls(
            "document",
            claim["text"],
            document_id=claim["document_id"],
            start=claim["start"],
            end=claim["end"],
            quote=claim["sentence"] if sentence else claim["text"],
        )

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _CITATION_FIELDS}


_CITATION_FIELDS = (
    "kind",
    "label",
    "document_id",
    "start",
    "end",
    "quote",
    "source",
    "release",
    "value",
    "unit",
    "line",
)


@dataclass(frozen=True, slots=True)
class Verdict:
    """One check's judgement of one claim."""

    claim_id: int
    check: str  # arithmetic | doses | official | shares | sources
    verdict: VerdictName
    confidence: float
    explanation: str
    expected: float | None = None
    expected_low: float | None = None
    expected_high: float | None = None
    unit: str | None = None
    citations: list[Citation] = field(default_factory=list)

    def as_record(self) -> dict[str, Any]:
        return asdict(self)
