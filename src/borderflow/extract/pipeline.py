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
from dataclasses import dataclass

from borderflow.extract.context import Carry, ContextRules, nearest
from borderflow.extract.magnitudes import MagnitudeFinder
from borderflow.extract.mentions import Gazetteer, MentionIndex, without_overlaps
from borderflow.extract.model import Claim, DocumentMeta
from borderflow.extract.periods import (
    PERIOD_TRIGGERS,
    TemporalMention,
    find_periods,
)
from borderflow.extract.quantities import Quantity, QuantityScanner
from borderflow.extract.segment import Sentence, sentences
from borderflow.extract.speakers import SpeakerFinder
from borderflow.extract.tokens import TriggerTable
from borderflow.vocab import Vocabulary, load_vocabulary

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
        self.speakers = SpeakerFinder(vocab)
        self.gazetteers = {
            "agencies": self.agencies,
            "substances": self.substances,
            "places": self.places,
            "corridors": self.corridors,
            "cues": self.cues,
        }
        self.magnitudes = MagnitudeFinder()
        self.triggers = TriggerTable(
            {name: g.triggers for name, g in self.gazetteers.items()}
            | {
                "numerals": self.quantities.numerals.triggers,
                "periods": PERIOD_TRIGGERS,
                "speakers": self.speakers.triggers,
                "magnitudes": self.magnitudes.triggers,
            }
        )
        self.rules = ContextRules(vocab)

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
        carry = Carry()
        paragraph, para_first, para_start = -1, 0, 0
        sents = sentences(text, self.vocab)
        corridor_of: dict[int, str | None] = {}
        speaker_of: dict[int, str | None] = {}

        def sentence_corridor(i: int) -> str | None:
            if i not in corridor_of:
                sent = sents[i]
                flow = self.rules.flow(text, places.between(sent.start, sent.end))
                corridor_of[i] = self.rules.sentence_corridor(text, sent, corridors, *flow)
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
                carry, paragraph, para_first, para_start = Carry(), sent.paragraph, i, sent.start
            quantities = self.quantities.scan(text, sent.start, sent.end, tokens)
            words = self.magnitudes.find(
                text, sent.start, sent.end, tokens.between("magnitudes", sent.start, sent.end)
            )
            if words:
                quantities = sorted(
                    [
                        *quantities,
                        *(
                            w
                            for w in words
                            if not any(q.start < w.end and w.start < q.end for q in quantities)
                        ),
                    ],
                    key=lambda q: q.start,
                )
            phrases = find_periods(text, sent.start, sent.end, meta.published, tokens)
            # "the 12 months ending December 2023" is a period, not a duration of 12 months.
            rolling = [p for p in phrases if p.basis == "rolling"]
            if rolling:
                quantities = [
                    q
                    for q in quantities
                    if not any(p.start <= q.num_start < p.end for p in rolling)
                ]
            periods = [
                p
                for p in phrases
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
        carry: Carry,
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
        origin, destination = self.rules.flow(text, s_places)
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
            claim.agency = nearest(s_agencies, q) or carried_agency
            claim.measure = self.rules.measure(text, q, s_cues, carry, claim.agency)
            claim.substance = self.rules.substance(text, q, s_substances) or carried_substance
            claim.place = nearest(s_places, q)
            claim.origin, claim.destination = origin, destination
            claim.corridor = (
                self.rules.corridor(text, q, s_corridors, s_corridor, claim.agency)
                or carried_corridor
            )
            self.rules.period(claim, q, periods, next_start, carry)
            claim.speaker = speaker or meta.author or meta.outlet
            out.append(claim)
            carry.claims.append(claim)
            if q.dimension in ("mass", "volume"):
                carry.mass_measure = claim.measure
        return out

    # -- context assignment -------------------------------------------------------------
    def _update_carry(
        self, carry: Carry, periods: list[TemporalMention], quantities: list[Quantity]
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
            carry.period = (periods[-1], self.rules.readings(periods[-1], carry.agency), None)


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
