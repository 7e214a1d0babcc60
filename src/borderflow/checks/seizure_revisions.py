"""A CBP figure that differs from the current series: judged against the releases its
writer could read, or not judged when CBP's revisions could explain the gap.

CBP's revisions add late seizures to recent months (`datasets.cbp.REVISED_DAYS`), so:
- a figure that a held release readable when the text was written states exactly is
  supported, with the revision as the caveat;
- a figure *below* the current one, for months that were recent when the text was written,
  is not judged when borderflow holds no release of that time: the writer may have quoted
  it before late seizures were added;
- a figure *above* the current one, for months the newest held release still counts as
  recent, is not judged when the text was written after a newer release could be read;
- otherwise the gap stands, and `borderflow.checks.seizures` judges it.
A text with no date was written no earlier than the end of the latest period it names
(`earliest`); it could quote any release readable after that.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from borderflow.calendars import month_end, months_between
from borderflow.checks.cbp_readings import CONFIDENCE, Reading, Rung, readings, total_kg
from borderflow.checks.data import OfficialData
from borderflow.checks.model import Citation, Verdict, VerdictKind
from borderflow.checks.tolerance import agrees, rounding_step
from borderflow.checks.vintages import PUBLICATION_LAG, CbpVintage, next_readable, readable_by
from borderflow.datasets import cbp
from borderflow.records.claims import StoredClaim
from borderflow.units import kg_to_lb


@dataclass(frozen=True, slots=True)
class Written:
    """When a text was written: its date, or the earliest it can have been (`known`)."""

    on: date | None
    known: bool


def revision_verdict(
    claim: StoredClaim,
    data: OfficialData,
    rungs: list[Rung],
    periods: Sequence[tuple[str, date, date]],
    tried: list[Reading],
    published: date | None,
    earliest: date | None,
) -> Verdict | None:
    """The verdict when revisions decide it; None when the gap stands as one."""
    written = Written(published or earliest, published is not None)
    newest = data.cbp_vintages[-1] if data.cbp_vintages else None
    could_read = (
        readable_by(data.cbp_vintages, written.on) if written.known and written.on
        else list(data.cbp_vintages)
    )  # fmt: skip
    for then in reversed(could_read):
        if then is newest:
            continue  # the current series: no reading of it agrees
        match = next((r for r in readings(claim, then, rungs, periods) if agrees(r.grade)), None)
        if match is not None:
            return _as_published(claim, match, then, tried)
    stated = float(claim.normalized_value or 0.0)
    for reading in sorted(tried, key=lambda r: abs(math.log(stated / r.kg))):
        why = _unsettled(claim, reading, data, written, newest)
        if why is not None:
            return Verdict(
                claim.id, "official", VerdictKind.UNVERIFIABLE, CONFIDENCE["unsettled"],
                f"The text's {claim.text} is {_gap(stated, reading.kg)} the "
                f"{_amount(claim, reading.kg)} that CBP's newest release{_named(newest)} gives "
                f"for {_months(reading)} on the {reading.rung.label}. {why}",
            )  # fmt: skip
    return None


def _unsettled(
    claim: StoredClaim,
    reading: Reading,
    data: OfficialData,
    written: Written,
    newest: CbpVintage | None,
) -> str | None:
    """Why revisions could explain the gap on this reading; None when they cannot."""
    stated = float(claim.normalized_value or 0.0)
    low, high = _as_written(claim)
    if stated < reading.kg and not _held_then(data.cbp_vintages, reading, written):
        recent = _recent_kg(data, reading, written.on or reading.end)
        if reading.kg - high <= (1 - cbp.REVISED_AT_MOST) * recent:
            dated = written.known and written.on is not None
            when = (
                f"it was written {_days(written.on, reading.end)} after the period ended"
                if dated and written.on is not None
                else "the text has no date, and nothing in it says it was written long after "
                "the period"
            )
            settle = "That release" if dated else "That release, or the text's date,"
            return (
                f"CBP adds late seizures to recent months, and {when}; borderflow holds no CBP "
                f"release of that time to compare it with. {settle} would settle it."
            )
    if stated > reading.kg and newest is not None and written.on is not None:
        if written.on < next_readable(newest):
            return None  # no newer release than the newest held could be read yet
        recent = _recent_kg(data, reading, newest.coverage_end)
        if low - reading.kg <= (1 / cbp.REVISED_AT_MOST - 1) * recent:
            return (
                f"The newest CBP release borderflow holds, {newest.release} (data to "
                f"{newest.coverage_end:%B %Y}), still counted those months as recent, and "
                "the text came later: CBP may since have added late seizures. Importing "
                "CBP's newer releases would settle it."
            )
    return None


def _as_written(claim: StoredClaim) -> tuple[float, float]:
    """The figures (kg) the text's number stands for, given where its writer rounded:
    "six kilograms" is anything from 5.5 to 6.5 kg."""
    stated, value = float(claim.normalized_value or 0.0), float(claim.value or 0.0)
    if not value:
        return stated, stated
    step = rounding_step(value, claim.text) * stated / value
    return stated - step, stated + step


def _held_then(vintages: Sequence[CbpVintage], reading: Reading, written: Written) -> bool:
    """Whether borderflow holds a release the writer could read that covers the reading's
    months: the one current when the text was written, or for a text with no date the
    first to publish the period's last month (no release before it had the whole period)."""
    covering = [v for v in vintages if reading.end <= v.coverage_end]
    if written.known and written.on is not None:
        readable = readable_by(vintages, written.on)
        return bool(readable) and readable[-1] in covering
    first = reading.end + PUBLICATION_LAG + timedelta(days=31)
    return any(v.readable_from <= first for v in covering)


def _recent_kg(data: OfficialData, reading: Reading, anchor: date) -> float:
    """The current kilograms of the reading's months that ended within CBP's revision
    window before `anchor`."""
    recent = 0.0
    for month in months_between(reading.start, reading.end):
        last = month_end(month.year, month.month)
        if 0 <= (anchor - last).days <= cbp.REVISED_DAYS:
            recent += total_kg(data, reading.rung, month, last) or 0.0
    return recent


def _named(release: CbpVintage | None) -> str:
    return f", {release.release}," if release is not None else ""


def _gap(stated: float, actual: float) -> str:
    share = abs(stated - actual) / actual
    return f"{share:.0%} {'below' if stated < actual else 'above'}"


def _amount(claim: StoredClaim, kg: float) -> str:
    """A CBP figure in the unit the text used (CBP publishes pounds)."""
    if claim.unit in ("kg", "kilogram", "kilograms"):
        return f"{kg:,.1f} kg ({kg_to_lb(kg):,.2f} lb)"
    return f"{kg_to_lb(kg):,.2f} lb"


def _months(reading: Reading) -> str:
    if reading.period.startswith("FY") or reading.period.isdigit():
        return reading.period
    if (reading.start.year, reading.start.month) == (reading.end.year, reading.end.month):
        return f"{reading.start:%B %Y}"
    return f"{reading.start:%B %Y} to {reading.end:%B %Y}"


def _days(later: date, earlier: date) -> str:
    days = (later - earlier).days
    return f"{days} days" if days < 60 else f"about {round(days / 30.4)} months"


def _as_published(
    claim: StoredClaim, match: Reading, then: CbpVintage, tried: list[Reading]
) -> Verdict:
    """The figure is the one a CBP release gave before later revisions."""
    same = (match.rung, match.start, match.end)
    now = next((r for r in tried if (r.rung, r.start, r.end) == same), None)
    revised = f"; CBP has since revised it to {_amount(claim, now.kg)}" if now else ""
    caveat = f"it is the figure CBP published in {then.release}, before later revisions"
    return Verdict(
        claim.id, "official", VerdictKind.SUPPORTED_WITH_CAVEAT, CONFIDENCE["caveat"],
        f"{claim.text} matches CBP's {_amount(claim, match.kg)} for {_months(match)} on the "
        f"{match.rung.label} in {then.release} (data to {then.coverage_end:%B %Y}), a release "
        f"the writer could read{revised}.",
        expected=match.kg, unit="kg", caveat=caveat,
        citations=[Citation(
            "official", f"CBP fentanyl seizures, {match.rung.label}, {match.period}",
            source=cbp.CBP.name, release=then.release, value=round(kg_to_lb(match.kg), 4),
            unit="lb",
        )],
    )  # fmt: skip
