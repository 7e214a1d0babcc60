"""Checks a document can fail on its own: its arithmetic and its dose conversions.

- Percent change: "from 2 pounds in 2023 to 43 pounds in 2024 — a more than 2,000% increase".
- Parts and total: "4.9 kg ... included 4.1 kg ... That left 0.8 kg".
- Doses: a dose count next to a mass implies milligrams per dose, compared with the
  conventional potentially lethal dose (2 mg, conventions.yaml).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from borderflow.checks.model import Citation, Verdict, VerdictKind
from borderflow.checks.tolerance import agree, rounding_step, verdict_for
from borderflow.records.claims import StoredClaim

_INCREASE = ("increase", "rise", "rose", "jump", "surge", "grew", "growth", "up ")
_DECREASE = ("decrease", "decline", "drop", "fell", "fall", "down ")


def _value(claim: StoredClaim) -> float:
    """The claim's figure in its normalised unit (the checks here read only claims that
    have one)."""
    return float(claim.normalized_value or 0.0)


def _cite(claim: StoredClaim) -> Citation:
    return Citation.of_claim(claim)


def percent_change(claims: Sequence[StoredClaim]) -> list[Verdict]:
    """A change in percent stated in the same sentence as the two figures it compares."""
    out = []
    for claim in claims:
        if claim.dimension != "percent" or claim.measure != "change":
            continue
        same = [
            c
            for c in claims
            if c.sentence == claim.sentence
            and c is not claim
            and c.dimension in ("mass", "count", "currency", "volume")
            and c.start < claim.start
        ]
        pairs = [
            (a, b)
            for a, b in itertools.pairwise(same)
            if a.normalized_unit == b.normalized_unit and a.normalized_value
        ]
        if not pairs:
            continue
        a, b = pairs[-1]
        change = (_value(b) - _value(a)) / _value(a) * 100
        words = claim.sentence.lower()
        if any(w in words for w in _DECREASE) and not any(w in words for w in _INCREASE):
            change = -change
        stated = float(claim.value)
        grade = agree(stated, abs(change), claim.qualifier, rounding_step(stated, claim.text))
        verdict = verdict_for(grade)
        out.append(
            Verdict(
                claim.id,
                "arithmetic",
                verdict,
                0.9,
                f"From {a.text} to {b.text} is a change of {change:+,.1f}%; the text says "
                f"{claim.text}.",
                expected=abs(change),
                unit="percent",
                citations=[_cite(a), _cite(b), _cite(claim)],
            )
        )
    return out


def per_day_per_year(claims: Sequence[StoredClaim]) -> list[Verdict]:
    """A rate ("about 22 deaths a day") stated next to the count it restates ("8,020 deaths
    in 2023"): the count over its period's days should give the rate."""
    out = []
    for rate in claims:
        if rate.dimension != "rate" or not rate.normalized_value:
            continue
        noun = (rate.unit or "").split("/")[0]
        counts = [
            c
            for c in claims
            if c.sentence == rate.sentence
            and c is not rate
            and c.dimension == "count"
            and c.unit == noun
            and c.period_start
            and c.normalized_value
        ]
        if not counts:
            continue
        count = counts[0]
        if count.period_start is None or count.period_end is None:
            continue
        days = (count.period_end - count.period_start).days + 1
        per_year = _value(count) / days * 365.25
        stated = float(rate.normalized_value)
        step = rounding_step(float(rate.value), rate.text) * stated / float(rate.value)
        grade = agree(stated, per_year, rate.qualifier, step)
        verdict = verdict_for(grade)
        per_unit = per_year / (stated / float(rate.value))
        out.append(
            Verdict(
                rate.id,
                "arithmetic",
                verdict,
                0.8,
                f"{count.text} over {days} days is {per_unit:,.1f} "
                f"{noun} per {(rate.unit or '/').split('/')[1]}; the text says "
                f"{rate.text}.",
                expected=per_year,
                unit=f"{noun}/year",
                citations=[_cite(count), _cite(rate)],
            )
        )
    return out


def parts_and_total(claims: Sequence[StoredClaim]) -> list[Verdict]:
    """A figure that two later figures of the same paragraph add up to (within rounding)."""
    out = []
    masses = [c for c in claims if c.dimension == "mass" and c.normalized_value]
    for i, total in enumerate(masses):
        later = masses[i + 1 : i + 4]
        for j, part in enumerate(later):
            for other in later[j + 1 :]:
                step = rounding_step(float(total.value), total.text)
                summed = _value(part) + _value(other)
                if agree(_value(total), summed, "exact", step) in ("exact", "rounding"):
                    for piece in (part, other):
                        out.append(
                            Verdict(
                                piece.id,
                                "arithmetic",
                                VerdictKind.SUPPORTED,
                                0.6,
                                f"{part.text} and {other.text} add up to the total stated "
                                f"with them, {total.text}.",
                                expected=piece.normalized_value,
                                unit="kg",
                                citations=[_cite(total), _cite(part), _cite(other)],
                            )
                        )
                    out.append(
                        Verdict(
                            total.id,
                            "arithmetic",
                            VerdictKind.SUPPORTED,
                            0.7,
                            f"{part.text} + {other.text} = {summed:g} kg, consistent with "
                            f"the total {total.text}.",
                            expected=summed,
                            unit="kg",
                            citations=[_cite(total), _cite(part), _cite(other)],
                        )
                    )
    return out


def _dose_source(claim: StoredClaim, claims: Sequence[StoredClaim]) -> StoredClaim | None:
    """The fentanyl mass a dose count converts: the nearest one stated before it, close by.
    Pills are counted as seized, not converted from a mass, so they have none."""
    if claim.measure != "doses" or claim.normalized_unit != "doses":
        return None
    if any(word in claim.text.lower() for word in ("pill", "tablet")):
        return None
    masses = [
        c
        for c in claims
        if c.dimension == "mass"
        and c.substance == "fentanyl"
        and c.start < claim.start
        and claim.start - c.end < 400
        and c.normalized_value
    ]
    return masses[-1] if masses else None


def doses(claims: Sequence[StoredClaim], lethal_dose_mg: float) -> list[Verdict]:
    """Dose counts against the fentanyl mass they are said to come from, at the
    conventional potentially lethal dose."""
    out = []
    for claim in claims:
        mass = _dose_source(claim, claims)
        if mass is None:
            continue
        kg = _value(mass)
        implied_mg = kg * 1e6 / float(claim.value)
        conventional = kg * 1e6 / lethal_dose_mg
        facts = (
            f"{mass.text} at {lethal_dose_mg:g} mg a dose (DEA) is about "
            f"{conventional:,.0f} doses; {claim.text} implies {implied_mg:.2f} mg a dose"
        )
        if "precursor" in claim.sentence.lower():
            verdict, reading = (
                VerdictKind.SUPPORTED_WITH_CAVEAT,
                (
                    f"{facts}. The count includes precursors, which are not doses "
                    "until made into fentanyl."
                ),
            )
        elif implied_mg < lethal_dose_mg / 2:
            verdict, reading = (
                VerdictKind.MISLEADING,
                (
                    f"{facts}: more doses than the fentanyl seized can make (other "
                    "reports count the precursors too)."
                ),
            )
        else:
            verdict, reading = VerdictKind.SUPPORTED, f"{facts}."
        out.append(
            Verdict(
                claim.id,
                "doses",
                verdict,
                0.7,
                reading,
                expected=conventional,
                unit="doses",
                citations=[_cite(mass), _cite(claim)],
            )
        )
    return out
