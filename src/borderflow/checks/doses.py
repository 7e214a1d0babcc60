"""Dose counts against the fentanyl mass they are said to come from.

"54 kilograms, enough for 95 million doses", "enough to kill 500,000 people": the count
implies so many milligrams a dose, held against the conventional potentially lethal dose
(2 mg, vocab/conventions.yaml). Near the convention the figure is supported; far above it
the count is conservative (a caveat says so); well below it the count claims more doses
than the fentanyl can make, which misleads unless the text says precursors are counted. A
precursor mass given as lethal doses misleads whatever the arithmetic.
Pills are counted as seized, not converted from a mass, so they are not judged here.
"""

from __future__ import annotations

from collections.abc import Sequence

from borderflow.checks.model import Citation, Verdict, VerdictKind
from borderflow.records.claims import StoredClaim

_DOSE_UNITS = frozenset({"doses", "people"})
_REACH = 400  # characters: a dose count converts a mass stated just before it
# Implied dose over the convention: inside [_CLOSE_LOW, _CLOSE_HIGH] it is the convention
# within the rounding such counts use; below _MISLEADING it claims twice the doses or more.
_CLOSE_LOW, _CLOSE_HIGH, _MISLEADING = 0.75, 1.5, 0.5
# Beyond these the mass paired with the count is probably not the one it converts (another
# seizure in the paragraph): no verdict.
_PAIRING_LOW, _PAIRING_HIGH = 0.02, 20.0


def dose_source(claim: StoredClaim, claims: Sequence[StoredClaim]) -> StoredClaim | None:
    """The fentanyl (or precursor) mass a dose count converts: the nearest one before it, or
    an unnamed mass in the dose count's own sentence ("the 3 kilograms found ... could have
    killed 1.5 million people")."""
    if claim.measure != "doses" or (claim.normalized_unit or "") not in _DOSE_UNITS:
        return None
    if any(word in claim.text.lower() for word in ("pill", "tablet")):
        return None
    masses = [
        c
        for c in claims
        if c.dimension == "mass"
        and (
            c.substance in ("fentanyl", "fentanyl precursors")
            or (c.substance is None and c.sentence == claim.sentence)
        )
        and c.start < claim.start
        and claim.start - c.end < _REACH
        and c.normalized_value
    ]
    same_sentence = [c for c in masses if c.sentence == claim.sentence]
    chosen = same_sentence or masses
    fentanyl = [c for c in chosen if c.substance == "fentanyl"]
    if fentanyl and "fentanyl" in claim.sentence.lower():
        chosen = fentanyl  # "the fentanyl seized represents...": not the precursors beside it
    return chosen[-1] if chosen else None


def _judge(ratio: float, precursors: bool, precursor_mass: bool) -> tuple[VerdictKind, str]:
    if precursor_mass:
        return VerdictKind.MISLEADING, (
            "The mass is of precursor chemicals, not fentanyl: they make doses only once "
            "synthesised, at a yield the text does not give."
        )
    if precursors:
        return VerdictKind.SUPPORTED_WITH_CAVEAT, (
            "The count includes precursors, which are not doses until made into fentanyl."
        )
    if ratio < _MISLEADING:
        return VerdictKind.MISLEADING, (
            f"That is {1 / ratio:.1f} times the doses the convention gives: more than the "
            "fentanyl seized can make (some reports count the precursors too)."
        )
    if ratio < _CLOSE_LOW:
        return VerdictKind.SUPPORTED_WITH_CAVEAT, (
            f"The implied dose is {ratio:.0%} of the convention: a generous count."
        )
    if ratio > _CLOSE_HIGH:
        return VerdictKind.SUPPORTED_WITH_CAVEAT, (
            f"The implied dose is {ratio:.1f} times the convention: a conservative count."
        )
    return VerdictKind.SUPPORTED, "That is the convention, within rounding."


def doses(claims: Sequence[StoredClaim], lethal_dose_mg: float) -> list[Verdict]:
    """Every dose count with a mass before it, against the conventional lethal dose."""
    out = []
    for claim in claims:
        mass = dose_source(claim, claims)
        if mass is None or not claim.value:
            continue
        kg = float(mass.normalized_value or 0.0)
        implied_mg = kg * 1e6 / float(claim.value)
        conventional = kg * 1e6 / lethal_dose_mg
        precursor_mass = mass.substance == "fentanyl precursors"
        precursors = "precursor" in claim.sentence.lower()
        ratio = implied_mg / lethal_dose_mg
        if not _PAIRING_LOW <= ratio <= _PAIRING_HIGH:
            continue
        kind, reading = _judge(ratio, precursors, precursor_mass)
        out.append(
            Verdict(
                claim.id,
                "doses",
                kind,
                0.85,
                f"{mass.text} at {lethal_dose_mg:g} mg a dose (the DEA's potentially lethal "
                f"dose) is about {conventional:,.0f} doses; {claim.text} implies "
                f"{implied_mg:.2f} mg a dose. {reading}",
                expected=conventional,
                unit="doses",
                citations=[Citation.of_claim(mass), Citation.of_claim(claim)],
                caveat=reading if kind == VerdictKind.SUPPORTED_WITH_CAVEAT else None,
            )
        )
    return out
