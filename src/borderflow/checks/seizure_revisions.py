"""A CBP figure that differs from the current series by no more than CBP's own revisions:
judged against the release its writer could read, or not judged.

Three situations make the current series the wrong yardstick (`borderflow.checks.vintages`
says why and how long revisions last):
- borderflow holds the release current when the text was written, and the figure is that
  release's: supported, with the revision as the caveat;
- the text was written while the period's months were still being revised, and every
  release borderflow holds came out later (or the text has no date and nothing in it
  says it was written long after the period);
- borderflow's newest release still counts the period's months as recent, and the text
  was written after it, so it may quote a newer release.
Otherwise the mismatch is judged as one (`borderflow.checks.seizures`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from borderflow.calendars import month_end, months_between
from borderflow.checks.cbp_readings import CONFIDENCE, Reading, Rung, readings, total_kg
from borderflow.checks.data import OfficialData
from borderflow.checks.model import Citation, Verdict, VerdictKind
from borderflow.checks.tolerance import agrees
from borderflow.checks.vintages import REVISED_DAYS, REVISION_SHARE, CbpVintage, as_read_on
from borderflow.datasets import cbp
from borderflow.records.claims import StoredClaim
from borderflow.units import kg_to_lb


def revision_verdict(
    claim: StoredClaim,
    data: OfficialData,
    rungs: list[Rung],
    periods: Sequence[tuple[str, date, date]],
    tried: list[Reading],
    published: date | None,
    earliest: date | None,
) -> Verdict | None:
    """The verdict when revisions decide it; None when the mismatch stands as one."""
    newest = data.cbp_vintages[-1] if data.cbp_vintages else None
    stated = float(claim.normalized_value or 0.0)
    when = published or earliest
    revisable = [r for r in tried if _within_revisions(stated, r, data, when, newest)]
    if not revisable:
        return None
    closest = min(revisable, key=lambda r: abs(math.log(stated / r.kg)))
    if published is not None:
        then = as_read_on(data.cbp_vintages, published)
        if then is not None and then is not newest:
            as_then = readings(claim, then, rungs, periods)
            if as_then:
                match = next((r for r in as_then if agrees(r.grade)), None)
                return None if match is None else _as_published(claim, match, then, tried)
    why = _unsettled(closest, newest, published, earliest)
    if why is None:
        return None
    return Verdict(
        claim.id, "official", VerdictKind.UNVERIFIABLE, CONFIDENCE["unsettled"],
        f"{claim.text} differs from CBP's figure for {closest.period} on the "
        f"{closest.rung.label} ({kg_to_lb(closest.kg):,.2f} lb) by no more than revisions of "
        f"its recent months can account for: {why}",
    )  # fmt: skip


def _within_revisions(
    stated: float,
    reading: Reading,
    data: OfficialData,
    when: date | None,
    newest: CbpVintage | None,
) -> bool:
    """Whether the gap is no more than revisions of the reading's recent months could make:
    those that ended within the revision window before the text was written (before the
    period's end when that date is unknown), or before the newest release's last month."""
    anchor = when or reading.end
    recent = 0.0
    for month in months_between(reading.start, reading.end):
        last = month_end(month.year, month.month)
        fresh = 0 <= (anchor - last).days <= REVISED_DAYS
        if fresh or (newest is not None and (newest.coverage_end - last).days <= REVISED_DAYS):
            recent += total_kg(data, reading.rung, month, last) or 0.0
    return abs(stated - reading.kg) <= REVISION_SHARE * recent


def _unsettled(
    reading: Reading, newest: CbpVintage | None, published: date | None, earliest: date | None
) -> str | None:
    """Why the current figure may not be the one the text could quote; None when it is."""
    compared = (
        f"the release compared, {newest.release} (data to {newest.coverage_end:%B %Y}),"
        if newest is not None
        else "the release compared"
    )
    if published is not None:
        after = (published - reading.end).days
        came_later = newest is None or newest.readable_from > published
        if 0 <= after <= REVISED_DAYS and came_later:
            return (
                f"the text was written {after} days after the period ended, while CBP was still "
                f"adding late seizures to its last months; {compared} came out after the text, "
                "and borderflow holds no release from before it that covers the period. "
                "An earlier CBP release would settle it."
            )
    elif earliest is None or (earliest - reading.end).days <= REVISED_DAYS:
        since = f" the latest date it mentions is {earliest:%B %Y}, so" if earliest else ""
        return (
            f"the text carries no date;{since} it may have been written within months of "
            f"{reading.end:%B %Y}, when CBP's figures for those months were still being "
            "revised. Its date, or the CBP release of that time, would settle it."
        )
    written = published or earliest
    if newest is None or written is None or written <= newest.readable_from:
        return None
    if (newest.coverage_end - reading.end).days > REVISED_DAYS:
        return None
    return (
        f"{compared} is the newest borderflow holds, and it still counted "
        f"{reading.end:%B %Y} among its recent, revisable months; the text was written "
        "later and may quote a newer release. Importing CBP's newer releases would settle it."
    )


def _as_published(
    claim: StoredClaim, match: Reading, then: CbpVintage, tried: list[Reading]
) -> Verdict:
    """The figure is the one CBP published when the text was written, since revised."""
    same = (match.rung, match.start, match.end)
    now = next((r for r in tried if (r.rung, r.start, r.end) == same), None)
    revised = f"; CBP has since revised it to {kg_to_lb(now.kg):,.2f} lb" if now else ""
    caveat = f"it is the figure CBP published in {then.release}, before later revisions"
    return Verdict(
        claim.id, "official", VerdictKind.SUPPORTED_WITH_CAVEAT, CONFIDENCE["caveat"],
        f"{claim.text} matches CBP's {kg_to_lb(match.kg):,.2f} lb for {match.period} on the "
        f"{match.rung.label} in {then.release} (data to {then.coverage_end:%B %Y}), the newest "
        f"release when the text was written{revised}.",
        expected=match.kg, unit="kg", caveat=caveat,
        citations=[Citation(
            "official", f"CBP fentanyl seizures, {match.rung.label}, {match.period}",
            source=cbp.CBP.name, release=then.release, value=round(kg_to_lb(match.kg), 4),
            unit="lb",
        )],
    )  # fmt: skip
