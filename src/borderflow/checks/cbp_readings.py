"""The readings of a CBP seizure figure: each rung of the scope ladder (checks.md §2) and
each period the text allows, with the total CBP's series give for it and how the figure
agrees. Shared by the check against the current series and the one against the release a
writer could read (`borderflow.checks.seizure_revisions`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from borderflow.calendars import fiscal_year_span, is_calendar_year
from borderflow.checks.tolerance import Agreement, agree_claim, agrees
from borderflow.datasets import cbp
from borderflow.records.claims import StoredClaim

_RANK: dict[Agreement, int] = {"exact": 0, "rounding": 1, "near": 2, "no": 3}
# Confidence by outcome, from the calibration table in benchmarks/RESULTS.md.
CONFIDENCE = {"as read": 0.95, "caveat": 0.8, "near": 0.6, "wrong": 0.85, "unsettled": 0.7}


class CbpTotals(Protocol):
    """CBP's series, current or as one release gave them."""

    def cbp_total_kg(
        self, region: str, land_only: bool, start: date, end: date
    ) -> float | None: ...


@dataclass(frozen=True, slots=True)
class Rung:
    """One rung of the scope ladder: which regions are summed, land ports only or not."""

    regions: tuple[str, ...]
    land_only: bool

    @property
    def label(self) -> str:
        if len(self.regions) > 1:
            return "all U.S. borders (every CBP region)"
        region = self.regions[0]
        if self.land_only:
            return f"{region.lower()}, land only (CBP's '{region.split()[0]} Land Border')"
        return f"whole {region.lower()} region (land, air and sea)"


@dataclass(frozen=True, slots=True)
class Reading:
    rung: Rung
    basis: str
    start: date
    end: date
    kg: float
    grade: Agreement

    @property
    def period(self) -> str:
        return period_label(self.basis, self.start, self.end)

    def key(self) -> tuple[int, bool, bool]:
        return (_RANK[self.grade], self.basis != "calendar", not self.rung.land_only)


def period_label(basis: str, start: date, end: date) -> str:
    if basis == "us_fiscal" and (start, end) == fiscal_year_span(end.year):
        return f"FY{end.year}"
    if is_calendar_year(start, end):
        return str(start.year)
    return f"{start}..{end}"


def _all_regions() -> tuple[str, ...]:
    return tuple(r.name for r in cbp.REGIONS)


def rungs_of(corridor: str | None) -> list[Rung] | None:
    """The rungs a corridor can mean; None when it is no CBP scope at all."""
    if corridor in cbp.ALL_BORDER_SCOPES:
        return [Rung(_all_regions(), False)]
    region = cbp.region_of_corridor(corridor)
    if region is None:
        return None
    has_land = cbp.region_of_country(None) != region
    return [Rung((region,), True)] * has_land + [Rung((region,), False)]


def every_rung() -> list[Rung]:
    return [Rung((r,), land) for r in _all_regions() for land in (True, False)] + [
        Rung(_all_regions(), False)
    ]


def total_kg(data: CbpTotals, rung: Rung, start: date, end: date) -> float | None:
    totals = [data.cbp_total_kg(r, rung.land_only, start, end) for r in rung.regions]
    if any(t is None for t in totals):
        return None
    return sum(t for t in totals if t is not None)


def readings(
    claim: StoredClaim,
    data: CbpTotals,
    rungs: list[Rung],
    periods: Sequence[tuple[str, date, date]],
    bounds: bool = True,
) -> list[Reading]:
    """Every reading, best first. "just 43 pounds" is read as 43 pounds, and as a bound
    only when no reading gives 43 and `bounds` allows it: a figure matched elsewhere must
    be matched as itself, or "just 25 pounds" would match any year under 25."""
    tried: list[Reading] = []
    for emphasis in (False, True)[: 1 + bounds]:
        tried = []
        for basis, start, end in periods:
            for rung in rungs:
                kg = total_kg(data, rung, start, end)
                if kg is not None and kg > 0:
                    grade = agree_claim(claim, kg, emphasis)
                    tried.append(Reading(rung, basis, start, end, kg, grade))
        if any(agrees(r.grade) for r in tried):
            break
    return sorted(tried, key=Reading.key)
