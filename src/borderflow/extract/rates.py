"""What comes after a figure and its unit and changes what it counts: a rate ("21 deaths a
day", "3.6 million bbl/d") and a death ("48 people ... died" counts deaths).

Both are read in a short window after the figure; what rules a rate out ("a year earlier",
"a weekly dose") or a death ("enough to kill 500,000 people") is grammar, not domain.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from borderflow.extract.numbers import alternation
from borderflow.vocab import Vocabulary

if TYPE_CHECKING:
    from borderflow.extract.quantities import Quantity

# A death that may happen is no death: "enough to kill 500,000 people", "could kill".
_HYPOTHETICAL = re.compile(
    r"(?i)\b(?:enough|could|would|can|might|may|capable|potential(?:ly)?|able)\b[\w\s’'-]{0,24}$"
)
_CLAUSE_BREAK = re.compile(r"[,;:](?=\s)")
_GAP_BREAK = re.compile(r"[\d;:.!?()]|\b(?:and|but|or|for|ago|later)\b")
# "a year earlier", "a week ago": a time, not a rate.
_TIME_AFTER = re.compile(r"(?i)[\s\u00a0]+(?:earlier|ago|before|later|after|prior|since|on)\b")
# "a weekly dose": the rate word is an adjective of the noun after it.
_ADJECTIVE_RATE = re.compile(r"(?i)(?:daily|weekly|monthly|yearly|annual)$")
_NOUN_AFTER = re.compile(
    r"[\s\u00a0]+(?!(?:and|for|in|on|at|to|from|across|over|since|during|through|into|was|were|"
    r"is|are|but|or|the)\b)[a-z]{3,}\b"
)
_RATE_DIMENSIONS = frozenset({"count", "currency", "mass", "volume"})


def death_words(vocab: Vocabulary) -> re.Pattern[str]:
    """What makes a sentence about deaths: the deaths measure's cues and context words and
    the nouns that count deaths ("overdoses", "fatalities"), all from the vocabulary, as
    whole words with their endings ("kills", "deaths"), never as word starts: "deadly",
    "San Diego" and "deadline" are no deaths."""
    deaths = [t for t in vocab.measures if t.name == "deaths"]
    words = {w for t in deaths for w in (*t.words, *t.attrs.get("context", ()))}
    words |= {w for t in vocab.count_nouns if t.attrs.get("measure") == "deaths" for w in t.words}
    words.discard("lives")  # "the lives of 2,000 people": no count of deaths without a verb

    def spaced(word: str) -> str:
        return re.escape(word).replace(r"\ ", r"[\s\u00a0]+")

    alternatives = sorted((spaced(w) for w in words), key=len, reverse=True)
    return re.compile(r"(?i)\b(?:" + "|".join(alternatives) + r")(?:s|es|ed|ing)?\b")


# A count with no noun whose verb says they died: "About 600 died", "1,200 were killed".
_DIED_NEXT = re.compile(
    r"(?i)[\s\u00a0]+(?:(?:have|had|has|were|was)[\s\u00a0]+)?(?:been[\s\u00a0]+)?"
    r"(?:died|killed|lost[\s\u00a0]+their[\s\u00a0]+lives)\b"
)


class RateReader:
    """Rate and death cues, compiled once per vocabulary."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.rate_of = {w: name for name, (_f, ws) in vocab.per_period.items() for w in ws}
        self.pattern = re.compile(rf"(?i)(?:\b|(?=/))({alternation(list(self.rate_of))})(?!\w)")
        # People a place "lost" died ("Canada lost 8,020 people to opioids"); said of
        # anything else, "lost" is no death, so it is no vocabulary cue.
        self.deaths = re.compile(death_words(vocab).pattern + r"|\blost\b")

    def rate(self, text: str, q: Quantity, s_end: int) -> Quantity:
        """`q` as a rate when a rate phrase follows it within a few words ("21 deaths a
        day", "20 Canadians were dying of opioid poisoning every day")."""
        if q.dimension not in _RATE_DIMENSIONS or q.unit is None:
            return q
        m = self.pattern.search(text, q.end, min(s_end, q.end + 60))
        if not m:
            return q
        gap = text[q.end : m.start()]
        if _GAP_BREAK.search(gap) or len(gap.split()) > 5:
            return q
        if _TIME_AFTER.match(text, m.end(), s_end):
            return q
        if _ADJECTIVE_RATE.search(m.group(1)) and _NOUN_AFTER.match(text, m.end(), s_end):
            return q
        period = self.rate_of[m.group(1).lower()]
        return replace(q, end=m.end(), unit=f"{q.unit}/{period}", dimension="rate")

    @staticmethod
    def time_after(text: str, pos: int, s_end: int) -> bool:
        """ "(a year) ago", "(a week) earlier": a point in time follows."""
        return _TIME_AFTER.match(text, pos, s_end) is not None

    @staticmethod
    def died_next(text: str, end: int) -> bool:
        """A count with no noun is of the dead when its verb follows it: "About 600 died
        in May", "1,200 were killed"."""
        return _DIED_NEXT.match(text, end) is not None

    def died(self, text: str, left: int, end: int, s_start: int, s_end: int) -> bool:
        """People counted near a death word in their own clause died (unless the death is
        hypothetical: "enough to kill 500,000 people")."""
        start = max(s_start, left - 120)
        before = _CLAUSE_BREAK.split(text[start:left])
        start = left - len(before[-1])
        after = _CLAUSE_BREAK.search(text, end, min(s_end, end + 40))
        for m in self.deaths.finditer(
            text, start, after.start() if after else min(s_end, end + 40)
        ):
            if not _HYPOTHETICAL.search(text, max(s_start, m.start() - 40), m.start()):
                return True
        return False
