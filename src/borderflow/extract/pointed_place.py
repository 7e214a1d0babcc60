"""The place a death count is about when its own sentence names none.

Reporting on two countries' overdose crises moves between them paragraph by paragraph:
"Canada has seen a smaller decline. Some 7,146 people died of opioid toxicity there in
2024." Read alone, the second sentence gives a country-less count, which the checks
would take for a U.S. one and compare with the CDC's far larger figures. So a death
count with no place of its own takes:

- the place last named in its paragraph, when the sentence points back to it ("there",
  "in that country");
- else the place its paragraph opens with, when that opening sentence is about deaths
  too ("In Canada, overdose deaths fell less...", "a 17 per cent decrease in opioid
  deaths in 2024 in Canada"): a paragraph keeps its subject. One that opens on another
  matter ("Canada is a minor source of fentanyl") may go on to the writer's own
  country's deaths, so it sets nothing;
- else the country the article's lead is about: its first paragraph, when that opens on
  one country's deaths as above ("Canada's opioid deaths fell in 2024" as a headline,
  then "Some 7,146 people died..." paragraphs later), and from there to the count no
  place of another country, no people of any ("Americans"), no turn to the writer's own
  country ("here", "this country") and no wire dateline comes. An article on one
  country's crisis names it once; one that turns elsewhere usually says so, and then
  nothing is carried. A lead on a province or state carries nothing: its count may be
  the province's or the nation's.

Only death counts: for them the country decides which agency's data judge the figure,
and an unnamed country is otherwise read as the outlet's or the United States'.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

from borderflow.extract.mentions import Mention, MentionIndex
from borderflow.extract.segment import Sentence
from borderflow.vocab import load_vocabulary

# "there" pointing back, not the existential "there were"; "in that country".
_POINTER = re.compile(
    r"(?i)(?<![\w.])(?:in[\s\u00a0]+(?:that|the)[\s\u00a0]+country|"
    r"(?<!^)(?<!from[\s\u00a0])(?<!of[\s\u00a0])"  # "smuggled from there": not where they died
    r"there(?![\s\u00a0]+(?:is|are|was|were|have|has|had|will|would|could|may|might|"
    r"must|should|seems?|appears?|remains?|exists?|used|also|still)\b)(?![’']s))\b"
)
# A count that names its people names its country: "80,000 Americans died".
_NATIONALS = re.compile(r"\b(?:Americans?|Canadians?|Mexicans?)\b")
# An opening sentence about a whole country's deaths, wherever it names the country:
# "there was a 17 per cent decrease in opioid deaths in 2024 in Canada".
_COUNTRY_WIDE = re.compile(
    r"(?i)\b(?:in|across|throughout)[\s\u00a0]+(?:the[\s\u00a0]+)?(?:Canada|Mexico|"
    r"United[\s\u00a0]+States|U\.S\.|US|America)\b"
)
# Words that turn to the writer's own country, from the lead on.
_OWN_COUNTRY = re.compile(
    r"(?i)\b(?:(?:this|our)[\s\u00a0]+(?:country|nation)|here|at[\s\u00a0]+home)\b"
)
# A wire dateline opening a paragraph ("WASHINGTON —", "OTTAWA, Ont. (CP) -"): a place.
_DATELINE = re.compile(r"[\s\u00a0\"“]*[A-Z][A-Z.'’ -]{2,}(?:,[^\n—–]{0,40})?[\s\u00a0]*[—–-]")
# Where a paragraph's opening place stands when it is the paragraph's subject.
_OPENING = re.compile(r"(?i)[\s\u00a0\"“]*(?:in[\s\u00a0]+|across[\s\u00a0]+)?(?:the[\s\u00a0]+)?$")


def pointed_place(
    text: str,
    sentence: tuple[int, int],
    opening: tuple[int, int],
    earlier: list[Mention],
    country_of: Mapping[str, str],
    deaths: re.Pattern[str],
) -> str | None:
    """The place a place-less death count in `sentence` is about, from the places named
    `earlier` in its paragraph (whose `opening` sentence is given, and is about deaths
    when it has one of the `deaths` words); None when it does
    not say, or when the sentence it points to names two countries ("Canada has seen a
    smaller decline than the United States")."""
    start, end = sentence
    if not earlier or _NATIONALS.search(text, start, end):
        return None
    if _POINTER.search(text[start:end].strip()):
        last = earlier[-1]
        # The sentence the place was named in: from the full stop before it.
        stop = text.rfind(". ", opening[0], last.start)
        begins = stop + 2 if stop >= 0 else opening[0]
        return _one_country(earlier, begins, country_of)
    if deaths.search(text, *opening) and (
        _OPENING.fullmatch(text, opening[0], earlier[0].start)
        or _COUNTRY_WIDE.search(text, *opening)
    ):
        return _one_country(earlier, opening[0], country_of, opening[1])
    return None


def lead_place(
    text: str,
    sents: list[Sentence],
    at: int,
    places: MentionIndex,
    country_of: Mapping[str, str],
    deaths: re.Pattern[str],
) -> str | None:
    """The country of the article's lead (see the module's docstring) for a place-less
    death count in sentence `at`, in a later paragraph than the lead's; None when the
    lead is not about one country's deaths, or when since then another place or people
    of a country, the writer's own country ("here", "this country") or a dateline comes."""
    sentence, lead = sents[at], [s for s in sents if s.paragraph == sents[0].paragraph]
    if sentence.paragraph == lead[0].paragraph:
        return None  # the count's own paragraph: pointed_place has spoken
    opening = lead[0]
    first = next(iter(places.between(opening.start, opening.end)), None)
    if (
        first is None
        or first.name not in _countries()
        or not deaths.search(text, opening.start, opening.end)
        or not (
            _OPENING.fullmatch(text, opening.start, first.start)
            or _COUNTRY_WIDE.search(text, opening.start, opening.end)
        )
    ):
        return None
    since = lead[-1].end
    if (
        _OWN_COUNTRY.search(text, opening.start, sentence.end)
        or _NATIONALS.search(text, since, sentence.end)
    ) or any(_DATELINE.match(text, s.start) for s in sents[: at + 1] if s.start >= since):
        return None
    found = _one_country(places.between(opening.start, sentence.start), opening.start, country_of)
    return first.name if found else None


@functools.cache
def _countries() -> frozenset[str]:
    return frozenset(p.name for p in load_vocabulary().places if p.attrs.get("level") == "country")


def _one_country(
    places: list[Mention], start: int, country_of: Mapping[str, str], end: int | None = None
) -> str | None:
    """The first of the places named from `start` (to `end`), if they all lie in one
    country; None when two countries are named."""
    named = [p for p in places if p.start >= start and (end is None or p.start < end)]
    countries = {country_of.get(p.name) or p.name for p in named}
    return named[0].name if named and len(countries) == 1 else None
