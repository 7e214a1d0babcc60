"""The official figures the checks compare claims with, loaded once per run.

Monthly CBP fentanyl seizures by region and land filter, U.S. overdose deaths by drug and
calendar year, and Canadian opioid deaths (PHAC), with the releases they come from so
every verdict can cite them. Which sources are cited is the registry's `cited_by_checks`.

U.S. deaths by drug come from CDC VSRR (national, the 12 months ending December) where the
stored VSRR file has the drug and the year, and otherwise from the figures CDC published
for that year (`cdc-annual`, each row naming its publication): the shipped VSRR file holds
synthetic opioids only, a user's full VSRR file every drug.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from borderflow.calendars import (
    fiscal_year_months,
    fiscal_year_of,
    fiscal_year_span,
)
from borderflow.checks.vintages import CbpVintage, land_filters, months_total, vintages_of
from borderflow.datasets import cbp, cdc, cdc_annual, phac, registry
from borderflow.datasets.bundle import reference_dir
from borderflow.datasets.points import DeathsPoint, covered_months
from borderflow.store import Store
from borderflow.store.model_runs import share_estimates
from borderflow.store.observations import releases, sums_by_period, sums_by_release
from borderflow.units import LB_TO_KG

LAND_FILTERS = land_filters(land_only=False)
# The U.S. death series the checks hold, by the substance the data store them under.
US_DEATH_SUBSTANCES = ("drugs", "psychostimulants", "cocaine", "synthetic opioids", "opioids")


def series_key(source: str, substance: str) -> str:
    """The key of one drug's series of `source` in `OfficialData.lines`."""
    return f"{source}/{substance}"


@dataclass(frozen=True, slots=True)
class DeathsOrigin:
    """Where one year's U.S. deaths figure for a drug comes from: the source (its registry
    name) and, in words, the publication or release that states it."""

    source: str
    published: str


@dataclass(slots=True)
class OfficialData:
    """In-memory copies of the series the checks need (small: a few thousand numbers)."""

    cbp_kg: dict[tuple[str, str], dict[date, float]] = field(default_factory=dict)
    cbp_months: set[date] = field(default_factory=set)
    # Each CBP release's own figures, oldest data first (what a text could quote then).
    cbp_vintages: list[CbpVintage] = field(default_factory=list)
    us_deaths: dict[int, float] = field(default_factory=dict)
    # Deaths by calendar year for each drug series held ("drugs", "cocaine"...), and where
    # each figure comes from; `lines` has its file and line under `series_key`.
    us_deaths_by_substance: dict[str, dict[int, float]] = field(default_factory=dict)
    us_deaths_origin: dict[tuple[str, int], DeathsOrigin] = field(default_factory=dict)
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
        return months_total(
            self.cbp_kg, self.cbp_months, region, land_filters(land_only), start, end
        )

    def cbp_latest_full_fy(self, before: date | None) -> int | None:
        """The last U.S. fiscal year the CBP data cover fully and that ended before
        `before` (the article's date: it cannot cite what was not yet published)."""
        if not self.cbp_months:
            return None
        fy = fiscal_year_of(max(self.cbp_months))
        while fy >= fiscal_year_of(min(self.cbp_months)):
            ended = before is None or fiscal_year_span(fy)[1] < before
            if ended and set(fiscal_year_months(fy)) <= self.cbp_months:
                return fy
            fy -= 1
        return None

    def latest_release(self, source: str) -> str | None:
        names = self.release_names.get(source) or []
        return names[-1] if names else None


def load_official(store: Store) -> OfficialData:
    data = OfficialData()
    for region in cbp.REGIONS:
        for land in LAND_FILTERS:
            pounds = sums_by_period(
                store,
                source=cbp.CBP.name,
                measure="seizure_weight",
                substance="fentanyl",
                filters={"region": region.name, "land_filter": land},
            )
            data.cbp_kg[(region.name, land)] = {m: lb * LB_TO_KG for m, lb in pounds.items()}
    data.cbp_months = covered_months(store, cbp.CBP.name)
    data.cbp_vintages = _cbp_vintages(store)
    us = [p for p in cdc.us_overdose_deaths(store) if p.deaths is not None]
    data.us_deaths = {int(p.period): float(p.deaths) for p in us if p.deaths is not None}
    canada = [p for p in phac.canada_opioid_deaths(store) if not p.partial]
    data.canada_deaths = {int(p.period): float(p.deaths) for p in canada if p.deaths is not None}
    data.canada_fentanyl_share = {
        int(p.period): float(p.fentanyl_share) for p in canada if p.fentanyl_share is not None
    }
    for source, points in ((cdc.VSRR.name, us), (phac.HARMS.name, canada)):
        for point in points:
            if point.release and point.line:
                data.lines[(source, int(point.period))] = (point.release, point.line)
    _load_us_deaths_by_substance(store, data)
    for source in registry.cited_by_checks():
        data.release_names[source] = [r.file_name for r in releases(store, source)]
    estimates = share_estimates(store)
    if estimates is not None:
        data.model_run, data.model_canada_share = estimates
    return data


def _cbp_vintages(store: Store) -> list[CbpVintage]:
    sums = sums_by_release(
        store, source=cbp.CBP.name, measure="seizure_weight", substance="fentanyl",
        by=("region", "land_filter"),
    )  # fmt: skip
    held = [
        (r.id, r.file_name, r.coverage_start, r.coverage_end) for r in releases(store, cbp.CBP.name)
    ]
    return vintages_of(sums, held, LB_TO_KG)


def _load_us_deaths_by_substance(store: Store, data: OfficialData) -> None:
    """Each drug's deaths by year: VSRR's figure where the VSRR file has it (it is read
    second, so it replaces the published one), else the figure CDC published."""
    titles = _publications(store)
    for substance in US_DEATH_SUBSTANCES:
        published = cdc_annual.us_deaths(store, substance=substance)
        vsrr = cdc.us_overdose_deaths(store, substance=substance)
        for source, points in ((cdc_annual.ANNUAL.name, published), (cdc.VSRR.name, vsrr)):
            for point in points:
                if point.deaths is None:
                    continue
                year = int(point.period)
                data.us_deaths_by_substance.setdefault(substance, {})[year] = float(point.deaths)
                data.us_deaths_origin[(substance, year)] = DeathsOrigin(
                    source, _published(source, point, titles)
                )
                if point.release and point.line:
                    key = (series_key(source, substance), year)
                    data.lines[key] = (point.release, point.line)


def _published(
    source: str, point: DeathsPoint, titles: dict[tuple[str, int], cdc_annual.Publication]
) -> str:
    if source == cdc.VSRR.name:
        return f"CDC VSRR provisional count, 12 months ending December {point.period}"
    title = titles.get((point.release or "", point.line or 0))
    return title.words() if title else f"CDC figure in {point.release}, line {point.line}"


def _publications(store: Store) -> dict[tuple[str, int], cdc_annual.Publication]:
    """The publication each line of the stored `cdc-annual` releases names, read from the
    package's copy of the file when it is the file imported (the store keeps figures, not
    titles)."""
    found = {}
    for release in releases(store, cdc_annual.ANNUAL.name):
        path = reference_dir() / release.file_name
        if not path.is_file():
            continue
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != release.content_hash:
            continue  # another file of the same name: its lines may differ
        text = data.decode("utf-8-sig")
        for line, publication in cdc_annual.publications(text, str(path)).items():
            found[(release.file_name, line)] = publication
    return found
