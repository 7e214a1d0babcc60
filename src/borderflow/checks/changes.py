"""Changes stated with the figures they compare, in the phrasings reporting uses.

"Deaths fell 12.4 percent from 96,200 to 84,300", "84,300 deaths, a 12.4 percent decline
from 96,200", "rose by 30% to 1,300 pounds from 1,000", "12,000 fewer than the 96,200 the
year before": the stated change is recomputed from the two figures, and its direction is
held against the words ("rose" when the figures fell is wrong whatever the size). Which
figure is the base is read from the words ("from 96,200", "than", the earlier period), not
from the order in the sentence. A change between periods of unequal length ("the first two
months of 2025 against the last four of 2024") is `misleading` however the sum is done:
the explanation gives both figures per month.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from borderflow.checks.model import Citation, Verdict, VerdictKind
from borderflow.checks.tolerance import agree, effective_qualifier, rounding_step, verdict_for
from borderflow.records.claims import StoredClaim

_DOWN = re.compile(
    r"(?i)\b(?:decreas\w*|declin\w*|drop\w*|fell|fall\w*|down|lower|fewer|less|dip\w*|"
    r"plung\w*|plummet\w*|slid|slump\w*|shrank|shrunk|cut|reduc\w*)\b"
)
_UP = re.compile(
    r"(?i)\b(?:increas\w*|rise|rises|rising|rose|risen|jump\w*|surg\w*|grew|grow\w*|up|"
    r"higher|more|climb\w*|soar\w*|spik\w*|doubl\w*|tripl\w*)\b"
)
# The word that marks a change's base: "from 96,200", "than", "compared with", and "down
# 40% on January's 990 pounds".
_BASE_BEFORE = re.compile(
    r"(?i)\b(?:from|than|compared\s+(?:with|to)|versus|vs\.?)\s+(?:the\s+|\w+['’]s\s+)?$"
    r"|\bon\s+(?:the\s+|\w+['’]s\s+)$"
)
_DIFFERENCE_AFTER = re.compile(r"(?i)^\s*(?:\w+\s+){0,2}?(?:fewer|more|less|lower|higher)\b")
_FIGURES = ("mass", "count", "currency", "volume")
# A partial period the text marks as such ("so far this year") is compared honestly.
_SO_FAR = re.compile(r"(?i)\b(?:so\s+far|to\s+date|year[\s-]to[\s-]date|already)\b")
# Words that set two totals against each other (a bare "from" or "and" does not).
_COMPARED = re.compile(r"(?i)\b(?:compared\s+(?:with|to)|versus|vs\.?|against|than)\b")
# Periods whose lengths differ by more than this share are not comparable as totals.
_UNEQUAL = 0.25
# A stated change this many times off the one computed says the pairing of figures is wrong
# (an index name, a figure from another clause), not the arithmetic: no verdict.
_IMPLAUSIBLE = 20.0
# Two figures a thousand times apart are not two states of one quantity.
_SPREAD = 1000.0


def _position(claim: StoredClaim) -> int:
    at = claim.sentence.find(claim.text)
    return max(at, 0)


def _before(claim: StoredClaim, width: int = 24) -> str:
    at = _position(claim)
    return claim.sentence[max(0, at - width) : at]


def _cite(claim: StoredClaim) -> Citation:
    return Citation.of_claim(claim)


def _value(claim: StoredClaim) -> float:
    return float(claim.normalized_value or 0.0)


def _days(claim: StoredClaim) -> int | None:
    if claim.period_start and claim.period_end:
        return (claim.period_end - claim.period_start).days + 1
    return None


def _figures(change: StoredClaim, claims: Sequence[StoredClaim]) -> list[StoredClaim]:
    """The figures a change can compare: same sentence, a comparable dimension."""
    return [
        c
        for c in claims
        if c is not change
        and c.sentence == change.sentence
        and c.dimension in _FIGURES
        and c.normalized_value
    ]


def base_and_new(figures: Sequence[StoredClaim]) -> tuple[StoredClaim, StoredClaim] | None:
    """The two figures a change compares, base first: the base is the one a word marks
    ("from 96,200", "than", "compared with"). Without such a word, or when the figures are
    too far apart to be two states of one quantity, none: a change is judged only against
    figures the sentence ties to it."""
    by_unit: dict[str | None, list[StoredClaim]] = {}
    for claim in figures:
        if claim.value_max is None:  # a range is no single figure to compare
            by_unit.setdefault(claim.normalized_unit, []).append(claim)
    pairs = [group for group in by_unit.values() if len(group) == 2]
    if len(pairs) != 1:
        return None
    a, b = sorted(pairs[0], key=_position)
    ratio = _value(b) / _value(a) if _value(a) else 0.0
    if not 1 / _SPREAD < ratio < _SPREAD:
        return None  # "AUD3.2m" and "4.5c a share" are not two states of one quantity
    a_base, b_base = (_BASE_BEFORE.search(_before(c)) is not None for c in (a, b))
    if b_base and not a_base:
        return b, a
    if a_base:
        return a, b
    return None  # no word marks a base: the two figures may not be compared at all


def direction_of(change: StoredClaim) -> int:
    """+1 for a rise, -1 for a fall, 0 when the words around the change do not say."""
    at = _position(change)
    window = change.sentence[max(0, at - 30) : at + len(change.text) + 30]
    down, up = _DOWN.search(window), _UP.search(window)
    if down and not up:
        return -1
    if up and not down:
        return 1
    return 0


def _unequal(base: StoredClaim, new: StoredClaim) -> tuple[int, int] | None:
    first, second = _days(base), _days(new)
    if first is None or second is None:
        return None
    short, long = sorted((first, second))
    return (first, second) if (long - short) / long > _UNEQUAL else None


def _misleading_periods(
    change: StoredClaim, base: StoredClaim, new: StoredClaim, days: tuple[int, int]
) -> Verdict:
    per_month = [_value(c) / d * 30.44 for c, d in ((base, days[0]), (new, days[1]))]
    unit = base.normalized_unit or ""
    change_rate = (per_month[1] - per_month[0]) / per_month[0] * 100 if per_month[0] else 0.0
    return Verdict(
        change.id, "arithmetic", VerdictKind.MISLEADING, 0.8,
        f"The change compares periods of unequal length: {base.text} over {days[0]} days "
        f"({_span(base)}) and {new.text} over {days[1]} days ({_span(new)}). Per month that "
        f"is {per_month[0]:,.4g} against {per_month[1]:,.4g} {unit}, a change of "
        f"{change_rate:+,.1f}%.",
        expected=change_rate, unit="percent", citations=[_cite(base), _cite(new), _cite(change)],
    )  # fmt: skip


def _span(claim: StoredClaim) -> str:
    start, end = claim.period_start, claim.period_end
    return f"{start}..{end}" if isinstance(start, date) and isinstance(end, date) else "?"


def percent_change(claims: Sequence[StoredClaim]) -> list[Verdict]:
    """A change in percent stated in the same sentence as the two figures it compares."""
    out = []
    changes = [c for c in claims if c.dimension == "percent" and c.measure == "change"]
    for change in changes:
        if sum(1 for c in changes if c.sentence == change.sentence) > 1:
            continue  # several changes in one sentence: which figures each compares is unclear
        pair = base_and_new(_figures(change, claims))
        if pair is None:
            continue
        base, new = pair
        days = _unequal(base, new)
        if days is not None:
            out.append(_misleading_periods(change, base, new, days))
            continue
        computed = (_value(new) - _value(base)) / _value(base) * 100
        if _plausible(float(change.value), computed):
            out.append(_judge_change(change, base, new, computed))
    return out


def _step(claim: StoredClaim) -> float:
    value = float(claim.value) or 1.0
    return rounding_step(value, claim.text) * _value(claim) / value


def _within_rounding(stated: float, base: StoredClaim, new: StoredClaim, written: str) -> bool:
    """Whether the stated change is one the two figures allow as written: "from roughly
    21,100 to about 11,500" spans every change their rounding permits."""
    changes = [
        abs((n - b) / b * 100)
        for b in (_value(base) - _step(base), _value(base) + _step(base))
        for n in (_value(new) - _step(new), _value(new) + _step(new))
        if b > 0
    ]
    step = rounding_step(stated, written)
    return bool(changes) and min(changes) <= stated + step and stated - step <= max(changes)


def _plausible(stated: float, computed: float) -> bool:
    small, large = sorted((abs(stated), abs(computed)))
    return small > 0 and large / small < _IMPLAUSIBLE


def _judge_change(
    change: StoredClaim, base: StoredClaim, new: StoredClaim, computed: float
) -> Verdict:
    stated = float(change.value)
    said = direction_of(change)
    if not said and stated >= 0 and computed < 0:
        # No rise or fall named, no sign, and the figures fall: the percentage may be no
        # change between them at all ("21,148 pounds at the Mexican border, about 96.6%"
        # is a share of the total). Judging its direction would be a confident guess.
        return Verdict(
            change.id, "arithmetic", VerdictKind.UNVERIFIABLE, 0.6,
            f"The text gives {change.text} near {base.text} and {new.text} but names no rise "
            "or fall, so it may not be a change from one to the other (it could be a share "
            "of a total); it is not judged as one.",
            citations=[_cite(base), _cite(new), _cite(change)],
        )  # fmt: skip
    direction = said or (1 if stated >= 0 else -1)
    if stated < 0:
        direction, stated = -1, -stated
    wrong_way = computed != 0 and (computed > 0) != (direction > 0)
    grade = agree(stated, abs(computed), effective_qualifier(change),
                  rounding_step(stated, change.text))  # fmt: skip
    if grade in ("near", "no") and _within_rounding(stated, base, new, change.text):
        grade = "rounding"
    kind = VerdictKind.CONTRADICTED if wrong_way else verdict_for(grade)
    words = "rise" if computed > 0 else "fall"
    reason = (
        f"From {base.text} to {new.text} is a {words} of {abs(computed):,.1f}%; the text says "
        f"{change.text}" + (", in the other direction." if wrong_way else ".")
    )
    return Verdict(
        change.id, "arithmetic", kind, 0.9, reason, expected=abs(computed), unit="percent",
        citations=[_cite(base), _cite(new), _cite(change)],
    )  # fmt: skip


def is_difference(claim: StoredClaim) -> bool:
    """ "12,000 fewer", "3,000 more than": the figure is a gap between two others, not a
    level, so no series of levels can judge it."""
    at = _position(claim) + len(claim.text)
    return _DIFFERENCE_AFTER.match(claim.sentence[at : at + 30]) is not None


def differences(claims: Sequence[StoredClaim]) -> list[Verdict]:
    """ "12,000 fewer than the 96,200 of 2023": a stated difference against its two figures."""
    out = []
    for diff in claims:
        if diff.dimension not in _FIGURES or not diff.normalized_value:
            continue
        if not is_difference(diff):
            continue
        others = [c for c in _figures(diff, claims) if c.normalized_unit == diff.normalized_unit]
        if len(others) != 2:
            continue
        a, b = others
        gap = abs(_value(a) - _value(b))
        stated = _value(diff)
        step = rounding_step(float(diff.value), diff.text) * stated / (float(diff.value) or 1.0)
        if not _plausible(stated, gap):
            continue
        grade = agree(stated, gap, effective_qualifier(diff), step)
        out.append(
            Verdict(
                diff.id,
                "arithmetic",
                verdict_for(grade),
                0.85,
                f"{a.text} and {b.text} differ by {gap:,.6g}; the text says {diff.text}.",
                expected=gap,
                unit=diff.normalized_unit,
                citations=[_cite(a), _cite(b), _cite(diff)],
            )
        )
    return out


def unequal_periods(claims: Sequence[StoredClaim]) -> list[Verdict]:
    """Two totals of one quantity set side by side for periods of unequal length, with no
    percentage stated: the comparison itself misleads (the later figure carries the
    verdict)."""
    out = []
    changes = {c.sentence for c in claims if c.measure == "change" and c.dimension == "percent"}
    for sentence in {c.sentence for c in claims} - changes:
        members = [c for c in claims if c.sentence == sentence and c.dimension in ("mass", "count")
                   and c.normalized_value]  # fmt: skip
        pair = base_and_new(members)
        if pair is None or not _COMPARED.search(sentence) or _SO_FAR.search(sentence):
            continue
        if not (_DOWN.search(sentence) or _UP.search(sentence)):
            continue  # set side by side without a rise or fall claimed: nothing misleads
        base, new = pair
        days = _unequal(base, new)
        if days is not None:
            out.append(_misleading_periods(new, base, new, days))
    return out
