"""What a figure measures: seizure, deaths, doses, a share, a change, money...

The words that govern a figure sit right next to it ("fell 12.4%", "12,000 fewer", "0.2% of
the total", "enough to kill 500,000 people"), so those are read first; then the cue words of
the figure's own clause (vocab/measures.yaml), nearest first; then what the noun it counts
implies; a mass or volume with nothing else to go on is a seizure only when an enforcement
agency or a drug is the clause's subject, never because a drug is named elsewhere.
"""

from __future__ import annotations

import re

from borderflow.extract.mentions import Mention
from borderflow.extract.quantities import Quantity
from borderflow.vocab import Vocabulary

_S = r"[\s\u00a0]+"
_ALLOWED = {
    "percent": ("change", "tariff", "share"),
    "mass": ("seizure", "production", "other"),
    "volume": ("seizure", "production", "other"),
    "currency": ("funding", "tariff", "seizure"),
    "rate": ("seizure", "production", "funding", "deaths", "doses", "other"),
    "count": ("seizure", "production", "other"),
}
# A change stated by the words right before the figure: "fell 12.4%", "rose by 3,000", "an
# increase of 12%", "increased its budget by 12%", "(up|down) 30 percent".
_CHANGE_VERB = (
    r"(?:ris(?:e|es|ing)|rose|risen|f[ae]ll(?:s|en|ing)?|increas\w*|decreas\w*|declin\w*|"
    r"dropp?\w*|jump\w*|climb\w*|surg\w*|soar\w*|grow(?:s|n|ing)?|grew|gain\w*|plung\w*|"
    r"plummet\w*|tumbl\w*|slid|slides?|sink|sank|spik\w*|reduc\w*|shr[iau]nk\w*|swell\w*|"
    r"jump\w*|leap\w*|skyrocket\w*|dipp?\w*|slump\w*|rebound\w*)"
)
# Verbs that state a change of a count, a percentage or money, not of a mass ("shed 66,000
# jobs", "added 0.6%"), and nouns after the figure that make it one ("a 12% discount").
_GAIN_LOSS = re.compile(
    r"(?i)(?:\b(?:shed(?:s|ding)?|lost|los(?:es|ing)|gain(?:s|ed)?|saving[\s\u00a0]+of)"
    r"|(?<!make)(?<!made)(?<!akes)(?<!ked)(?<!ded)(?<!set)(?<!rned)(?<!hut)(?<!oke)(?<!ook)"
    r"(?<!went)(?<!ame)(?<!ums)[\s\u00a0]+(?:up|down)"
    r"(?:[\s\u00a0]+(?:more[\s\u00a0]+than|nearly|almost|about|some|by))?)[\s\u00a0]+$"
)
_MODIFIERS = (
    r"(?:" + _S + r"(?:by|of|some|about|nearly|almost|roughly|around|over|just|only|a|an|"
    r"another|approximately|more" + _S + r"than|less" + _S + r"than|an" + _S + r"estimated))*"
)
_CHANGE_BEFORE = re.compile(
    r"(?i)(?:\b"
    + _CHANGE_VERB
    + r"(?:(?:"
    + _S
    + r"[\w,’'-]+){0,3}"
    + _S
    + r"by)?"
    + _MODIFIERS
    + r"|(?:^|[,(—]|\b(?:is|was|were|are|been|stood|now))"
    + _S
    + r"(?:up|down)"
    + _MODIFIERS
    + r")"
    + _S
    + r"$"
)
# ... or right after it: "a 12% increase", "12,000 fewer deaths", "30% more than", "12.4% lower".
_CHANGE_AFTER = re.compile(
    r"(?i)^(?:" + _S + r"|[\s\u00a0]*-[\s\u00a0]*)(?!to\b|from\b|and\b|or\b)(?:[\w-]+" + _S + r")?"
    r"(?:increase|decrease|rise|"
    r"drop|decline|jump|gain|reduction|cut|surge|spike|fall|climb|growth|fewer|lower|higher|"
    r"discount|saving|premium|markdown|markup|"
    r"(?:more|less)(?=(?:" + _S + r"[\w-]+){0,3}" + _S + r"than\b)"
    r"(?!" + _S + r"than" + _S + r"(?:[$€£]|\d))|up|down)\b"
)
# Lethal-dose arithmetic: "enough to kill 500,000 people", "could kill 2 million Americans".
_LETHAL_BEFORE = re.compile(
    r"(?i)\b(?:enough|sufficient|capable|able|could|can|would|might|potential(?:ly)?)"
    r"(?:[\s\u00a0]+[\w’'-]+){0,8}?[\s\u00a0]+(?:to[\s\u00a0]+)?(?:kill(?:ed)?|be[\s\u00a0]+lethal|"
    r"poison)(?:[\s\u00a0]+(?:up[\s\u00a0]+to|about|nearly|roughly|over|more[\s\u00a0]+than|"
    r"some|as[\s\u00a0]+many[\s\u00a0]+as))*[\s\u00a0]+$"
)
_LETHAL_NEAR = re.compile(r"(?i)\blethal[\s\u00a0]+(?:doses?|amounts?|quantit)")
_OF_AFTER = re.compile(r"[\s\u00a0]+of\b")
_SHARE_AFTER = re.compile(
    r"(?i)^(?:[\s\u00a0]+(?:of|was|were|is|are|came|come|comes|originated|passed|went|"
    r"involved|had|contained))\b"
)
# A level reached, not a change: "rose to 7.0 per cent", "from 1.5%".
_LEVEL_BEFORE = re.compile(r"(?i)\b(?:to|from|at)[\s\u00a0]+$")
_SIGNED = re.compile(r"^(?:[-+−–]|(?i:minus|plus)\b)")
# "half the previous year's total", "twice the ratio recorded in 2004": against another time.
_AGAINST_TIME = re.compile(
    r"(?i)^[\s\u00a0]+(?:of[\s\u00a0]+)?(?:the|what|its|their|that)\b[^.;]{0,40}?\b(?:previous|prior|"
    r"peak|year[\s\u00a0]+before|earlier|last[\s\u00a0]+year|a[\s\u00a0]+year[\s\u00a0]+ago|"
    r"(?:in|of|since)[\s\u00a0]+(?:19|20)\d\d)"
)
_AS_MUCH = re.compile(r"(?i)^[\s\u00a0]+(?:as[\s\u00a0]+(?:much|many)|more)\b")
_MULTIPLIED = re.compile(r"(?i)doubl|tripl|quadrupl|fold\b")
# Funding is public money; a company's spending or revenue is not.
_PRIVATE = re.compile(
    r"(?i)\b(?:company|companies|firm|corporation|revenue|profits?|earnings|shares|"
    r"shareholders|investors|Inc|Ltd|Corp|retailer|brokerages?|quarter)\b"
)
# "11,500 fewer deaths", "3,000 more arrests than": the figure is a difference.
_COMPARATIVE = re.compile(r"\d[\d,.]*(?:[\s\u00a0]+[a-z]+)?[\s\u00a0]+(?:fewer|less)\b")
_MORE = re.compile(r"\d[\d,.]*(?:[\s\u00a0]+[a-z]+)?[\s\u00a0]+more\b")
_THAN = re.compile(r"^(?:[\s\u00a0]+[\w-]+){0,3}[\s\u00a0]+than\b")
# What introduces the figure another is compared with: it is a figure of the same kind.
_COMPARED_WITH = re.compile(
    r"(?i)\b(?:compared[\s\u00a0]+(?:to|with)|versus|vs\.?|against|up[\s\u00a0]+from|"
    r"down[\s\u00a0]+from|from)[\s\u00a0]+(?:the[\s\u00a0]+|a[\s\u00a0]+|just[\s\u00a0]+|"
    r"about[\s\u00a0]+|some[\s\u00a0]+)?$"
)
_CASH = re.compile(r"(?i)\b(?:in[\s\u00a0]+(?:cash|currency|proceeds)|cash|bills|currency)\b")


class MeasureRules:
    """The cue priorities and enforcement agencies of one vocabulary."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.priority = {t.name: int(t.attrs.get("priority", 0)) for t in vocab.measures}
        self.seizing_agencies = frozenset(a.name for a in vocab.agencies if a.attrs.get("seizes"))

    def measure(
        self,
        text: str,
        q: Quantity,
        clause: tuple[int, int],
        cues: list[Mention],
        agency: str | None,
        drug_here: bool,
        carried: str | None,
        intro: list[Mention] | None = None,
        previous: str | None = None,
    ) -> str:
        """The measure of `q`, whose clause is text[clause[0]:clause[1]]; `cues` are the
        sentence's measure cues, `drug_here` whether its clause names a drug, `carried`
        the measure of the paragraph's last mass figure, `intro` the cues of the line that
        introduces a list `q` is an item of, `previous` the measure of the sentence's
        previous figure of the same kind."""
        start, end = clause
        before = text[max(start, q.start - 60) : q.start]
        after = text[q.end : min(end, q.end + 60)]
        written = text[q.start : q.end]
        if q.dimension in ("count", "rate") and (
            _LETHAL_BEFORE.search(before) or _LETHAL_NEAR.search(text, q.start, q.end + 30)
        ):
            return "doses"
        if self._change(q, before, after, written):
            # "a £22.6bn increase in the health budget" is money put in, not a difference.
            funding = q.dimension == "currency" and self._best(
                [c for c in cues if start <= c.start < end], q, ("funding",)
            )
            return "funding" if funding else "change"
        if q.dimension in ("ratio", "magnitude"):
            if _AGAINST_TIME.match(after) or _MULTIPLIED.search(written):
                return "change"
            if q.dimension == "magnitude" or _AS_MUCH.match(after):
                return "share"  # "hundreds of times as much ... at one border as at the other"
            return "other"
        own = [c for c in cues if start <= c.start < end] or [
            Mention(q.start, q.start, c.name) for c in intro or ()
        ]
        if q.dimension == "percent":
            return self._percent(q, own, before, after, previous)
        if q.dimension == "count" and q.noun_measure == "production":
            return "other"  # a count of labs is not an amount produced
        if q.dimension in ("count", "rate") and q.noun_measure and q.noun_measure != "other":
            if q.noun_measure != "doses" or "dose" in written.lower():
                return q.noun_measure
            # Pills and tablets are doses unless the clause seized or made them.
            return self._best(own, q, ("seizure", "production")) or "doses"
        if q.dimension == "count" and q.noun_measure == "other":
            return "other"  # people, arrests, places: never "seized"
        best = self._best(own, q)
        if q.dimension == "currency" and best == "seizure" and not _CASH.search(after):
            best = self._best([c for c in own if c.name != "seizure"], q)
        if best == "funding" and not agency and _PRIVATE.search(text, start, end):
            best = None  # a company's spending is not public funding
        if best is not None:
            return best
        if q.dimension in ("mass", "volume") and previous and _COMPARED_WITH.search(before):
            return previous  # "captured 26 kg compared to the 19.5 kg taken the year before"
        if q.dimension in ("mass", "volume") and agency in self.seizing_agencies:
            return carried or "seizure"
        if q.dimension in ("mass", "volume") and drug_here and carried:
            return carried
        return "other"

    @staticmethod
    def _change(q: Quantity, before: str, after: str, written: str) -> bool:
        """Whether the words around `q` state it as a change."""
        if q.dimension in ("temperature", "length", "speed", "duration"):
            return False
        if q.dimension == "percent" and (_SIGNED.match(written) or q.value < 0):
            return True
        if _CHANGE_BEFORE.search(before) or _CHANGE_AFTER.match(after):
            return True
        if _COMPARATIVE.search(written) or (_MORE.search(written) and _THAN.match(after)):
            return True
        return (
            q.dimension in ("count", "percent", "currency")
            and q.noun_measure not in ("deaths", "personnel")
            and bool(_GAIN_LOSS.search(before))
        )

    def _percent(
        self, q: Quantity, own: list[Mention], before: str, after: str, previous: str | None
    ) -> str:
        """A percentage: a tariff, a share of a whole, or a level ("rose to 7%"); the base
        of a comparison ("down from 82%") is what the figure it is compared with is."""
        best = self._best(own, q)
        if best == "tariff":
            return "tariff"
        if _OF_AFTER.match(after) or _SHARE_AFTER.match(after) or best == "share":
            return "share"
        if _LEVEL_BEFORE.search(before):
            return previous if previous in ("share", "other") else "other"
        return "change" if best == "change" else "share"

    def _best(
        self, cues: list[Mention], q: Quantity, allowed: tuple[str, ...] | None = None
    ) -> str | None:
        allowed = _ALLOWED.get(q.dimension, ()) if allowed is None else allowed
        best = min(
            (c for c in cues if c.name in allowed),
            key=lambda c: (_distance(c, q), -self.priority.get(c.name, 0)),
            default=None,
        )
        return best.name if best is not None else None


def _distance(m: Mention, q: Quantity) -> int:
    if m.end <= q.start:
        return q.start - m.end
    if m.start >= q.end:
        return m.start - q.end
    return 0
