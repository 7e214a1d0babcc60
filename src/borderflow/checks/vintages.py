"""CBP's seizure figures as each release published them.

CBP adds late-recorded seizures to its newest months for a while after they end
(`datasets.cbp.REVISED_DAYS` says how long and how much), so a text quoting a recent period
quoted the figure of the release current when it was written, and a later release can make
a true figure look false. These are the releases a check can compare a text with instead
(`checks.seizure_revisions`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from borderflow.calendars import month_end, months_between
from borderflow.datasets import cbp

PUBLICATION_LAG = timedelta(days=cbp.PUBLICATION_LAG_DAYS)


def land_filters(land_only: bool) -> tuple[str, ...]:
    """CBP's land filters a total sums: land ports only, or land and everything else."""
    return (cbp.LAND_ONLY,) if land_only else (cbp.LAND_ONLY, cbp.OTHER)


def months_total(
    kg: Mapping[tuple[str, str], Mapping[date, float]],
    covered: set[date] | frozenset[date],
    region: str,
    filters: Sequence[str],
    start: date,
    end: date,
) -> float | None:
    """Kilograms seized in [start, end] in `region` under the land `filters`, or None when
    `covered` lacks a month of the period."""
    months = months_between(start, end)
    if not months or not set(months) <= covered:
        return None
    return sum(kg.get((region, land), {}).get(m, 0.0) for land in filters for m in months)


@dataclass(frozen=True, slots=True)
class CbpVintage:
    """One CBP release's own figures (kg by region and land filter, by month)."""

    release: str
    coverage_end: date
    months: frozenset[date]
    kg: Mapping[tuple[str, str], Mapping[date, float]]

    @property
    def readable_from(self) -> date:
        return self.coverage_end + PUBLICATION_LAG

    def cbp_total_kg(self, region: str, land_only: bool, start: date, end: date) -> float | None:
        """Kilograms seized in [start, end] as this release stated them."""
        return months_total(self.kg, self.months, region, land_filters(land_only), start, end)


def vintages_of(
    sums: Mapping[tuple[object, ...], float],
    releases: Sequence[tuple[int, str, date | None, date | None]],
    lb_to_kg: float,
) -> list[CbpVintage]:
    """Each release's series from per-release sums keyed (release id, month, region, land
    filter) in pounds; `releases` are (id, file name, coverage start, coverage end), oldest
    data first."""
    by_release: dict[object, dict[tuple[str, str], dict[date, float]]] = defaultdict(dict)
    for (release_id, month, region, land), pounds in sums.items():
        cell = by_release[release_id].setdefault((str(region), str(land)), {})
        cell[month] = pounds * lb_to_kg  # type: ignore[index]
    out = []
    for release_id, name, start, end in releases:
        if start is None or end is None:
            continue
        out.append(
            CbpVintage(name, end, frozenset(months_between(start, end)), by_release[release_id])
        )
    return out


def readable_by(vintages: Sequence[CbpVintage], written: date) -> list[CbpVintage]:
    """The releases a writer could read on `written`, in release order (the store's rank:
    data end, then name)."""
    return [v for v in vintages if v.readable_from <= written]


def next_readable(vintage: CbpVintage) -> date:
    """When the release after `vintage`, a month of data further, could first be read."""
    after = vintage.coverage_end + timedelta(days=1)
    return month_end(after.year, after.month) + PUBLICATION_LAG
