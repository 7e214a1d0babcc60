"""Where a figure applies: one border, all borders together, or the whole country.

The phrase that governs the figure decides ("43 pounds at the northern border, 0.2% of the
21,900 pounds seized at all U.S. borders"), so each figure looks first in its own clause,
then in its sentence, then at what a Canadian agency's bare "the border" means, then at a
flow between two countries ("from Canada into the U.S."), then at the paragraph. "From
Mexico" alone is where a flow starts (the claim's origin), not a border.
"""

from __future__ import annotations

import re

from borderflow.extract.mentions import Mention
from borderflow.extract.quantities import Quantity
from borderflow.vocab import Vocabulary

ALL_BORDERS, NATIONWIDE = "all borders", "nationwide"
# What `scope` says of a figure whose own words place it where no border is: no scope,
# and none carried over from the figures around it.
ELSEWHERE = "elsewhere"
# "at ports of entry across the country", "at the border nationwide": border seizures
# counted over the whole country are all borders, not a country-wide total.
_BORDER_BEFORE = re.compile(
    r"(?i)\b(?:borders?|ports?[\s\u00a0]+of[\s\u00a0]+entry|crossings?|checkpoints?)"
    r"[\s\u00a0,]*$"
)
# "across the U.S.-Mexico border", "across Canada's border": a crossing, not a country-wide
# figure.
_NOT_NATIONWIDE_AFTER = re.compile(r"(?i)(?:[-–’']|[\s\u00a0]+(?:border|frontier|line))")
# What a border agency means by "the border" without naming it: its land crossings.
_BARE_BORDER = re.compile(
    r"(?i)(?:\b(?:the|a|our|their|its)|’s|'s)[\s\u00a0]+border(?![\s\u00a0]*(?:with|between[\s\u00a0]+\D|"
    r"services|patrol|agents?|plan|security|infrastructure|officials|officers|crossings?))\b"
    r"|\bland[\s\u00a0]+(?:ports?|crossings?|borders?|ports[\s\u00a0]+of[\s\u00a0]+entry)\b"
    r"|\b(?:border[\s\u00a0]+)?crossings?\b|\bports?[\s\u00a0]+of[\s\u00a0]+entry\b"
)
# Where one item of a list of figures ends: a comma or semicolon before a space, "while",
# "but", "whereas", "compared with", or "and" before a figure ("and 43", "and about 43").
_ITEM_BREAK = re.compile(
    r"[;,](?=[\s\u00a0])|\b(?:while|whereas|but|compared[\s\u00a0]+(?:with|to)|versus|vs\.?)\b"
    r"|\band(?=[\s\u00a0]+(?:[A-Za-z.-]+[\s\u00a0]+){0,2}[\d$])",
    re.IGNORECASE,
)
# A part of a figure just given: "21,148 pounds of it", "most of them", "of which 43".
# A list item that says where its own figure was seized, somewhere no border names:
# "some 460 pounds at airports, seaports and mail facilities inland".
_ELSEWHERE = re.compile(
    r"(?i)\b(?:inland|interior|airports?|seaports?|mail[\s\u00a0]+facilit(?:y|ies)|"
    r"international[\s\u00a0]+mail|express[\s\u00a0]+consignment)\b"
)
_PART_OF_IT = re.compile(r"(?i)\bof[\s\u00a0]+(?:it|them|which|that|those|this)\b")
# A part of the figure before: "of which 18,950 pounds", "including a record haul",
# "among them", "18,950 of them" (not "the first two months of this fiscal year"). The
# part runs to the next comma: "including record loads, at the southwest border" puts the
# whole at that border.
_A_PART_FOLLOWS = re.compile(
    r"(?i)\b(?:of[\s\u00a0]+which|including|among[\s\u00a0]+them)\b"
    r"|\d[\d,.]*(?:[\s\u00a0]+[\w-]+){0,2}[\s\u00a0]+of[\s\u00a0]+(?:it|them)\b"
)
_PART_ENDS = re.compile(r"[,;:](?=[\s\u00a0])|[\u2014\u2013]")
_PARTITIVE = re.compile(r"\b[Oo]f[\s\u00a0]+(?:the|a|an|all)[\s\u00a0]+(?:[\w-]+[\s\u00a0]+){0,2}$")
# A country named as what the statement is about: its subject ("Canada's economy",
# "India will borrow") or where it happens ("in Canada", "across Mexico").
_OF_COUNTRY = re.compile(r"^[\s\u00a0\"“]*(?:the[\s\u00a0]+)?$", re.IGNORECASE)
_POSSESSIVE = re.compile(r"’s|'s")
_IN_COUNTRY = re.compile(r"(?i)\b(?:in|across|throughout)[\s\u00a0]+(?:the[\s\u00a0]+)?$")
_NATIONAL_PEOPLE = re.compile(r"\b(?:Americans|Canadians|Mexicans|Australians)\b")
# Measures a border can apply to; a death count or a price is never "at the border", so a
# paragraph's border is not carried to them. A country-wide scope carries to the counts of
# deaths and their shares and changes.
_BORDER_MEASURES = frozenset({"seizure", "share", "change", "personnel", "doses", "production"})
_NATIONAL_MEASURES = frozenset({"deaths", "share", "change"})


def scope_mentions(text: str, found: list[Mention]) -> list[Mention]:
    """Border and scope mentions as the text means them: "nationwide" after a border word
    is all borders, and a "nationwide" phrase glued to a border or hyphen is dropped."""
    out = []
    for m in found:
        if m.name == NATIONWIDE:
            if _NOT_NATIONWIDE_AFTER.match(text, m.end, m.end + 12):
                continue
            if _BORDER_BEFORE.search(text, max(0, m.start - 30), m.start):
                m = Mention(m.start, m.end, ALL_BORDERS, m.attrs)
        out.append(m)
    return out


class ScopeRules:
    """Corridor facts of one vocabulary: country codes and the corridor between two."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.corridor_between = {
            frozenset(t.attrs.get("between") or ()): t.name
            for t in vocab.corridors
            if t.attrs.get("between")
        }
        self.country_code = {
            t.name: t.attrs.get("code") for t in vocab.places if t.attrs.get("level") == "country"
        }
        self.national_agencies = frozenset(
            t.name for t in vocab.agencies if t.attrs.get("national")
        )

    def between(self, origin: str | None, destination: str | None) -> str | None:
        """The border a flow from one country into another crosses, if a CBP corridor."""
        if not (origin and destination):
            return None
        pair = frozenset({self.country_code.get(origin), self.country_code.get(destination)})
        return self.corridor_between.get(pair)

    def sentence_scope(self, named: list[Mention], flow: str | None) -> str | None:
        """What a sentence establishes for the sentences after it: its last named scope,
        else the corridor its flow crosses."""
        return named[-1].name if named else flow

    def scope(
        self,
        text: str,
        q: Quantity,
        clause: tuple[int, int],
        sentence: tuple[int, int],
        named: list[Mention],
        agency: str | None,
        flow: str | None,
        measure: str,
        ends: tuple[str | None, str | None],
    ) -> str | None:
        """The scope of `q` from its own sentence (None: nothing there decides;
        ELSEWHERE: no border, whatever the paragraph says). `ends` are the sentence's
        flow origin and destination."""
        borders = {m.name for m in named} - {ALL_BORDERS, NATIONWIDE}
        if borders and _PARTITIVE.search(text, max(sentence[0], q.start - 40), q.start):
            return ALL_BORDERS  # "Of the 21,900 pounds seized, 43 were at the northern border"
        own = [m for m in named if clause[0] <= m.start < clause[1]]
        if measure == "share" and len({m.name for m in own} & borders) == 1:
            # "20% of the fentanyl seized at U.S. borders is caught at the Canadian border":
            # a share is the part's, not the whole's.
            own = [m for m in own if m.name in borders]
        if own:
            if measure != "share":
                # "21,889 pounds at U.S. borders, 21,148 of them at the Mexican border and
                # 43 at the Canadian border": each figure of a list takes the scope in its
                # own item, not the nearest one, which may end the item before it.
                item = _list_item(text, q, clause)
                mine = [m for m in own if item[0] <= m.start and m.end <= item[1]]
                if mine:
                    return _nearest(mine, q)
                if _total_of_parts(text, item[1], clause[1], own, borders):
                    return ALL_BORDERS
                if _only_in_a_part(text, item[1], clause[1], own):
                    return None  # "a total of 21,900 pounds, of which 21,100 at the
                    # southwest border": that border is the part's, the total's is unsaid
                if _ELSEWHERE.search(text, *item):
                    return ELSEWHERE  # its own place, not a sibling item's border
            return _nearest(own, q)
        if named:
            names = {m.name for m in named}
            return names.pop() if len(names) == 1 else _nearest(named, q)
        country = self.vocab.agency_country(agency)
        border = self.vocab.bare_border_by_country.get(country or "")
        if border and (
            _BARE_BORDER.search(text, sentence[0], sentence[1])
            or self.country_code.get(ends[0] or "") == "US"
            or self.country_code.get(ends[1] or "") == "US"
        ):
            return border  # a Canadian agency's border, or its flows with the U.S.
        return flow

    def national(
        self, text: str, sentence: tuple[int, int], statement: tuple[int, int], pos: int,
        measure: str, agency: str | None, places: list[Mention], deaths_here: bool,
    ) -> str | None:  # fmt: skip
        """ "nationwide" for a figure about a whole country: a country's count of deaths
        (or a share or change of one) by a national body or said of a country or its
        people; or any other figure whose statement is about a country ("Canada's economy
        shed 66,000 jobs", "in Canada" before the figure at `pos`). Never with a province,
        state or city named, and never for seizures, staff or tariffs, which are about
        borders and goods."""
        deaths = measure == "deaths" or (measure in ("share", "change") and deaths_here)
        if not deaths and measure in ("seizure", "personnel", "tariff", "doses", "production"):
            return None
        span = sentence if deaths else statement
        own = [p for p in places if span[0] <= p.start < span[1]]
        if any(p.attrs.get("level") in ("subdivision", "city") for p in own):
            return None
        countries = [p for p in own if p.attrs.get("level") == "country"]
        if deaths and (
            agency in self.national_agencies
            or countries
            or _NATIONAL_PEOPLE.search(text, *sentence)
        ):
            return NATIONWIDE
        if any(
            (_OF_COUNTRY.search(text[span[0] : p.start]) and _POSSESSIVE.match(text, p.end))
            or (p.start < pos and _IN_COUNTRY.search(text, max(span[0], p.start - 20), p.start))
            for p in countries
        ):
            return NATIONWIDE
        return None

    @staticmethod
    def carries_to(carried: str | None, measure: str) -> bool:
        """Whether a paragraph's scope may carry to a figure of this measure."""
        if carried == NATIONWIDE:
            return measure in _NATIONAL_MEASURES
        return measure in _BORDER_MEASURES


def _list_item(text: str, q: Quantity, clause: tuple[int, int]) -> tuple[int, int]:
    """The item of a list of figures that holds `q`: from the separator before it to the
    one after it, within its clause."""
    start = clause[0]
    for found in _ITEM_BREAK.finditer(text, clause[0], q.end):  # "and" looks ahead at q
        if found.end() <= q.start:
            start = found.end()
    after = _ITEM_BREAK.search(text, q.end, clause[1])
    return start, after.start() if after else clause[1]


def _total_of_parts(
    text: str, after: int, end: int, named: list[Mention], borders: set[str]
) -> bool:
    """Whether the items after a figure break it down by border ("21,889 pounds, 21,148 of
    it at the Mexican border and 43 at the Canadian border"): the figure is then the total
    over every border, which its own words may not name."""
    parts = {m.name for m in named if after <= m.start < end} & borders
    return len(parts) >= 2 and bool(_PART_OF_IT.search(text, after, end))


def _only_in_a_part(text: str, after: int, end: int, named: list[Mention]) -> bool:
    """Whether every place named in the clause lies within a part of the figure ("of
    which 21,100 at ...", "including a record haul at ..."), so it is where that part was
    found."""
    part = _A_PART_FOLLOWS.search(text, after, end)
    if part is None:
        return False
    closed = _PART_ENDS.search(text, part.end(), end)
    part_end = closed.start() if closed else end
    return all(part.start() <= m.start < part_end for m in named)


def _nearest(mentions: list[Mention], q: Quantity) -> str:
    def distance(m: Mention) -> int:
        if m.end <= q.start:
            return q.start - m.end
        return max(0, m.start - q.end)

    return min(mentions, key=distance).name
