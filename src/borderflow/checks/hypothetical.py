"""Figures a text gives as what would, could or will happen, not as what happened.

"Without naloxone, deaths would have been nearly 4,400", "deaths are projected to reach
90,000", "seizures will top 30,000 pounds": each is a what-if or a forecast. Held against
an official count it is always "wrong" (the count is what did happen), and when it matches
it proves only that a forecast came true. So a verdict against official data on such a
figure becomes `unverifiable`, saying why and keeping the comparison for the reader. The
text's own arithmetic and its dose conversions ("enough to make 95 million doses") are
still judged: they do not claim anything happened.

The words are read in the figure's own clause only: from the last clause break before it
(a comma before a space, a semicolon, a colon, a dash, "but", "while"...) to the next one
after it, so "deaths fell to 80,000, but experts say they will rise" keeps its count.
"""

from __future__ import annotations

import re
from dataclasses import replace

from borderflow.checks.model import Verdict, VerdictKind
from borderflow.records.claims import StoredClaim

_MOVES = (
    r"(?:reach|top|exceed|hit|surpass|pass|climb|rise|fall|drop|soar|double|triple|grow|"
    r"increase|decrease|decline|approach|near|total)"
)
_MARKERS = re.compile(
    rf"""(?ix)
    \b(?:would|could|might)(?:\s+not)?\s+have\b | \b(?:would|could)['’]ve\b
    | \b(?:will|won['’]t)\b | \b(?:he|she|it|they|we)['’]ll\b
    | \b(?:could|may|might|would)\s+(?:\w+\s+)?{_MOVES}\w*\b
    | \b(?:is|are|was|were|be|been)\s+(?:now\s+|still\s+)?
      (?:expected|projected|forecast|predicted|on\s+track|on\s+pace|set|poised|likely)\s+to\b
    | \b(?:projections?|forecasts?|projected|predicts?|predicted|projects|expects?|expected
      |anticipates?|anticipated)\b
    """
)
# Where a clause ends: a comma or a dash before a space, a semicolon, a colon, or a word
# that turns to another statement.
_BREAK = re.compile(
    r"(?i),(?=\s)|[;:()\u2014\u2013]|\s-\s|\b(?:but|while|whereas|although|though|yet|"
    r"instead|actually|in\s+fact|in\s+reality)\b"
)


def hypothetical_words(claim: StoredClaim) -> str | None:
    """The words that make the claim's figure a what-if or a forecast, if its clause has
    any (see the module's docstring)."""
    start, end = claim.in_sentence()
    sentence = claim.sentence
    breaks_before = [m.end() for m in _BREAK.finditer(sentence, 0, start)]
    after = _BREAK.search(sentence, end)
    before = _MARKERS.search(sentence, breaks_before[-1] if breaks_before else 0, start)
    found = before or _MARKERS.search(sentence, end, after.start() if after else len(sentence))
    return " ".join(found.group(0).split()) if found else None


def not_a_count(verdict: Verdict, claim: StoredClaim) -> Verdict:
    """`verdict` against official data, unless the claim is a what-if or a forecast: then
    unverifiable, the comparison kept in the explanation."""
    if verdict.check != "official" or verdict.verdict == VerdictKind.UNVERIFIABLE:
        return verdict
    words = hypothetical_words(claim)
    if words is None:
        return verdict
    return replace(
        verdict,
        verdict=VerdictKind.UNVERIFIABLE,
        confidence=0.6,
        caveat=None,
        explanation=(
            f'The text gives {claim.text} as what would, could or will happen ("{words}"), '
            "not as a count of what happened, so official figures can neither confirm nor "
            f"refute it. For comparison: {verdict.explanation}"
        ),
    )
