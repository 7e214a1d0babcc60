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
    "could should may might must can shall said says told now still already again later soon "
    "yet even never ever".split()
)
_NOT_PLURAL_NOUNS = frozenset(
    "does goes has was is always sometimes perhaps as its this thus his hers yes less across "
    "unless whereas includes remains seems means plus kills dies comes goes makes takes".split()
)
_SPACES = re.compile(r"[\s\u00a0]+")
# "saved 1,200 lives", "spared more than 300 lives": the verb before the number.
_SAVING = re.compile(
    r"(?i)\b(?:sav(?:e|es|ed|ing)|spar(?:e|es|ed|ing))[\s\u00a0]+(?:[\w,.]+[\s\u00a0]+){0,2}[\w,.]*$"
)
# Lives saved or spared, not lost: "lives" is a count noun of deaths only without them.
_SAVED = re.compile(
    r"(?i)(?<=lives)[\s\u00a0]+(?:(?:are|were|is|was|have[\s\u00a0]+been|had[\s\u00a0]+been|"
    r"being)[\s\u00a0]+)?(?:saved|spared)\b"
)
_WORD = re.compile(r"[\s\u00a0]+([A-Za-z][\w.’'/-]*)")
_PLURAL = re.compile(r"[A-Za-z][a-z]{2,}s")
# Cents, a hundredth of the currency: "12 cents", "4.5c" (glued).
_CENTS = re.compile(r"(?i)[ \u00a0]+cents?\b|(?-i:c)(?![\w’'])")

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
        # A number word starts another figure ("seven out of 10 two years earlier").
        self.stop = _STOP | {w.lower() for w in (*vocab.ones, *vocab.tens, *vocab.scales)}

    def _unit_pattern(self) -> re.Pattern[str]:
        long_words: list[str] = []
        short_words: list[str] = []
        for unit in self.vocab.units:
            if unit.dimension in ("percent", "ratio"):
                continue
            for word in unit.words:
                (short_words if len(word) <= 1 else long_words).append(word)
        # A plural's possessive apostrophe may follow ("23 kilograms' worth").
        return re.compile(
            rf"(?i)(?:[ \u00a0]?|-)(?P<long>{alternation(long_words)})(?!\w|[’'][a-rt-z])"
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
        m = _CENTS.match(text, pos, s_end)
        if m:
            return "cents", "currency", m.end(), None
        m = self.unit_words.match(text, pos, s_end)
        if m:
            word = m.group("long") or m.group("short")
            unit = self.units.by_word(word)
            if unit is not None and not (m.group("short") and m.start() != pos):
                return unit.name, unit.dimension, m.end(), None
        return self.count_noun(text, pos, s_end)

    def count_noun(self, text: str, pos: int, s_end: int) -> UnitFound:
        """The noun a number counts: a count noun of the vocabulary within five words
        ("12 border agents", "nine seizure events": the head noun wins), else a plural
        noun right after it or after lower-case modifiers ("14 Republicans", "three armed
        drones", "60 drug-detection dog teams"), lower-cased. Function words, digits and
        punctuation end the search."""
        cursor, plain = pos, True  # plain: no name or adverb among the modifiers so far
        for i in range(5):  # a count noun or a plural within five words
            space = _SPACES.match(text, cursor, s_end)
            if not space:
                break
            noun = self.nouns.match(text, space.end(), s_end)
            if noun and (
                _SAVED.match(text, noun.end(), s_end) or _SAVING.search(text, max(0, pos - 40), pos)
            ):
                # "81 lives are saved every day": lives saved are no deaths.
                return "lives", "count", noun.end(), None
            if noun:
                return self._head(text, noun, s_end)
            word = _WORD.match(text, cursor, s_end)
            if word and word.group(1) in ("and", "or") and i:
                nxt = _WORD.match(text, word.end(), s_end)
                if nxt and nxt.group(1)[:1].isupper():  # "1,000 new CBSA and RCMP personnel"
                    cursor, plain = word.end(), False
                    continue
            if (
                not word
                or word.group(1).lower().rstrip(".") in self.stop
                or any(ch.isdigit() for ch in word.group(1))
            ):
                break
            core = word.group(1).rstrip(".")  # "analysts." at a sentence end
            if i and plain and core.endswith("s"):
                unit = self._unit_word(text, space.end(), s_end)
                if unit is not None:
                    return unit  # "four consecutive years" (not "8,000 last year")
            # An unknown plural counts only after plain modifiers: not "two traditionally
            # good neighbours" or "12 Texas ..." (a known noun may: "10,000 National Guard
            # troops", "380 million potentially deadly doses").
            if (i == 0 or plain) and _is_plural(core, capitals=i == 0):
                return core.lower(), "count", word.start(1) + len(core), None
            plain = plain and not core.endswith("ly") and (i == 0 or not core[:1].isupper())
            cursor = word.end()
        return None, None, pos, None

    def _head(self, text: str, noun: re.Match[str], s_end: int) -> UnitFound:
        """A count noun, or the noun it modifies when one follows ("seizure events",
        "gun charges"): the last noun of the phrase is what is counted."""
        term = self.noun_of[noun.group(1).lower()]
        end = noun.end()
        nxt = _WORD.match(text, end, s_end)
        if (
            nxt is not None
            and not noun.group(1).lower().endswith("s")
            and not term.attrs.get("people")
            and nxt.group(1).rstrip(".").endswith("s")
        ):
            known = self.nouns.fullmatch(nxt.group(1).rstrip("."))
            if known is not None:
                term, end = self.noun_of[known.group(1).lower()], nxt.end()
            elif _is_plural(core := nxt.group(1).rstrip(".")):
                return core, "count", nxt.start(1) + len(core), None
        return str(term.attrs.get("canonical", term.name)), "count", end, term

    def _unit_word(self, text: str, pos: int, s_end: int) -> UnitFound | None:
        m = self.unit_words.match(text, pos, s_end)
        unit = self.units.by_word(m.group("long")) if m and m.group("long") else None
        return (unit.name, unit.dimension, m.end(), None) if m and unit else None


def _is_plural(word: str, capitals: bool = False) -> bool:
    """A plural noun as news writes it ("drones"; with `capitals`, "Republicans"), not a
    verb, adverb or singular that happens to end in s ("does", "always", "basis", "Texas")."""
    lower = word.lower()
    if word[0].isupper() and not (capitals and not lower.endswith(("as", "os"))):
        return False
    return (
        _PLURAL.fullmatch(word) is not None
        and lower not in _STOP
        and lower not in _NOT_PLURAL_NOUNS
        and not lower.endswith(("ss", "us", "is", "ics"))
    )
