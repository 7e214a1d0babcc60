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
_STOP = frozenset(
    "of in at to for from on by with and or the a an was were is are be been being have has "
    "had that which who whom whose this these those than as it its their his her our your "
    "into onto per each every over under about after before since during while when where not "
    "no nor but so if then there here also just only up down out off did does do will would "
    "could should may might must can shall said says told".split()
)
_NOT_PLURAL_NOUNS = frozenset(
    "does goes has was is always sometimes perhaps as its this thus his hers yes less across "
    "unless whereas includes remains seems means plus kills dies comes goes makes takes".split()
)
_RANGE_VERB = re.compile(r"(?i)\brang\w*\s+from\s+$")
_POPULATION = re.compile(r"(?i)\bpopulation[\s\u00a0]+of[\s\u00a0]+$")
_ARTICLE = re.compile(r"(?i)[\s-]+(?:of[\s-]+)?an?(?=[\s-])")
_SCALE_WORD = re.compile(r"(?i)[\s-]+(hundred|thousand|million|billion|dozen)\b")
_SPACES = re.compile(r"[\s\u00a0]+")
_OF = re.compile(r"[\s\u00a0]+of\b")
_WORD = re.compile(r"[\s\u00a0]+([A-Za-z][\w.’'/-]*)")
_PLURAL = re.compile(r"[\s\u00a0]+([a-z]{3,}s)\b")
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
        suffixes = alternation(list(vocab.currency_suffixes))
        self.currency_suffix = re.compile(rf"[ \u00a0]+({suffixes})\b")
        self.percent = re.compile(
            r"(?i)[ \u00a0]?(?P<pct>%|per[ -]?cent\b|pct\b)|[ \u00a0]+(?P<pp>percentage points?)\b"
        )
        self.times = re.compile(r"(?i)(?P<x>x\b)|[ \u00a0]?(?P<t>times\b)|-?(?P<f>fold\b)")
        self.unit_words = self._unit_pattern()
        self.nouns, self.noun_of = self._noun_pattern(vocab.count_nouns)
        rate_words = {w: name for name, (_f, ws) in vocab.per_period.items() for w in ws}
        self.rate_of = rate_words
        self.rate = re.compile(rf"(?i)\b({alternation(list(rate_words))})\b")
        self.range_join = re.compile(
            r"(?i)[\s\u00a0]*(?:(?P<dash>-|–|—)|[\s\u00a0]+(?P<word>to|and|through)[\s\u00a0]+)[\s\u00a0]*"
        )

    # -- patterns -----------------------------------------------------------------------
    def _unit_pattern(self) -> re.Pattern[str]:
        long_words: list[str] = []
        short_words: list[str] = []
        for unit in self.vocab.units:
            if unit.dimension in ("percent", "ratio"):
                continue
            for word in unit.words:
                (short_words if len(word) <= 1 else long_words).append(word)
        return re.compile(
            rf"(?i)(?:[ \u00a0]?|-)(?P<long>{alternation(long_words)})(?![\w’'])"
            rf"|(?P<short>(?-i:{alternation(short_words)}))(?![\w’'.])"
        )

    @staticmethod
    def _noun_pattern(terms: tuple[Term, ...]) -> tuple[re.Pattern[str], dict[str, Term]]:
        of: dict[str, Term] = {}
        for term in terms:
            for word in term.words:
                of[word.lower()] = term
        return re.compile(rf"(?i)\b({alternation(list(of))})\b"), of

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
        if self._skip(text, num, s_start):
            return None
        value, end = num.value, num.end
        currency: str | None = None
        left = num.start
        # Currency written before the number: "US$1.3 billion". Every prefix ends in a
        # symbol or a capital letter, so most numbers are ruled out by one character.
        before = text[max(s_start, num.start - 2) : num.start].rstrip(" \u00a0")
        if num.kind == "digits" and before and before[-1] in self.prefix_last_chars:
            prefix = self.currency_prefix.search(text, max(s_start, num.start - 6), num.start)
            if prefix:
                currency = self.vocab.currency_prefixes[prefix.group(1)]
                left = prefix.start()
        if num.year_like and currency is None and self._bare_year(text, end, s_end):
            return None
        # Scale after digits: "95 million", "$5bn".
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
        if (
            num.year_like
            and currency is None
            and value == num.value
            and not self._physical_unit_after(text, end, s_end)
        ):
            return None
        if num.kind == "vague":
            of = _OF.match(text, end, s_end)
            unit, dimension, after, noun = self._unit(text, of.end() if of else end, s_end, None)
            end = after if unit is not None else end
        else:
            unit, dimension, end, noun = self._unit(text, end, s_end, currency)
        if (
            unit is None
            and num.kind in ("words", "vague", "fraction", "ascale", "group")
            and noun is None
        ):
            if num.kind == "vague" or (num.kind == "fraction" and end > num.end):
                pass
            else:
                return None
        # A range: "between 300 and over 1,000 percent", "3 percent to 9 percent", "40-50 kg".
        value_max: float | None = None
        join = self.range_join.match(text, end, s_end)
        before = text[max(s_start, left - 24) : left].lower()
        if join and following and not num.year_like:
            nxt = following[0]
            joiner = (join.group("word") or join.group("dash") or "").lower()
            allowed = (joiner == "and" and before.endswith(("between ", "between\u00a0"))) or (
                joiner in ("to", "through", "-", "–", "—")
                and (not before.endswith("from ") or _RANGE_VERB.search(before) is not None)
            )
            gap_qual = (
                self._qualifier_before(text, join.end(), nxt.start)
                if nxt.start > join.end()
                else None
            )
            if (
                allowed
                and (nxt.start == join.end() or gap_qual)
                and not nxt.year_like
                and nxt.kind == num.kind
            ):
                nxt_value = nxt.value
                nxt_end = nxt.end
                scale = self.numerals.scale_after.match(text, nxt_end, s_end)
                if scale and scale.group("scale"):
                    nxt_value *= self.vocab.scales[scale.group("scale").lower()]
                    nxt_end = scale.end()
                elif value != num.value and nxt_value < value:
                    nxt_value *= value / num.value  # "1 to 2 million": the scale applies to both
                unit2, dim2, end2, noun2 = self._unit(text, nxt_end, s_end, currency)
                if unit2 == unit or (unit is None and unit2 is not None):
                    value_max = nxt_value
                    if unit is None and unit2 is not None:
                        unit, dimension, noun = unit2, dim2, noun2
                    end = end2
        qualifier = "vague" if num.kind == "vague" else "exact"
        if num.kind != "vague":
            found = self._qualifier_before(text, s_start, left)
            if found is not None:
                qualifier, left = found
        people = bool(noun and noun.attrs.get("people"))
        noun_measure = str(noun.attrs.get("measure")) if noun else None
        if people and self._deaths_nearby(text, left, end, s_start, s_end):
            unit, noun_measure = "deaths", "deaths"
        quantity = Quantity(
            start=left,
            end=end,
            num_start=num.start,
            value=value,
            value_max=value_max,
            qualifier=qualifier,
            unit=unit,
            dimension=dimension or "count",
            normalized_value=None,
            normalized_unit=None,
            noun_measure=noun_measure,
            people=people,
        )
        return self.units.normalise(self._rate(text, quantity, s_end))

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
        return not self._physical_unit_after(text, pos, s_end)

    def _physical_unit_after(self, text: str, pos: int, s_end: int) -> bool:
        """A year-like number is a quantity only when a unit of measure follows it
        ("2024 kg", "2000%"), never a duration or a noun ("2024 Year in Review")."""
        if self.percent.match(text, pos, s_end):
            return True
        m = self.unit_words.match(text, pos, s_end)
        unit = self.units.by_word(m.group("long") or m.group("short")) if m else None
        return unit is not None and unit.dimension not in ("duration",)

    def _unit(
        self, text: str, pos: int, s_end: int, currency: str | None
    ) -> tuple[str | None, str | None, int, Term | None]:
        """The unit written after a number: (unit, dimension, end offset, count noun)."""
        if currency is not None:
            suffix = self.currency_suffix.match(text, pos, s_end)
            return currency, "currency", suffix.end() if suffix else pos, None
        m = self.percent.match(text, pos, s_end)
        if m:
            return ("percentage points" if m.group("pp") else "percent"), "percent", m.end(), None
        m = self.times.match(text, pos, s_end)
        if m and (m.group("x") or m.group("t") or m.group("f")):
            if m.group("x") and m.start() != pos:
                return None, None, pos, None
            return "times", "ratio", m.end(), None
        m = self.currency_suffix.match(text, pos, s_end)
        if m:
            return self.vocab.currency_suffixes[m.group(1)], "currency", m.end(), None
        m = self.unit_words.match(text, pos, s_end)
        if m:
            word = m.group("long") or m.group("short")
            unit = self.units.by_word(word)
            if unit is not None and not (m.group("short") and m.start() != pos):
                return unit.name, unit.dimension, m.end(), None
        return self._count_noun(text, pos, s_end)

    def _count_noun(
        self, text: str, pos: int, s_end: int
    ) -> tuple[str | None, str | None, int, Term | None]:
        cursor = pos
        for _ in range(4):
            space = _SPACES.match(text, cursor, s_end)
            if not space:
                break
            noun = self.nouns.match(text, space.end(), s_end)
            if noun:
                term = self.noun_of[noun.group(1).lower()]
                name = str(term.attrs.get("canonical", term.name))
                return name, "count", noun.end(), term
            word = _WORD.match(text, cursor, s_end)
            if (
                not word
                or word.group(1).lower().rstrip(".") in _STOP
                or any(ch.isdigit() for ch in word.group(1))
            ):
                break
            cursor = word.end()
        # Fallback: a plural noun right after the number ("12 apples").
        plural = _PLURAL.match(text, pos, s_end)
        if (
            plural
            and plural.group(1) not in _STOP
            and plural.group(1) not in _NOT_PLURAL_NOUNS
            and not plural.group(1).endswith("ss")
        ):
            return plural.group(1), "count", plural.end(), None
        return None, None, pos, None

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
                        (m.start(), self.noun_of[m.group(1).lower()])
                        for m in self.nouns.finditer(text, s_start, end)
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
