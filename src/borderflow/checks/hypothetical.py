"""Figures a text gives as what would, could or will happen, not as what happened.

"Without naloxone, deaths would have been nearly 4,400", "deaths are projected to reach
90,000", "seizures will top 30,000 pounds": each is a what-if or a forecast. Held against
an official count it is always "wrong" (the count is what did happen), and when it matches
it proves only that a forecast came true. So a verdict against official data on such a
figure becomes `unverifiable`, saying why and keeping the comparison for the reader. The
text's own arithmetic and its dose conversions ("enough to make 95 million doses") are
still judged: they do not claim anything happened.

The words must govern the figure, not merely share its sentence: a marker before it ends
at most a few words before it, with no clause break, speech verb or new clause ("that",
"which", "after"...) between ("deaths could climb to 90,000", "would have been nearly
4,400", "are projected by CDC modelers to reach 60,000", "will kill 60,000"); after it
only a what-if counts, right after its words and not in a relative clause ("2,000 more
people would have died", but not "21,100 pounds of fentanyl that could have killed
millions"). So "fell to 80,391 in 2024 and are expected to fall further", "rose more than
experts expected to 40,000 pounds", "officials who will testify say 21,100 pounds were
seized" and "the 21,100 pounds will be destroyed" keep their counts. CDC's "predicted
provisional counts" are counts, and so are its "predicted deaths" where "predicted"
describes the deaths and the sentence credits CDC or provisional data ("Predicted
overdose deaths fell 27%, CDC data show"): CDC adjusts its provisional counts for
reports still pending and calls them predicted. A model's "predicted deaths" stay a
forecast.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace

from borderflow.checks.model import Verdict, VerdictKind
from borderflow.records.claims import StoredClaim
from borderflow.vocab import load_vocabulary

# Verbs a modal or "will" leads to a figure with; "be"/"been" only as whole words.
_MOVES = (
    r"(?:(?:reach|top|exceed|hit|surpass|pass|climb|rise|fall|drop|soar|double|triple|grow|"
    r"increase|decrease|decline|approach|near|total)\w{0,4}|be|been)\b"
)
_BEFORE = re.compile(
    rf"""(?ix)
    \b(?:would|could|might)(?:\s+not)?\s+have\b | \b(?:would|could)['’]ve\b
    | \b(?:will|won['’]t)\b | \b(?:he|she|it|they|we)['’]ll\b
    | \b(?:could|may|might|would)\s+(?:\w+\s+){{0,2}}{_MOVES}
    | \b(?:is|are|was|were|be|been)\s+(?:now\s+|still\s+)?
      (?:expected|projected|forecast|predicted|on\s+track|on\s+pace|set|poised|likely)\b
    | \b(?:projections?|forecasts?|projected|predicts?|predicted|projects|expects?|expected
      |anticipates?|anticipated)\b(?!\s+(?:provisional|counts?|number))
    """
)
# "Predicted" describing deaths (CDC's adjusted provisional counts), not a forecast: at the
# head of the sentence or after an article or preposition, deaths (or counts) right after
# it, and the sentence crediting CDC (the vocabulary's words for it) or provisional data.
_DESCRIBED_BEFORE = re.compile(r"(?i)(?:^|\b(?:in|of|on|the|its|CDC['’]s))[\s\u00a0]*$")
_DESCRIBED_AFTER = re.compile(
    r"(?i)[\s\u00a0]+(?:(?:provisional|drug|overdose|opioid|fentanyl)[\s\u00a0]+){0,3}"
    r"(?:deaths|counts?)\b"
)


@functools.cache
def _cdc_words() -> re.Pattern[str]:
    words = [w for a in load_vocabulary().agencies if a.name == "CDC" for w in (a.name, *a.words)]
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives}|[Pp]rovisional)\b")


def cdc_predicted(sentence: str, at: int) -> bool:
    """Whether the "predicted" at `at` describes CDC's predicted (adjusted provisional)
    death counts rather than a forecast (see the module's docstring)."""
    end = at + len("predicted")
    return bool(
        sentence[at:end].casefold() == "predicted"
        and _DESCRIBED_BEFORE.search(sentence[:at])
        and _DESCRIBED_AFTER.match(sentence, end)
        and _cdc_words().search(sentence)
    )


# "than expected", "than experts expected", "as anticipated": a comparison with a forecast
# made earlier, about a figure that happened.
_COMPARED = re.compile(r"(?i)\b(?:than|as)(?:[\s\u00a0]+[\w’'-]+){0,2}[\s\u00a0]+$")
_AFTER = re.compile(r"(?i)\b(?:would|could|might)(?:\s+not)?\s+have\b|\b(?:would|could)['’]ve\b")
# What may stand between a marker and the figure it governs ("to", "been nearly",
# "by CDC modelers to reach"): a few words, no break.
_GAP = re.compile(r"(?i)(?:[\s\u00a0]+[\w’'-]+){0,6}?[\s\u00a0]*")
# How far after the figure's words a what-if may start ("2,000 more people would have").
_AFTER_REACH = 36
# The checks that hold a figure against what official data say happened.
_AGAINST_DATA = frozenset({"official", "shares"})
# Where a statement turns: punctuation, a contrast, a speech verb, a new clause.
_BREAK = re.compile(
    r"(?i),(?=\s)|[;:()\u2014\u2013]|\s-\s|\b(?:but|while|whereas|although|though|yet|"
    r"instead|actually|in\s+fact|in\s+reality|say|says|said|according\s+to|reported|that|"
    r"which|who|after|before|since|because|when|following)\b"
)


def hypothetical_words(claim: StoredClaim) -> str | None:
    """The words that make the claim's figure a what-if or a forecast, if any govern it
    (see the module's docstring)."""
    start, end = claim.in_sentence()
    if end <= start:
        return None
    sentence = claim.sentence
    for marker in _BEFORE.finditer(sentence, max(0, start - 100), start):
        gap = sentence[marker.end() : start]
        compared = _COMPARED.search(sentence, max(0, marker.start() - 30), marker.start())
        if _GAP.fullmatch(gap) and not _BREAK.search(gap) and not compared:
            if cdc_predicted(sentence, marker.start()):
                continue
            return " ".join(marker.group(0).split())
    after = _AFTER.search(sentence, end, end + _AFTER_REACH)
    if after and not _BREAK.search(sentence, end, after.start()):
        return " ".join(after.group(0).split())
    return None


def not_a_count(verdict: Verdict, claim: StoredClaim) -> Verdict:
    """`verdict` against official data, unless the claim is a what-if or a forecast: then
    unverifiable, the comparison kept in the explanation."""
    if verdict.check not in _AGAINST_DATA or verdict.verdict == VerdictKind.UNVERIFIABLE:
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
