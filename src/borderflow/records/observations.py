"""Official figures: what an importer reads from one row, and what the store gives back
(with the release it came from and the revisions other releases made)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any


def _json_ready(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


@dataclass(slots=True)
class ObservationRecord:
    """One figure from one row of a statistics file.

    `key` identifies the figure across releases of the same source (the natural key: the
    row's dimensions and period), so a newer release can revise it."""

    measure: str
    key: str
    line: int
    period_start: date
    period_end: date
    period_basis: str
    value: float | None
    unit: str
    value_kg: float | None = None
    suppressed: bool = False
    substance: str | None = None
    substance_label: str | None = None
    country: str | None = None
    region: str | None = None
    land_filter: str | None = None
    component: str | None = None
    area: str | None = None
    state: str | None = None
    fiscal_year: int | None = None


RECORD_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(ObservationRecord))


@dataclass(slots=True, kw_only=True)
class StoredObservation(ObservationRecord):
    """An observation as the newest release covering it states it: `release` is that
    release's file name and `line` the line there."""

    id: int
    source: str
    release: str

    def as_record(self) -> dict[str, Any]:
        return {f.name: _json_ready(getattr(self, f.name)) for f in fields(self)}


@dataclass(frozen=True, slots=True)
class Release:
    """One imported statistics file: what it is, what it covers, when it came in."""

    id: int
    source: str
    file_name: str
    content_hash: str
    rows: int
    observations: int
    skipped_rows: int
    coverage_start: date | None
    coverage_end: date | None
    rank: str
    imported_at: datetime

    def as_record(self) -> dict[str, Any]:
        return {f.name: _json_ready(getattr(self, f.name)) for f in fields(self)}


@dataclass(frozen=True, slots=True)
class Revision:
    """What one release said about an observation."""

    value: float | None
    suppressed: bool
    line: int
    file_name: str
    rank: str

    def as_record(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True, slots=True)
class CitedObservation:
    """An observation as one line of one release states it (what a check's citation
    names), beside its current value and every release's value."""

    observation: StoredObservation
    stated_value: float | None
    stated_suppressed: bool
    stated_line: int
    stated_release: str
    history: tuple[Revision, ...]

    def as_record(self) -> dict[str, Any]:
        o = self.observation
        record = {
            name: _json_ready(getattr(o, name))
            for name in (
                "id", "source", "measure", "substance", "substance_label", "country", "region",
                "land_filter", "component", "area", "state", "period_start", "period_end",
                "period_basis", "fiscal_year", "unit",
            )
        }  # fmt: skip
        record.update(
            current_value=o.value,
            stated_value=self.stated_value,
            suppressed=self.stated_suppressed,
            line=self.stated_line,
            file_name=self.stated_release,
            history=[h.as_record() for h in self.history],
        )
        return record
