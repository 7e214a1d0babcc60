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

from borderflow.extract.tokens import Triggers, first_token, lowered_token_at, trigger_positions
from borderflow.vocab import Term

_SEPARATORS = re.compile(r"[\s\u00a0-]+")


@dataclass(slots=True)  # not frozen: frozen __init__ is slow on this hot path
class Mention:
    start: int
    end: int
    name: str
    attrs: dict[str, Any] = field(default_factory=dict)


class Gazetteer:
    """Finds any of many terms' words in a text. Each word is compiled into a small pattern
    keyed by its first token (or, for prefix cues, that token's first letters), and only the
    pattern for the token found at a trigger position is tried."""

    def __init__(self, terms: tuple[Term, ...] | list[Term], *, prefix: bool = False) -> None:
        self._exact: dict[str, Term] = {}
        self._folded: dict[str, Term] = {}
        self.prefix = prefix
        grouped: dict[str, list[str]] = {}
        for term in terms:
            for word in term.words:
                sensitive = word != word.lower()
                (self._exact if sensitive else self._folded).setdefault(
                    word if sensitive else word.lower(), term
                )
                body = re.escape(word).replace(r"\ ", r"[\s\u00a0-]+")
                grouped.setdefault(self._key(first_token(word)), []).append(
                    body if sensitive else f"(?i:{body})"
                )
        tail = "" if prefix else r"(?![\w])"
        self._patterns = {
            key: re.compile(
                r"(?<![\w])(?:" + "|".join(sorted(bodies, key=len, reverse=True)) + ")" + tail
            )
            for key, bodies in grouped.items()
        }
        self._prefix_terms = [(w.lower(), t) for t in terms for w in t.words]
        # Only positions where a word's first token starts can begin a match; cues match
        # word prefixes ("seiz" in "seized"), so they trigger on a token's first letters,
        # and words shorter than that ("of") as whole words.
        firsts = {first_token(w) for t in terms for w in t.words} - {""}
        self.triggers = Triggers(
            words=frozenset(f for f in firsts if not prefix or len(f) < 3),
            digits=any(f[0].isdigit() for f in firsts),
            prefixes=frozenset(f[:3] for f in firsts if len(f) >= 3) if prefix else frozenset(),
        )

    def _key(self, token: str) -> str:
        return token[:3] if self.prefix and len(token) >= 3 else token

    def exact(self, raw: str) -> Term | None:
        """The term one of whose words is exactly `raw` (no prefix forms): for names given
        whole, such as a document's outlet ("CBSA", "U.S. Customs and Border Protection")."""
        raw = _SEPARATORS.sub(" ", raw.strip())
        return self._exact.get(raw) or self._folded.get(raw.lower())

    def lookup(self, raw: str) -> Term | None:
        term = self._exact.get(raw) or self._folded.get(raw.lower())
        if term is not None:
            return term
        norm = _SEPARATORS.sub(" ", raw)
        term = self._exact.get(norm) or self._folded.get(norm.lower())
        if term is None:
            # Hyphenated or prefix forms ("Canada-U.S." written with a hyphen, cue prefixes).
            low = norm.lower()
            for word, candidate in self._prefix_terms:
                if low.startswith(word) or low == word:
                    return candidate
        return term

    def find(
        self, text: str, positions: list[int] | None = None, words: dict[int, str] | None = None
    ) -> list[Mention]:
        """Mentions in `text`; `positions` (this gazetteer's trigger offsets) and `words`
        (the lower-case token at each) come from a shared TokenIndex when there is one."""
        if positions is None:
            positions = trigger_positions(text, self.triggers, 0, len(text))
        out = []
        consumed = 0
        for pos in positions:
            if pos < consumed:
                continue
            token = words[pos] if words is not None else lowered_token_at(text, pos)
            pattern = self._patterns.get(self._key(token))
            m = pattern.match(text, pos) if pattern is not None else None
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
