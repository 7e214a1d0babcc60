"""Totals against the items listed with them, and one amount stated in two units.

"Half a ton of chemicals: 300 kg of X, 150 kg of Y and 50 kg of Z", "2,900 litres, including
2,000 of ..., 600 of ... and 300 of ...", "4.9 kg ... included 4.1 kg ... That left 0.8 kg":
a total is supported when a run of the figures after it adds up to it within the precision
the total was written to (a total in words, "half a ton", is read as approximate). A total
split in two settles both parts (each is the total less the other); longer lists only show
the items consistent with the total, so only the total is judged. Items
that do not add up are left alone: a list may be partial, so a shortfall proves nothing.
"43 pounds (19.5 kilograms)": the second figure restates the first, and must convert to it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from borderflow.checks.model import Citation, Verdict, VerdictKind
from borderflow.checks.tolerance import agree, agrees, rounding_step, verdict_for
from borderflow.records.claims import StoredClaim

_ADDABLE = ("mass", "volume", "count", "currency")
_BOUNDS = frozenset({"more_than", "at_least", "less_than", "at_most"})
_MAX_ITEMS = 5
_REACH = 600  # characters from a total to the last of its items
_RESTATED = re.compile(r"^\s*(?:\(|,?\s*or\s+(?:about\s+|roughly\s+|nearly\s+)?)\s*$")
_DIGIT = re.compile(r"\d")


def _value(claim: StoredClaim) -> float:
    return float(claim.normalized_value or 0.0)


def _step(claim: StoredClaim) -> float:
    """Half the last written digit, in the normalised unit; nothing for a count in words
    ("nine men"), which is exact."""
    if claim.dimension == "count" and not _DIGIT.search(claim.text):
        return 0.0
    value = float(claim.value) or 1.0
    return rounding_step(value, claim.text) * _value(claim) / value


def _cite(claim: StoredClaim) -> Citation:
    return Citation.of_claim(claim)


def _adds_up(total: StoredClaim, items: Sequence[StoredClaim]) -> bool:
    summed = sum(_value(c) for c in items)
    qualifier = total.qualifier if _DIGIT.search(total.text) else "approx"
    step = max(_step(total), sum(_step(c) for c in items))
    return agrees(agree(_value(total), summed, qualifier, step))


def _items_after(total: StoredClaim, claims: Sequence[StoredClaim], at: int) -> list[StoredClaim]:
    """The figures after `total` that may be its parts: of its kind and unit, not a
    restatement of the figure before them ("10.4 pounds (4.71 kilograms)"), and not of
    another drug or period than the total's when both are stated."""
    out: list[StoredClaim] = []
    previous = total
    for claim in claims[at + 1 :]:
        if claim.start - total.end > _REACH or len(out) == _MAX_ITEMS:
            break
        restates = _restates(previous, claim)
        previous = claim
        if restates or not _same_kind(total, claim):
            continue
        if claim.dimension == total.dimension and claim.normalized_unit == total.normalized_unit:
            out.append(claim)
    return out


def _restates(first: StoredClaim, second: StoredClaim) -> bool:
    """Whether `second` gives `first` again in another unit, right after it."""
    if first.sentence != second.sentence or first.unit == second.unit:
        return False
    at = first.in_sentence()[1]
    return bool(_RESTATED.match(first.sentence[at : first.sentence.find(second.text, at)]))


def _same_kind(total: StoredClaim, item: StoredClaim) -> bool:
    """An item of another drug than the total ("drugs" holds them all), or of a period
    outside the total's, is no part of it."""
    if item.substance not in (None, total.substance) and total.substance not in (None, "drugs"):
        return False
    first, last = total.period_start, total.period_end
    start, end = item.period_start, item.period_end
    if first is None or last is None or start is None or end is None:
        return True
    return first <= start and end <= last


def parts_and_total(claims: Sequence[StoredClaim]) -> list[Verdict]:
    """Each total that a run of two to five later figures of its kind adds up to."""
    out: list[Verdict] = []
    judged: set[int] = set()
    for at, total in enumerate(claims):
        if total.dimension not in _ADDABLE or not total.normalized_value or total.id in judged:
            continue
        if total.qualifier in _BOUNDS:
            continue  # "more than 21,000 pounds": any larger sum would agree, proving nothing
        following = _items_after(total, claims, at)
        for first in range(len(following)):
            run = next(
                (following[first:end] for end in range(len(following), first + 1, -1)
                 if _adds_up(total, following[first:end])),
                None,
            )  # fmt: skip
            if run is not None:
                out += _verdicts(total, run)
                judged |= {total.id, *(c.id for c in run)}
                break
    return out


def _verdicts(total: StoredClaim, items: Sequence[StoredClaim]) -> list[Verdict]:
    listed = " + ".join(c.text for c in items)
    unit = total.normalized_unit
    cites = [_cite(total), *(_cite(c) for c in items)]
    summed = sum(_value(c) for c in items)
    out = [
        Verdict(
            total.id, "arithmetic", VerdictKind.SUPPORTED, 0.75,
            f"{listed} = {summed:,.6g} {unit}, consistent with the total {total.text}.",
            expected=summed, unit=unit, citations=cites,
        )
    ]  # fmt: skip
    if len(items) != 2:
        return out  # three or more items: each is only consistent, not settled, by the sum
    out += [
        Verdict(
            item.id, "arithmetic", VerdictKind.SUPPORTED, 0.7,
            f"{listed} add up to the total stated with them, {total.text}.",
            expected=item.normalized_value, unit=unit, citations=cites,
        )
        for item in items
    ]  # fmt: skip
    return out


def restated_units(claims: Sequence[StoredClaim]) -> list[Verdict]:
    """ "43 pounds (19.5 kilograms)", "20 kg, or 44 pounds": the restatement must convert."""
    out = []
    for first, second in itertools.pairwise(claims):
        if (
            first.dimension not in ("mass", "volume")
            or second.dimension != first.dimension
            or not first.normalized_value
            or not _restates(first, second)
        ):
            continue
        step = max(_step(first), _step(second))
        grade = agree(_value(second), _value(first), "exact", step)
        if grade == "near":
            grade = "rounding"  # a conversion rounded once more is still the same amount
        out.append(
            Verdict(
                second.id, "arithmetic", verdict_for(grade), 0.85,
                f"{first.text} is {_value(first):,.4g} {first.normalized_unit}; the text "
                f"restates it as {second.text}.",
                expected=_value(first), unit=first.normalized_unit,
                citations=[_cite(first), _cite(second)],
            )
        )  # fmt: skip
    return out
