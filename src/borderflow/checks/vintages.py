"""CBP's seizure figures as each release published them, and when a comparison with them
is settled.

CBP adds late-recorded seizures to its newest months for some time after they end: the
April 2025 northern-border figure read about 6 kg in the release current in June 2025 and
12 kg in the release of January 2026. A text quoting a recent period therefore quoted the
figure of the release current when it was written. Comparing it with a later release can
call a true figure false; so a mismatch of revision size is judged against the release
the writer could have read when borderflow holds it, and abstains when it does not
(checks.md: a verdict names the release it compares with).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from borderflow.calendars import months_between
from borderflow.datasets import cbp

# How long after a month ends CBP may still revise it, and how far: April 2025 at the
# northern border read about 6 kg in the release two months after it and 12.2 kg in the one
# nine months after (the CBC's report of July 2025 against the January 2026 file), so a
# recent month's figure then may be half its figure now. Generous on purpose: outside this
# window, and beyond half of the recent months, a mismatch is judged as one.
REVISED_DAYS = 200
REVISION_SHARE = 0.5
# CBP posts a month's figures some two weeks after it ends: a release whose data run to
# the end of May was readable from mid-June.
PUBLICATION_LAG = timedelta(days=14)


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


def as_read_on(vintages: Sequence[CbpVintage], written: date) -> CbpVintage | None:
    """The newest release a writer could read on `written`, if borderflow holds one;
    `vintages` are in release order (the store's rank: data end, then name)."""
    readable = [v for v in vintages if v.readable_from <= written]
    return readable[-1] if readable else None  # `vintages` come in CBP's release order
