"""Which period a figure is about, and every way to read it.

A period phrase governs the figures of its own clause: the first phrase after a figure
(before the next figure) or else the last one before it, never across a clause boundary
unless it opens the sentence ("In 2024, ..."). A change compares two periods and takes the
later one ("fell 20% between 2023 and 2024" is about 2024); the base of a comparison takes
its own ("up from 2.5 pounds the year before" is the year before the sentence's period).
A figure whose sentence states no period takes the paragraph's only when it refers back to
the figure that was dated ("This amount included 4.1 kg..."), not when it states a fact of
its own ("It was the largest seizure in the port's history").

An agency that publishes by fiscal year may mean its fiscal year by "last year" or "in
2024": both readings are kept, the calendar one first.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from borderflow import yamltext
from borderflow.calendars import add_months, month_end, shift_span, span_of_fiscal_year
from borderflow.extract.model import Claim, PeriodReading
from borderflow.extract.periods import TemporalMention
from borderflow.vocab import VOCAB_DIR, Vocabulary

if TYPE_CHECKING:
    from borderflow.extract.context import Carry

# A sentence stating a standing fact or a record carries no period from its paragraph.
_OWN_TIME = re.compile(
    r"(?i)\b(?:history|historic|ever|all[\s\u00a0-]time|record|now|currently|today|"
    r"at[\s\u00a0]+present|each[\s\u00a0]+(?:year|day|week|month)|every[\s\u00a0]+(?:year|day|"
    r"week|month)|annually|a[\s\u00a0]+(?:year|day|week|month)(?![\s\u00a0]+(?:earlier|ago|before|prior|later))|per[\s\u00a0]+(?:year|day|week|"
    r"month)|typically|usually|on[\s\u00a0]+average|lethal|deadly|enough[\s\u00a0]+to[\s\u00a0]+"
    r"kill|could(?:[\s\u00a0]+have)?[\s\u00a0]+(?:kill|killed)|in[\s\u00a0]+a[\s\u00a0]+single|"
    r"raid|bust)\b"
)
# A sentence that continues the dated one: a list item, or one that points back to it.
_REFERS_BACK = re.compile(
    r"(?i)[\s\u00a0]*(?:[-•*–]|[\W_]*(?:this|that|these|those|it|they|the[\s\u00a0]+(?:drugs?|"
    r"seizures?|haul|shipment|loads?|amount|total|figure|number|count|pills|powder|parcels|"
    r"packages|rest|remainder|bulk|majority)|of[\s\u00a0]+(?:these|those|them|that|this|which)|"
    r"(?:most|much|half|some|all|part)[\s\u00a0]+of[\s\u00a0]+(?:it|them|the|that|this|those))\b)"
)
_PARTITIVE = re.compile(
    r"(?i)[\s\u00a0]+(?:of|out[\s\u00a0]+of)[\s\u00a0]+(?:the|those|these|them|that|this|which|it)\b"
)
_CARRIED_MEASURES = frozenset({"share", "change"})
_S = r"[\s\u00a0]+"
# A clause that states its own time: a present state or one event ("now stock them", "is
# buying", "in a single raid"); after a clause boundary, also a plan or a wish.
# A source named after a figure: a date in it ("according to the report for January")
# dates the source, not the figure.
_ACCORDING = re.compile(r"(?i)\baccording[\s\u00a0]+to\b")
_OWN_CLAUSE_TIME = re.compile(
    rf"(?i)\b(?:now|currently|today|nowadays|(?:is|are){_S}\w+ing|in{_S}a{_S}single|raid|bust)\b"
)
_NEW_CLAUSE_TIME = re.compile(
    rf"(?i)\b(?:will|would|could|can|may|might|(?:plans?|expects?|aims?|hopes?|prepares?|"
    rf"seeks?|wants?){_S}to|wants|seeks|requests|proposes|to{_S}hire|sits|stands|"
    rf"remains)\b"
)
_QUALIFY = (
    rf"(?:(?:about|roughly|nearly|some|around|almost|approximately|more{_S}than|over|under|"
    rf"just|only|the|an?|its|their|an{_S}estimated|a{_S}total{_S}of)[\s\u00a0]+)*"
)
# Figures tied so closely that they share a period: "43 pounds, or 0.2% of the total",
# "2,253 of the 7,313 deaths", "three loads of 3, 5 and 8 pounds".
# A possessive period before a figure: "January's 990 pounds".
_OWNS_FIGURE = re.compile(r"['’]s[\s\u00a0]+[-$£€]?\d")
_TIGHT = re.compile(
    rf"(?i)[\s\u00a0]*[,—–(-]?[\s\u00a0]*(?:(?:or|and|of|out{_S}of)[\s\u00a0]+)?{_QUALIFY}$"
)
_CHANGE_TO = re.compile(rf"(?i)[\s\u00a0]*,?[\s\u00a0]*(?:to|at){_S}{_QUALIFY}$")
_CHANGE_WORDS = re.compile(
    r"(?i)\b(?:fell|rose|increased|decreased|dropped|declined|grew|jumped|climbed|doubled|"
    r"tripled|halved|surged|plunged|plummeted|soared|slid|sank|spiked|\w+fold|increase|"
    r"decrease|decline|drop|rise|growth|jump)\b|\b(?:up|down)[\s\u00a0]+(?:by[\s\u00a0]+)?"
    r"(?:about[\s\u00a0]+|nearly[\s\u00a0]+|roughly[\s\u00a0]+|some[\s\u00a0]+)?\d"
)
_BASE_BEFORE = re.compile(rf"(?i)\bfrom{_S}{_QUALIFY}$")
_RESPECTIVELY = re.compile(r"(?i)\brespectively\b")
# Between two figures of one list: a comma or "and", maybe the first figure's unit and
# what it counts ("six kilograms of fentanyl and 14").
_LIST_GAP = r"(?i)[^\d.;:]{0,40}?(?:,|\band)[\s\u00a0]*"
_IN_A_LIST = re.compile(_LIST_GAP)
_NEXT_IN_LIST = re.compile(
    _LIST_GAP + r"(?:(?:about|some|nearly|almost|over)"
    r"[\s\u00a0]+)?(?:\d[\d,.]*\d|\d|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve)\b"
)
_JOINED = re.compile(r"(?i),?[\s\u00a0]*(?:(?:and|or)[\s\u00a0]+)?(?:in[\s\u00a0]+)?")


class PeriodRules:
    """The period rules for one vocabulary (fiscal calendars and who publishes by them)."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.starts = vocab.fiscal_years
        self.by_country = vocab.fiscal_by_country
        self.ambiguous = vocab.ambiguous_year_agencies
        self.split_default, self.split_bases = split_year_rules(vocab)

    # -- readings ------------------------------------------------------------------
    def readings(self, mention: TemporalMention, agency: str | None) -> tuple[PeriodReading, ...]:
        """Every plausible reading of `mention` for a figure of `agency`, the primary first."""
        if mention.role != "own":
            return ()
        if mention.anchor is not None:
            base = self.readings(mention.anchor, agency)
            if base:
                return moved(base, mention, mention.anchor.point)
        if mention.fiscal_end is not None or mention.fiscal_rel is not None:
            return self._fiscal(mention, agency)
        if mention.calendar is None:
            return ()
        basis = mention.reads_as or mention.basis
        if mention.fiscal_month is not None:
            basis = next(
                (b for b, start in self.starts.items() if start == mention.fiscal_month % 12 + 1),
                "rolling",
            )
        calendar = PeriodReading(basis, *mention.calendar)  # type: ignore[arg-type]
        if mention.split_year:
            fiscal = self._split_basis(agency)
            return self._span(fiscal, mention.calendar[1].year, mention), calendar
        if mention.bare_year and agency in self.ambiguous:
            fiscal = self.ambiguous[agency]
            year = mention.calendar[0].year
            if mention.today and (mention.to_date or mention.window):
                # the fiscal year so far, or the last whole one ("the past year")
                year = _fiscal_year_of(mention.today, self.starts[fiscal]) - bool(mention.window)
            return calendar, self._span(fiscal, year, mention)
        return (calendar,)

    def _split_basis(self, agency: str | None) -> str:
        """The fiscal calendar a split year ("2023-24") names: the agency's country's when
        that country writes split years, else the vocabulary's `split_year_basis`."""
        country_basis = self.by_country.get(self.vocab.agency_country(agency) or "")
        if country_basis and country_basis in self.split_bases:
            return country_basis
        return self.split_default

    def _fiscal(self, mention: TemporalMention, agency: str | None) -> tuple[PeriodReading, ...]:
        """A fiscal year in the calendar of the agency's country; with no agency, in each
        known calendar (a split year such as "2023-24" first in the split-year one)."""
        basis = self.by_country.get(mention.country or self.vocab.agency_country(agency) or "")
        if mention.split_year:
            basis = self._split_basis(agency)
        bases = [basis] if basis else list(self.starts)
        out = []
        for b in bases:
            if mention.fiscal_end is not None:
                year = mention.fiscal_end
            elif mention.today is not None and mention.fiscal_rel is not None:
                year = _fiscal_year_of(mention.today, self.starts[b]) + mention.fiscal_rel
            else:
                continue
            reading = self._span(b, year, mention)
            if mention.to_date and mention.today and reading.start > mention.today:
                continue  # "so far in fiscal 2026" said before it began: no such span
            out.append(reading)
        return tuple(out)

    def _span(self, basis: str, year: int, mention: TemporalMention) -> PeriodReading:
        start, end = span_of_fiscal_year(year, self.starts[basis])
        if mention.fiscal_count > 1:
            start = span_of_fiscal_year(year - mention.fiscal_count + 1, self.starts[basis])[0]
        if mention.part:
            start = add_months(start, mention.part[0])
            last = add_months(start, mention.part[1] - 1)
            end = month_end(last.year, last.month)
        if mention.to_date and mention.today and start <= mention.today < end:
            end = mention.today
        return PeriodReading(basis, start, end)  # type: ignore[arg-type]

    # -- which phrase governs a figure ---------------------------------------------
    def choose(
        self, claim: Claim, q_start: int, q_end: int, periods: Sequence[TemporalMention],
        next_start: int,
    ) -> TemporalMention | None:  # fmt: skip
        """The phrase that dates the figure at [q_start, q_end), or None: the first one
        after it in its clause (past the next figure when that one is tied to it: "43
        pounds, or 0.2% of the total seized in fiscal 2024"), else the last one before it
        that reaches it (for a change, the latest of those: "compared with 74,091 for all
        of 2023 - a plunge of 72 percent" is about the later period)."""
        change = claim.measure == "change"
        if not periods:
            return None
        sentence, offset = claim.sentence, periods[0].sent_start
        usable = [
            p
            for p in periods
            if p.role == "own"
            and not (change and (p.relative or p.in_base or p.after_from))
            # "down 40% on January's 990 pounds": the month is the compared figure's
            and not (change and p.possessive and _OWNS_FIGURE.match(sentence, p.end - offset))
        ]
        reach, lo = next_start, q_end
        link = sentence[q_end - offset : next_start - offset]
        if next_start - q_end < 60 and (_TIGHT.match(link) or (change and _CHANGE_TO.match(link))):
            reach, lo = offset + len(sentence), next_start
        for p in usable:
            if (
                q_end <= p.start < reach
                and not p.after_from
                and not _blocked(p, lo, p.start, "hsr")
                # "..., according to the agency's report for January": the source's date
                and not _ACCORDING.search(sentence, q_end - offset, p.start - offset)
            ):
                return p
        for p in reversed(usable):
            if p.end <= q_start and (not p.after_from or (p.possessive and q_start - p.end < 12)):
                return p if _reaches(p, q_start, q_end, sentence) else None
        if change:  # "nearly doubled, from 36,603 in 2019 to 71,143 in 2021": the later one
            compared = [
                p
                for p in periods
                if p.role == "own" and p.in_base and p.start >= q_end
                and not _blocked(p, q_end, p.start, "hsr")
            ]  # fmt: skip
            return max(compared, key=_end_of, default=None)
        return None

    def assign(
        self, claim: Claim, q_start: int, q_end: int, periods: Sequence[TemporalMention],
        next_start: int, carry: Carry,
    ) -> None:  # fmt: skip
        """Set the claim's period fields from its own phrase or, failing that, from the
        period its paragraph carries when the claim refers back to it."""
        mention = self.choose(claim, q_start, q_end, periods, next_start)
        if mention is None:
            if carry.period is None or not self._inherits(claim, carry):
                return
            mention, readings, _measure = carry.period
        elif len(listed := _respective(claim.sentence, mention, periods)) > 1 and len(
            listed
        ) == _list_size(claim, q_start, q_end, carry, mention.sent_start):
            # "six and 14 kilograms in January and February, respectively": in turn.
            own = listed[_turn(claim, q_start, carry, mention.sent_start)]
            own = replace(own, role="own")  # ", 2022 and 2023" is a list, not a detail
            set_period(claim, own.text, self.readings(own, claim.agency))
            return
        elif mention.parts and _compares(claim, mention):  # "fell 20% between 2023 and 2024"
            readings = self.readings(
                mention.parts[_which_end(claim, q_start, mention)], claim.agency
            )
        elif mention.relative and mention.anchor is None and carry.period and carry.period[1]:
            readings = moved(carry.period[1], mention)  # "that year", "over the same period"
        else:
            readings = self.readings(mention, claim.agency)
        set_period(claim, mention.text, readings)

    def _inherits(self, claim: Claim, carry: Carry) -> bool:
        """A later sentence keeps the paragraph's period when it is a list item or refers
        back ("This amount included", "Eight of the parcels", "The drugs have a street
        value of"), or counts the same thing, unless it states a time of its own."""
        assert carry.period is not None
        _mention, readings, measure = carry.period
        if not readings or _OWN_TIME.search(claim.sentence):
            return False
        if _REFERS_BACK.match(claim.sentence):
            return True
        after = claim.sentence.find(claim.text)
        if after >= 0 and _PARTITIVE.match(claim.sentence, after + len(claim.text)):
            return True
        return measure in (None, claim.measure) or claim.measure in _CARRIED_MEASURES


def set_period(claim: Claim, text: str, readings: Sequence[PeriodReading]) -> None:
    """The claim's period fields for these readings (the first is the primary one)."""
    claim.period_text = text
    claim.period_candidates = list(readings)
    if not readings:
        claim.period_basis = "unknown"
        return
    claim.period_basis = readings[0].basis if len(readings) == 1 else "unknown"
    claim.period_start, claim.period_end = readings[0].start, readings[0].end


def moved(
    readings: Sequence[PeriodReading], mention: TemporalMention, to_point: bool = False
) -> tuple[PeriodReading, ...]:
    """The readings of the period `mention` is relative to, moved as it says: "the year
    before" moves it back a year; "the previous 12 months" are the months before it (or up
    to it, when it is a point such as "as of the end of February")."""
    out = []
    for r in readings:
        if mention.window:
            end = r.end if to_point else r.start - timedelta(days=1)
            start = add_months(end + timedelta(days=1), -mention.window)
            out.append(PeriodReading("rolling", start, end))
            continue
        months = mention.shift
        if mention.target_year is not None:
            months = 12 * (mention.target_year - r.end.year)
        out.append(PeriodReading(r.basis, *shift_span((r.start, r.end), months)))
    return tuple(out)


def _blocked(p: TemporalMention, lo: int, hi: int, kinds: str) -> bool:
    """Whether a clause boundary of one of `kinds` lies in [lo, hi)."""
    return any(lo <= pos < hi and kind in kinds for pos, kind in p.breaks)


def _reaches(p: TemporalMention, q_start: int, q_end: int, sentence: str) -> bool:
    """Whether a period before a figure still governs it: not across a hard boundary, not
    out of a relative clause ("who first won the seat in 1987, lost it by 1,204 votes"),
    and not into a clause that states its own time ("...now stock them", "is buying")."""
    if _blocked(p, p.end, q_start, "h"):
        return False
    opened = [kind for pos, kind in p.breaks if pos < p.start]
    if (
        opened
        and opened[-1] == "r"
        and "," in sentence[p.end - p.sent_start : q_start - p.sent_start]
    ):
        return False
    before = [pos for pos, _kind in p.breaks if p.end <= pos < q_start]
    after = [pos for pos, _kind in p.breaks if pos >= q_end]
    clause_start = max([p.end, *before]) - p.sent_start
    clause_end = (after[0] if after else p.sent_start + len(sentence)) - p.sent_start
    if _OWN_CLAUSE_TIME.search(sentence, clause_start, clause_end):
        return False
    return not (before and _NEW_CLAUSE_TIME.search(sentence, clause_start, clause_end))


def _end_of(p: TemporalMention) -> date:
    if p.calendar is not None:
        return p.calendar[1]
    return date(p.fiscal_end or 1, 12, 31)


def _compares(claim: Claim, mention: TemporalMention) -> bool:
    """Whether "between 2023 and 2024" compares two periods in this sentence (a change is
    stated) rather than spanning them ("seized 15,500 grams between 2018 and 2021")."""
    if mention.months_pair and not mention.text.lower().startswith(("from", "between")):
        return False  # "in January and February": one span, whose parts only "respectively" splits
    if claim.measure == "change":
        return True
    return not mention.months_pair and bool(_CHANGE_WORDS.search(claim.sentence))


def _turn(claim: Claim, q_start: int, carry: Carry, sent_start: int) -> int:
    """Which of the periods listed "respectively" the figure takes: how many figures of
    its kind come before it in its own list ("six and 14 kilograms", "3, 4 and 9 kg"),
    each joined to the next by a comma or "and"; figures earlier in the sentence, outside
    the list, do not count."""
    before = sorted(
        (
            c
            for c in carry.claims
            if c.sentence == claim.sentence and c.start < q_start and c.dimension == claim.dimension
        ),
        key=lambda c: c.start,
    )
    turn, after = 0, q_start
    for c in reversed(before):
        gap = claim.sentence[c.end - sent_start : after - sent_start]
        if not _IN_A_LIST.fullmatch(gap):
            break
        turn, after = turn + 1, c.start
    return turn


def _list_size(claim: Claim, q_start: int, q_end: int, carry: Carry, sent_start: int) -> int:
    """How many figures the claim's list holds: those before it (`_turn`), itself, and
    those chained after it by a comma or "and" ("six and 14 kilograms")."""
    size, at = _turn(claim, q_start, carry, sent_start) + 1, q_end - sent_start
    while (found := _NEXT_IN_LIST.match(claim.sentence, at)) is not None:
        size, at = size + 1, found.end()
    return size


def _respective(
    sentence: str, mention: TemporalMention, periods: Sequence[TemporalMention]
) -> list[TemporalMention]:
    """The periods a "respectively" pairs figures with: the two of "January and
    February", or the run of periods listed with `mention` in `sentence` ("2023, 2024
    and 2025"); none when the sentence says no "respectively"."""
    if not _RESPECTIVELY.search(sentence):
        return []
    if mention.parts and not mention.text.lower().startswith(("from", "between")):
        return list(mention.parts)
    run = sorted((p for p in periods if p.sent_start == mention.sent_start), key=lambda p: p.start)
    at = next((i for i, p in enumerate(run) if p is mention), None)
    if at is None:
        return [mention]

    def joined(i: int) -> bool:  # run[i - 1] and run[i] stand in one list
        gap = sentence[run[i - 1].end - mention.sent_start : run[i].start - mention.sent_start]
        return _JOINED.fullmatch(gap) is not None

    first, last = at, at
    while first > 0 and joined(first):
        first -= 1
    while last + 1 < len(run) and joined(last + 1):
        last += 1
    return run[first : last + 1]


def _which_end(claim: Claim, q_start: int, mention: TemporalMention) -> int:
    """The earlier period for the base of the comparison ("from about 4,560 pounds"), the
    later one for the change and the figure it reached."""
    before = claim.sentence[
        max(0, q_start - mention.sent_start - 40) : q_start - mention.sent_start
    ]
    return 0 if _BASE_BEFORE.search(before) else 1


def split_year_rules(vocab: Vocabulary) -> tuple[str, frozenset[str]]:
    """Which fiscal calendar a split year names by default, and which calendars are
    written as split years (vocab/periods.yaml `split_years`)."""
    rules = getattr(vocab, "split_years", None) or _bundled_split_years()
    return str(rules["default"]), frozenset(rules["written_by"])


@functools.cache
def _bundled_split_years() -> dict[str, Any]:
    """`split_years` of the bundled periods.yaml, for a Vocabulary that does not carry it."""
    data = yamltext.load((VOCAB_DIR / "periods.yaml").read_text(encoding="utf-8"))
    return dict(data["split_years"])


def _fiscal_year_of(day: date, start_month: int) -> int:
    return day.year + 1 if start_month > 1 and day.month >= start_month else day.year
