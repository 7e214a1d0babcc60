"""A death count over several whole years ("over 334,000 people died from 2013 to 2022")
against the sum of those years of the series the claim is about.

Such totals are how reporting sizes an epidemic, and the series hold every year of them:
matched to no single year, they were left "not a calendar year". A sum is judged only
when every year of the span is held (a sum missing a year would call a true total
false) and the span's ends are whole years.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from borderflow.checks.model import Citation, Verdict, VerdictKind
from borderflow.checks.tolerance import agree_claim, verdict_for
from borderflow.records.claims import StoredClaim

Cite = Callable[[int], Citation]


def whole_years(claim: StoredClaim) -> range | None:
    """The calendar years the claim's period covers, when it is two or more whole years."""
    start, end = claim.period_start, claim.period_end
    if start is None or end is None or end.year <= start.year:
        return None
    if start != date(start.year, 1, 1) or end != date(end.year, 12, 31):
        return None
    return range(start.year, end.year + 1)


def check_years_sum(
    claim: StoredClaim, figures: dict[int, float], label: str, cite: Cite
) -> Verdict | None:
    """The claim against the sum of `figures` over its years; None when its period is not
    several whole years. A span with years the series lacks is unverifiable, saying
    which."""
    years = whole_years(claim)
    if years is None or claim.dimension != "count":
        return None
    span = f"{years[0]}-{years[-1]}"
    missing = [y for y in years if y not in figures]
    if missing:
        held = f"{min(figures)}-{max(figures)}" if figures else "none"
        return Verdict(
            claim.id, "official", VerdictKind.UNVERIFIABLE, 0.7,
            f"{claim.text} is a total over {span}; {label} is held for {held} only "
            f"(missing: {', '.join(map(str, missing))}), so the total cannot be summed.",
        )  # fmt: skip
    total = sum(figures[y] for y in years)
    verdict = verdict_for(agree_claim(claim, total))
    confidence = {VerdictKind.SUPPORTED: 0.8, VerdictKind.CONTRADICTED: 0.7}.get(verdict, 0.6)
    return Verdict(
        claim.id, "official", verdict, confidence,
        f"{label}, summed over {span} ({len(years)} years): {total:,.0f}; the claim says "
        f"{claim.text}.",
        expected=total, unit="deaths", citations=[cite(y) for y in years],
    )  # fmt: skip
