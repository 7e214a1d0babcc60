"""What follows a number: its unit, currency, percent or "times", or the noun it counts
("12 officers", "three drones"). One reader per vocabulary, shared by every text."""

from __future__ import annotations

import re

from borderflow.extract.numbers import alternation
from borderflow.extract.units import UnitTable
from borderflow.vocab import Term, Vocabulary

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
_SPACES = re.compile(r"[\s\u00a0]+")
_WORD = re.compile(r"[\s\u00a0]+([A-Za-z][\w.’'/-]*)")
_PLURAL = re.compile(r"[\s\u00a0]+([a-z]{3,}s)\b")

# (unit, dimension, end offset, count noun) of what follows a number
UnitFound = tuple[str | None, str | None, int, Term | None]


class UnitReader:
    """The patterns for what may follow a number, compiled once per vocabulary."""

    def __init__(self, vocab: Vocabulary, units: UnitTable) -> None:
        self.vocab = vocab
        self.units = units
        suffixes = alternation(list(vocab.currency_suffixes))
        self.currency_suffix = re.compile(rf"[ \u00a0]+({suffixes})\b")
        self.percent = re.compile(
            r"(?i)[ \u00a0]?(?P<pct>%|per[ -]?cent\b|pct\b)|[ \u00a0]+(?P<pp>percentage points?)\b"
        )
        self.times = re.compile(r"(?i)(?P<x>x\b)|[ \u00a0]?(?P<t>times\b)|-?(?P<f>fold\b)")
        self.unit_words = self._unit_pattern()
        self.nouns, self.noun_of = self._noun_pattern(vocab.count_nouns)

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

    def physical_unit_after(self, text: str, pos: int, s_end: int) -> bool:
        """A year-like number is a quantity only when a unit of measure follows it
        ("2024 kg", "2000%"), never a duration or a noun ("2024 Year in Review")."""
        if self.percent.match(text, pos, s_end):
            return True
        m = self.unit_words.match(text, pos, s_end)
        unit = self.units.by_word(m.group("long") or m.group("short")) if m else None
        return unit is not None and unit.dimension not in ("duration",)

    def read(self, text: str, pos: int, s_end: int, currency: str | None) -> UnitFound:
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
        return self.count_noun(text, pos, s_end)

    def count_noun(self, text: str, pos: int, s_end: int) -> UnitFound:
        """A count noun within a few words after the number, else a plain plural right
        after it (\"12 apples\")."""
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
