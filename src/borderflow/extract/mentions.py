"""Find vocabulary terms (agencies, substances, places, corridors, measure cues) in text.

Each gazetteer compiles its words into one regular expression, longest first, so a text is
scanned once per vocabulary. Words with a capital letter match case-sensitively (proper
nouns and acronyms: "US" is not "us"); lower-case words match in any case.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

from borderflow.extract.tokens import Triggers, first_token, trigger_positions
from borderflow.vocab import Term


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    name: str
    attrs: dict[str, Any] = field(default_factory=dict)


class Gazetteer:
    def __init__(self, terms: tuple[Term, ...] | list[Term], *, prefix: bool = False) -> None:
        self._exact: dict[str, Term] = {}
        self._folded: dict[str, Term] = {}
        parts: list[tuple[int, str]] = []
        for term in terms:
            for word in term.words:
                sensitive = word != word.lower()
                (self._exact if sensitive else self._folded).setdefault(
                    word if sensitive else word.lower(), term
                )
                body = re.escape(word).replace(r"\ ", r"[\s\u00a0-]+")
                parts.append((len(word), body if sensitive else f"(?i:{body})"))
        parts.sort(key=lambda p: -p[0])
        tail = "" if prefix else r"(?![\w])"
        self.prefix = prefix
        self.pattern = re.compile(r"(?<![\w])(?:" + "|".join(p for _, p in parts) + ")" + tail)
        self._prefix_terms = [(w.lower(), t) for t in terms for w in t.words]
        # Only positions where an alias's first word starts can begin a match; cues match
        # word prefixes ("seiz" in "seized"), so they trigger on a token's first letters,
        # and words shorter than that ("of") as whole words.
        firsts = {first_token(w) for t in terms for w in t.words} - {""}
        self.triggers = Triggers(
            words=frozenset(f for f in firsts if not prefix or len(f) < 3),
            digits=any(f[0].isdigit() for f in firsts),
            prefixes=frozenset(f[:3] for f in firsts if len(f) >= 3) if prefix else frozenset(),
        )

    def lookup(self, raw: str) -> Term | None:
        norm = re.sub(r"[\s\u00a0-]+", " ", raw)
        term = self._exact.get(norm) or self._folded.get(norm.lower())
        if term is None:
            # Hyphenated or prefix forms ("Canada-U.S." written with a hyphen, cue prefixes).
            low = raw.lower()
            for word, candidate in self._prefix_terms:
                if low.startswith(word) or re.sub(r"[\s\u00a0-]+", " ", low) == word:
                    return candidate
        return term

    def find(self, text: str, positions: list[int] | None = None) -> list[Mention]:
        """Mentions in `text`; `positions` are this gazetteer's trigger offsets when a shared
        TokenIndex was built."""
        if positions is None:
            positions = trigger_positions(text, self.triggers, 0, len(text))
        out = []
        consumed = 0
        for pos in positions:
            if pos < consumed:
                continue
            m = self.pattern.match(text, pos)
            if m is None:
                continue
            consumed = m.end()
            term = self.lookup(m.group())
            if term is not None:
                out.append(Mention(m.start(), m.end(), term.name, term.attrs))
        return out


def without_overlaps(mentions: list[Mention], blockers: list[Mention]) -> list[Mention]:
    """Drop mentions inside any blocker span ("Canada" inside "Canada Border Services Agency")."""
    if not blockers:
        return mentions
    starts = [b.start for b in blockers]
    kept = []
    for m in mentions:
        i = bisect.bisect_right(starts, m.start) - 1
        if i >= 0 and blockers[i].start <= m.start < blockers[i].end:
            continue
        if i + 1 < len(blockers) and m.start <= blockers[i + 1].start < m.end:
            continue
        kept.append(m)
    return kept


class MentionIndex:
    """Mentions sorted by start, for fast lookup of those inside a sentence."""

    def __init__(self, mentions: list[Mention]) -> None:
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self._starts = [m.start for m in self.mentions]

    def between(self, start: int, end: int) -> list[Mention]:
        lo = bisect.bisect_left(self._starts, start)
        return self.mentions[lo : bisect.bisect_left(self._starts, end, lo)]
