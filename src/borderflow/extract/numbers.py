"""Numerals in text: digits with separators and signs, number words, scales, fractions
(spelt, slashed, mixed, Unicode), vague amounts, "a pound", and figures glued to a
currency code ("USD25m").

The patterns are built from the vocabulary (numbers.yaml, currencies.yaml, units.yaml) once
per Vocabulary; parsing a matched numeral is a small pure function so it can be
property-tested on its own.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from borderflow import yamltext
from borderflow.extract.tokens import TokenIndex, Triggers, first_token, trigger_positions
from borderflow.vocab import VOCAB_DIR, Vocabulary

_SPACE = r"[ \u00a0\u202f\u2009]"
# Digits: "26,693", "100 000" (space-grouped thousands), "34.82", "95,500,000".
DIGITS = (
    r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?:" + _SPACE + r"\d{3})+(?![\d,]|\.\d)|\d+)(?:\.\d+)?"
)
_LONG_SCALES = ("hundred", "thousand", "million", "billion", "trillion", "lakh", "crore")
# Multiples that also count events or describe things ("twice a day", "a double murder"):
# a ratio only after a qualifier or before a comparison ("nearly double", "twice the rate").
_BASE_MULTIPLES = frozenset({"double", "triple", "quadruple", "twice"})
_PHRASAL = re.compile(r"(?i)[\s\u00a0]+(?:down|up|back)\b")
_COMPARED_AFTER = re.compile(r"(?i)[\s\u00a0]+(?:the|that|what|its|their|his|her|as|than)\b")
# Unicode's vulgar fractions; their values come from the Unicode database.
_VULGAR = "½¼¾⅓⅔⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞"
# Denominators written with a slash that make a fraction ("1/2", "3/4", "5/16"); "24/7",
# "9/11" and most dates have others.
_SLASH_DENOMINATORS = r"(?:16|10|[234568])"
# The top of a range written with a hyphen, "5-10%", "40-50 kg": digits after a hyphen
# glued to a number of one to three digits (not "COVID-19", "I-95", "2019-2023", "2024-05-01");
# `NumeralPatterns.scan` keeps it only when it rises from that number ("3-1" is a score).
_RANGE_TOP = "|".join(rf"(?<=[^\w.,/:#@-]{d}-)" for d in (r"\d", r"\d\d", r"\d\d\d", r"\d\.\d"))
# A minus sign: ASCII hyphen or the typographic minus, after a space or an opening bracket
# ("fell -2.4%"), never after a word or number ("C-2", "3-1"); at a line start it is a bullet.
_SIGN = re.compile(r"(?<=[ \u00a0(\[])[-\u2212]$")
_MIXED = re.compile(r"(?:(\d+)[\s\u00a0\u202f\u2009-]+)?(\d+)/(\d+)")
# Words before "half" that make it part of a period or a game ("the first half of 2024").
_NOT_A_SHARE = re.compile(
    r"(?i)\b(?:first|second|third|fourth|last|latter|front|back|other|top|bottom|the)[\s-]+$"
)


@functools.cache
def multiples(directory: Path = VOCAB_DIR) -> dict[str, float]:
    """numbers.yaml's `multiples` ("twice": 2, "halved": 0.5), read beside the vocabulary
    because the Vocabulary record does not carry them."""
    data = yamltext.load((directory / "numbers.yaml").read_text(encoding="utf-8"))
    return {str(k): float(v) for k, v in (data.get("multiples") or {}).items()}


def alternation(words: list[str]) -> str:
    """A regex alternation of literal words, longest first so the longest match wins."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass(slots=True)  # not frozen: frozen __init__ is slow on this hot path
class Numeral:
    """A numeral's span and value. `kind` says how it was written; `glued` marks digits
    written straight after letters ("USD25m", "$A15"), a figure only if those letters are a
    currency."""

    start: int
    end: int
    value: float
    kind: str  # digits | words | vague | fraction | ascale | aunit | group | multiple
    year_like: bool = False
    glued: bool = False


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
        # "and" joins number words only after a scale ("one hundred and five"); "five and
        # twelve" is two numbers.
        after_scale = "|".join(f"(?<={w} )" for w in self.scales)
        self.words = re.compile(
            rf"(?i)\b{unit_word}(?:(?:[\s-]+(?:(?:{after_scale})and[\s-]+)?){unit_word})*\b"
        )
        self.denominators = self._denominators(vocab.fractions)
        numerators = alternation(["a", "an", *(w for w, v in vocab.ones.items() if 0 < v < 20)])
        self.fraction_parts = re.compile(
            rf"(?i)(?:(?P<num>{numerators})[\s-]+)?(?P<den>{alternation(list(self.denominators))})"
        )
        self.and_fraction = re.compile(
            rf"(?i)[\s-]+and[\s-]+(?:an?|one)[\s-]+(?P<den>{alternation(list(self.denominators))})\b"
        )
        self.multiples = dict(getattr(vocab, "multiples", None) or multiples())
        self.multiples |= {f"{w}fold": float(v) for w, v in word_values.items() if v > 1}
        vague = alternation(list(vocab.vague))
        groups = alternation(list(vocab.groups))
        codes = self._glued_codes(vocab.currency_prefixes)
        a_units = alternation(
            [
                w
                for u in vocab.units
                if u.dimension in ("mass", "volume", "length", "duration")
                for w in u.words
                if len(w) > 2 and not w.endswith("s")
            ]
        )
        # Two patterns, chosen by the token a match starts at (a digit, or a word), so
        # that each attempt tries only the branches that can start there.
        self.word_numeral = re.compile(
            rf"(?i)(?P<vague>\b(?:{vague})(?=\s+of\b))"
            rf"|(?P<minus>\b(?:minus|plus)[\s-]+(?=\d))"
            rf"|(?P<multiple>\b(?:{alternation(list(self.multiples))})\b)"
            rf"|(?P<fraction>\b{self.fraction_parts.pattern[4:]}\b)"
            rf"|(?P<ascale>\ban?[\s-]+(?:{alternation([*self.scales, *vocab.groups])})\b)"
            rf"|(?P<aunit>\ban?(?=[\s-]+(?:{a_units})\b))"
            rf"|(?P<group>\b(?:{groups})\b)"
            rf"|(?P<words>{self.words.pattern[4:]})"
            rf"|(?P<coded>(?-i:{codes})(?P<codenum>{DIGITS}))"
        )
        self.digit_numeral = re.compile(
            rf"(?P<slash>(?<![\w.,/:#@-])(?:\d+(?:{_SPACE}+|-))?[1-9]/{_SLASH_DENOMINATORS}(?![\d/]))"
            rf"|(?P<vulgar>(?<![\w.,/:#@-])\d*[{_VULGAR}])"
            rf"|(?P<digits>(?:{_RANGE_TOP}|(?<![\w.,/:#@])(?<![\w.,/:#@)\]%-][-\u2212]))"
            + DIGITS
            + r"(?!\.?\d*/\w|[\w.]*@\w))"
        )
        self.plain_digits = re.compile(DIGITS)
        self.triggers = Triggers(
            words=frozenset(
                w.lower()
                for w in [
                    *word_values,
                    *self.scales,
                    *vocab.groups,
                    *(first_token(v) for v in vocab.vague),
                    *(first_token(f) for f in vocab.fractions),
                    *self.denominators,
                    *_VULGAR,
                    *self.multiples,
                    "a",
                    "an",
                    "minus",
                    "plus",
                ]
            )
            | self._code_words(codes),
            digits=True,
            prefixes=self._code_prefixes(codes),
        )
        # Scale words after digits: "95 million", "1.3 billion", "$5bn", "10k".
        self.scale_after = re.compile(
            rf"(?i)(?:{_SPACE}|-)?(?P<scale>{alternation(list(self.scales))})\b"
            rf"|(?P<short>{alternation(list(self.short_scales))})\b"
        )

    @staticmethod
    def _denominators(fractions: dict[str, float]) -> dict[str, float]:
        """Fraction words and their plurals ("third", "thirds", "halves") with their value."""
        out: dict[str, float] = {}
        for word, value in fractions.items():
            if " " in word or "-" in word:
                continue
            out[word] = value
            out["halves" if word == "half" else word + "s"] = value
        return out

    @staticmethod
    def _glued_codes(prefixes: dict[str, str]) -> str:
        """The letters that end a currency prefix ("USD", "US" of "$US", "A" of "$A"): digits
        may follow them with no space."""
        tails = {m.group() for p in prefixes if (m := re.search(r"[A-Za-z]+$", p))}
        return alternation(sorted(tails))

    @staticmethod
    def _code_words(codes: str) -> frozenset[str]:
        """Tokens too short for a three-letter prefix: "a5" of "$A5 million"."""
        return frozenset(
            f"{t.lower()}{d}" for t in codes.split("|") if len(t) == 1 for d in range(10)
        )

    @staticmethod
    def _code_prefixes(codes: str) -> frozenset[str]:
        """Three-character token starts of a glued code and its digits ("usd", "us4",
        "a15"), the length the extractor's other prefix triggers use."""
        out: set[str] = set()
        for tail in (t.lower() for t in codes.split("|")):
            if len(tail) >= 3:
                out.add(tail[:3])
            elif len(tail) == 2:
                out |= {f"{tail}{d}" for d in range(10)}
            else:
                out |= {f"{tail}{d}{e}" for d in range(10) for e in range(10)}
        return frozenset(out)

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

    def _qualified(self, text: str, s_start: int, pos: int) -> bool:
        """A qualifier phrase ends right before `pos` ("nearly double")."""
        words = text[max(s_start, pos - 20) : pos].lower().split()
        return any(" ".join(words[-k:]) in self.vocab.qualifiers for k in (1, 2) if words)

    def parse_fraction(self, text: str) -> float | None:
        """'a third' -> 1/3, 'two-fifths' -> 0.4, 'half' -> 0.5; None for a bare ordinal
        ('third', 'fifth'), which is not a fraction."""
        m = self.fraction_parts.fullmatch(text)
        if m is None:
            return None
        den = self.denominators[m.group("den").lower()]
        num = (m.group("num") or "").lower()
        if not num:
            return den if den == 0.5 else None
        return den * (1 if num in ("a", "an") else self.word_values[num])

    def scan(
        self, text: str, start: int, end: int, tokens: TokenIndex | None = None
    ) -> list[Numeral]:
        """Every numeral in text[start:end], left to right, not overlapping."""
        found: list[Numeral] = []
        consumed = start
        positions = (
            tokens.between("numerals", start, end)
            if tokens
            else trigger_positions(text, self.triggers, start, end)
        )
        for pos in positions:
            if pos < consumed:
                continue
            first = text[pos]
            numeral = self.digit_numeral if first <= "9" or first in _VULGAR else self.word_numeral
            m = numeral.match(text, pos, end)
            if m is None:
                continue
            consumed = m.end()
            num = self._numeral(m, text, start, end)
            if num is not None and _after_hyphen(text, num) and not _rises(found, num, text):
                continue
            if num is not None:
                found.append(num)
                consumed = max(consumed, num.end)
        return found

    def _numeral(self, m: re.Match[str], text: str, s_start: int, s_end: int) -> Numeral | None:
        kind = m.lastgroup or "digits"
        raw = m.group()
        n_start, n_end = m.start(), m.end()
        value: float | None
        glued = False
        if kind == "vague":
            value = float(self.vocab.vague[raw.lower()])
        elif kind == "minus":
            digits = self.plain_digits.match(text, n_end, s_end)
            if digits is None:
                return None
            sign = -1 if raw[:1].lower() == "m" else 1  # "minus-3", "plus-14"
            value, n_end, kind = sign * parse_digits(digits.group()), digits.end(), "digits"
        elif kind == "fraction":
            value = self.parse_fraction(raw)
            if _NOT_A_SHARE.search(text, max(s_start, n_start - 12), n_start):
                return None
        elif kind == "ascale":
            word = re.split(r"[\s-]+", raw.lower(), maxsplit=1)[1]
            value = float(self.scales.get(word) or self.vocab.groups[word])
        elif kind == "aunit":
            value = 1.0
        elif kind == "multiple":
            value = self.multiples[raw.lower()]
            if _PHRASAL.match(text, n_end, s_end):
                return None  # "doubled down on"
            if raw.lower() in _BASE_MULTIPLES and not (
                _COMPARED_AFTER.match(text, n_end, s_end) or self._qualified(text, s_start, n_start)
            ):
                return None
        elif kind == "group":
            value = float(self.vocab.groups[raw.lower()])
        elif kind == "words":
            value = self.parse_words(raw)
        elif kind in ("slash", "vulgar"):
            # With a whole number ("2 1/4", "2½") it reads like digits; alone like a fraction.
            value = parse_fraction_digits(raw)
            whole = re.match(r"\d+(?:[\s\u00a0\u202f\u2009-]+\d|\d*[^\d/\s-])", raw)
            kind = "digits" if whole else "fraction"
        elif kind == "coded":
            value, n_start, glued = parse_digits(m.group("codenum")), m.start("codenum"), True
            kind = "digits"
        else:
            value = parse_digits(raw)
            if _SIGN.search(text, max(s_start, n_start - 2), n_start):
                value, n_start = -value, n_start - 1
        if value is None:
            return None
        if kind in ("words", "digits"):
            half = self.and_fraction.match(text, n_end, s_end)
            if half:
                value += self.denominators[half.group("den").lower()] * (1 if value >= 0 else -1)
                n_end = half.end()
                if kind == "words":
                    scale = self.scale_after.match(text, n_end, s_end)
                    if scale and scale.group("scale"):
                        value *= self.scales[scale.group("scale").lower()]
                        n_end = scale.end()
        year_like = kind == "digits" and re.fullmatch(r"1[89]\d\d|20\d\d|2100", raw) is not None
        return Numeral(n_start, n_end, value, kind, year_like, glued)


def parse_digits(raw: str) -> float:
    """'26,693' -> 26693.0; '100 000' -> 100000.0; '34.82' -> 34.82."""
    return float(re.sub(r"[,\s\u00a0\u202f\u2009]", "", raw))


def parse_fraction_digits(raw: str) -> float:
    """'2 1/4' -> 2.25; '1/2' -> 0.5; '2½' -> 2.5; '¾' -> 0.75."""
    if raw[-1] in _VULGAR:
        return float(raw[:-1] or 0) + unicodedata.numeric(raw[-1])
    m = _MIXED.fullmatch(raw)
    if m is None:
        raise ValueError(f"not a fraction: {raw!r}")
    return int(m.group(1) or 0) + int(m.group(2)) / int(m.group(3))


# A month before a day range, "Jan. 5-10", "March 5-10": days, no range of amounts.
_MONTH_BEFORE = re.compile(
    r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?[\s\u00a0]+$"
)


def _after_hyphen(text: str, num: Numeral) -> bool:
    """Whether `num` follows a number and a hyphen: "10" in "5-10"."""
    return num.start >= 2 and text[num.start - 1] == "-" and text[num.start - 2].isdigit()


def _rises(found: list[Numeral], num: Numeral, text: str) -> bool:
    """Whether `num`, written after "N-", tops a range from the numeral just before it:
    "5-10" rises; a score "3-1", a date "12-05-2024" or "Jan. 5-10" does not, nor
    "2-5,000", whose bottom means thousands its digits do not say."""
    if not found or found[-1].end != num.start - 1 or num.kind != "digits":
        return False
    low = found[-1]
    if "," in text[num.start : num.end] and "," not in text[low.start : low.end]:
        return False
    if _MONTH_BEFORE.search(text, max(0, low.start - 12), low.start):
        return False
    return num.value > low.value and text[num.end : num.end + 1] != "-"
