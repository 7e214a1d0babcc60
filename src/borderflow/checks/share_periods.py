"""Which fiscal year a share claim is of, and whether that year may still have been running
when the text was written: a share of the months so far differs from the whole year's,
so neither the whole year nor the year before can judge it."""

from __future__ import annotations

from datetime import date

from borderflow.calendars import fiscal_year_of, fiscal_year_span
from borderflow.records.claims import StoredClaim


def part_of_a_fiscal_year(claim: StoredClaim) -> int | None:
    """The U.S. fiscal year the claim's period lies within without covering it ("so far in
    fiscal 2025", "in March"); None for a whole year, several years or no period."""
    start, end = claim.period_start, claim.period_end
    if start is None or end is None:
        return None
    fy = fiscal_year_of(start)
    first, last = fiscal_year_span(fy)
    if end > last or (start, end) == (first, last):
        return None
    return fy


def maybe_running(fy: int, published: date | None, others_end: date | None) -> bool:
    """Whether fiscal year `fy`, stated by a claim, may not have ended when the text was
    written: it ended after the text's date; or the text is undated and none of its other
    figures is of a period ending after the year (`others_end`)."""
    end = fiscal_year_span(fy)[1]
    if published is not None:
        return published <= end
    return others_end is None or others_end < end
