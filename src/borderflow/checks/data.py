"""The official figures the checks compare claims with, loaded once per run.

Monthly CBP fentanyl seizures by region and land filter, U.S. synthetic-opioid deaths (CDC
VSRR, national, 12-month-ending) and Canadian opioid deaths (PHAC), with the releases they
come from so every verdict can cite them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from borderflow.datasets.model import LB_TO_KG
from borderflow.datasets.series import canada_opioid_deaths, covered_months, us_overdose_deaths
from borderflow.store import Store
from borderflow.store.model_runs import share_estimates
from borderflow.store.observations import releases, sums_by_period

REGIONS = {
    "northern border": "Northern Border",
    "southwest border": "Southwest Border",
    "coastal/interior": "Coastal/Interior",
}


@dataclass(slots=True)
class OfficialData:
    """In-memory copies of the series the checks need (small: a few thousand numbers)."""

    cbp_kg: dict[tuple[str, str], dict[date, float]] = field(default_factory=dict)
    cbp_months: set[date] = field(default_factory=set)
    us_deaths: dict[int, float] = field(default_factory=dict)
    canada_deaths: dict[int, float] = field(default_factory=dict)
    canada_fentanyl_share: dict[int, float] = field(default_factory=dict)
    release_names: dict[str, list[str]] = field(default_factory=dict)
    # (release file, line) of single observations, by source and year
    lines: dict[tuple[str, int], tuple[str, int]] = field(default_factory=dict)
    # The flow model's estimate of Canada's share of U.S. supply by fiscal year:
    # (median, 5%, 95%) from model run `model_run`, when a fit is stored.
    model_canada_share: dict[int, tuple[float, float, float]] = field(default_factory=dict)
    model_run: int | None = None

    def cbp_total_kg(self, region: str, land_only: bool, start: date, end: date) -> float | None:
        """Kilograms seized in [start, end], or None when the data do not cover every month."""
        months = _months(start, end)
        if not months or not set(months) <= self.cbp_months:
            return None
        filters = ("Land Only",) if land_only else ("Land Only", "Other")
        return sum(
            self.cbp_kg.get((region, land), {}).get(m, 0.0) for land in filters for m in months
        )

    def cbp_latest_full_fy(self, before: date | None) -> int | None:
        for fy in range(2035, 2000, -1):
            start, end = date(fy - 1, 10, 1), date(fy, 9, 30)
            if before is not None and end >= before:
                continue
            if set(_months(start, end)) <= self.cbp_months:
                return fy
        return None


def _months(start: date, end: date) -> list[date]:
    out, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def load_official(store: Store) -> OfficialData:
    data = OfficialData()
    for region in REGIONS.values():
        for land in ("Land Only", "Other"):
            pounds = sums_by_period(
                store,
                source="cbp",
                measure="seizure_weight",
                substance="fentanyl",
                filters={"region": region, "land_filter": land},
            )
            data.cbp_kg[(region, land)] = {m: lb * LB_TO_KG for m, lb in pounds.items()}
    data.cbp_months = covered_months(store, "cbp")
    us = [p for p in us_overdose_deaths(store) if p.deaths is not None]
    data.us_deaths = {int(p.period): float(p.deaths) for p in us if p.deaths is not None}
    canada = [p for p in canada_opioid_deaths(store) if not p.partial]
    data.canada_deaths = {int(p.period): float(p.deaths) for p in canada if p.deaths is not None}
    data.canada_fentanyl_share = {
        int(p.period): float(p.fentanyl_share) for p in canada if p.fentanyl_share is not None
    }
    for source, points in (("cdc-vsrr", us), ("phac", canada)):
        for point in points:
            if point.release and point.line:
                data.lines[(source, int(point.period))] = (point.release, point.line)
    for source in ("cbp", "cdc-vsrr", "phac"):
        data.release_names[source] = [r["file_name"] for r in releases(store, source)]
    estimates = share_estimates(store)
    if estimates is not None:
        data.model_run, data.model_canada_share = estimates
    return data
