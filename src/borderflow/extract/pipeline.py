"""extract_claims: from a repaired text and its metadata to claims with provenance.

A pure function of (text, metadata, vocabulary), so it can run in worker processes. Each
quantity takes its context from its own sentence first; what the sentence leaves open
(which agency, which substance, which period) carries over from the earlier sentences of
the same paragraph, the way a reader resolves "This amount included 4.1 kg...".
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace

from borderflow.extract.attribution import Attribution
from borderflow.extract.context import Carry
from borderflow.extract.magnitudes import MagnitudeFinder
from borderflow.extract.mentions import Gazetteer, Mention, MentionIndex, without_overlaps
from borderflow.extract.model import Claim, DocumentMeta
from borderflow.extract.periods import (
    PERIOD_TRIGGERS,
    TemporalMention,
    find_periods,
)
from borderflow.extract.quantities import Quantity, QuantityScanner
from borderflow.extract.reading import ClaimReader, Context, last_name
from borderflow.extract.scopes import scope_mentions
from borderflow.extract.segment import Sentence, sentences
from borderflow.extract.speakers import SpeakerFinder
from borderflow.extract.tokens import TokenIndex, TriggerTable
from borderflow.extract.wire import WireCredit
from borderflow.vocab import Vocabulary, load_vocabulary

# A period introduced like this is the baseline of a comparison, not the figure's own period.
_BASELINE_BEFORE = re.compile(
    r"(?i)\b(?:compared(?:[\s\u00a0]+(?:to|with))?|than|versus|vs\.?|relative[\s\u00a0]+to|"
    r"over[\s\u00a0]+the[\s\u00a0]+same[\s\u00a0]+(?:time[\s\u00a0]+)?period[\s\u00a0]+(?:in|of))"
    r"[\s\u00a0]+(?:the[\s\u00a0]+)?(?:same[\s\u00a0]+)?(?:period[\s\u00a0]+(?:in|of)[\s\u00a0]+)?$"
)


class Extractor:
    """Holds the compiled patterns for one vocabulary; `extract` is pure."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.quantities = QuantityScanner(vocab)
        self.agencies = Gazetteer(vocab.agencies)
        self.substances = Gazetteer(vocab.substances)
        self.places = Gazetteer(vocab.places)
        self.corridors = Gazetteer((*vocab.corridors, *vocab.scopes))
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
        self.reader = ClaimReader(vocab, self.agencies, self.places)
        self.wire = WireCredit(vocab)
        self.rules = self.reader.rules

    def extract(self, text: str, meta: DocumentMeta | None = None) -> list[Claim]:
        meta = meta or DocumentMeta()
        if meta.outlet is None and (wire := self.wire.of(text)):
            meta = replace(meta, outlet=wire)
        tokens = self.triggers.index(text)
        sents = sentences(text, self.vocab)
        ctx = self._context(text, tokens, sents, meta)
        claims: list[Claim] = []
        carry, paragraph = Carry(), -1
        # Only sentences with a quantity need their full context; what earlier sentences
        # carry (agency, substance, corridor, speaker) is looked up when a claim needs it.
        for i, sent in enumerate(sents):
            if sent.paragraph != paragraph:
                carry, paragraph = Carry(), sent.paragraph
                ctx.para_first, ctx.para_start = i, sent.start
            quantities, periods = self._items(text, sent, tokens, meta)
            if any(q.metric_unit for q in quantities) and self._metric(ctx, sent):
                quantities = [self.quantities.units.as_metric(q) for q in quantities]
            if quantities:
                claims += self.reader.claims(text, meta, sent, i, quantities, periods, carry, ctx)
            carry.agency = last_name(ctx.agencies, ctx.para_start, sent.end)
            self._update_carry(carry, periods, quantities)
        return claims

    def _context(
        self, text: str, tokens: TokenIndex, sents: list[Sentence], meta: DocumentMeta
    ) -> Context:
        """Every mention of the gazetteers in the text, and the per-sentence facts (its
        corridor, its speakers) computed the first time a claim asks for them."""
        found = {
            name: MentionIndex(gazetteer.find(text, tokens.positions[name], tokens.word_at))
            for name, gazetteer in self.gazetteers.items()
        }
        agencies = MentionIndex(
            [m for m in found["agencies"].mentions if not _inside_name(text, m)]
        )
        corridors = MentionIndex(scope_mentions(text, found["corridors"].mentions))
        places = MentionIndex(
            without_overlaps(
                without_overlaps(found["places"].mentions, agencies.mentions), corridors.mentions
            )
        )

        @functools.cache
        def flow(i: int) -> tuple[str | None, str | None]:
            return self.rules.flow(text, places.between(sents[i].start, sents[i].end))

        @functools.cache
        def sentence_corridor(i: int) -> str | None:
            named = corridors.between(sents[i].start, sents[i].end)
            scopes = self.reader.scopes
            return scopes.sentence_scope(named, scopes.between(*flow(i)))

        attribution = Attribution(
            self.speakers, text, sents, agencies,
            lambda start, end: tokens.between("speakers", start, end),
            lambda name: self.reader.bodies.organization(name) or self._place(name),
            self._place,
        )  # fmt: skip
        release = self.agencies.exact(meta.outlet) if meta.outlet else None
        outlet_country = (
            release.attrs.get("country")
            if release
            else self.reader.money.outlet_country(meta.outlet)
        )
        return Context(
            agencies, places, found["substances"], corridors, found["cues"], 0, 0,
            sentence_corridor, flow, attribution, release.name if release else None,
            outlet_country, sents,
        )  # fmt: skip

    @staticmethod
    def _metric(ctx: Context, sent: Sentence) -> bool:
        """Whether a sentence is read in metric units: a Canadian outlet or release, or a
        Canadian agency in the sentence ("half a ton" there is half a tonne). Asked only
        for a sentence holding a ton, so other texts pay nothing."""
        return ctx.outlet_country == "CA" or any(
            m.attrs.get("country") == "CA" for m in ctx.agencies.between(sent.start, sent.end)
        )

    def _place(self, name: str) -> bool:
        return self.places.exact(name) is not None

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


# An agency's name inside a longer proper name is not the agency: "the Canada Post
# Corporation Act", "the House Homeland Security Committee".
_NAME_AFTER = re.compile(r"(?:[ \u00a0]+[A-Z][\w’'-]*)*[ \u00a0]+(?:Act|Committee|Subcommittee)\b")
_NAME_BEFORE = re.compile(r"\b(?:House|Senate|Commons)[ \u00a0]+$")


def _inside_name(text: str, m: Mention) -> bool:
    return bool(
        _NAME_AFTER.match(text, m.end, m.end + 60)
        or _NAME_BEFORE.search(text, max(0, m.start - 8), m.start)
    )


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
