"""The one observation model every importer produces, whatever the agency's file looks like."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

LB_TO_KG = 0.45359237  # exact, by definition (NIST SP 811, Appendix B)


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


@dataclass(slots=True)
class ParsedFile:
    """What a parser made of one file: its records and the problems it found per row."""

    source: str
    rows: int = 0
    records: list[ObservationRecord] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped_lines: list[int] = field(default_factory=list)
