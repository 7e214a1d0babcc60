"""The place a death count is about when its own sentence names none.

Reporting on two countries' overdose crises moves between them paragraph by paragraph:
"Canada has seen a smaller decline. Some 7,146 people died of opioid toxicity there in
2024." Read alone, the second sentence gives a country-less count, which the checks
would take for a U.S. one and compare with the CDC's far larger figures. So a death
count with no place of its own takes:

- the place last named in its paragraph, when the sentence points back to it ("there",
  "in that country");
- else the place its paragraph opens with, when that opening sentence is about deaths
  too ("In Canada, overdose deaths fell less..."): a paragraph keeps its subject. One
  that opens on another matter ("Canada is a minor source of fentanyl") may go on to
  the writer's own country's deaths, so it sets nothing.

Only death counts: for them the country decides which agency's data judge the figure,
and an unnamed country is otherwise read as the outlet's or the United States'.
"""

from __future__ import annotations

import re

from borderflow.extract.mentions import Mention

# "there" pointing back, not the existential "there were"; "in that country".
_POINTER = re.compile(
    r"(?i)(?<![\w.])(?:in[\s\u00a0]+(?:that|the)[\s\u00a0]+country|"
    r"(?<!^)there(?![\s\u00a0]+(?:is|are|was|were|have|has|had|will|would|could|may|might|"
    r"must|should|seems?|appears?|remains?|exists?|used|also|still)\b)(?![’']s))\b"
)
# Words that make a sentence about deaths.
_DEATHS = re.compile(
    r"(?i)\b(?:deaths?|died|dying|overdos\w*|fatal\w*|toxicity|killed|kill|mortality)\b"
)
# Where a paragraph's opening place stands when it is the paragraph's subject.
_OPENING = re.compile(r"(?i)[\s\u00a0\"“]*(?:in[\s\u00a0]+|across[\s\u00a0]+)?(?:the[\s\u00a0]+)?$")


def pointed_place(
    text: str,
    sentence: tuple[int, int],
    opening: tuple[int, int],
    earlier: list[Mention],
) -> str | None:
    """The place a place-less death count in `sentence` is about, from the places named
    `earlier` in its paragraph (whose `opening` sentence is given); None when it does
    not say."""
    start, end = sentence
    if not earlier:
        return None
    if _POINTER.search(text[start:end].strip()):
        return earlier[-1].name
    first = earlier[0]
    if _OPENING.fullmatch(text, opening[0], first.start) and _DEATHS.search(text, *opening):
        return first.name
    return None
