"""Context rules: which measure, substance, corridor, flow and period a quantity is about.

Each rule looks at the quantity's own sentence first and falls back on what the paragraph
carried (see pipeline.py); the cue words and domain facts come from the vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from borderflow.extract.mentions import Mention, MentionIndex
from borderflow.extract.model import Claim, PeriodReading
from borderflow.extract.periods import TemporalMention, fiscal_reading
from borderflow.extract.quantities import Quantity
from borderflow.extract.segment import Sentence
from borderflow.vocab import Vocabulary

_ALLOWED_MEASURES = {
    "percent": ("change", "tariff", "share"),
    "mass": ("seizure", "production"),
    "volume": ("seizure", "production"),
    "currency": ("funding", "tariff"),
}
_SUBSTANCE_OF = re.compile(r"^[\s\u00a0]+of[\s\u00a0]+(?:[\w’'-]+[\s\u00a0]+){0,2}$")
_ORIGIN_BEFORE = re.compile(r"(?i)\b(?:from|out of)[\s\u00a0]+(?:the[\s\u00a0]+)?$")
_DEST_BEFORE = re.compile(
    r"(?i)\b(?:to|into|for|toward|towards|entering|reaching|reach|enter)[\s\u00a0]+(?:the[\s\u00a0]+)?$"
)
_ORIGIN_AFTER = re.compile(
    r"(?:-(?:made|based|sourced|produced|origin)|’s[\s\u00a0]+(?:[\w-]+[\s\u00a0]+){0,3}?"
    r"(?:industry|production|producers|labs|manufactur\w*))"
)
_BARE_BORDER = re.compile(
    r"(?i)\b(?:the|a|our|their|its)[\s\u00a0]+border(?![\s\u00a0]*(?:with|between[\s\u00a0]+\D|services|patrol|"
    r"agents?|plan|security|infrastructure|officials|officers|crossings?))\b"
)
_OF_AFTER = re.compile(r"[\s\u00a0]+of\b")


@dataclass(slots=True)
class Carry:
    """What a paragraph has established so far, for sentences that leave it unsaid."""

    agency: str | None = None
    # The period the paragraph is about, and the measure of the claim it was dated for
    # (None when no claim was): carried only to claims of the same measure.
    period: tuple[TemporalMention, tuple[PeriodReading, ...], str | None] | None = None
    mass_measure: str | None = None
    claims: list[Claim] = field(default_factory=list)


class ContextRules:
    """The vocabulary-derived facts the rules need, computed once per extractor."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.priority = {t.name: int(t.attrs.get("priority", 0)) for t in vocab.measures}
        self.seizing_agencies = frozenset(a.name for a in vocab.agencies if a.attrs.get("seizes"))
        self.corridor_between = {
            frozenset(t.attrs.get("between") or ()): t.name
            for t in vocab.corridors
            if t.attrs.get("between")
        }
        self.country_code = {
            t.name: t.attrs.get("code") for t in vocab.places if t.attrs.get("level") == "country"
        }

    def measure(
        self, text: str, q: Quantity, cues: list[Mention], carry: Carry, agency: str | None
    ) -> str:
        if q.dimension in ("ratio", "magnitude"):
            return "share"
        if q.dimension == "percent" and _OF_AFTER.match(text, q.end):
            return "share"  # "97% of the fentanyl"
        if q.dimension in ("count", "rate") and q.noun_measure and q.noun_measure != "other":
            return q.noun_measure
        allowed = _ALLOWED_MEASURES.get(q.dimension)
        if allowed is None:
            return "other"
        best = min(
            (c for c in cues if c.name in allowed),
            key=lambda c: (distance(c, q), -self.priority.get(c.name, 0)),
            default=None,
        )
        if best is not None:
            return best.name
        if q.dimension in ("mass", "volume"):
            if carry.mass_measure:
                return carry.mass_measure
            return "seizure" if agency in self.seizing_agencies else "other"
        if q.dimension == "percent":
            return "share" if _OF_AFTER.match(text, q.end) else "change"
        return "funding" if q.dimension == "currency" else "other"

    def substance(self, text: str, q: Quantity, mentions: list[Mention]) -> str | None:
        for m in mentions:
            if m.start >= q.end and _SUBSTANCE_OF.match(text[q.end : m.start]):
                return m.name
        return nearest(mentions, q)

    def flow(self, text: str, places: list[Mention]) -> tuple[str | None, str | None]:
        origin = destination = None
        for m in places:
            if m.attrs.get("level") != "country":
                continue
            before = text[max(0, m.start - 25) : m.start]
            if origin is None and (
                _ORIGIN_BEFORE.search(before) or _ORIGIN_AFTER.match(text, m.end, m.end + 60)
            ):
                origin = m.name
            elif destination is None and _DEST_BEFORE.search(before):
                destination = m.name
        return origin, destination

    def sentence_corridor(
        self,
        text: str,
        sent: Sentence,
        corridors: MentionIndex,
        origin: str | None,
        destination: str | None,
    ) -> str | None:
        named = corridors.between(sent.start, sent.end)
        if named:
            return named[-1].name
        if origin and destination:
            pair = frozenset({self.country_code.get(origin), self.country_code.get(destination)})
            return self.corridor_between.get(pair)
        return None

    def corridor(
        self,
        text: str,
        q: Quantity,
        named: list[Mention],
        s_corridor: str | None,
        agency: str | None,
    ) -> str | None:
        if named:
            return nearest(named, q)
        country = self.vocab.agency_country(agency)
        if country in self.vocab.bare_border_by_country and _BARE_BORDER.search(
            text, max(0, q.start - 120), q.end + 120
        ):
            return self.vocab.bare_border_by_country[country]
        return s_corridor

    def period(
        self,
        claim: Claim,
        q: Quantity,
        periods: list[TemporalMention],
        next_start: int,
        carry: Carry,
    ) -> None:
        mention = None
        right = [p for p in periods if q.end <= p.start < next_start]
        left = [p for p in periods if p.end <= q.start]
        if right:
            mention = right[0]
        elif left:
            mention = left[-1]
        if mention is None:
            if carry.period is None or carry.period[2] not in (None, claim.measure):
                return
            mention, readings, _measure = carry.period
        else:
            readings = self.readings(mention, claim.agency)
        claim.period_text = mention.text
        claim.period_candidates = list(readings)
        if not readings:
            claim.period_basis = "unknown"
        elif len(readings) == 1:
            claim.period_basis = readings[0].basis
            claim.period_start, claim.period_end = readings[0].start, readings[0].end
        else:
            claim.period_basis = "unknown"
            claim.period_start, claim.period_end = readings[0].start, readings[0].end

    def readings(self, mention: TemporalMention, agency: str | None) -> tuple[PeriodReading, ...]:
        country = self.vocab.agency_country(agency)
        if mention.fiscal_end is not None:
            basis = self.vocab.fiscal_by_country.get(country or "")
            bases = [basis] if basis else list(self.vocab.fiscal_years)
            return tuple(
                fiscal_reading(mention.fiscal_end, b, self.vocab.fiscal_years[b]) for b in bases
            )
        if mention.calendar is None:
            return ()
        calendar = PeriodReading(mention.basis, *mention.calendar)  # type: ignore[arg-type]
        if mention.bare_year and agency in self.vocab.ambiguous_year_agencies:
            basis = self.vocab.ambiguous_year_agencies[agency]
            fiscal = fiscal_reading(mention.calendar[0].year, basis, self.vocab.fiscal_years[basis])
            return calendar, fiscal
        return (calendar,)


def distance(m: Mention, q: Quantity) -> int:
    if m.end <= q.start:
        return q.start - m.end
    if m.start >= q.end:
        return m.start - q.end
    return 0


def nearest(mentions: list[Mention], q: Quantity) -> str | None:
    if not mentions:
        return None
    return min(mentions, key=lambda m: distance(m, q)).name
