"""Context rules: which substance, flow and period a quantity is about.

Each rule looks at the quantity's own sentence first and falls back on what the paragraph
carried (see pipeline.py); the cue words and domain facts come from the vocabulary. What a
figure measures is read in measures.py, where it applies in scopes.py.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from borderflow.extract.mentions import Mention
from borderflow.extract.model import Claim, PeriodReading
from borderflow.extract.period_readings import PeriodRules
from borderflow.extract.periods import TemporalMention
from borderflow.extract.quantities import Quantity
from borderflow.vocab import Vocabulary

_SUBSTANCE_OF = re.compile(r"^[\s\u00a0]+of[\s\u00a0]+(?:[\w’'-]+[\s\u00a0]+){0,2}$")
_ORIGIN_BEFORE = re.compile(r"(?i)\b(?:from|out of)[\s\u00a0]+(?:the[\s\u00a0]+)?$")
_DEST_BEFORE = re.compile(
    r"(?i)\b(?:to|into|for|toward|towards|entering|reaching|reach|enter)[\s\u00a0]+(?:the[\s\u00a0]+)?$"
)
_ORIGIN_AFTER = re.compile(
    r"(?:-(?:made|based|sourced|produced|origin)|’s[\s\u00a0]+(?:[\w-]+[\s\u00a0]+){0,3}?"
    r"(?:industry|production|producers|labs|manufactur\w*))"
)
_OVERDOSE = re.compile(r"(?i)\boverdos")
# What may stand between a drug and the overdoses it names: "fentanyl overdoses",
# "fentanyl-related overdose deaths", "opioid-involved overdoses".
_JOINED_DRUG = re.compile(r"(?i)[\s\u00a0]*(?:and|or|&|/)[\s\u00a0]*")
_DRUG_OF_OVERDOSE = re.compile(
    r"(?i)(?:[\s\u00a0-]+(?:related|involved|linked|laced))?[\s\u00a0-]+"
)
_LETHAL_DOSE = re.compile(
    r"(?i)\b(?:lethal[\s\u00a0]+doses?|milligrams?[\s\u00a0]+a[\s\u00a0]+dose|mg[\s\u00a0]+a[\s\u00a0]+dose|"
    r"enough[\s\u00a0]+to[\s\u00a0]+kill|could[\s\u00a0]+(?:have[\s\u00a0]+)?kill(?:ed)?)\b"
)
_JOINED = re.compile(
    r"[\s\u00a0]*(?:,[\s\u00a0]*)?(?:and|or|&)?[\s\u00a0]*(?:suspected[\s\u00a0]+)?"
)
_INVOLVED_BEFORE = re.compile(
    r"[\s\u00a0]+(?:was|were|is|are)[\s\u00a0]+(?:involved|found|present|detected)[\s\u00a0]+in"
    r"[\s\u00a0]+(?:[\w-]+[\s\u00a0]+){0,2}$"
)
_INVOLVED = re.compile(
    r"\b(?:involv\w*|linked[\s\u00a0]+to|caused[\s\u00a0]+by|laced[\s\u00a0]+with|"
    r"contain\w*|attributed[\s\u00a0]+to)[\s\u00a0]+(?:[\w-]+[\s\u00a0]+)?$"
)
# "the drug", "that drug": the drug named before.
_ANAPHOR = re.compile(r"\b(?:the|this|that)[\s\u00a0]+$")
# ... or one word may describe the single drug: "the deadly drug", "this illicit drug".
_DESCRIBED_ANAPHOR = re.compile(r"\b(?:the|this|that)[\s\u00a0]+[a-z][\w-]*[\s\u00a0]+$")
# The drug a potency is measured against ("50 times stronger than heroin", "more potent
# than morphine"): never the subject. Other comparisons ("kills more than fentanyl") may be.
_COMPARED_WITH = re.compile(
    r"(?i)\b(?:stronger|deadlier|more[\s\u00a0]+(?:potent|powerful|lethal|toxic|deadly|"
    r"dangerous)|as[\s\u00a0]+(?:potent|strong|deadly))[\s\u00a0]+(?:than|as)[\s\u00a0]+"
    r"(?:the[\s\u00a0]+)?$"
)
# "the deadly synthetic opioid" (one, with "the"): the drug of that class named before.
_CLASS_ANAPHOR = re.compile(r"\b(?:the|this|that)[\s\u00a0]+(?:[\w-]+[\s\u00a0]+){0,2}$")
_CLASSES = {
    "synthetic opioids": frozenset({"fentanyl", "nitazenes"}),
    "opioids": frozenset({"fentanyl", "nitazenes"}),
}
# "from Mexico, the U.S. or unknown origins": a set of origins, so no single one.
_ORIGIN_LIST_AFTER = re.compile(
    r"(?:,[\s\u00a0]+(?:the[\s\u00a0]+)?[A-Z]|[\s\u00a0]+(?:or|and)[\s\u00a0]+"
    r"(?:the[\s\u00a0]+)?(?:[A-Z]|unknown|other))"
)


@dataclass(slots=True)
class Carry:
    """What a paragraph has established so far, for sentences that leave it unsaid."""

    agency: str | None = None
    # The period the paragraph is about, and the measure of the claim it was dated for
    # (None when no claim was): carried only to claims of the same measure.
    period: tuple[TemporalMention, tuple[PeriodReading, ...], str | None] | None = None
    mass_measure: str | None = None
    claims: list[Claim] = field(default_factory=list)


class ContextRules:
    """The vocabulary-derived facts the rules need, computed once per extractor."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab

    @staticmethod
    def _refers_back(text: str, mention: Mention) -> bool:
        """Whether a generic "drug" mention points back to one named before ("the drug",
        "the deadly drug"; not "the illegal drugs", which are drugs in general)."""
        if _ANAPHOR.search(text, max(0, mention.start - 6), mention.start):
            return True
        singular = not text[mention.start : mention.end].lower().endswith("s")
        return singular and bool(
            _DESCRIBED_ANAPHOR.search(text, max(0, mention.start - 24), mention.start)
        )

    def substance(
        self,
        text: str,
        q: Quantity,
        mentions: list[Mention],
        clause: tuple[int, int],
        earlier: str | None,
    ) -> str | None:
        """The substance a figure is about: what a death or share "involved", the one
        named right after it ("12 kg of cocaine"; "of fentanyl and meth" is drugs), else
        the nearest specific one in its clause, else in its sentence. An overdose count
        that names no drug of its own is about drugs; "the drug" refers back to the last
        drug named (`earlier`: before the sentence)."""
        own = [m for m in mentions if clause[0] <= m.start < clause[1]] or mentions
        # "50 times more potent than heroin": the drug compared with is not the subject.
        own = [m for m in own if not _COMPARED_WITH.search(text, max(0, m.start - 40), m.start)]
        chosen, attached = self._attached(text, q, own)
        if chosen is None and own:
            specific = [m for m in own if m.name != "drugs"] or own
            chosen = min(specific, key=lambda m: distance(m, q))
        overdose = _OVERDOSE.search(text, max(clause[0], q.start - 40), min(clause[1], q.end + 30))
        if not attached and overdose:
            # "fentanyl overdoses kill 300,000": the drug names the overdoses; "108,000
            # overdose deaths" with a drug named elsewhere, and "fentanyl and meth
            # overdoses" (two drugs; "fentanyl and carfentanil" is one), are all drugs
            named = [m for m in own if _DRUG_OF_OVERDOSE.fullmatch(text, m.end, overdose.start())]
            joined = [
                m for m in own
                if named and _JOINED_DRUG.fullmatch(text, m.end, named[0].start)
                and m.name != named[0].name
            ]  # fmt: skip
            return named[0].name if named and not joined else "drugs"
        if chosen is None and _LETHAL_DOSE.search(text, *clause):
            return "fentanyl"  # lethal-dose arithmetic is fentanyl's (vocab conventions)
        if chosen is None:
            return None
        if chosen.name == "drugs" and self._refers_back(text, chosen):
            before = [m.name for m in mentions if m.end <= chosen.start and m.name != "drugs"]
            return before[-1] if before else earlier or "drugs"  # "43 pounds of the drug"
        if (
            chosen.name in _CLASSES
            and earlier in _CLASSES[chosen.name]
            and not text[chosen.start : chosen.end].endswith("s")
            and _CLASS_ANAPHOR.search(text, max(0, chosen.start - 30), chosen.start)
        ):
            return earlier  # "590 pounds of the deadly synthetic opioid", fentanyl named before
        return chosen.name

    @staticmethod
    def _attached(text: str, q: Quantity, own: list[Mention]) -> tuple[Mention | None, bool]:
        """The substance the figure's own words tie to it, if any: inside it ("14 fentanyl
        seizures"), what it "involved", or "of" right after it."""
        for m in own:
            if q.start <= m.start < q.end:
                return m, True
            if (m.start >= q.end and _INVOLVED.search(text, q.end, m.start)) or (
                m.end <= q.start and _INVOLVED_BEFORE.match(text, m.end, q.start)
            ):
                return m, True
        for i, m in enumerate(own):
            if m.start >= q.end and _SUBSTANCE_OF.match(text[q.end : m.start]):
                nxt = own[i + 1] if i + 1 < len(own) else None
                if nxt and nxt.name != m.name and _JOINED.fullmatch(text, m.end, nxt.start):
                    return Mention(m.start, nxt.end, "drugs"), True  # "of cocaine and meth"
                return m, True
        return None, False

    def flow(self, text: str, places: list[Mention]) -> tuple[str | None, str | None]:
        origin = destination = None
        for m in places:
            if m.attrs.get("level") != "country":
                continue
            before = text[max(0, m.start - 25) : m.start]
            if origin is None and (
                _ORIGIN_BEFORE.search(before) or _ORIGIN_AFTER.match(text, m.end, m.end + 60)
            ):
                if _ORIGIN_LIST_AFTER.match(text, m.end, m.end + 20):
                    origin = ""  # one of several origins: none of them is the origin
                    continue
                origin = m.name
            elif destination is None and _DEST_BEFORE.search(before):
                destination = m.name
        return origin or None, destination

    @functools.cached_property
    def periods(self) -> PeriodRules:
        """The period rules (extract/period_readings.py), built on first use."""
        return PeriodRules(self.vocab)

    def period(
        self,
        claim: Claim,
        q: Quantity,
        periods: list[TemporalMention],
        next_start: int,
        carry: Carry,
    ) -> None:
        """Date the claim from the phrase of its clause, or from what its paragraph
        carries when it refers back to an earlier dated figure."""
        self.periods.assign(claim, q.start, q.end, periods, next_start, carry)

    def readings(self, mention: TemporalMention, agency: str | None) -> tuple[PeriodReading, ...]:
        return self.periods.readings(mention, agency)


def distance(m: Mention, q: Quantity) -> int:
    if m.end <= q.start:
        return q.start - m.end
    if m.start >= q.end:
        return m.start - q.end
    return 0


def nearest(mentions: list[Mention], q: Quantity) -> str | None:
    if not mentions:
        return None
    return min(mentions, key=lambda m: distance(m, q)).name
