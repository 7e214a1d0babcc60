"""Reading one sentence's figures: who said each, whose it is, what it measures, what
drug it is about, where it applies and in which currency.

Each claim takes its context from its own clause first, then its statement and sentence,
then what the paragraph and the document establish (extract/pipeline.py gathers those
mentions once per text). The rules themselves live beside this module: attribution.py
(speakers), agencies.py (implied agencies and bodies), measures.py, scopes.py, money.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from borderflow.extract.agencies import Bodies, ImpliedAgency
from borderflow.extract.attribution import Attribution
from borderflow.extract.clauses import Clauses
from borderflow.extract.context import Carry, ContextRules, nearest
from borderflow.extract.measures import MeasureRules
from borderflow.extract.mentions import Gazetteer, Mention, MentionIndex
from borderflow.extract.model import Claim, DocumentMeta
from borderflow.extract.money import CurrencyRules
from borderflow.extract.own_place import located_in, own_place
from borderflow.extract.periods import TemporalMention
from borderflow.extract.pointed_place import lead_place, pointed_place
from borderflow.extract.quantities import Quantity
from borderflow.extract.rates import death_words
from borderflow.extract.scopes import ELSEWHERE, NATIONWIDE, ScopeRules
from borderflow.extract.segment import Sentence, is_bullet
from borderflow.vocab import Vocabulary


class ClaimReader:
    """The context rules of one vocabulary, applied to the figures of one sentence."""

    def __init__(self, vocab: Vocabulary, agencies: Gazetteer, places: Gazetteer) -> None:
        self.agencies, self.places = agencies, places
        self.rules = ContextRules(vocab)
        self.scopes = ScopeRules(vocab)
        self.measures = MeasureRules(vocab)
        self.money = CurrencyRules(vocab)
        self.implied = ImpliedAgency(vocab)
        self.bodies = Bodies(vocab)
        self.death_words = death_words(vocab)
        self.agency_names = frozenset(t.name for t in vocab.agencies)
        self.border_agencies = frozenset(t.name for t in vocab.agencies if t.attrs.get("border"))
        words = sorted({w for t in vocab.agencies for w in t.words}, key=len, reverse=True)
        self._agency_words = re.compile(
            r"(?<![\w])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w])"
        )

    def claims(
        self,
        text: str,
        meta: DocumentMeta,
        sent: Sentence,
        i: int,
        quantities: list[Quantity],
        periods: list[TemporalMention],
        carry: Carry,
        ctx: Context,
    ) -> list[Claim]:
        """The claims of one sentence: each quantity with the context its own clause gives,
        else its sentence, else what the paragraph carries, else what the document is."""
        view = SentenceView.of(text, sent, i, ctx)
        out: list[Claim] = []
        money: list[tuple[Claim, str | None]] = []
        for index, q in enumerate(quantities):
            # A length of time after the figure ("over a 10-year period from 2013 to 2022")
            # does not end the figure's reach for the dates that follow it.
            following = next(
                (n.num_start for n in quantities[index + 1 :] if n.dimension != "duration"),
                sent.end,
            )
            claim = Claim(
                start=q.start, end=q.end, text=text[q.start : q.end], sentence=view.sentence,
                value=q.value, value_max=q.value_max, qualifier=q.qualifier,  # type: ignore[arg-type]
                unit=q.unit, dimension=q.dimension,  # type: ignore[arg-type]
                normalized_value=q.normalized_value, normalized_unit=q.normalized_unit,
            )  # fmt: skip
            clause = view.clauses.around(q.num_start)
            spoken = ctx.attribution.figure(i, q.num_start)
            if spoken and self.places.exact(spoken):
                spoken = None  # "according to data released under U.S. law"
            kind = self.bodies.role_noun(spoken) if spoken else None
            official = False
            if kind and spoken:  # "the airline said": the airline named before
                at = text.rfind(spoken, sent.start, sent.end)
                body = ctx.attribution.referent(kind, at if at >= 0 else sent.end)
                spoken, official = body or spoken, bool(body) and self.bodies.official(kind)
            named = self.bodies.canonical(spoken) or self._agency_in(spoken)
            inner = ctx.attribution.nested(i, q.num_start)
            presumed = False
            if inner is None:
                claim.agency, presumed = self._owner(text, q, clause, view, named, spoken, official)
                if claim.agency is None and ctx.release:
                    claim.agency, presumed = ctx.release, False
                # A border agency presumed for a border figure stays; another yields.
                presumed = presumed and claim.agency not in self.border_agencies
            else:  # a claim inside another's statement: the outer speaker does not own it
                own = [m for m in view.agencies if inner <= m.start < clause[1]]
                claim.agency = nearest(own, q)
            previous = next((c.measure for c in reversed(out) if c.dimension == q.dimension), None)
            claim.measure = self.measures.measure(
                text, q, self._cue_span(q, clause, view), view.cues, claim.agency,
                bool(view.substances), carry.mass_measure, view.intro_cues, previous,
            )  # fmt: skip
            if (q.unit or "").split("/")[0] == "lives":  # saved (unit_reader), not lost
                claim.measure = "other"
            claim.substance = self._substance(text, q, clause, view, claim.measure)
            seizure = claim.measure == "seizure"
            claim.place = own_place(text, view.places, q, view.destination, seizure)
            claim.origin, claim.destination = view.origin, view.destination
            country = self.money.country_votes(
                text, claim.agency, named, view.places, clause, q.num_start
            )
            where = country
            if claim.measure == "deaths" and not view.places and country is None:
                earlier = ctx.places.between(ctx.para_start, sent.start)
                opening = ctx.sents[ctx.para_first]
                claim.place = pointed_place(
                    text, (sent.start, sent.end), (opening.start, opening.end), earlier,
                    self.money.place_country, self.death_words,
                ) or lead_place(
                    text, ctx.sents, i, ctx.places, self.money.place_country, self.death_words
                )  # fmt: skip
                where = self.money.place_country.get(claim.place or "") or None
            self._scope_and_publisher(text, claim, q, clause, view, carry, (where, presumed), ctx)
            if spoken and not named and self.bodies.unnamed_data(spoken):
                spoken = None  # "federal figures show": the writer's statement
            if spoken and not named and self.bodies.described(spoken):
                things = [m.start for m in (*view.substances, *view.places)]
                spoken = claim.agency or self.bodies.named_subject(
                    text, sent.start, sent.end, spoken, things
                ) or (self.bodies.body_noun(spoken) and last_name(ctx.agencies, 0, sent.start)
                ) or spoken  # fmt: skip
            self.rules.period(claim, q, periods, following, carry)
            claim.speaker = named or spoken or ctx.release or meta.author or meta.outlet
            money.append((claim, country))
            out.append(claim)
            carry.claims.append(claim)
            if q.dimension in ("mass", "volume"):
                carry.mass_measure = claim.measure
        self.money.settle_sentence(money, text, ctx.outlet_country)
        return out

    def _owner(
        self,
        text: str,
        q: Quantity,
        clause: tuple[int, int],
        view: SentenceView,
        named: str | None,
        spoken: str | None,
        official: bool = False,
    ) -> tuple[str | None, bool]:
        """The body whose figure it is, from the sentence: an agency named with it, a body
        credited with it (`official`: one the text calls a regulator or the like), a
        government acting under its country's name, or the body the sentence opens with;
        and whether it is only presumed (see `_agency`)."""
        agency, presumed = self._agency(text, q, clause, view, named)
        if (
            agency is None
            and spoken
            and not named
            and (official or self.bodies.organization(spoken))
            and not self.places.exact(spoken)
        ):
            agency = spoken
        statement = view.clauses.statement(q.num_start)
        if agency is None:
            agency = _government(text, statement, view.places, q.start)
        if agency is None and statement[0] == view.start:
            agency = self.bodies.subject(text, view.start, view.end)
            if agency and self.places.exact(agency):
                agency = None  # "US crude inventories rose": a place, not a body
        return agency, presumed

    @staticmethod
    def _cue_span(q: Quantity, clause: tuple[int, int], view: SentenceView) -> tuple[int, int]:
        """Where a figure's measure cues are read: its clause, or its statement when the
        clause has none ("C$1.3 billion ($900 million)")."""
        if any(clause[0] <= c.start < clause[1] for c in view.cues):
            return clause
        return view.clauses.statement(q.num_start)

    def _scope_and_publisher(
        self,
        text: str,
        claim: Claim,
        q: Quantity,
        clause: tuple[int, int],
        view: SentenceView,
        carry: Carry,
        about: tuple[str | None, bool],
        ctx: Context,
    ) -> None:
        """Where the figure applies, and the agency that publishes such figures when the
        text names none: the sentence's own scope, else a border the paragraph is about;
        then the implied publisher (CBP for a U.S. border seizure, PHAC or the CDC for
        a country's deaths in official data), also over an owner only presumed; then a
        country-wide scope for a national death count, else the paragraph's. `about` is
        the country the figure's context names and whether its owner is presumed."""
        country, presumed = about
        sentence = (view.start, view.end)
        deaths_here = claim.measure == "deaths" or any(c.name == "deaths" for c in view.cues)
        carried = next((c.corridor for c in reversed(carry.claims) if c.corridor), None)
        carried = carried or view.carried_corridor
        claim.corridor = self.scopes.scope(
            text, q, clause, sentence, view.corridors, claim.agency, view.flow_corridor,
            claim.measure, (view.origin, view.destination),
        )  # fmt: skip
        if claim.corridor == ELSEWHERE:
            claim.corridor = carried = None
        if claim.corridor is None and carried not in (NATIONWIDE, None):
            claim.corridor = carried if self.scopes.carries_to(carried, claim.measure) else None
        if claim.agency is None or presumed:
            statement = view.clauses.statement(q.num_start)
            claim.agency = (
                self.implied.agency(
                    "deaths" if deaths_here else claim.measure, claim.corridor,
                    country or ctx.outlet_country, text, statement,
                    located_in(text, view.places, claim.place),
                )
                or claim.agency
                or next((c.agency for c in reversed(carry.claims) if c.agency), None)
            )  # fmt: skip
        if claim.corridor is None:
            claim.corridor = self.scopes.national(
                text,
                sentence,
                view.clauses.statement(q.num_start),
                q.start,
                claim.measure,
                claim.agency,
                view.places,
                deaths_here,
            ) or (carried if self.scopes.carries_to(carried, claim.measure) else None)

    def _agency_in(self, name: str | None) -> str | None:
        """The agency a longer source name holds ("The White House Office of National
        Drug Control Policy" is ONDCP), if exactly one."""
        if not name or " " not in name:
            return None
        found = {self.bodies.canonical(m.group()) for m in self._agency_words.finditer(name)}
        found.discard(None)
        return found.pop() if len(found) == 1 else None

    def _substance(
        self, text: str, q: Quantity, clause: tuple[int, int], view: SentenceView, measure: str
    ) -> str | None:
        """The drug a figure is about. Money for programmes, staff, organisations and
        counts of other things (people, arrests, drones) are about none unless the figure
        itself names one ("14 fentanyl seizures", "40 bricks of cocaine")."""
        found = self.rules.substance(text, q, view.substances, clause, view.carried_substance)
        overdoses = found == "drugs" and _OVERDOSE.search(text, *clause) is not None
        if not overdoses and (
            measure in ("funding", "tariff", "personnel", "organizations")
            or (measure == "other" and q.dimension in ("count", "duration"))
        ):
            attached = any(q.start <= m.start < q.end for m in view.substances) or any(
                m.start >= q.end and _SUBSTANCE_OF.match(text, q.end, m.start)
                for m in view.substances[:3]
            )
            return found if attached else None
        return found or view.carried_substance

    def _agency(
        self,
        text: str,
        q: Quantity,
        clause: tuple[int, int],
        view: SentenceView,
        speaker: str | None,
    ) -> tuple[str | None, bool]:
        """The body whose figure it is: the agency in its own clause, else in its statement
        (the clause with its asides), else the agency credited with the sentence, else the
        one the paragraph has been about. An agency the figure is "seized by" owns it; one
        that only speaks ("Homeland Security officials said") owns it only if none does.
        The flag says the owner is only presumed (a voice, a speaker, the paragraph's): the
        publisher of such figures, when one is known, takes precedence."""
        for start, end in (clause, view.clauses.statement(q.num_start)):
            own = [m for m in view.agencies if start <= m.start < end]
            owners = [m for m in own if _BY.search(text, max(0, m.start - 4), m.start)]
            actors = [m for m in own if not _VOICE_AFTER.match(text, m.end, m.end + 40)]
            if owners or actors:
                return nearest(owners or actors, q), False
            if own:
                return nearest(own, q), True
        if speaker in self.agency_names:
            return speaker, True
        return view.carried_agency, True


@dataclass(slots=True)  # not frozen: frozen __init__ is slow on this hot path
class Context:
    """A text's mentions and lazily computed per-sentence facts, for `ClaimReader.claims`; the
    paragraph fields follow the sentence being read. `release` is the agency whose own
    release the document is; `outlet_country` the home country of its outlet."""

    agencies: MentionIndex
    places: MentionIndex
    substances: MentionIndex
    corridors: MentionIndex
    cues: MentionIndex
    para_start: int
    para_first: int
    corridor: Callable[[int], str | None]
    flow: Callable[[int], tuple[str | None, str | None]]
    attribution: Attribution
    release: str | None
    outlet_country: str | None
    sents: list[Sentence]


@dataclass(slots=True)
class SentenceView:
    """What one sentence offers its claims: its clauses, its own mentions, its flow, and
    what the earlier sentences of its paragraph carry."""

    sentence: str
    start: int
    end: int
    clauses: Clauses
    agencies: list[Mention]
    places: list[Mention]
    substances: list[Mention]
    cues: list[Mention]
    corridors: list[Mention]
    carried_agency: str | None
    carried_substance: str | None
    carried_corridor: str | None
    origin: str | None
    destination: str | None
    flow_corridor: str | None
    intro_cues: list[Mention]

    @classmethod
    def of(cls, text: str, sent: Sentence, i: int, ctx: Context) -> SentenceView:
        origin, destination = ctx.flow(i)
        carried_corridor = next(
            (c for j in range(i - 1, ctx.para_first - 1, -1) if (c := ctx.corridor(j))), None
        ) or _lede_corridor(ctx)
        named = ctx.corridors.between(sent.start, sent.end)
        flow_corridor = None if named else ctx.corridor(i)
        intro: list[Mention] = []
        if i > ctx.para_first and is_bullet(text, sent.start):
            # A list item takes what its list's opening line says it measures.
            lead = next(
                (
                    s
                    for s in reversed(ctx.sents[ctx.para_first : i])
                    if not is_bullet(text, s.start)
                ),
                None,
            )
            intro = ctx.cues.between(lead.start, lead.end) if lead else []
        return cls(
            text[sent.start : sent.end], sent.start, sent.end,
            Clauses.of(text, sent.start, sent.end),
            ctx.agencies.between(sent.start, sent.end), ctx.places.between(sent.start, sent.end),
            ctx.substances.between(sent.start, sent.end), ctx.cues.between(sent.start, sent.end),
            named, last_name(ctx.agencies, ctx.para_start, sent.start),
            last_name(ctx.substances, ctx.para_start, sent.start)
            or last_name(ctx.substances, 0, sent.start), carried_corridor,
            origin, destination, flow_corridor, intro,
        )  # fmt: skip


def _lede_corridor(ctx: Context) -> str | None:
    """The border the paragraph before names, when this one names none: a story's opening
    paragraph often sets the border ("seized at the US-Mexico border fell...") and the
    next gives the figures ("Some 590 pounds were intercepted in February")."""
    last = ctx.para_first - 1
    if last < 0:
        return None
    paragraph = ctx.sents[last].paragraph
    first = last
    while first > 0 and ctx.sents[first - 1].paragraph == paragraph:
        first -= 1
    return next((c for j in range(last, first - 1, -1) if (c := ctx.corridor(j))), None)


_BY = re.compile(r"\bby[\s\u00a0]+(?:the[\s\u00a0]+)?$")
# An agency that only voices a figure: "DHS official, ... said", "Homeland Security officials said".
_VOICE_AFTER = re.compile(
    r"(?:’s|'s)?[\s\u00a0]+(?:[a-z]+[\s\u00a0]+)?(?:officials?|spokesperson|spokesman|spokeswoman|"
    r"secretary|head|director|chief)\b(?:[^.;]{0,30}?\b(?:said|says|told|stated))?"
)
_OVERDOSE = re.compile(r"(?i)\boverdos")
_SUBSTANCE_OF = re.compile(r"[\s\u00a0]+of[\s\u00a0]+(?:suspected[\s\u00a0]+)?$")


# A government acting under its country's or capital's name: "Ottawa has pledged ...",
# "Canada will impose ...".
_ACTS = re.compile(
    r"(?:’s|'s)?[\s\u00a0]+(?:has|have|had|will|would|is|was|plans|pledged|announced|imposed|"
    r"unveiled|promised|committed|set|says|said|approved|allocated|spent|spends|agreed)\b"
)


def _government(
    text: str, statement: tuple[int, int], places: list[Mention], pos: int
) -> str | None:
    """The government acting in the figure's statement: the last country or capital
    before the figure that opens a clause and acts ("Ottawa has pledged C$1.3 billion and
    Washington $250 million")."""
    for m in reversed(places):
        if not (statement[0] <= m.start < min(pos, statement[1]) and m.attrs.get("government")):
            continue
        lead = text[statement[0] : m.start].rstrip(' \u00a0"“(').lower()
        opens = lead in ("", "the") or lead.endswith((",", " and", " while", " but"))
        if opens and (_ACTS.match(text, m.end, m.end + 20) or not text[m.end : pos].strip()):
            return str(m.attrs["government"])
    return None


def last_name(index: MentionIndex, start: int, end: int) -> str | None:
    """The name of the last mention in [start, end)."""
    found = index.between(start, end)
    return found[-1].name if found else None
