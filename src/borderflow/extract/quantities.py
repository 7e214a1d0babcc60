"""From numerals to quantities: unit, qualifier, range, rate and normalised value.

A numeral becomes a quantity when what surrounds it says what it counts or measures. Years,
dates, ordinals, clock times and numbers inside identifiers are left out: years and dates
become periods (periods.py), the others are not quantities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from borderflow.extract.numbers import Numeral, NumeralPatterns, alternation
from borderflow.extract.tokens import TokenIndex
from borderflow.extract.unit_reader import UnitFound, UnitReader
from borderflow.extract.units import UnitTable
from borderflow.vocab import Term, Vocabulary

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DATE_BEFORE = re.compile(_MONTHS + r"\.?[ \u00a0]+$")
_DATE_AFTER = re.compile(r"[ \u00a0]+" + _MONTHS + r"\b")
_ORDINAL = re.compile(r"(?:st|nd|rd|th)\b", re.IGNORECASE)
_TIME = re.compile(r":\d\d")
# Numbers that name things rather than count them: "Section 232", "Highway 401", "Bill C-2".
_IDENTIFIER_BEFORE = re.compile(
    r"(?:Section|Sections|Sec\.|Article|Chapter|Title|Rule|Bill|Highway|Route|Interstate|"
    r"Flight|Room|Gate|Exit|Level|Phase|Stage|Part|Schedule|Annex|Table|Figure|Fig\.|No\.|"
    r"Number|Resolution|Order|Page|Line|Precinct|District|Ward|Unit|Platform|Version|v)[ \u00a0]+$"
)
_RANGE_VERB = re.compile(r"(?i)\brang\w*\s+from\s+$")
_POPULATION = re.compile(r"(?i)\bpopulation[\s\u00a0]+of[\s\u00a0]+$")
_ARTICLE = re.compile(r"(?i)[\s-]+(?:of[\s-]+)?an?(?=[\s-])")
_OF = re.compile(r"[\s\u00a0]+of\b")
_SCALE_WORD = re.compile(r"(?i)[\s-]+(hundred|thousand|million|billion|dozen)\b")
_DEATH_CUE = re.compile(
    r"(?i)\b(?:die[sd]?|dying|death|deaths|dead|killed|kill(?:s|ing)?|fatal\w*|overdos\w*|"
    r"lost their lives)\b"
)


@dataclass(slots=True)  # not frozen: frozen __init__ is slow on this hot path
class Quantity:
    """A measured amount in the text, before its context (measure, agency...) is known."""

    start: int
    end: int
    num_start: int
    value: float
    value_max: float | None
    qualifier: str
    unit: str | None
    dimension: str
    normalized_value: float | None
    normalized_unit: str | None
    noun_measure: str | None = None
    people: bool = False


class QuantityScanner:
    """Finds quantities in sentences; one instance per vocabulary, reused for every text."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.numerals = NumeralPatterns(vocab)
        self.units = UnitTable(vocab)
        self.max_qualifier_words = max(len(q.split()) for q in vocab.qualifiers)
        prefixes = alternation(list(vocab.currency_prefixes))
        self.prefix_last_chars = frozenset(p[-1] for p in vocab.currency_prefixes)
        self.currency_prefix = re.compile(rf"(?:^|(?<=[\s(\[\"“‘-]))({prefixes})[ \u00a0]?$")
        self.after = UnitReader(vocab, self.units)
        rate_words = {w: name for name, (_f, ws) in vocab.per_period.items() for w in ws}
        self.rate_of = rate_words
        self.rate = re.compile(rf"(?i)\b({alternation(list(rate_words))})\b")
        self.range_join = re.compile(
            r"(?i)[\s\u00a0]*(?:(?P<dash>-|–|—)|[\s\u00a0]+(?P<word>to|and|through)[\s\u00a0]+)[\s\u00a0]*"
        )

    # -- scanning -----------------------------------------------------------------------
    def scan(
        self, text: str, start: int, end: int, tokens: TokenIndex | None = None
    ) -> list[Quantity]:
        """Quantities in text[start:end] (one sentence), in order."""
        out: list[Quantity] = []
        consumed = start
        numerals = self.numerals.scan(text, start, end, tokens)
        for index, num in enumerate(numerals):
            if num.start < consumed:
                continue
            quantity = self._quantity(text, num, numerals[index + 1 :], start, end)
            if quantity is not None:
                out.append(quantity)
                consumed = quantity.end
        return self._fill_bare_counts(text, out, start)

    def _skip(self, text: str, num: Numeral, s_start: int) -> bool:
        if num.kind != "digits":
            return False
        before = text[max(s_start, num.start - 12) : num.start]
        after = text[num.end : num.end + 12]
        if _ORDINAL.match(after) or _TIME.match(after) or before.endswith(":"):
            return True
        if _IDENTIFIER_BEFORE.search(before):
            return True
        if _DATE_BEFORE.search(before) and num.value <= 31:
            return True
        return bool(num.value <= 31 and _DATE_AFTER.match(after))

    def _quantity(
        self, text: str, num: Numeral, following: list[Numeral], s_start: int, s_end: int
    ) -> Quantity | None:
        """The quantity a numeral is part of, or None when it is not one (a year, a date,
        an identifier, a number word with nothing it counts)."""
        if self._skip(text, num, s_start):
            return None
        currency, left = self._currency_before(text, num, s_start)
        if num.year_like and currency is None and self._bare_year(text, num.end, s_end):
            return None
        value, end = self._scaled(text, num, s_end, currency)
        if (
            num.year_like
            and currency is None
            and value == num.value
            and not self.after.physical_unit_after(text, end, s_end)
        ):
            return None
        found = self._unit_after(text, num, end, s_end, currency)
        if found is None:
            return None
        value_max, (unit, dimension, end, noun) = self._range(
            text, num, value, found, left, following, (s_start, s_end), currency
        )
        qualifier = "vague" if num.kind == "vague" else "exact"
        if num.kind != "vague":
            before = self._qualifier_before(text, s_start, left)
            if before is not None:
                qualifier, left = before
        people = bool(noun and noun.attrs.get("people"))
        noun_measure = str(noun.attrs.get("measure")) if noun else None
        if people and self._deaths_nearby(text, left, end, s_start, s_end):
            unit, noun_measure = "deaths", "deaths"
        quantity = Quantity(
            start=left, end=end, num_start=num.start, value=value, value_max=value_max,
            qualifier=qualifier, unit=unit, dimension=dimension or "count",
            normalized_value=None, normalized_unit=None, noun_measure=noun_measure,
            people=people,
        )  # fmt: skip
        return self.units.normalise(self._rate(text, quantity, s_end))

    def _currency_before(self, text: str, num: Numeral, s_start: int) -> tuple[str | None, int]:
        """A currency written before the number ("US$1.3 billion") and where it starts.
        Every prefix ends in a symbol or a capital letter, so most numbers are ruled out
        by one character."""
        before = text[max(s_start, num.start - 2) : num.start].rstrip(" \u00a0")
        if num.kind == "digits" and before and before[-1] in self.prefix_last_chars:
            prefix = self.currency_prefix.search(text, max(s_start, num.start - 6), num.start)
            if prefix:
                return self.vocab.currency_prefixes[prefix.group(1)], prefix.start()
        return None, num.start

    def _scaled(
        self, text: str, num: Numeral, s_end: int, currency: str | None
    ) -> tuple[float, int]:
        """The value with a scale written after it ("95 million", "$5bn", "half a
        million"), and where the scale ends."""
        value, end = num.value, num.end
        if num.kind in ("digits", "fraction"):
            scale = self.numerals.scale_after.match(text, end, s_end)
            if scale and (
                scale.group("scale")
                or currency
                or scale.group("short") in ("k", "bn", "mn", "tn", "mln")
            ):
                word = (scale.group("scale") or scale.group("short")).lower()
                value *= self.vocab.scales[word]
                end = scale.end()
        if num.kind == "fraction":
            # "half-a-ton", "half a million": skip the article.
            article = _ARTICLE.match(text, end, s_end)
            if article:
                end = article.end()
                scale = _SCALE_WORD.match(text, end, s_end)
                if scale:
                    word = scale.group(1).lower()
                    value *= self.vocab.scales.get(word) or self.vocab.groups[word]
                    end = scale.end()
        return value, end

    def _unit_after(
        self, text: str, num: Numeral, end: int, s_end: int, currency: str | None
    ) -> UnitFound | None:
        """What the number measures; None for a number in words that counts nothing
        ("one of the reasons"), which is not a quantity."""
        if num.kind == "vague":
            of = _OF.match(text, end, s_end)
            unit, dimension, after, noun = self.after.read(
                text, of.end() if of else end, s_end, None
            )
            found: UnitFound = (unit, dimension, after if unit is not None else end, noun)
        else:
            found = self.after.read(text, end, s_end, currency)
        unit, _, end, noun = found
        counts_nothing = (
            unit is None
            and num.kind in ("words", "vague", "fraction", "ascale", "group")
            and noun is None
        )
        if counts_nothing and not (
            num.kind == "vague" or (num.kind == "fraction" and end > num.end)
        ):
            return None
        return found

    def _range(
        self,
        text: str,
        num: Numeral,
        value: float,
        found: UnitFound,
        left: int,
        following: list[Numeral],
        sentence: tuple[int, int],
        currency: str | None,
    ) -> tuple[float | None, UnitFound]:
        """The top of a range ("between 300 and over 1,000 percent", "3 percent to 9
        percent", "40-50 kg"), with the unit the range states once, at its end."""
        (s_start, s_end), (unit, _, end, _) = sentence, found
        join = self.range_join.match(text, end, s_end)
        if not join or not following or num.year_like:
            return None, found
        before = text[max(s_start, left - 24) : left].lower()
        nxt = following[0]
        joiner = (join.group("word") or join.group("dash") or "").lower()
        allowed = (joiner == "and" and before.endswith(("between ", "between\u00a0"))) or (
            joiner in ("to", "through", "-", "–", "—")
            and (not before.endswith("from ") or _RANGE_VERB.search(before) is not None)
        )
        gap_qual = (
            self._qualifier_before(text, join.end(), nxt.start) if nxt.start > join.end() else None
        )
        if not (
            allowed
            and (nxt.start == join.end() or gap_qual)
            and not nxt.year_like
            and nxt.kind == num.kind
        ):
            return None, found
        nxt_value, nxt_end = nxt.value, nxt.end
        scale = self.numerals.scale_after.match(text, nxt_end, s_end)
        if scale and scale.group("scale"):
            nxt_value *= self.vocab.scales[scale.group("scale").lower()]
            nxt_end = scale.end()
        elif value != num.value and nxt_value < value:
            nxt_value *= value / num.value  # "1 to 2 million": the scale applies to both
        second = self.after.read(text, nxt_end, s_end, currency)
        if second[0] == unit:
            return nxt_value, (found[0], found[1], second[2], found[3])
        if unit is None and second[0] is not None:
            return nxt_value, second
        return None, found

    def _qualifier_before(self, text: str, s_start: int, left: int) -> tuple[str, int] | None:
        """(qualifier, start offset) of a qualifier phrase ending right before `left`:
        the last one to four words are looked up in the vocabulary, longest first."""
        if left > s_start and text[left - 1] in "~≈":
            return "approx", left - 1
        window = text[max(s_start, left - 40) : left]
        if not window or not window[-1].isspace():
            return None
        stripped = window.rstrip()
        words = stripped.split()[-self.max_qualifier_words :]
        for k in range(len(words), 0, -1):
            head = words[-k].lstrip('(["“‘')
            phrase = " ".join([head, *words[len(words) - k + 1 :]]).lower()
            kind = self.vocab.qualifiers.get(phrase)
            if kind is not None:
                offset = len(stripped)
                for word in reversed(words[-k:]):
                    offset = stripped.rfind(word, 0, offset)
                offset += len(words[-k]) - len(head)
                return kind, left - len(window) + offset
        return None

    def _bare_year(self, text: str, pos: int, s_end: int) -> bool:
        """A year-like number with no scale or unit of measure after it is a year."""
        if self.numerals.scale_after.match(text, pos, s_end):
            return False
        return not self.after.physical_unit_after(text, pos, s_end)

    @staticmethod
    def _deaths_nearby(text: str, left: int, end: int, s_start: int, s_end: int) -> bool:
        window = text[max(s_start, left - 40) : min(s_end, end + 40)]
        return _DEATH_CUE.search(window) is not None

    def _rate(self, text: str, q: Quantity, s_end: int) -> Quantity:
        if q.dimension not in ("count", "currency", "mass", "volume") or q.unit is None:
            return q
        window_end = min(s_end, q.end + 40)
        m = self.rate.search(text, q.end, window_end)
        if not m:
            return q
        gap = text[q.end : m.start()]
        if re.search(r"[\d;:.!?()]|\b(?:and|but|or|for|ago|later)\b", gap) or len(gap.split()) > 5:
            return q
        period = self.rate_of[m.group(1).lower()]
        return replace(q, end=m.end(), unit=f"{q.unit}/{period}", dimension="rate")

    def _fill_bare_counts(self, text: str, qs: list[Quantity], s_start: int) -> list[Quantity]:
        """A number with no unit takes the noun of a count it is compared with, or one named
        earlier in the sentence ('the number of companies ... between 40,000 and 100,000')."""
        out: list[Quantity] = []
        nouns: list[tuple[int, Term]] | None = None  # count nouns of the sentence, found once
        last_count: Quantity | None = None
        for q in qs:
            if q.unit is None:
                if nouns is None:
                    end = qs[-1].start
                    nouns = [
                        (m.start(), self.after.noun_of[m.group(1).lower()])
                        for m in self.after.nouns.finditer(text, s_start, end)
                    ]
                unit, measure = self._noun_before(text, s_start, q.start, last_count, nouns)
                if unit is not None:
                    q = replace(q, unit=unit, noun_measure=measure)
                    q = self.units.normalise(q)
            if q.dimension == "count" and q.unit:
                last_count = q
            out.append(q)
        return out

    @staticmethod
    def _noun_before(
        text: str,
        s_start: int,
        pos: int,
        last_count: Quantity | None,
        nouns: list[tuple[int, Term]],
    ) -> tuple[str | None, str | None]:
        if _POPULATION.search(text, max(s_start, pos - 20), pos):
            return "people", "other"
        if last_count is not None:
            return last_count.unit, last_count.noun_measure
        for start, term in reversed(nouns):
            if start < pos and not term.attrs.get("people"):
                return str(term.attrs.get("canonical", term.name)), str(term.attrs.get("measure"))
        return None, None
