"""The records series are made of, one per period, and the months a source's releases
cover (what tells a partial period from a fall)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from borderflow.calendars import CoveredPeriod, months_between
from borderflow.store import Store
from borderflow.store.observations import releases


def _record(point: Any) -> dict[str, Any]:
    """A series point as a JSON-ready dict (dates as ISO strings)."""
    record: dict[str, Any] = asdict(point)
    record["start"], record["end"] = point.start.isoformat(), point.end.isoformat()
    return record


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    """One period of a series summed from months. `months` of `expected_months` are
    covered by the data."""

    period: str
    start: date
    end: date
    basis: str
    value: float
    unit: str
    value_kg: float | None
    events: float | None
    months: int
    expected_months: int
    partial: bool

    def as_record(self) -> dict[str, Any]:
        return _record(self)

    @classmethod
    def of(
        cls,
        period: CoveredPeriod,
        value: float,
        unit: str,
        *,
        value_kg: float | None = None,
        events: float | None = None,
    ) -> SeriesPoint:
        """One period's sum, with how much of the period the data cover."""
        return cls(
            period.label, period.start, period.end, period.basis, value, unit, value_kg, events,
            period.months, period.expected, period.partial,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class DeathsPoint:
    """Deaths in the 12 months ending `end` (a calendar year when `end` is 31 December)."""

    period: str
    start: date
    end: date
    basis: str
    deaths: float | None
    predicted: float | None
    suppressed: bool
    state: str | None
    release: str | None = None
    line: int | None = None

    def as_record(self) -> dict[str, Any]:
        return _record(self)


@dataclass(frozen=True, slots=True)
class CanadaPoint:
    """Apparent opioid toxicity deaths in Canada (or a province) for one period."""

    period: str
    start: date
    end: date
    deaths: float | None
    rate_per_100k: float | None
    fentanyl_share: float | None
    partial: bool
    suppressed: bool
    release: str | None = None
    line: int | None = None

    def as_record(self) -> dict[str, Any]:
        return _record(self)


def covered_months(store: Store, source: str) -> set[date]:
    """Months any release of `source` covers."""
    months: set[date] = set()
    for release in releases(store, source):
        if release.coverage_start and release.coverage_end:
            months.update(months_between(release.coverage_start, release.coverage_end))
    return months
