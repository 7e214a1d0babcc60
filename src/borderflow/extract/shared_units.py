"""Units a number shares with its neighbours: a range states its unit once ("between five
and 12 kilograms"), so does a list ("3, 5 and 8 pounds"), an ellipsis leaves it out
("40 kilograms ... and another five"), a part names its whole ("six of their past eight"),
and "one in 10" is a share.

Each reader takes the numeral, where its own reading ended and the numerals after it in
the sentence, and returns what it adds, or None.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from borderflow.extract.numbers import Numeral, NumeralPatterns
from borderflow.extract.rates import RateReader
from borderflow.extract.unit_reader import UnitFound, UnitReader
from borderflow.vocab import Vocabulary

if TYPE_CHECKING:
    from borderflow.extract.quantities import Quantity

_NUMERIC = frozenset({"digits", "words"})
_WHOLES = frozenset({"mass", "volume", "count", "currency"})
_NOT_BASES = frozenset({"percent", "ratio", "duration"})
_RANGE_JOIN = re.compile(
    r"(?i)[\s\u00a0]*(?:(?P<dash>-|–|—)|[\s\u00a0]+(?P<word>to|and|through)[\s\u00a0]+)[\s\u00a0]*"
)
_RANGE_VERB = re.compile(r"(?i)\brang\w*\s+from\s+$")
_LIST_JOIN = re.compile(
    r"(?i)[ \u00a0]*,[ \u00a0]*(?:(?:and|or)[ \u00a0]+)?|[ \u00a0]+(?:and|or)[ \u00a0]+"
)
_ANOTHER = re.compile(
    r"(?i)\b(?:another|a[ \u00a0]+further|an[ \u00a0]+additional|additional|the[ \u00a0]+other|"
    r"the[ \u00a0]+remaining)[ \u00a0]+$"
)
_PARTITIVE = re.compile(
    r"(?i)[ \u00a0]+(?:of|out[ \u00a0]+of)[ \u00a0]+"
    r"(?:the|their|its|his|her|our|these|those|them)\b"
)
_RATIO = re.compile(r"(?i)[ \u00a0]+(?:out[ \u00a0]+of|in|of[ \u00a0]+every)[ \u00a0]+")
_OUT_OF = re.compile(r"(?:out\s+)?of")
# The base a figure is compared with: "down from (more than) 200", "than 12", "versus 9".
_BASE_GAP = re.compile(r",?\s*(?:(?:down|up)\s+)?(?:from|than|versus|vs\.?|compared\s+(?:with|to))")
_BASE_END = re.compile(r"(?:^|[\s,])(?:(?:down|up)\s+from|compared\s+(?:with|to)|versus|vs\.?)$")
_FROM_BEFORE = re.compile(r"(?i)\bfrom\s+(?:\S+\s+){0,2}$")
_MORE_AFTER = re.compile(r"(?i)[ \u00a0]+(?:more|fewer|less)\b")
_POPULATION = re.compile(r"(?i)\bpopulation[\s\u00a0]+of[\s\u00a0]+$")
# A capitalised word right before a capitalised noun: the noun ends a proper name.
_NAME_BEFORE = re.compile(r"\b[A-Z][\w.’'-]*[\s\u00a0]+$")
_PREPOSITION_BEFORE = re.compile(
    r"(?i)\b(?:from|by|with|on|in|to|for|against|involving|including)[\s\u00a0]+(?:all[\s\u00a0]+)?$"
)
# "Of those, 88 involved fentanyl": part of the count the sentence before gave.
_OF_THOSE = re.compile(
    r"(?i)\b(?:of|among)[\s\u00a0]+(?:those|these|them)[\s\u00a0]*,?[\s\u00a0]*$"
)
_OF_THEM = re.compile(r"(?i)[ \u00a0]+of[ \u00a0]+(?:them|those|these)\b")
_PART_JOIN = re.compile(r"(?i)[ \u00a0]+(?:and[ \u00a0]+)?")
_WORDS_ONLY = re.compile(r"[\w’'\- \u00a0]*")


class SharedUnits:
    """Readers of units stated once for several numbers; one per vocabulary."""

    def __init__(
        self, vocab: Vocabulary, numerals: NumeralPatterns, after: UnitReader, rates: RateReader
    ) -> None:
        self.vocab = vocab
        self.numerals = numerals
        self.after = after
        self.rates = rates

    def range(
        self,
        text: str,
        num: Numeral,
        value: float,
        found: UnitFound,
        before: str,
        following: list[Numeral],
        s_end: int,
        currency: str | None,
    ) -> tuple[float, float | None, UnitFound]:
        """(bottom, top, unit) of a range ("between 300 and over 1,000 percent", "3
        percent to 9 percent", "40-50 kg", "between five and 12 kilograms", "between $1.8
        and $2.1 billion"): the unit and scale a range states once, at its end. A tally
        ("approved 211 to 109") runs downwards and is no range. `before` is the text
        before the figure, lower-cased."""
        unit, _, end, _ = found
        join = _RANGE_JOIN.match(text, end, s_end)
        if not join or not following or num.year_like:
            return value, None, found
        nxt = following[0]
        joiner = (join.group("word") or join.group("dash") or "").lower()
        allowed = (joiner == "and" and before.endswith(("between ", "between\u00a0"))) or (
            joiner in ("to", "through", "-", "–", "—")
            and (not before.endswith("from ") or _RANGE_VERB.search(before) is not None)
        )
        if nxt.start < join.end():
            return value, None, found
        gap = text[join.end() : nxt.start].strip()
        gap_ok = (
            not gap
            or gap.lower() in self.vocab.qualifiers
            or (currency is not None and self.vocab.currency_prefixes.get(gap) == currency)
        )
        same_kind = nxt.kind == num.kind or {nxt.kind, num.kind} <= _NUMERIC
        if join.group("dash") and not (num.kind == nxt.kind == "digits"):
            return value, None, found  # "7-Eleven", "one-two punch": no range
        if not (allowed and gap_ok and same_kind and not nxt.year_like):
            return value, None, found
        nxt_value, nxt_end, low = nxt.value, nxt.end, value
        scale = self.numerals.scale_after.match(text, nxt_end, s_end)
        if scale and (scale.group("scale") or (currency and scale.group("short"))):
            factor = self.vocab.scales[(scale.group("scale") or scale.group("short")).lower()]
            nxt_value *= factor
            nxt_end = scale.end()
            if value == num.value and num.value <= nxt.value:
                low = value * factor  # "between $1.8 and $2.1 billion": both in billions
        elif value != num.value and nxt_value < value and num.value:
            nxt_value *= value / num.value  # "1 to 2 million": the scale applies to both
        if nxt_value < low:
            return value, None, found  # a tally, not a range
        second = self.after.read(text, nxt_end, s_end, currency)
        if second[0] == unit:
            return low, nxt_value, (found[0], found[1], second[2], found[3])
        if unit is None and second[0] is not None:
            return low, nxt_value, second
        return value, None, found

    def listed(
        self, text: str, num: Numeral, end: int, following: list[Numeral], s_end: int
    ) -> UnitFound | None:
        """The unit at the end of a list of bare numbers ("3, 5 and 8 pounds": each
        pounds), or None when the list has none."""
        if num.kind not in _NUMERIC:
            return None
        pos = end
        for nxt in following[:8]:
            join = _LIST_JOIN.match(text, pos, s_end)
            if join is None or join.end() != nxt.start or nxt.year_like:
                return None
            if nxt.kind not in _NUMERIC or (nxt.value < 0) != (num.value < 0):
                return None  # "7,313 vs. 8,020, or -8.8%": a change, not a third count
            found = self.after.read(text, nxt.end, s_end, None)
            if found[0] is not None:
                return found[0], found[1], end, found[3]
            pos = nxt.end
        return None

    def antecedent(
        self,
        text: str,
        num: Numeral,
        value: float,
        end: int,
        before: list[Quantity],
        sentence: tuple[int, int],
    ) -> Quantity | None:
        """The earlier figure whose unit a bare number leaves out: "43 pounds out of nearly
        22,000"; "another five", "a further 12", "11,000 fewer": the figure nearest in
        size ("2 million doses ... another 800,000"), durations last."""
        s_start, s_end = sentence
        last = before[-1]
        gap = self._unqualified(text[last.end : num.start].strip().lower())
        if _OUT_OF.fullmatch(gap) and last.dimension in _WHOLES:
            return last
        based = _BASE_GAP.fullmatch(gap) or (
            gap == "to" and _FROM_BEFORE.search(text, max(s_start, last.start - 30), last.start)
        )
        if based and last.dimension not in _NOT_BASES:
            return last  # "from 4,560 pounds to more than 26,700"
        lead = self._unqualified(text[max(last.end, num.start - 40) : num.start].strip().lower())
        if _BASE_END.search(lead):
            # "about 130 Americans a day dying ..., down from more than 200 a day": the
            # sentence's main figure, its first.
            return next((q for q in before if q.unit and q.dimension not in _NOT_BASES), None)
        if not (
            _ANOTHER.search(text, max(s_start, num.start - 20), num.start)
            or _MORE_AFTER.match(text, end, s_end)
        ):
            return None
        own = abs(value) or 1.0

        def distance(q: Quantity) -> tuple[bool, float]:
            size = abs(q.value / q.scale if q.scale > 1 and own < 1000 else q.value) or 1.0
            return q.dimension == "duration", abs(math.log10(own) - math.log10(size))

        return min((q for q in before if q.unit), key=distance, default=None)

    def _unqualified(self, gap: str) -> str:
        """`gap` without the qualifier phrase it ends with ("out of nearly" -> "out of")."""
        words = gap.split()
        for k in range(min(4, len(words)), 0, -1):
            if " ".join(words[-k:]) in self.vocab.qualifiers:
                return " ".join(words[:-k])
        return gap

    def fill_bare_counts(
        self, text: str, qs: list[Quantity], sentence: tuple[int, int], earlier: Sequence[Quantity]
    ) -> list[Quantity]:
        """A number with no unit takes the noun of a count it is compared with, or one named
        earlier in the sentence ('the number of companies ... between 40,000 and 100,000'),
        or the sentence before's count after "Of those,"; a number word with none ("one of
        the reasons") is no quantity."""
        out: list[Quantity] = []
        last_count: Quantity | None = None  # the last count, for a bare number
        if (
            qs
            and earlier
            and _OF_THOSE.search(text, max(sentence[0], qs[0].start - 20), qs[0].start)
        ):
            last_count = next((q for q in reversed(earlier) if q.dimension == "count"), None)
        last_noun: Quantity | None = None  # the last count or duration, for a number word
        for q in qs:
            if q.unit is None:
                if q.needs_noun:
                    unit, measure = (
                        (last_noun.unit, last_noun.noun_measure) if last_noun else (None, None)
                    )
                else:
                    unit, measure = self.noun_before(text, sentence[0], q, last_count)
                if unit is None and q.needs_noun:
                    continue
                if unit is not None:
                    q = replace(q, unit=unit, noun_measure=measure, needs_noun=False)
                    q = self.after.units.normalise(self.rates.rate(text, q, sentence[1]))
            if q.dimension == "count" and q.unit:
                last_count = q
            if q.dimension in ("count", "duration") and q.unit:
                last_noun = q
            out.append(q)
        return out

    def noun_before(
        self, text: str, s_start: int, q: Quantity, last_count: Quantity | None
    ) -> tuple[str | None, str | None]:
        """The noun a bare number counts: "population of", the count it follows, or the
        last plural count noun before it that is not a person, an official or the object
        of a preposition ("deaths from all drugs fell from 107,941"); a singular one only
        for "640 of them" ("the company sold 50 million" counts no companies)."""
        pos = q.start
        if _POPULATION.search(text, max(s_start, pos - 20), pos):
            return "people", "other"
        if last_count is not None:
            return last_count.unit, last_count.noun_measure
        of_them = _OF_THEM.match(text, q.end) is not None
        for m in reversed(list(self.after.nouns.finditer(text, s_start, pos))):
            term = self.after.noun_of[m.group(1).lower()]
            if term.attrs.get("people") or term.attrs.get("measure") == "personnel":
                continue
            if not (of_them or m.group(1).lower().endswith("s")):
                continue
            if _PREPOSITION_BEFORE.search(text, max(s_start, m.start() - 16), m.start()):
                continue
            if (
                _NAME_BEFORE.search(text, max(s_start, m.start() - 20), m.start())
                and m.group(1)[:1].isupper()
            ):
                continue  # "the United States", "Member States": a name, not a count noun
            return str(term.attrs.get("canonical", term.name)), str(term.attrs.get("measure"))
        return None, None

    def compound(
        self,
        text: str,
        num: Numeral,
        value: float,
        found: tuple[str | None, str | None, int],
        following: list[Numeral],
        s_end: int,
    ) -> tuple[float, str | None, int]:
        """ "a pound and a half" (1.5 lb), "three hours and 20 minutes" (200 minutes):
        (value, unit, end) with the part after the unit added."""
        unit, dimension, end = found
        if unit is None or num.kind == "fraction":
            return value, unit, end
        half = self.numerals.and_fraction.match(text, end, s_end)
        if half:
            return value + self.numerals.denominators[half.group("den").lower()], unit, half.end()
        if dimension != "duration" or not following:
            return value, unit, end
        nxt = following[0]
        join = _PART_JOIN.match(text, end, s_end)
        if join is None or join.end() != nxt.start or nxt.kind not in _NUMERIC:
            return value, unit, end
        smaller, part_dimension, part_end, _ = self.after.read(text, nxt.end, s_end, None)
        factor = self.after.units.duration_factor(unit, smaller or "")
        if part_dimension == "duration" and factor and factor > 1 and 0 <= nxt.value < factor:
            return value * factor + nxt.value, smaller, part_end
        return value, unit, end

    def partitive(
        self, text: str, num: Numeral, end: int, following: list[Numeral], s_end: int
    ) -> UnitFound | None:
        """What "six of their past eight" or "12 of the 20 officers" counts: the noun of
        the whole it is part of, when the sentence names it there ("one of the officers"
        is no count)."""
        if num.kind not in (*_NUMERIC, "group", "ascale") or num.value < 2:
            return None
        m = _PARTITIVE.match(text, end, s_end)
        if m is None:
            return None
        if following and following[0].start - m.end() <= 30 and not following[0].year_like:
            gap = _WORDS_ONLY.fullmatch(text, m.end(), following[0].start)
            whole = self.after.read(text, following[0].end, s_end, None) if gap else None
            if whole is not None and whole[1] == "count" and whole[0] is not None:
                return whole[0], "count", end, whole[3]
        noun = self.after.count_noun(text, m.end(), s_end)
        if noun[0] is not None:
            return noun[0], "count", end, noun[3]
        return None

    def ratio(
        self, text: str, num: Numeral, value: float, end: int, following: list[Numeral], s_end: int
    ) -> tuple[float, int] | None:
        """ "one in 10", "seven out of 10": a share in percent (rounded to 0.01, as a
        reader would write it) and where it ends."""
        if num.kind not in _NUMERIC or value < 1 or not following:
            return None
        m = _RATIO.match(text, end, s_end)
        nxt = following[0]
        if m is None or nxt.start != m.end() or nxt.year_like or nxt.kind not in _NUMERIC:
            return None
        if nxt.value < max(value, 2):
            return None
        unit, dimension, _, _ = self.after.read(text, nxt.end, s_end, None)
        if unit is not None and dimension != "count":
            return None  # "3 in 4 weeks"
        return round(value / nxt.value * 100, 2), nxt.end
