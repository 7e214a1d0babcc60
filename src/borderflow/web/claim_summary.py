"""What a claim's page says first, in plain words: the verdict, whom the figure is
attributed to, the reading the check compared it with, the gap between the two and, for
a figure supported with a caveat, the caveat.

Everything here is read from the stored claim and its headline check; nothing is parsed
out of the explanation's wording. The claim record has one `speaker` field, who the
extractor found the figure attributed to (in "the RCMP said, rejecting Trump's claim that
..." that is Trump), not necessarily who is speaking in the sentence, so the page says
"attributed to" and shows the sentence, never more than the record holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlencode

from borderflow.records.claims import StoredClaim
from borderflow.records.verdicts import KIND_INFO, Citation, StoredCheck, VerdictKind
from borderflow.store.listings import ClaimView

# Qualifiers that make the stated figure a bound rather than a value.
_LOWER_BOUNDS = ("more_than", "at_least")
_UPPER_BOUNDS = ("less_than", "at_most")
_UNIT_WORDS = {"percent": "%", "deaths/year": "deaths a year", "kg": "kg", "lb": "lb"}


@dataclass(frozen=True, slots=True)
class Reading:
    """One piece of what the check compared the claim with, and where to see it."""

    kind: Literal["document", "official", "model"]
    label: str
    href: str
    detail: str | None


@dataclass(frozen=True, slots=True)
class Gap:
    """The claim's figure against the reading's, in the same unit."""

    claimed: str
    official: str
    relation: str

    @property
    def words(self) -> str:
        return f"{self.claimed} against {self.official}: {self.relation}"


@dataclass(frozen=True, slots=True)
class ClaimSummary:
    verdict: str | None
    label: str
    meaning: str
    attributed_to: str | None
    readings: tuple[Reading, ...]
    gap: Gap | None
    caveat: str | None
    explanation: str | None
    line: str


def _caveat(check: StoredCheck | None) -> str | None:
    """The caveat as its check stated it, as a sentence; a verdict stored before checks
    kept their caveats apart falls back to its whole explanation."""
    if check is None or check.verdict != VerdictKind.SUPPORTED_WITH_CAVEAT.value:
        return None
    text = (check.caveat or check.explanation).strip().rstrip(".")
    return f"{text[:1].upper()}{text[1:]}."


def number(value: float) -> str:
    """A figure as a reader writes it: thousands separated, at most four significant
    digits below a thousand."""
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def _with_unit(value: float, unit: str | None) -> str:
    words = _UNIT_WORDS.get(unit or "", unit or "")
    return f"{number(value)}{words}" if words == "%" else f"{number(value)} {words}".rstrip()


def _comparable(claim_unit: str | None, check_unit: str | None) -> bool:
    """The same unit, a yearly rate against a year's count included ("deaths/year" and
    "deaths": the checks compare a rate with the year's total)."""
    if not claim_unit or not check_unit:
        return False
    return claim_unit == check_unit or claim_unit.removesuffix("/year") == check_unit


def _relation(claimed: float, expected: float, qualifier: str, percent: bool, ref: str) -> str:
    """How the claim's figure stands to the check's (`ref` names the latter)."""
    if qualifier in _LOWER_BOUNDS + _UPPER_BOUNDS:
        lower = qualifier in _LOWER_BOUNDS
        inside = expected >= claimed if lower else expected <= claimed
        side = "above" if expected >= claimed else "below"
        off = _difference(expected, claimed, percent)
        where = "within" if inside else "outside"
        return f"the {ref} figure is {off} {side} the stated bound, {where} it"
    if claimed == expected or abs(claimed - expected) <= 0.0005 * abs(expected):
        return f"the same as the {ref} figure"
    side = "above" if claimed > expected else "below"
    if percent:
        return f"{abs(claimed - expected):.1f} percentage points {side} the {ref} figure"
    ratio = claimed / expected
    if ratio >= 2:
        return f"{ratio:,.1f} times the {ref} figure"
    if ratio <= 0.5:
        return f"{ratio:.0%} of the {ref} figure"
    return f"{abs(ratio - 1):.1%} {side} the {ref} figure"


def _difference(a: float, b: float, percent: bool) -> str:
    if percent:
        return f"{abs(a - b):.1f} percentage points"
    return f"{abs(a - b) / abs(b):.1%}" if b else number(abs(a - b))


def gap(claim: StoredClaim, check: StoredCheck) -> Gap | None:
    """The claim against the check's expected figure, when both are numbers in one unit
    (a vague word such as "massive" or "hundreds of times" has no gap to state). Shown
    in the claim's own unit when the cited figure is in it (pounds against CBP's
    pounds), else in the unit both were compared in."""
    value, expected = claim.normalized_value, check.expected
    if value is None or expected is None or expected == 0:
        return None
    if claim.qualifier == "vague" or claim.dimension == "magnitude":
        return None
    if not _comparable(claim.normalized_unit, check.unit):
        return None
    ref = "official" if check.check == "official" else "expected"
    cited = next((c for c in check.citations if c.kind == "official" and c.value is not None), None)
    if cited is not None and cited.value is not None and claim.unit and cited.unit == claim.unit:
        claimed, official = _with_unit(claim.value, claim.unit), _with_unit(cited.value, cited.unit)
    else:
        claimed = _with_unit(value, claim.normalized_unit)
        official = _with_unit(expected, check.unit)
    return Gap(
        claimed=f"the claim's {claimed}",
        official=f"the {ref} {official}",
        relation=_relation(value, expected, claim.qualifier, check.unit == "percent", ref),
    )


def _reading(citation: Citation) -> Reading:
    if citation.kind == "official":
        if citation.release and citation.line:
            query = urlencode({"release": citation.release, "line": citation.line})
            href = f"/observations?{query}"
        else:
            href = "/data?" + urlencode({"source": citation.source or ""})
        value = _with_unit(citation.value, citation.unit) if citation.value is not None else None
        where = ", ".join(
            p for p in (citation.release, f"line {citation.line}" if citation.line else "") if p
        )
        detail = "; ".join(p for p in (value, where) if p) or None
        return Reading("official", citation.label, href, detail)
    if citation.kind == "document" and citation.document_id:
        anchor = f"#at-{citation.start}" if citation.start is not None else ""
        return Reading("document", citation.label, f"/documents/{citation.document_id}{anchor}",
                       citation.quote if citation.quote != citation.label else None)  # fmt: skip
    return Reading("model", citation.label, "/model", None)


def summarise(view: ClaimView) -> ClaimSummary:
    """The claim page's lead, from its stored claim and headline check."""
    claim, check = view.claim, view.headline
    info = KIND_INFO.get(check.verdict) if check else None
    readings = tuple(_reading(c) for c in check.citations) if check else ()
    found_gap = gap(claim, check) if check else None
    caveat = _caveat(check)
    label = info.label if info else "unchecked"
    who = f"the figure attributed to {claim.speaker}" if claim.speaker else "the figure"
    parts = [f"{label[:1].upper()}{label[1:]}: {who}, “{claim.text}”"]
    official = next((r for r in readings if r.kind == "official"), None)
    if found_gap is not None:
        against = f" ({official.label})" if official else ""
        parts.append(f", against {found_gap.official}{against}")
        parts.append(f": {found_gap.relation}.")
    elif check is None:
        parts.append(": no check applies to this kind of figure.")
    else:
        parts.append(f". {check.explanation}" if not caveat else ".")
    return ClaimSummary(
        verdict=check.verdict if check else None,
        label=label,
        meaning=info.meaning if info else "no check applies to this figure",
        attributed_to=claim.speaker,
        readings=readings,
        gap=found_gap,
        caveat=caveat,
        explanation=check.explanation if check else None,
        line="".join(parts),
    )
