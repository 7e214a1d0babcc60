"""Revisions of published figures that are too large to pass in silence.

Agencies revise their newest months from one release to the next, by a little. A release
that changes a figure by more than the margin below (or flips its sign) is still stored,
with every release's value kept in the history, but the import reports it, on the command
line and in the web's import answer, so a damaged or forged file that sorts later cannot
replace official numbers unnoticed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from borderflow.store.observations import Change


@dataclass(frozen=True, slots=True)
class Margin:
    """A revision is large when it changes a figure by more than `relative` of the old
    value and by more than `floor` in the figure's own unit (so 0.01 lb becoming 0.05 lb
    is not news), or when it turns a figure's sign."""

    relative: float
    floor: float

    def exceeded(self, old: float | None, new: float | None) -> bool:
        if old is None or new is None:
            return False  # a figure suppressed or restored is not a changed number
        if old * new < 0:
            return True
        change = abs(new - old)
        return change > self.floor and change > self.relative * abs(old)


REVISION_MARGIN = Margin(relative=0.5, floor=1.0)


@dataclass(frozen=True, slots=True)
class LargeRevision:
    """A published figure a new release changed beyond the margin."""

    source: str
    measure: str
    series: str  # the figure's key: its dimensions and period as the file names them
    period: str
    old: float | None
    new: float | None
    old_release: str
    new_release: str
    line: int

    def as_record(self) -> dict[str, Any]:
        return asdict(self)

    def text(self) -> str:
        return (
            f"{self.source} {self.measure} {self.series} ({self.period}): "
            f"{_number(self.old)} → {_number(self.new)} "
            f"({self.old_release} → {self.new_release}:{self.line})"
        )


def _number(value: float | None) -> str:
    return "suppressed" if value is None else f"{value:,.6g}"


def large_revisions(
    source: str, release: str, changes: tuple[Change, ...], margin: Margin = REVISION_MARGIN
) -> list[LargeRevision]:
    """The changes a release made that go beyond the margin, in the order it made them."""
    return [
        LargeRevision(
            source, c.measure, c.key, _period(c), c.old, c.new, c.old_release, release, c.line
        )
        for c in changes
        if margin.exceeded(c.old, c.new)
    ]


def _period(change: Change) -> str:
    start, end = change.period_start, change.period_end
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.year}-{start.month:02d}"
    return f"{start.isoformat()} to {end.isoformat()}"
