"""Does a stated figure agree with a computed one, given how it was stated?

A figure is read as its qualifier says ("more than 2,000%" is any value above 2,000) and as
precise as it was written ("2 pounds" covers 1.5 to 2.5; "34.82 pounds" 34.815 to 34.825).
"""

from __future__ import annotations

import math
import re
from typing import Literal

from borderflow.records.claims import StoredClaim
from borderflow.records.verdicts import VerdictKind

Agreement = Literal["exact", "rounding", "near", "no"]
NEAR = 0.10
# "About 21,100": the written precision plus this share of the figure.
LOOSE = 0.02
_NUMBER = re.compile(
    r"\d{1,3}(?:[,\u00a0 ]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
)  # within 10%: the figure is right in substance but loosely stated


def rounding_step(text_value: float, written: str | None = None) -> float:
    """Half the unit of the last written digit: '34.82' -> 0.005, '2' -> 0.5, '26,693' -> 0.5,
    '21,100' -> 50, '95 million' -> 0.5 million."""
    match = _NUMBER.search(written or "")
    if match:
        number = match.group().replace(",", "").replace("\u00a0", "").replace(" ", "")
        base = float(number)
        scale = text_value / base if base else 1.0
        if "." in number:
            unit = 10.0 ** -len(number.split(".", 1)[1])
        else:
            # "21,100" is read to the hundred, "9,590" to the ten: trailing zeros of a whole
            # number are where its writer rounded, not digits measured.
            zeros = len(number) - len(number.rstrip("0")) if number.strip("0") else 0
            # ...but "100,000" is not "anything from 50,000 to 150,000": at most a tenth.
            unit = min(10.0**zeros, max(1.0, 0.1 * float(number)))
        return 0.5 * unit * scale
    magnitude = 10 ** math.floor(math.log10(abs(text_value))) if text_value else 1.0
    return 0.5 * magnitude


def agree(stated: float, actual: float, qualifier: str, step: float) -> Agreement:
    """How well `actual` fits the stated figure read with its qualifier."""
    if qualifier in ("more_than", "at_least"):
        ok = actual > stated if qualifier == "more_than" else actual >= stated
        return "exact" if ok else ("near" if actual >= stated * (1 - NEAR) else "no")
    if qualifier in ("less_than", "at_most"):
        ok = actual < stated if qualifier == "less_than" else actual <= stated
        return "exact" if ok else ("near" if actual <= stated * (1 + NEAR) else "no")
    if qualifier == "vague":
        return "exact" if stated <= actual < stated * 10 else "no"
    if math.isclose(actual, stated, rel_tol=1e-9, abs_tol=1e-12):
        return "exact"
    if abs(actual - stated) <= step + 1e-12:
        return "rounding"
    relative = abs(actual - stated) / max(abs(stated), 1e-12)
    if qualifier == "approx" and abs(actual - stated) <= step + LOOSE * abs(stated):
        return "rounding"
    return "near" if relative <= NEAR else "no"


_ONLY = re.compile(r"(?i)\b(?:only|just|merely|a\s+mere|barely)\s+$")
_JUST_OVER = re.compile(
    r"(?i)\b(?:just|slightly|barely|a\s+little)\s+(?:over|above|more\s+than|under|below|less\s+than)\b"
)


def effective_qualifier(claim: StoredClaim, emphasis: bool = True) -> str:
    """The qualifier a check reads: "only 2 percent" and "just 43 pounds" say the figure is
    at most that (the writer stresses smallness), so they are judged as upper bounds; "just
    over 9 pounds" is about 9."""
    if claim.qualifier in ("more_than", "less_than", "at_least", "at_most"):
        at, end = claim.in_sentence()
        if _JUST_OVER.search(claim.sentence[max(0, at - 20) : end]):
            return "approx"  # "just over 9 pounds" is about 9, not any amount above it
    if claim.qualifier != "exact" or not emphasis:
        return claim.qualifier
    at, end = claim.in_sentence()
    if end > at > 0 and _ONLY.search(claim.sentence, max(0, at - 12), at):
        return "at_most"
    return claim.qualifier


def agree_claim(claim: StoredClaim, actual: float, emphasis: bool = True) -> Agreement:
    """`agree` for a stored claim in its normalised unit; a range ("between 40 and 50 kg")
    agrees when the figure falls inside it. Without `emphasis`, "just 43 pounds" is read as
    the figure itself rather than as an upper bound."""
    stated = float(claim.normalized_value or 0.0)
    value = float(claim.value) or 1.0
    factor = stated / value
    if claim.value_max is not None:
        high = float(claim.value_max) * factor
        if stated <= actual <= high:
            return "exact"
        gap = min(abs(actual - stated), abs(actual - high))
        return "near" if gap <= NEAR * high else "no"
    return agree(
        stated,
        actual,
        effective_qualifier(claim, emphasis),
        rounding_step(value, claim.text) * factor,
    )


def verdict_for(grade: Agreement) -> VerdictKind:
    """The verdict a comparison earns: within rounding is supported, within 10% carries a
    caveat, anything further is contradicted."""
    if grade in ("exact", "rounding"):
        return VerdictKind.SUPPORTED
    return VerdictKind.SUPPORTED_WITH_CAVEAT if grade == "near" else VerdictKind.CONTRADICTED


def agrees(grade: Agreement) -> bool:
    """Within rounding of the stated figure, read with its qualifier."""
    return grade in ("exact", "rounding")
