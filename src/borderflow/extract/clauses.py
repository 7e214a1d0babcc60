"""Clauses inside a sentence: the stretch of words that governs one figure.

A sentence often carries several figures, each with its own agency, border or measure
("CBP seized 21,000 pounds at the southern border, while the RCMP seized 12 kg"). A reader
takes each figure's context from its own clause first and only then from the sentence, so
the extractor cuts a sentence where news prose turns to a new statement: semicolons, dashes,
brackets and the conjunctions that contrast or compare. Commas alone do not cut ("43 pounds,
or 0.2% of the total"), since appositions and attributions hang off them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

# Strong breaks start a new statement (a contrast, a semicolon); weak ones set off an aside
# (dashes, brackets, a colon), a comparison's baseline ("compared with 19.4 kg"), or join a
# second statement with "and": the figure's agency and drug carry across those.
_BREAK = re.compile(
    r"(?P<strong>;|,?[\s\u00a0]+(?:while|whereas|but|although|though|however|yet|"
    r"meanwhile)(?=[\s\u00a0,]))"
    r"|,?[\s\u00a0]+(?:compared(?:[\s\u00a0]+(?:to|with))?|versus|vs\.)(?=[\s\u00a0,])"
    r"|:(?=[\s\u00a0])|[\s\u00a0][—–-]{1,2}[\s\u00a0]|—|[()]"
    r"|,[\s\u00a0]+(?:and|or)[\s\u00a0]+(?=(?:the|a|an|its|their|his|her|police|officers|agents)\b)"
)


@dataclass(frozen=True, slots=True)
class Clauses:
    """Where the clauses of one sentence start (the sentence start first), and which of
    those starts are strong breaks."""

    starts: tuple[int, ...]
    strong: tuple[int, ...]
    end: int

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Clauses:
        cuts, strong = [start], [start]
        for m in _BREAK.finditer(text, start, end):
            if m.start() > cuts[-1]:
                cuts.append(m.start())
                if m.group("strong"):
                    strong.append(m.start())
        return cls(tuple(cuts), tuple(strong), end)

    def around(self, pos: int) -> tuple[int, int]:
        """The [start, end) of the clause holding offset `pos`."""
        return _span(self.starts, self.end, pos)

    def statement(self, pos: int) -> tuple[int, int]:
        """The [start, end) of the statement holding `pos`: its clause with the asides and
        "and" clauses around it, up to the nearest strong breaks."""
        return _span(self.strong, self.end, pos)


def _span(starts: tuple[int, ...], end: int, pos: int) -> tuple[int, int]:
    i = max(bisect.bisect_right(starts, pos) - 1, 0)
    return starts[i], starts[i + 1] if i + 1 < len(starts) else end
