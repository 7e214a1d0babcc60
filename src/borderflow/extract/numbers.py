"""Numerals in text: digits with separators, number words, scales, fractions, vague amounts.

The patterns are built from the vocabulary (numbers.yaml) once per Vocabulary; parsing a
matched numeral is a small pure function so it can be property-tested on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from borderflow.extract.tokens import TokenIndex, Triggers, first_token, trigger_positions
from borderflow.vocab import Vocabulary

_SPACE = r"[ \u00a0\u202f\u2009]"
# Digits: "26,693", "100 000" (space-grouped thousands), "34.82", "95,500,000".
DIGITS = (
    r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?:" + _SPACE + r"\d{3})+(?![\d,]|\.\d)|\d+)(?:\.\d+)?"
)
_LONG_SCALES = ("hundred", "thousand", "million", "billion", "trillion")


def alternation(words: list[str]) -> str:
    """A regex alternation of literal words, longest first so the longest match wins."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass(slots=True)  # not frozen: frozen __init__ is slow on this hot path
class Numeral:
    """A numeral's span and value; `vague` for "thousands of", `word` for spelt-out numbers."""

    start: int
    end: int
    value: float
    kind: str  # digits | words | vague | fraction
    year_like: bool = False


class NumeralPatterns:
    """Compiled numeral patterns for one vocabulary."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        word_values: dict[str, int] = {**vocab.ones, **vocab.tens}
        self.word_values = word_values
        self.scales = {k: v for k, v in vocab.scales.items() if k in _LONG_SCALES}
        self.short_scales = {k: v for k, v in vocab.scales.items() if k not in _LONG_SCALES}
        words = alternation([*word_values, *self.scales])
        unit_word = rf"(?:{words})"
        self.words = re.compile(rf"(?i)\b{unit_word}(?:(?:[\s-]+(?:and[\s-]+)?){unit_word})*\b")
        vague = alternation(list(vocab.vague))
        fractions = alternation(list(vocab.fractions))
        groups = alternation(list(vocab.groups))
        self.numeral = re.compile(
            rf"(?i)(?P<vague>\b(?:{vague})(?=\s+of\b))"
            rf"|(?P<fraction>\b(?:{fractions})(?=[\s-]+(?:of[\s-]+)?an?[\s-]))"
            rf"|(?P<ascale>\ban?[\s-]+(?:{alternation([*self.scales, *vocab.groups])})\b)"
            rf"|(?P<group>\b(?:{groups})\b)"
            rf"|(?P<words>{self.words.pattern[4:]})"
            rf"|(?P<digits>(?<![\w.,/:#@-])" + DIGITS + r"(?![\w.]*[/@]\w))"
        )
        self.triggers = Triggers(
            words=frozenset(
                w.lower()
                for w in [
                    *word_values,
                    *self.scales,
                    *vocab.groups,
                    *(first_token(v) for v in vocab.vague),
                    *(first_token(f) for f in vocab.fractions),
                    "a",
                    "an",
                ]
            ),
            digits=True,
        )
        # Scale words after digits: "95 million", "1.3 billion", "$5bn", "10k".
        self.scale_after = re.compile(
            rf"(?i)(?:{_SPACE}|-)?(?P<scale>{alternation(list(self.scales))})\b"
            rf"|(?P<short>{alternation(list(self.short_scales))})\b"
        )

    def parse_words(self, text: str) -> float | None:
        """Value of spelt-out number words: 'twenty-five', 'two hundred thousand', 'eleven'."""
        total = 0
        current = 0
        seen = False
        for token in re.split(r"[\s-]+", text.lower()):
            if not token or token == "and":
                continue
            if token in self.word_values:
                current += self.word_values[token]
            elif token in self.scales:
                scale = self.scales[token]
                if scale == 100:
                    current = max(current, 1) * 100
                else:
                    total += max(current, 1) * scale
                    current = 0
            else:
                return None
            seen = True
        return float(total + current) if seen else None

    def _matches(
        self, text: str, start: int, end: int, tokens: TokenIndex | None
    ) -> Iterator[re.Match[str]]:
        consumed = start
        positions = (
            tokens.between("numerals", start, end)
            if tokens
            else trigger_positions(text, self.triggers, start, end)
        )
        for pos in positions:
            if pos < consumed:
                continue
            m = self.numeral.match(text, pos, end)
            if m is not None:
                consumed = m.end()
                yield m

    def scan(
        self, text: str, start: int, end: int, tokens: TokenIndex | None = None
    ) -> list[Numeral]:
        """Every numeral in text[start:end], left to right, not overlapping."""
        found: list[Numeral] = []
        for m in self._matches(text, start, end, tokens):
            kind = m.lastgroup or "digits"
            raw = m.group()
            value: float | None
            if kind == "vague":
                value = float(self.vocab.vague[raw.lower()])
            elif kind == "fraction":
                value = float(self.vocab.fractions[raw.lower()])
            elif kind == "ascale":
                word = re.split(r"[\s-]+", raw.lower(), maxsplit=1)[1]
                value = float(self.scales.get(word) or self.vocab.groups[word])
            elif kind == "group":
                value = float(self.vocab.groups[raw.lower()])
            elif kind == "words":
                value = self.parse_words(raw)
            else:
                value = parse_digits(raw)
            if value is None:
                continue
            year_like = kind == "digits" and re.fullmatch(r"1[89]\d\d|20\d\d|2100", raw) is not None
            found.append(Numeral(m.start(), m.end(), value, kind, year_like))
        return found


def parse_digits(raw: str) -> float:
    """'26,693' -> 26693.0; '100 000' -> 100000.0; '34.82' -> 34.82."""
    return float(re.sub(r"[,\s\u00a0\u202f\u2009]", "", raw))
