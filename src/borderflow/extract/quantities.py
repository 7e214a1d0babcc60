"""From numerals to quantities: unit, qualifier, range, rate and normalised value.

A numeral becomes a quantity when what surrounds it says what it counts or measures. Years,
dates, ordinals, clock times and numbers inside identifiers are left out (not_amounts.py):
years and dates become periods (periods.py), the others are not quantities. Units stated
once for several numbers are shared_units.py's; rates and deaths are rates.py's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from borderflow.extract.not_amounts import named, names_a_thing
from borderflow.extract.numbers import Numeral, NumeralPatterns, alternation
from borderflow.extract.qualifiers import QualifierReader
from borderflow.extract.rates import RateReader
from borderflow.extract.shared_units import SharedUnits
from borderflow.extract.tokens import TokenIndex
from borderflow.extract.unit_reader import UnitFound, UnitReader
from borderflow.extract.units import UnitTable
from borderflow.vocab import Vocabulary

_ARTICLE = re.compile(r"(?i)[\s-]+(?:of[\s-]+)?an?(?=[\s-])")
_OF = re.compile(r"[\s\u00a0]+of\b")
_OF_NUMBER = re.compile(r"(?i)[\s-]+of[\s-]+")
_SCALE_WORD = re.compile(r"(?i)[\s-]+(hundred|thousand|million|billion|dozen)\b")
# After a fraction with no unit: "a third of the...", "a fifth from the year before",
# "nearly a quarter fewer", "roughly two-fifths," is a share.
_SHARE_AFTER = re.compile(
    r"(?i)[\s\u00a0]+(?:of|from|fewer|more|less|lower|higher|smaller|larger|below|above)\b"
    r"|[\s\u00a0]*(?:[,.;:)—–]|-[\s\u00a0]|$)"
)
_HALF_THE = re.compile(r"(?i)[\s\u00a0]+the\b")
# "half the previous year's total", "about half of what it was": a multiple, not a share.
_HALF_COMPARED = re.compile(
    r"(?i)[\s\u00a0]+(?:of[\s\u00a0]+)?(?:what\b|the[\s\u00a0]+(?:[\w’'-]+[\s\u00a0]+){0,3}?"
    r"(?:total|toll|level|rate|amount|number|peak|size|figure|count|pace|volume|value|price|cost)s?\b)"
)
_SHORT_TON = re.compile(r"(?i)short[\s-]+tons?$")
_SPELLED = frozenset({"words", "vague", "fraction", "ascale", "group", "aunit"})
# "a mile", "an hour": an amount only after a qualifier for durations ("less than an hour";
# "a year ago" is a time).
_A_DURATION = re.compile(r"(?i)[\s-]+(?:hours?|minutes?|seconds?|days?|weeks?|months?|years?)\b")
# "the past 12 months", "the last two fiscal years": a period (periods.py), not an amount
# ("over the next four years" is a span still to come, an amount of time).
_PERIOD_BEFORE = re.compile(
    r"(?i)\bthe[\s\u00a0]+(?:same|last|past|previous|first|prior|preceding|final|latest|"
    r"most[\s\u00a0]+recent)[\s\u00a0]+$"
)
# "for a gallon of regular was $3.06", "a litre of milk costs $2": a unit priced, not an
# amount.
_PRICED_UNIT = re.compile(r"(?i)\b(?:for|per|each|every|by[\s\u00a0]+the)[\s\u00a0]+$")
_PRICE_AFTER = re.compile(
    r"(?i)(?:[\s\u00a0]+of(?:[\s\u00a0]+[\w’'-]+){1,3})?[\s\u00a0,]+(?:is|was|were|costs?|sells?|"
    r"sold|averaged|hit|rose|fell|went|now)\b[^.;\d]{0,20}?[$€£¥₹]"
)
_CODE_AFTER = re.compile(r"-?[^\W\d_]")
_CENTS = frozenset({"cents"})


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
    # "half a ton": read as the U.S. short ton; the unit to use instead when the document
    # is metric (a Canadian agency, "tonnes" elsewhere in it). The pipeline decides, with
    # UnitTable.as_metric.
    metric_unit: str | None = None
    # A number in words whose noun is left unsaid ("six of their past eight"): it takes
    # the noun of the count before it in the sentence, or is no quantity at all.
    needs_noun: bool = False
    # The scale written after the number ("$2 billion": 1e9), lent to an elided figure.
    scale: float = 1.0


class QuantityScanner:
    """Finds quantities in sentences; one instance per vocabulary, reused for every text."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.numerals = NumeralPatterns(vocab)
        self.units = UnitTable(vocab)
        self.qualifiers = QualifierReader(vocab)
        prefixes = alternation(list(vocab.currency_prefixes))
        self.prefix_last_chars = frozenset(p[-1] for p in vocab.currency_prefixes)
        self.currency_prefix = re.compile(rf"(?:^|(?<=[\s(\[\"“‘-]))({prefixes})[ \u00a0]?$")
        self.after = UnitReader(vocab, self.units)
        self.rates = RateReader(vocab)
        self.shared = SharedUnits(vocab, self.numerals, self.after, self.rates)
        # "12 cents" is a hundredth of the currency "dollars" stands for (settled later by
        # the pipeline, like a bare "$").
        self.cents_currency = vocab.currency_suffixes.get("dollars", "USD")

    # -- scanning -----------------------------------------------------------------------
    def scan(
        self,
        text: str,
        start: int,
        end: int,
        tokens: TokenIndex | None = None,
        metric: bool = False,
        earlier: Sequence[Quantity] = (),
    ) -> list[Quantity]:
        """Quantities in text[start:end] (one sentence), in order. With `metric` (the
        pipeline's call: a Canadian agency or outlet, say), "half a ton" is a tonne.
        `earlier`: the quantities of the sentence before in the paragraph, which lend
        their unit to "That was 25,000 fewer" or "Of those, 88 involved fentanyl"."""
        out: list[Quantity] = []
        consumed = start
        numerals = self.numerals.scan(text, start, end, tokens)
        if not numerals:
            return []
        for index, num in enumerate(numerals):
            if num.start < consumed:
                continue
            if num.kind == "aunit" and out and not text[out[-1].end : num.start].strip():
                continue  # "$5 a pound" is a price per pound, not a pound
            quantity = self._quantity(
                text, num, numerals[index + 1 :], (start, end), out or list(earlier)
            )
            if quantity is not None:
                out.append(quantity)
                consumed = quantity.end
        found = self.shared.fill_bare_counts(text, out, (start, end), earlier)
        return [self.units.as_metric(q) for q in found] if metric else found

    def _quantity(
        self,
        text: str,
        num: Numeral,
        following: list[Numeral],
        sentence: tuple[int, int],
        before: list[Quantity],
    ) -> Quantity | None:
        """The quantity a numeral is part of, or None when it is not one (a year, a date,
        an identifier, a number word with nothing it counts)."""
        s_start, s_end = sentence
        if names_a_thing(text, num, s_start):
            return None
        currency, left = self._currency_before(text, num, s_start)
        if num.glued and currency is None:
            return None  # "Galaxy A15", not "$A15"
        if num.year_like and currency is None and self._bare_year(text, num.end, s_end):
            return None
        value, end, following = self._scaled(text, num, s_end, currency, following)
        scale = value / num.value if num.value and num.kind == "digits" else 1.0
        if following and following[0].start < end:  # not its own scale word
            following = [n for n in following if n.start >= end]
        if (
            num.year_like
            and currency is None
            and value == num.value
            and not self.after.physical_unit_after(text, end, s_end)
        ):
            return None
        read = self._read_unit(text, num, value, end, following, (s_start, s_end, left), currency)
        if read is None:
            return None
        value, value_max, (unit, dimension, end, noun) = read
        antecedent = (
            self.shared.antecedent(text, num, value, end, before, sentence)
            if unit is None and before and num.kind in ("digits", "words")
            else None
        )
        if antecedent is not None and antecedent.unit:
            unit, dimension = antecedent.unit, antecedent.dimension
            if dimension == "rate":  # the rate is read again after this figure
                unit = unit.split("/")[0]
                known = self.units.by_word(unit)
                dimension = (
                    known.dimension if known else ("currency" if unit.isupper() else "count")
                )
            if antecedent.scale > 1 and value == num.value and abs(value) < 1000:
                value *= antecedent.scale  # "$2 billion ... and another 1.4"
        needs_noun = False
        if unit is None and num.kind in _SPELLED and not self._counts_itself(num, end):
            share = self._share(text, num, value, end, s_end)
            if share is None:
                if not (num.kind in ("words", "group") and value >= 2):
                    return None
                needs_noun = True
            else:
                value, unit, dimension = share
        if self._names_something(text, num, unit, dimension, end, (s_start, s_end), currency):
            return None
        if unit in _CENTS:
            value, unit = round(value / 100, 10), self.cents_currency
            value_max = None if value_max is None else round(value_max / 100, 10)
        value, unit, end = self.shared.compound(
            text, num, value, (unit, dimension, end), following, s_end
        )
        qualifier, left, end = self.qualifiers.read(
            text, num.kind == "vague", dimension, (s_start, s_end), (left, end)
        )
        people = bool(noun and noun.attrs.get("people"))
        noun_measure = str(noun.attrs.get("measure")) if noun else None
        if antecedent is not None:
            people, noun_measure = antecedent.people, antecedent.noun_measure
        died = people and self.rates.died(text, left, end, s_start, s_end)
        if died or (unit is None and noun is None and self.rates.died_next(text, end)):
            unit, noun_measure = "deaths", "deaths"
        metric = "tonne" if unit == "ton" and not _SHORT_TON.search(text, left, end) else None
        quantity = Quantity(
            start=left, end=end, num_start=num.start, value=value, value_max=value_max,
            qualifier=qualifier, unit=unit, dimension=dimension or "count",
            normalized_value=None, normalized_unit=None, noun_measure=noun_measure,
            people=people, metric_unit=metric, needs_noun=needs_noun,
            scale=scale,
        )  # fmt: skip
        return self.units.normalise(self.rates.rate(text, quantity, s_end))

    def _read_unit(
        self,
        text: str,
        num: Numeral,
        value: float,
        end: int,
        following: list[Numeral],
        where: tuple[int, int, int],
        currency: str | None,
    ) -> tuple[float, float | None, UnitFound] | None:
        """(value, top of range, unit found) of a numeral: a multiple ("twice"), a share
        ("one in 10"), its own unit, the one a range or a list states once, or the noun of
        the whole it is part of; None when it is a glued code ("5G") or "a year ago"."""
        s_start, s_end, left = where
        if num.kind == "multiple":
            return value, None, ("times", "ratio", num.end, None)
        ratio = self.shared.ratio(text, num, value, end, following, s_end)
        if ratio is not None:
            return ratio[0], None, ("percent", "percent", ratio[1], None)
        found = self._unit_after(text, num, end, s_end, currency)
        if found[1] == "duration" and _PERIOD_BEFORE.search(
            text, max(s_start, num.start - 30), num.start
        ):
            return None
        if num.kind == "aunit" and (
            _PRICED_UNIT.search(text, max(s_start, num.start - 12), num.start)
            or _PRICE_AFTER.match(text, found[2], s_end)
            or (found[1] == "duration" and not self._a_duration(text, num, found, where))
        ):
            return None
        before = text[max(s_start, left - 24) : left].lower()
        value, value_max, found = self.shared.range(
            text, num, value, found, before, following, s_end, currency
        )
        if found[0] is None:
            found = (
                self.shared.listed(text, num, end, following, s_end)
                or self.shared.partitive(text, num, end, following, s_end)
                or found
            )
        if found[0] is None and _CODE_AFTER.match(text, found[2], s_end):
            return None  # "5G", "3D", "7-Eleven", "one-bedroom": a code or a name
        return value, value_max, found

    def _a_duration(
        self, text: str, num: Numeral, found: UnitFound, where: tuple[int, int, int]
    ) -> bool:
        """ "less than an hour" is an amount; "a year ago", "twice a day" are not."""
        s_start, s_end, left = where
        return self.qualifiers.before(text, s_start, left) is not None and not (
            self.rates.time_after(text, found[2], s_end)
        )

    @staticmethod
    def _counts_itself(num: Numeral, end: int) -> bool:
        """ "thousands of", "half a": a quantity even when no noun follows."""
        return num.kind == "vague" or (num.kind == "fraction" and end > num.end)

    def _share(
        self, text: str, num: Numeral, value: float, end: int, s_end: int
    ) -> tuple[float, str, str] | None:
        """A fraction with no unit: a share in percent ("a third of the units", "a fifth
        from the year before", "roughly two-fifths,"), rounded to 0.01 as a reader writes
        it, or a multiple ("half the previous year's total"); None when it is neither
        ("a third straight year")."""
        if num.kind != "fraction" or end != num.end:
            return None
        if _HALF_COMPARED.match(text, end, s_end):
            return value, "times", "ratio"
        if _SHARE_AFTER.match(text, end, s_end) or (value == 0.5 and _HALF_THE.match(text, end)):
            return round(value * 100, 2), "percent", "percent"
        return None

    def _names_something(
        self,
        text: str,
        num: Numeral,
        unit: str | None,
        dimension: str | None,
        end: int,
        sentence: tuple[int, int],
        currency: str | None,
    ) -> bool:
        """A number right after a capitalised name with nothing measured after it, or only
        a lower-case noun ("Boeing 737 jets", "FTSE 100"): a model or index name."""
        if currency is not None or (unit is not None and dimension != "count"):
            return False
        if unit is not None:
            words = text[num.end : end].split()
            if words and words[-1][:1].isupper():
                return False  # a headline: "Police Arrest 12 Suspects"
        return named(text, num, sentence[0], self.vocab.qualifiers, bare=unit is None)

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
        self, text: str, num: Numeral, s_end: int, currency: str | None, following: list[Numeral]
    ) -> tuple[float, int, list[Numeral]]:
        """The value with a scale written after it ("95 million", "$5bn", "half a
        million", "one-fifth of 1"), where the scale ends, and the numerals after it."""
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
                second = self.numerals.scale_after.match(text, end, s_end)  # "1 lakh crore"
                if second and second.group("scale"):
                    value *= self.vocab.scales[second.group("scale").lower()]
                    end = second.end()
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
            elif following and (of := _OF_NUMBER.match(text, end, s_end)):
                # "one-fifth of 1 per cent": the fraction of an amount is an amount.
                nxt = following[0]
                if nxt.start == of.end() and nxt.kind in ("digits", "words") and not nxt.year_like:
                    value, end = self._scaled(text, nxt, s_end, currency, [])[:2]
                    return value * num.value, end, following[1:]
        return value, end, following

    def _unit_after(
        self, text: str, num: Numeral, end: int, s_end: int, currency: str | None
    ) -> UnitFound:
        """What the number measures: a unit, a currency or a counted noun (all None when
        nothing is written after it). After "thousands of", the noun past the "of"."""
        if num.kind == "vague":
            of = _OF.match(text, end, s_end)
            unit, dimension, after, noun = self.after.read(
                text, of.end() if of else end, s_end, None
            )
            return unit, dimension, after if unit is not None else end, noun
        return self.after.read(text, end, s_end, currency)

    def _bare_year(self, text: str, pos: int, s_end: int) -> bool:
        """A year-like number with no scale or unit of measure after it is a year."""
        if self.numerals.scale_after.match(text, pos, s_end):
            return False
        return not self.after.physical_unit_after(text, pos, s_end)
