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
from borderflow.extract.mentions import Gazetteer, Mention, MentionIndex, without_overlaps
from borderflow.extract.model import Claim, DocumentMeta
from borderflow.extract.periods import (
    PERIOD_TRIGGERS,
    TemporalMention,
    find_periods,
)
from borderflow.extract.quantities import Quantity, QuantityScanner
from borderflow.extract.segment import Sentence, sentences
from borderflow.extract.speakers import SpeakerFinder
from borderflow.extract.tokens import TokenIndex, TriggerTable
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
        sents = sentences(text, self.vocab)
        ctx = self._context(text, tokens, sents)
        claims: list[Claim] = []
        carry, paragraph = Carry(), -1
        # Only sentences with a quantity need their full context; what earlier sentences
        # carry (agency, substance, corridor, speaker) is looked up when a claim needs it.
        for i, sent in enumerate(sents):
            if sent.paragraph != paragraph:
                carry, paragraph = Carry(), sent.paragraph
                ctx.para_first, ctx.para_start = i, sent.start
            quantities, periods = self._items(text, sent, tokens, meta)
            if quantities:
                claims += self._claims(text, meta, sent, i, quantities, periods, carry, ctx)
            carry.agency = _last_name(ctx.agencies, ctx.para_start, sent.end)
            self._update_carry(carry, periods, quantities)
        return claims

    def _context(self, text: str, tokens: TokenIndex, sents: list[Sentence]) -> _Context:
        """Every mention of the gazetteers in the text, and the per-sentence facts (its
        corridor, its speaker) computed the first time a claim asks for them."""
        found = {
            name: MentionIndex(gazetteer.find(text, tokens.positions[name], tokens.word_at))
            for name, gazetteer in self.gazetteers.items()
        }
        agencies, corridors = found["agencies"], found["corridors"]
        places = MentionIndex(
            without_overlaps(
                without_overlaps(found["places"].mentions, agencies.mentions), corridors.mentions
            )
        )

        @functools.cache
        def sentence_corridor(i: int) -> str | None:
            sent = sents[i]
            flow = self.rules.flow(text, places.between(sent.start, sent.end))
            return self.rules.sentence_corridor(text, sent, corridors, *flow)

        @functools.cache
        def speaker(i: int) -> str | None:
            sent = sents[i]
            verbs = tokens.between("speakers", sent.start, sent.end)
            return self.speakers.find(
                text, sent.start, sent.end, agencies.between(sent.start, sent.end), verbs
            )

        return _Context(
            agencies, places, found["substances"], corridors, found["cues"], 0, 0,
            sentence_corridor, speaker,
        )  # fmt: skip

    def _items(
        self, text: str, sent: Sentence, tokens: TokenIndex, meta: DocumentMeta
    ) -> tuple[list[Quantity], list[TemporalMention]]:
        """A sentence's quantities (magnitudes in words among them) and the periods that
        can be a figure's own: not a number's part, not a comparison's baseline."""
        quantities = self.quantities.scan(text, sent.start, sent.end, tokens)
        words = self.magnitudes.find(
            text, sent.start, sent.end, tokens.between("magnitudes", sent.start, sent.end)
        )
        if words:
            free = [
                w for w in words if not any(q.start < w.end and w.start < q.end for q in quantities)
            ]
            quantities = sorted([*quantities, *free], key=lambda q: q.start)
        phrases = find_periods(text, sent.start, sent.end, meta.published, tokens)
        # "the 12 months ending December 2023" is a period, not a duration of 12 months.
        rolling = [p for p in phrases if p.basis == "rolling"]
        if rolling:
            quantities = [
                q for q in quantities if not any(p.start <= q.num_start < p.end for p in rolling)
            ]
        periods = [
            p
            for p in phrases
            if not any(q.num_start <= p.start < q.end for q in quantities)
            and not _BASELINE_BEFORE.search(text, max(0, p.start - 40), p.start)
        ]
        return quantities, periods

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
        """The claims of one sentence: each quantity with the context its sentence gives,
        or else what the paragraph carries."""
        scope = _Scope.of(text, sent, i, ctx, self.rules)
        out = []
        for index, q in enumerate(quantities):
            following = quantities[index + 1].num_start if index + 1 < len(quantities) else sent.end
            claim = Claim(
                start=q.start, end=q.end, text=text[q.start : q.end], sentence=scope.sentence,
                value=q.value, value_max=q.value_max, qualifier=q.qualifier,  # type: ignore[arg-type]
                unit=q.unit, dimension=q.dimension,  # type: ignore[arg-type]
                normalized_value=q.normalized_value, normalized_unit=q.normalized_unit,
            )  # fmt: skip
            claim.agency = nearest(scope.agencies, q) or scope.carried_agency
            claim.measure = self.rules.measure(text, q, scope.cues, carry, claim.agency)
            claim.substance = (
                self.rules.substance(text, q, scope.substances) or scope.carried_substance
            )
            claim.place = nearest(scope.places, q)
            claim.origin, claim.destination = scope.origin, scope.destination
            claim.corridor = (
                self.rules.corridor(text, q, scope.corridors, scope.corridor, claim.agency)
                or scope.carried_corridor
            )
            self.rules.period(claim, q, periods, following, carry)
            claim.speaker = scope.speaker or meta.author or meta.outlet
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
    """A text's mentions and lazily computed per-sentence facts, for `_claims`; the
    paragraph fields follow the sentence being read."""

    agencies: MentionIndex
    places: MentionIndex
    substances: MentionIndex
    corridors: MentionIndex
    cues: MentionIndex
    para_start: int
    para_first: int
    corridor: Callable[[int], str | None]
    speaker: Callable[[int], str | None]


@dataclass(slots=True)
class _Scope:
    """What one sentence offers its claims: its own mentions, its flow, corridor and
    speaker, and what the earlier sentences of its paragraph carry."""

    sentence: str
    agencies: list[Mention]
    places: list[Mention]
    substances: list[Mention]
    cues: list[Mention]
    corridors: list[Mention]
    carried_agency: str | None
    carried_substance: str | None
    carried_corridor: str | None
    speaker: str | None
    origin: str | None
    destination: str | None
    corridor: str | None

    @classmethod
    def of(cls, text: str, sent: Sentence, i: int, ctx: _Context, rules: ContextRules) -> _Scope:
        speaker = ctx.speaker(i)
        if speaker is None and _PRONOUN_ATTRIBUTION.search(text, sent.start, sent.end):
            speaker = next((found for j in range(i - 1, -1, -1) if (found := ctx.speaker(j))), None)
        places = ctx.places.between(sent.start, sent.end)
        origin, destination = rules.flow(text, places)
        carried_corridor = next(
            (c for j in range(i - 1, ctx.para_first - 1, -1) if (c := ctx.corridor(j))), None
        )
        return cls(
            text[sent.start : sent.end], ctx.agencies.between(sent.start, sent.end), places,
            ctx.substances.between(sent.start, sent.end), ctx.cues.between(sent.start, sent.end),
            ctx.corridors.between(sent.start, sent.end),
            _last_name(ctx.agencies, ctx.para_start, sent.start),
            _last_name(ctx.substances, ctx.para_start, sent.start), carried_corridor, speaker,
            origin, destination, ctx.corridor(i),
        )  # fmt: skip


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
