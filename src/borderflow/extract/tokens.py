"""Word tokens as match triggers.

Python's regex engine tries a large alternation at every character. The extractor's
patterns can only start at a word, and only at particular words (a digit, a month, "fiscal",
an alias's first word). So the text is split into `\\w+` tokens once, each token is looked
up once against every pattern's trigger words, and each pattern is then tried only where
one of its triggers starts: the same matches, several times faster.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass

TOKEN = re.compile(r"\w+")
_DIGITS = frozenset("0123456789")


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
        for m in TOKEN.finditer(text):
            word = m.group().lower()
            mask = word_mask.get(word, 0)
            if word[0] in _DIGITS:
                mask |= digit_mask
            for length in prefix_lengths:
                mask |= prefix_mask.get(word[:length], 0)
            if mask:
                targets = bits_of.get(mask)
                if targets is None:
                    targets = [lists[b] for b in range(len(lists)) if mask >> b & 1]
                    bits_of[mask] = targets
                start = m.start()
                for target in targets:
                    target.append(start)
        self.positions: dict[str, list[int]] = dict(zip(table.names, lists, strict=True))

    def between(self, name: str, start: int, end: int) -> list[int]:
        """Trigger offsets of pattern `name` in [start, end)."""
        found = self.positions[name]
        lo = bisect.bisect_left(found, start)
        return found[lo:bisect.bisect_left(found, end, lo)]


def trigger_positions(text: str, triggers: Triggers, start: int, end: int) -> list[int]:
    """Trigger offsets for one pattern when no shared index was built."""
    return TriggerTable({"one": triggers}).index(text[:end]).between("one", start, end)
