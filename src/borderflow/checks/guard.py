"""The last word before an official `contradicted`: is the reading plausible at all?

A figure hundreds of times away from the series it was compared with is almost never a
wrong count of that quantity: it is a count of something else (a daily rate read as a
yearly total, doses read as deaths, a nationwide total read as one border's). Calling it
false would be confidently wrong, so such a verdict becomes `unverifiable`, saying why.
Each check tries the readings it knows first (seizures.py, deaths.py); this guard holds
for every check against official data, including ones added later.
"""

from __future__ import annotations

from dataclasses import replace

from borderflow.checks.model import Verdict, VerdictKind
from borderflow.records.claims import StoredClaim

# A stated figure hundreds of times above the official one is read as a different quantity
# (a daily rate read as a year's, another scope or substance), not a wrong one; tens of
# times above is within the range of real exaggeration ("900 pounds at the northern
# border" against 43) and is judged.
FAR_OFF = 100.0
# Far below a national or border-wide total, a figure is most often a part of it (one city,
# one month, one drug's share): the test is stricter below than above, where exaggeration
# is a real pattern of false claims ("300,000 Americans a year").
FAR_BELOW = 5.0


def far_off(stated: float, expected: float) -> float | None:
    """How many times apart the two figures are, when that is far enough to mean another
    quantity: FAR_OFF times above, or FAR_BELOW times below."""
    if stated <= 0 or expected <= 0:
        return None
    if expected / stated >= FAR_BELOW:
        return expected / stated
    return stated / expected if stated / expected >= FAR_OFF else None


def with_caveat(verdict: Verdict, claim: StoredClaim) -> Verdict:
    """`verdict`, its caveat said in words: a check that grades a figure within 10% of its
    comparison (`tolerance.verdict_for`) leaves the caveat to be the gap itself."""
    if verdict.verdict != VerdictKind.SUPPORTED_WITH_CAVEAT or verdict.caveat is not None:
        return verdict
    stated = claim.normalized_value
    if verdict.expected is None or stated is None or not verdict.expected:
        return replace(verdict, caveat="it holds only under the reading the explanation gives")
    gap = (float(stated) - verdict.expected) / abs(verdict.expected)
    side = "above" if gap > 0 else "below"
    return replace(
        verdict,
        caveat=f"the text's figure is {abs(gap):.1%} {side} the one it is compared with",
    )


def guarded(verdict: Verdict, claim: StoredClaim) -> Verdict:
    """`verdict`, unless it contradicts the claim with a figure too far off to be a reading
    of the same quantity."""
    if verdict.verdict != VerdictKind.CONTRADICTED or verdict.check != "official":
        return verdict
    if verdict.expected is None or claim.normalized_value is None:
        return verdict
    ratio = far_off(float(claim.normalized_value), float(verdict.expected))
    if ratio is None:
        return verdict
    return replace(
        verdict,
        verdict=VerdictKind.UNVERIFIABLE,
        confidence=0.5,
        explanation=(
            f"{claim.text} is {ratio:,.0f} times away from the official figure it was compared "
            f"with ({verdict.expected:,.6g} {verdict.unit or ''}). A gap that large means the "
            "text is about another quantity (a part of the total, a rate, another scope or "
            f"substance), so it is not judged. The comparison was: {verdict.explanation}"
        ),
    )
