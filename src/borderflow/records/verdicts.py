"""Verdicts: the kinds a check can reach, the evidence behind one, and how it is stored.

`KINDS` is the one table of verdict kinds. The checks rank headlines by it, ClaimReview
takes its rating from it, and the web app builds its filter menus, legend, badges and
highlight colours from it; adding a kind here adds it everywhere, and a test fails if a
kind lacks a field or is missing from the legend.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from borderflow.records.claims import StoredClaim
from borderflow.records.documents import DisplayTitle


class VerdictKind(StrEnum):
    SUPPORTED = "supported"
    SUPPORTED_WITH_CAVEAT = "supported-with-caveat"
    MISLEADING = "misleading"
    CONTRADICTED = "contradicted"
    CONFLICT = "conflict"
    UNVERIFIABLE = "unverifiable"


@dataclass(frozen=True, slots=True)
class KindInfo:
    """How one verdict kind is judged, rated and shown.

    `problem`: the figure was found wanting, which a headline puts before a confirmation.
    `rating`: schema.org ClaimReview's 1 (false) to 5 (true). `colour` and `tint`: badge
    and highlight colours (WCAG AA contrast with white text on `colour`). `attention`:
    where a summary lists the kind, 0 first: the gravest problems, then a figure that
    needs a qualification, then one nothing could test, then confirmations."""

    kind: VerdictKind
    label: str
    rating: int
    problem: bool
    colour: str
    tint: str
    meaning: str
    attention: int

    @property
    def css_class(self) -> str:
        return f"verdict-{self.kind.value}"


# In display order: what a reader scans for first comes first.
KINDS: tuple[KindInfo, ...] = (
    KindInfo(VerdictKind.SUPPORTED, "supported", 5, False, "#2f7d32", "#e7f3e8",
             "the data or the text confirm the figure as stated", 5),
    KindInfo(VerdictKind.SUPPORTED_WITH_CAVEAT, "supported, with a caveat", 4, False,
             "#8a6d00", "#fbf3d6",
             "the figure is right, but for another period or scope than stated, or loosely "
             "rounded", 3),
    KindInfo(VerdictKind.MISLEADING, "misleading", 2, True, "#7b1fa2", "#f3e5f5",
             "accurate in itself but read in a way the data do not bear out", 1),
    KindInfo(VerdictKind.CONTRADICTED, "contradicted", 1, True, "#b3261e", "#fbe4e2",
             "the data give a clearly different figure", 0),
    KindInfo(VerdictKind.CONFLICT, "conflicting sources", 3, True, "#b45309", "#fdebd8",
             "documents disagree about this figure and no official data settle it", 2),
    KindInfo(VerdictKind.UNVERIFIABLE, "unverifiable", 3, False, "#6b7280", "#eef0f4",
             "no data cover the figure, or its period cannot be resolved: never a guess", 4),
)  # fmt: skip
KIND_INFO: dict[str, KindInfo] = {info.kind.value: info for info in KINDS}
VERDICTS: tuple[str, ...] = tuple(info.kind.value for info in KINDS)
UNCHECKED = "unchecked"  # a claim no check applied to (a filter value, not a verdict)

CheckName = Literal["official", "arithmetic", "doses", "shares", "sources"]
# Which kind of evidence a headline verdict prefers, most direct first.
CHECK_PRIORITY: tuple[CheckName, ...] = ("official", "arithmetic", "doses", "shares", "sources")


@dataclass(frozen=True, slots=True)
class Citation:
    """A piece of evidence: a span of a document, an official series, or a model fit."""

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

    def as_dict(self) -> dict[str, Any]:
        # Every field is a scalar, so a flat copy is `asdict` without its deep copy,
        # which cost a check run more time than the checks themselves.
        return {name: getattr(self, name) for name in _CITATION_FIELDS}

    @classmethod
    def of_claim(cls, claim: StoredClaim, *, sentence: bool = False) -> Citation:
        """A claim's span in its document, quoting the claim's words or its sentence."""
        return cls(
            "document", claim.text, document_id=claim.document_id, start=claim.start,
            end=claim.end, quote=claim.sentence if sentence else claim.text,
        )  # fmt: skip

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Citation:
        """A citation as `as_dict` stored it; keys it does not know are ignored."""
        return cls(**{k: raw[k] for k in _CITATION_FIELDS if k in raw})


_CITATION_FIELDS = tuple(Citation.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class Verdict:
    """One check's judgement of one claim."""

    claim_id: int
    check: CheckName
    verdict: VerdictKind
    confidence: float
    explanation: str
    expected: float | None = None
    expected_low: float | None = None
    expected_high: float | None = None
    unit: str | None = None
    citations: list[Citation] = field(default_factory=list)
    # For a figure supported with a caveat, the caveat alone in words ("it is CBP's
    # calendar-year figure", "the text is off by 4.2%"), so a page can say it apart from
    # the explanation that carries it.
    caveat: str | None = None

    @property
    def problem(self) -> bool:
        return KIND_INFO[self.verdict].problem

    def as_record(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class CheckRecord:
    """A verdict as stored: with whether it is its claim's headline and the data releases
    its citations drew on."""

    verdict: Verdict
    headline: bool
    releases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StoredCheck:
    """A stored verdict with the claim and document it is about (what the faces show)."""

    claim_id: int
    document_id: int
    document: str
    title: str | None
    published: date | None
    claim: str
    sentence: str
    start: int
    end: int
    speaker: str | None
    check: str
    verdict: str
    headline: bool
    confidence: float
    expected: float | None
    unit: str | None
    explanation: str
    citations: tuple[Citation, ...]
    releases: tuple[str, ...]
    checked_at: datetime | None = None
    caveat: str | None = None
    # What every face names the document by (records.documents.display_title).
    shown_title: DisplayTitle | None = None

    @property
    def kind(self) -> KindInfo:
        return KIND_INFO[self.verdict]

    @property
    def display_title(self) -> str:
        return self.shown_title.text if self.shown_title else self.title or self.document

    def as_record(self) -> dict[str, Any]:
        """JSON-ready: dates as ISO strings, citations as dicts."""
        record = {name: getattr(self, name) for name in _STORED_CHECK_FIELDS}
        record["published"] = self.published.isoformat() if self.published else None
        record["citations"] = [c.as_dict() for c in self.citations]
        record["releases"] = list(self.releases)
        record["display_title"] = self.display_title
        del record["checked_at"], record["shown_title"]
        return record

    def detail_record(self) -> dict[str, Any]:
        """The verdict alone, as the claim page and its API list a claim's checks."""
        return {
            "check": self.check, "verdict": self.verdict, "headline": self.headline,
            "confidence": self.confidence, "explanation": self.explanation,
            "expected": self.expected, "unit": self.unit, "caveat": self.caveat,
            "citations": [c.as_dict() for c in self.citations],
            "releases": list(self.releases),
            "checked_at": self.checked_at.isoformat() if self.checked_at else None,
        }  # fmt: skip


_STORED_CHECK_FIELDS = tuple(StoredCheck.__dataclass_fields__)
# The fields of `StoredCheck.as_record`, in the order exports carry them. `headline`: the
# verdict a claim is shown with, where a listing of every verdict gives several a claim.
CHECK_FIELDS = (
    "claim_id", "document_id", "display_title", "document", "title", "published", "claim",
    "sentence", "start", "end", "speaker", "check", "verdict", "headline", "confidence",
    "expected", "unit", "explanation", "caveat", "citations", "releases",
)  # fmt: skip
