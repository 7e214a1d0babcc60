"""extract_claims: from a repaired text and its metadata to claims with provenance.

A pure function of (text, metadata, vocabulary), so it can run in worker processes. Each
quantity takes its context from its own sentence first; what the sentence leaves open
(which agency, which substance, which period) carries over from the earlier sentences of
the same paragraph, the way a reader resolves "This amount included 4.1 kg...".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from borderflow.extract.mentions import Gazetteer, Mention, MentionIndex, without_overlaps
from borderflow.extract.model import Claim, DocumentMeta, PeriodReading
from borderflow.extract.periods import (
    PERIOD_TRIGGERS,
    TemporalMention,
    find_periods,
    fiscal_reading,
)
from borderflow.extract.quantities import Quantity, QuantityScanner
from borderflow.extract.segment import Sentence, sentences
from borderflow.extract.speakers import SpeakerFinder
from borderflow.extract.tokens import TriggerTable
from borderflow.vocab import Vocabulary, load_vocabulary

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
# A period introduced like this is the baseline of a comparison, not the figure's own period.
_BASELINE_BEFORE = re.compile(
    r"(?i)\b(?:compared(?:[\s\u00a0]+(?:to|with))?|than|versus|vs\.?|relative[\s\u00a0]+to|"
    r"over[\s\u00a0]+the[\s\u00a0]+same[\s\u00a0]+(?:time[\s\u00a0]+)?period[\s\u00a0]+(?:in|of))"
    r"[\s\u00a0]+(?:the[\s\u00a0]+)?(?:same[\s\u00a0]+)?(?:period[\s\u00a0]+(?:in|of)[\s\u00a0]+)?$"
)
_PRONOUN_ATTRIBUTION = re.compile(
    r"\b(?:[Hh]e|[Ss]he|[Tt]hey)[\s\u00a0]+(?:said|says|added|told|"
    r"noted|wrote|stated)\b"
)


@dataclass(slots=True)
class _Carry:
    """What a paragraph has established so far, for sentences that leave it unsaid."""

    agency: str | None = None
    # The period the paragraph is about, and the measure of the claim it was dated for
    # (None when no claim was): carried only to claims of the same measure.
    period: tuple[TemporalMention, tuple[PeriodReading, ...], str | None] | None = None
    mass_measure: str | None = None
    claims: list[Claim] = field(default_factory=list)


class Extractor:
    """Holds the compiled patterns for one vocabulary; `extract` is pure."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.quantities = QuantityScanner(vocab)
        self.agencies = Gazetteer(vocab.agencies)
        self.substances = Gazetteer(vocab.substances)
        self.places = Gazetteer(vocab.places)
        self.corridors = Gazetteer(vocab.corridors)
        self.cues = Gazetteer(vocab.measures, prefix=True)
        self.priority = {t.name: int(t.attrs.get("priority", 0)) for t in vocab.measures}
        self.speakers = SpeakerFinder(vocab)
        self.seizing_agencies = frozenset(a.name for a in vocab.agencies if a.attrs.get("seizes"))
        self.gazetteers = {
            "agencies": self.agencies,
            "substances": self.substances,
            "places": self.places,
            "corridors": self.corridors,
            "cues": self.cues,
        }
        self.triggers = TriggerTable(
            {name: g.triggers for name, g in self.gazetteers.items()}
            | {
                "numerals": self.quantities.numerals.triggers,
                "periods": PERIOD_TRIGGERS,
                "speakers": self.speakers.triggers,
            }
        )
        self.corridor_between = {
            frozenset(t.attrs.get("between") or ()): t.name
            for t in vocab.corridors
            if t.attrs.get("between")
        }
        self.country_code = {
            t.name: t.attrs.get("code") for t in vocab.places if t.attrs.get("level") == "country"
        }

    def extract(self, text: str, meta: DocumentMeta | None = None) -> list[Claim]:
        meta = meta or DocumentMeta()
        tokens = self.triggers.index(text)
        found = {
            name: MentionIndex(gazetteer.find(text, tokens.positions[name], tokens.word_at))
            for name, gazetteer in self.gazetteers.items()
        }
        agencies, corridors, substances, cues = (
            found["agencies"],
            found["corridors"],
            found["substances"],
            found["cues"],
        )
        places = MentionIndex(
            without_overlaps(
                without_overlaps(found["places"].mentions, agencies.mentions),
                corridors.mentions,
            )
        )
        claims: list[Claim] = []
        carry = _Carry()
        paragraph, para_first, para_start = -1, 0, 0
        sents = sentences(text, self.vocab)
        corridor_of: dict[int, str | None] = {}
        speaker_of: dict[int, str | None] = {}

        def sentence_corridor(i: int) -> str | None:
            if i not in corridor_of:
                sent = sents[i]
                flow = self._flow(text, places.between(sent.start, sent.end))
                corridor_of[i] = self._sentence_corridor(text, sent, corridors, *flow)
            return corridor_of[i]

        def speaker(i: int) -> str | None:
            if i not in speaker_of:
                sent = sents[i]
                verbs = tokens.between("speakers", sent.start, sent.end)
                speaker_of[i] = self.speakers.find(
                    text, sent.start, sent.end, agencies.between(sent.start, sent.end), verbs
                )
            return speaker_of[i]

        # Only sentences with a quantity need their full context; what earlier sentences
        # carry (agency, substance, corridor, speaker) is looked up when a claim needs it.
        for i, sent in enumerate(sents):
            if sent.paragraph != paragraph:
                carry, paragraph, para_first, para_start = _Carry(), sent.paragraph, i, sent.start
            quantities = self.quantities.scan(text, sent.start, sent.end, tokens)
            periods = [
                p
                for p in find_periods(text, sent.start, sent.end, meta.published, tokens)
                if not any(q.num_start <= p.start < q.end for q in quantities)
                and not _BASELINE_BEFORE.search(text, max(0, p.start - 40), p.start)
            ]
            if quantities:
                claims.extend(
                    self._claims(
                        text,
                        meta,
                        sent,
                        i,
                        quantities,
                        periods,
                        carry,
                        _Context(
                            agencies,
                            places,
                            substances,
                            corridors,
                            cues,
                            para_start,
                            para_first,
                            sentence_corridor,
                            speaker,
                        ),
                    )
                )
            carry.agency = _last_name(agencies, para_start, sent.end)
            self._update_carry(carry, periods, quantities)
        return claims

    def _claims(
        self,
        text: str,
        meta: DocumentMeta,
        sent: Sentence,
        i: int,
        quantities: list[Quantity],
        periods: list[TemporalMention],
        carry: _Carry,
        ctx: _Context,
    ) -> list[Claim]:
        s_agencies = ctx.agencies.between(sent.start, sent.end)
        s_places = ctx.places.between(sent.start, sent.end)
        s_substances = ctx.substances.between(sent.start, sent.end)
        s_cues = ctx.cues.between(sent.start, sent.end)
        s_corridors = ctx.corridors.between(sent.start, sent.end)
        carried_agency = _last_name(ctx.agencies, ctx.para_start, sent.start)
        carried_substance = _last_name(ctx.substances, ctx.para_start, sent.start)
        carried_corridor = next(
            (c for j in range(i - 1, ctx.para_first - 1, -1) if (c := ctx.corridor(j))), None
        )
        speaker = ctx.speaker(i)
        if speaker is None and _PRONOUN_ATTRIBUTION.search(text, sent.start, sent.end):
            speaker = next((found for j in range(i - 1, -1, -1) if (found := ctx.speaker(j))), None)
        origin, destination = self._flow(text, s_places)
        s_corridor = ctx.corridor(i)
        sentence_text = text[sent.start : sent.end]
        out = []
        for index, q in enumerate(quantities):
            next_start = (
                quantities[index + 1].num_start if index + 1 < len(quantities) else sent.end
            )
            claim = Claim(
                start=q.start,
                end=q.end,
                text=text[q.start : q.end],
                sentence=sentence_text,
                value=q.value,
                value_max=q.value_max,
                qualifier=q.qualifier,  # type: ignore[arg-type]
                unit=q.unit,
                dimension=q.dimension,  # type: ignore[arg-type]
                normalized_value=q.normalized_value,
                normalized_unit=q.normalized_unit,
            )
            claim.agency = _nearest(s_agencies, q) or carried_agency
            claim.measure = self._measure(text, q, s_cues, carry, claim.agency)
            claim.substance = self._substance(text, q, s_substances) or carried_substance
            claim.place = _nearest(s_places, q)
            claim.origin, claim.destination = origin, destination
            claim.corridor = (
                self._corridor(text, q, s_corridors, s_corridor, claim.agency) or carried_corridor
            )
            self._period(claim, q, periods, next_start, carry)
            claim.speaker = speaker or meta.author or meta.outlet
            out.append(claim)
            carry.claims.append(claim)
            if q.dimension in ("mass", "volume"):
                carry.mass_measure = claim.measure
        return out

    # -- context assignment -------------------------------------------------------------
    def _measure(
        self, text: str, q: Quantity, cues: list[Mention], carry: _Carry, agency: str | None
    ) -> str:
        if q.dimension == "ratio":
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
            key=lambda c: (_distance(c, q), -self.priority.get(c.name, 0)),
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

    def _substance(self, text: str, q: Quantity, mentions: list[Mention]) -> str | None:
        for m in mentions:
            if m.start >= q.end and _SUBSTANCE_OF.match(text[q.end : m.start]):
                return m.name
        return _nearest(mentions, q)

    def _flow(self, text: str, places: list[Mention]) -> tuple[str | None, str | None]:
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

    def _sentence_corridor(
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

    def _corridor(
        self,
        text: str,
        q: Quantity,
        named: list[Mention],
        s_corridor: str | None,
        agency: str | None,
    ) -> str | None:
        if named:
            return _nearest(named, q)
        country = self.vocab.agency_country(agency)
        if country in self.vocab.bare_border_by_country and _BARE_BORDER.search(
            text, max(0, q.start - 120), q.end + 120
        ):
            return self.vocab.bare_border_by_country[country]
        return s_corridor

    def _period(
        self,
        claim: Claim,
        q: Quantity,
        periods: list[TemporalMention],
        next_start: int,
        carry: _Carry,
    ) -> None:
        mention = None
        right = [p for p in periods if q.end <= p.start < next_start]
        left = [p for p in periods if p.end <= q.start]
        if right:
            mention = right[0]
        elif left:
            mention = left[-1]
        elif periods:
            mention = min(periods, key=lambda p: abs(p.start - q.end))
        if mention is None:
            if carry.period is None or carry.period[2] not in (None, claim.measure):
                return
            mention, readings, _measure = carry.period
        else:
            readings = self._readings(mention, claim.agency)
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

    def _readings(self, mention: TemporalMention, agency: str | None) -> tuple[PeriodReading, ...]:
        country = self.vocab.agency_country(agency)
        if mention.fiscal_end is not None:
            basis = self.vocab.fiscal_by_country.get(country or "")
            bases = [basis] if basis else list(self.vocab.fiscal_years)
            return tuple(
                fiscal_reading(mention.fiscal_end, b, self.vocab.fiscal_years[b]) for b in bases
            )
        if mention.calendar is None:
            return ()
        calendar = PeriodReading("calendar", *mention.calendar)
        if mention.bare_year and agency in self.vocab.ambiguous_year_agencies:
            basis = self.vocab.ambiguous_year_agencies[agency]
            fiscal = fiscal_reading(mention.calendar[0].year, basis, self.vocab.fiscal_years[basis])
            return calendar, fiscal
        return (calendar,)

    def _update_carry(
        self, carry: _Carry, periods: list[TemporalMention], quantities: list[Quantity]
    ) -> None:
        dated = [c for c in carry.claims[-len(quantities) :] if c.period_text] if quantities else []
        if dated:
            last = dated[-1]
            carry.period = (
                next((p for p in periods if p.text == last.period_text), None)
                or (
                    carry.period[0]
                    if carry.period
                    else TemporalMention(0, 0, last.period_text or "", None)
                ),
                tuple(last.period_candidates),
                last.measure,
            )
        elif periods:
            carry.period = (periods[-1], self._readings(periods[-1], carry.agency), None)


@dataclass(slots=True)  # not frozen: frozen __init__ is slow on this hot path
class _Context:
    """A text's mentions and lazily computed per-sentence facts, for `_claims`."""

    agencies: MentionIndex
    places: MentionIndex
    substances: MentionIndex
    corridors: MentionIndex
    cues: MentionIndex
    para_start: int
    para_first: int
    corridor: Callable[[int], str | None]
    speaker: Callable[[int], str | None]


def _last_name(index: MentionIndex, start: int, end: int) -> str | None:
    found = index.between(start, end)
    return found[-1].name if found else None


def _distance(m: Mention, q: Quantity) -> int:
    if m.end <= q.start:
        return q.start - m.end
    if m.start >= q.end:
        return m.start - q.end
    return 0


def _nearest(mentions: list[Mention], q: Quantity) -> str | None:
    if not mentions:
        return None
    return min(mentions, key=lambda m: _distance(m, q)).name


@functools.cache
def default_extractor() -> Extractor:
    """The extractor for the bundled vocabulary, built once per process."""
    return Extractor(load_vocabulary())


def extract_claims(
    text: str, meta: DocumentMeta | None = None, vocab: Vocabulary | None = None
) -> list[Claim]:
    """Every quantitative claim in `text`, with offsets into `text` itself."""
    extractor = default_extractor() if vocab is None else Extractor(vocab)
    return extractor.extract(text, meta)
