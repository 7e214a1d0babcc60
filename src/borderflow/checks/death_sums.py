"""A death count over several whole years ("over 334,000 people died from 2013 to 2022")
against the sum of those years of the series the claim is about.

Such totals are how reporting sizes an epidemic, and the series hold every year of them:
matched to no single year, they were left "not a calendar year". A sum is judged only
when every year of the span is held (a sum missing a year would call a true total
false), the span's ends are whole years, the last of them over before the text was
written, and the figure is well above every single year of the span (by more than a
quarter, `_ABOVE_A_YEAR`): a smaller one is a peak, a level or a range ("hit their
highest level, 74,829, between 2020 and 2023", "a record of nearly 108,000 between 2021
and 2023"), not a total.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from borderflow.checks.model import Citation, Verdict, VerdictKind
from borderflow.checks.tolerance import agree_claim, verdict_for
from borderflow.records.claims import StoredClaim

Cite = Callable[[int], Citation]
# How far above its largest year a figure must be to be read as a total over the years.
_ABOVE_A_YEAR = 1.25


def whole_years(claim: StoredClaim) -> range | None:
    """The calendar years the claim's period covers, when it is two or more whole years."""
    start, end = claim.period_start, claim.period_end
    if start is None or end is None or end.year <= start.year:
        return None
    if start != date(start.year, 1, 1) or end != date(end.year, 12, 31):
        return None
    return range(start.year, end.year + 1)


def check_years_sum(
    claim: StoredClaim,
    figures: dict[int, float],
    label: str,
    cite: Cite,
    published: date | None,
) -> Verdict | None:
    """The claim against the sum of `figures` over its years; None when it is not a total
    over several whole years (see the module's docstring). A span with years the series
    lacks is unverifiable, saying which."""
    years = whole_years(claim)
    stated = claim.normalized_value
    if years is None or claim.dimension != "count" or stated is None:
        return None
    if published is not None and date(years[-1], 12, 31) >= published:
        return None
    held = [figures[y] for y in years if y in figures]
    if held and float(stated) <= _ABOVE_A_YEAR * max(held):
        return None
    span = f"{years[0]}-{years[-1]}"
    missing = [y for y in years if y not in figures]
    if missing:
        return Verdict(
            claim.id, "official", VerdictKind.UNVERIFIABLE, 0.7,
            f"{claim.text} is a total over {span}; {label} has no figure for "
            f"{', '.join(map(str, missing))}, so the total cannot be summed.",
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
