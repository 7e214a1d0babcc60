"""Word tokens as match triggers.

Python's regex engine tries a large alternation at every character. The extractor's
patterns can only start at a word, and only at particular words (a digit, a month, "fiscal",
an alias's first word). So the text is split into `\\w+` tokens once, each token is looked
up once against every pattern's trigger words, and each pattern is then tried only where
one of its triggers starts: the same matches, several times faster.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
from collections.abc import Mapping
from dataclasses import dataclass

TOKEN = re.compile(r"\w+")
_SPLIT = re.compile(r"(\w+)")


def first_token(phrase: str) -> str:
    """The first word token of a phrase, lower-cased ('' when it has none)."""
    m = TOKEN.search(phrase)
    return m.group().lower() if m else ""


@dataclass(frozen=True, slots=True)
class Triggers:
    """The tokens a pattern can start at: these lower-case words, any token starting with a
    digit (`digits`), or any token whose first letters are one of `prefixes`."""

    words: frozenset[str] = frozenset()
    digits: bool = False
    prefixes: frozenset[str] = frozenset()


class TriggerTable:
    """Several patterns' triggers compiled into one lookup, built once per extractor."""

    def __init__(self, triggers: Mapping[str, Triggers]) -> None:
        self.names = list(triggers)
        self.word_mask: dict[str, int] = {}
        self.prefix_mask: dict[str, int] = {}
        self.digit_mask = 0
        for bit, name in enumerate(self.names):
            spec = triggers[name]
            for word in spec.words:
                self.word_mask[word] = self.word_mask.get(word, 0) | (1 << bit)
            for prefix in spec.prefixes:
                self.prefix_mask[prefix] = self.prefix_mask.get(prefix, 0) | (1 << bit)
            if spec.digits:
                self.digit_mask |= 1 << bit
        self.prefix_lengths = sorted({len(p) for p in self.prefix_mask})

    def index(self, text: str) -> TokenIndex:
        return TokenIndex(text, self)


class TokenIndex:
    """Where each named pattern's triggers occur in one text, from a single token pass."""

    def __init__(self, text: str, table: TriggerTable) -> None:
        word_mask, prefix_mask, digit_mask = table.word_mask, table.prefix_mask, table.digit_mask
        prefix_lengths = table.prefix_lengths
        lists: list[list[int]] = [[] for _ in table.names]
        bits_of: dict[int, list[list[int]]] = {}
        # Lower-case once; offsets carry over unless lower-casing changed the length
        # (a few characters such as "İ" expand), in which case tokens are lowered one by one.
        # (`\w+` tokens start with a letter, "_" or a digit: `<= "9"` means a digit.)
        lowered = text.lower()
        if len(lowered) == len(text):
            # split() with a group alternates separators and tokens; running sums of their
            # lengths (in C) give every token's offset without a match object per token.
            parts = _SPLIT.split(lowered)
            words = parts[1::2]
            starts = list(itertools.accumulate(map(len, parts)))[0:-1:2]
        else:
            found = [(m.start(), m.group().lower()) for m in TOKEN.finditer(text)]
            starts = [start for start, _ in found]
            words = [word for _, word in found]
        word_get, prefix_get = word_mask.get, prefix_mask.get
        # Comprehensions, not a loop with statements: this runs once per token of every text.
        if len(prefix_lengths) == 1:
            size = prefix_lengths[0]
            masks = [
                word_get(w, 0) | prefix_get(w[:size], 0) | (digit_mask if w[0] <= "9" else 0)
                for w in words
            ]
        else:
            masks = [
                functools.reduce(
                    operator.or_,
                    (prefix_get(w[:n], 0) for n in prefix_lengths),
                    word_get(w, 0) | (digit_mask if w[0] <= "9" else 0),
                )
                for w in words
            ]
        hits = [(starts[i], mask, words[i]) for i, mask in enumerate(masks) if mask]
        self.word_at = {start: word for start, _mask, word in hits}
        for start, mask, _word in hits:
            targets = bits_of.get(mask)
            if targets is None:
                targets = [lists[b] for b in range(len(lists)) if mask >> b & 1]
                bits_of[mask] = targets
            for target in targets:
                target.append(start)
        self.positions: dict[str, list[int]] = dict(zip(table.names, lists, strict=True))

    def between(self, name: str, start: int, end: int) -> list[int]:
        """Trigger offsets of pattern `name` in [start, end)."""
        found = self.positions[name]
        lo = bisect.bisect_left(found, start)
        return found[lo : bisect.bisect_left(found, end, lo)]


def trigger_positions(text: str, triggers: Triggers, start: int, end: int) -> list[int]:
    """Trigger offsets for one pattern when no shared index was built."""
    return TriggerTable({"one": triggers}).index(text[:end]).between("one", start, end)


def lowered_token_at(text: str, pos: int) -> str:
    """The lower-case word token starting at `pos` ('' if none)."""
    m = TOKEN.match(text, pos)
    return m.group().lower() if m else ""
