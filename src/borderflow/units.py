"""Unit constants shared by every layer: the one home of the pound.

Agencies publish seizures in pounds (CBP) or kilograms (CBSA, UNODC); claims are compared in
kilograms. The factor is exact by definition, so it is a constant rather than a pint lookup
on every hot path; a test checks it against pint's definition.
"""

from __future__ import annotations

LB_TO_KG = 0.45359237  # exact: the international avoirdupois pound (NIST SP 811, Appendix B)


def kg_to_lb(kilograms: float) -> float:
    """Pounds in `kilograms`."""
    return kilograms / LB_TO_KG
