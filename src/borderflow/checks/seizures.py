"""Fentanyl seized by CBP at the borders, checked on the scope ladder.

A figure is read on every rung the text allows (CBP's land-border figure or the whole border
region; the northern border, the southwest border, all borders together) and for every
period reading the extractor kept (calendar or fiscal year...). The closest reading decides:
within the written precision it is `supported`; near, a caveat; clearly different under
every reading, `contradicted`. A figure that instead matches another rung or period of the
same series, or is far from all of them, says the reading is wrong rather than the claim:
that is `unverifiable`, with the reading it does match when there is one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date, timedelta

from borderflow.calendars import (
    fiscal_year_span,
    fiscal_year_words,
    is_calendar_year,
    month_end,
)
from borderflow.checks.cbp_readings import (
    CONFIDENCE,
    Reading,
    every_rung,
    period_label,
    readings,
    rungs_of,
)
from borderflow.checks.data import OfficialData
from borderflow.checks.guard import far_off
from borderflow.checks.model import Citation, Verdict, VerdictKind
from borderflow.checks.seizure_revisions import revision_verdict
from borderflow.checks.shares import part_of_a_border
from borderflow.checks.tolerance import agrees
from borderflow.checks.vintages import PUBLICATION_LAG
from borderflow.datasets import cbp
from borderflow.records.claims import StoredClaim
from borderflow.units import kg_to_lb

# Words that say a figure is CBP's land-border one ("at land crossings"), and that it is of
# the ports alone (CBP's border totals also count Border Patrol seizures between ports).
_LAND_WORDS = re.compile(r"(?i)\b(?:land|crossings?|by road|trucks?|vehicles?)\b")
_PORT_WORDS = re.compile(r"(?i)\bports?\s+of\s+entry\b|\bat\s+(?:the\s+)?ports\b")


def _applies(claim: StoredClaim) -> bool:
    return (
        claim.dimension == "mass"
        and claim.substance == "fentanyl"
        and claim.measure == "seizure"
        and (claim.agency is None or claim.agency in cbp.AGENCIES)
        and claim.normalized_value is not None
        and claim.normalized_value > 0
    )


def _citation(data: OfficialData, reading: Reading) -> Citation:
    return Citation(
        "official", f"CBP fentanyl seizures, {reading.rung.label}, {reading.period}",
        source=cbp.CBP.name, release=data.latest_release(cbp.CBP.name),
        value=round(kg_to_lb(reading.kg), 4), unit="lb",
    )  # fmt: skip


def _unverifiable(claim: StoredClaim, why: str, confidence: float = 0.7) -> Verdict:
    return Verdict(claim.id, "official", VerdictKind.UNVERIFIABLE, confidence, why)


def check_cbp(
    claim: StoredClaim,
    data: OfficialData,
    published: date | None = None,
    earliest: date | None = None,
    others_end: date | None = None,
) -> Verdict | None:
    """A mass of fentanyl seized at a U.S. border, against CBP's monthly series as of the
    document's date (`published`): a period still running then is read as "so far". A text
    with no date was written no earlier than `earliest`, when that is known; `others_end`
    is the latest end of the periods its other figures name (the claim's own period says
    nothing of whether that period had ended when the text was written)."""
    rungs = rungs_of(claim.corridor)
    if rungs is None or not _applies(claim):
        return None
    if part_of_a_border(claim):
        return _unverifiable(
            claim, f"The figure is for {claim.place}, part of a border; CBP's series held are "
            "totals for each border region.",
        )  # fmt: skip
    periods = [(c.basis, c.start, c.end) for c in claim.period_candidates]
    if not periods:
        return _unverifiable(
            claim, "The claim states no period, so it cannot be matched to CBP's figures."
        )
    whole = [p for p in _so_far(periods, published) if _whole_months(p[1], p[2])]
    if not whole:
        days = (periods[0][2] - periods[0][1]).days + 1
        return _unverifiable(
            claim, f"CBP publishes monthly totals; a period of {days} days (a single seizure "
            "or part of a month) cannot be matched to them.",
        )  # fmt: skip
    tried = readings(claim, data, rungs, whole)
    if not tried:
        first = periods[0]
        return _unverifiable(
            claim, f"CBP's published series do not cover {period_label(*first)} in full."
        )
    best = tried[0]
    if best.grade != "no":
        return _matched(claim, best, data, tried)
    revised = revision_verdict(claim, data, rungs, whole, tried, published, earliest)
    if revised is not None:
        return revised
    return _undated_part(claim, tried, published, others_end) or _unmatched(
        claim, best, tried, data
    )


def _undated_part(
    claim: StoredClaim, tried: list[Reading], published: date | None, others_end: date | None
) -> Verdict | None:
    """An undated text's figure below CBP's for each whole period it may mean: written
    while that period ran ("seized during fiscal year 2025", in February), it is the
    months published by then, which only the text's date could tell. Not when the text's
    other figures name a later period: then this one had ended."""
    stated = float(claim.normalized_value or 0.0)
    if published is not None or not all(stated < r.kg for r in tried):
        return None
    if not all(_whole_year(r.start, r.end) for r in tried):
        return None  # "from October to April" names its end: the text saw it
    if others_end is not None and all(r.end <= others_end for r in tried):
        return None
    periods = sorted({r.period for r in tried})
    return _unverifiable(
        claim,
        f"{claim.text} is below CBP's figure for the whole of {' or '.join(periods)}, and the "
        "text is undated: written before the period ended, it may count only the months "
        "published by then, so it is not judged.",
        0.5,
    )


def _so_far(
    periods: Sequence[tuple[str, date, date]], published: date | None
) -> list[tuple[str, date, date]]:
    """Each period reading as the text could know it: one still running when the text was
    written ("seized this fiscal year") runs to the last month CBP had published by the
    document's date (`PUBLICATION_LAG` after it ended), or the month before it, for a
    writer who had not yet seen the newest update."""
    if published is None:
        return list(periods)
    out: list[tuple[str, date, date]] = []
    for basis, start, end in periods:
        if end < published or start >= published:
            out.append((basis, start, end))
            continue
        last = _last_published(published)
        for _ in range(2):
            if last >= start:
                out.append(("to date", start, last))
            last = month_end(last.year, last.month) - timedelta(days=last.day)
    return out


def _last_published(on: date) -> date:
    """The end of the last month whose CBP figures could be read `on` a given day."""
    year, month = on.year, on.month - 1
    while True:
        if month == 0:
            year, month = year - 1, 12
        last = month_end(year, month)
        if last + PUBLICATION_LAG <= on:
            return last
        month -= 1


def _whole_year(start: date, end: date) -> bool:
    """A named year, fiscal or calendar: a writer may use it for the months so far."""
    return (start, end) == fiscal_year_span(end.year) or is_calendar_year(start, end)


def _whole_months(start: date, end: date) -> bool:
    return start.day == 1 and end == month_end(end.year, end.month)


def _rung_caveat(claim: StoredClaim, reading: Reading, tried: list[Reading]) -> str | None:
    """What the reader should know about the rung matched: CBP's land-border figure when the
    text did not say land, or a total that counts Border Patrol when the text says ports."""
    same_period = [r for r in tried if (r.start, r.end) == (reading.start, reading.end)]
    whole_agrees = any(agrees(r.grade) for r in same_period if not r.rung.land_only)
    if not reading.rung.land_only and _PORT_WORDS.search(claim.sentence):
        return "CBP's total also counts Border Patrol seizures between the ports"
    if reading.rung.land_only and not whole_agrees and not _LAND_WORDS.search(claim.sentence):
        region = reading.rung.regions[0].lower()
        return f"it is the land-border figure only; the whole {region} region differs"
    return None


def _matched(
    claim: StoredClaim, reading: Reading, data: OfficialData, tried: list[Reading]
) -> Verdict:
    """A figure CBP's data bear out, with what the reader should know: which period basis
    and which rung of the border it is, and how far off when only near. A figure that holds
    under every reading the text allows (`every`), or under the text's first reading (a
    stated fiscal year; "in 2024" read as the calendar year), needs no caveat about which;
    one that holds only under another reading ("last year" as the fiscal year) does."""
    every = all(agrees(r.grade) for r in tried)
    primary = (reading.start, reading.end) == (claim.period_start, claim.period_end)
    caveats = []
    if not (every or primary):
        fiscal = {
            "us_fiscal": f" (U.S. fiscal year, {fiscal_year_words()})",
            "to date": " (the months published before the text was written)",
        }.get(reading.basis, "")
        caveats.append(f"it is CBP's {reading.period} figure{fiscal}")
    rung = _rung_caveat(claim, reading, tried)
    if rung is not None:
        caveats.append(rung)
    if reading.grade == "near":
        off = abs(reading.kg - float(claim.normalized_value or 0.0)) / reading.kg
        caveats.append(f"the text is off by {off:.1%}")
        periods = [(c.basis, c.start, c.end) for c in claim.period_candidates]
        exact = _elsewhere(claim, data, periods)
        if exact is not None:
            caveats.append(
                f"it is exactly CBP's {exact.period} figure for the {exact.rung.label} "
                f"({kg_to_lb(exact.kg):,.2f} lb), so the text may mean that"
            )
    clean = agrees(reading.grade) and not caveats
    caveat = None if clean else "; ".join(caveats)
    caveats.insert(0, f"the rung is the {reading.rung.label}")
    kind = VerdictKind.SUPPORTED if clean else VerdictKind.SUPPORTED_WITH_CAVEAT
    confidence = CONFIDENCE["as read" if clean else "caveat" if agrees(reading.grade) else "near"]
    return Verdict(
        claim.id, "official", kind, confidence,
        f"{claim.text} matches CBP's {kg_to_lb(reading.kg):,.2f} lb ({reading.kg:,.3f} kg): "
        + "; ".join(caveats) + ".",
        expected=reading.kg, unit="kg", citations=[_citation(data, reading)], caveat=caveat,
    )  # fmt: skip


def _elsewhere(claim: StoredClaim, data: OfficialData, periods: Sequence[tuple[str, date, date]]
               ) -> Reading | None:  # fmt: skip
    """A reading on another rung, or for a neighbouring fiscal or calendar year, that the
    figure matches: evidence the text (or its reading) means that one. A bound ("more than
    11,000 pounds") is met by too many figures to point at any one of them."""
    if claim.qualifier in ("more_than", "at_least", "less_than", "at_most"):
        return None
    years = {end.year for _b, _s, end in periods}
    others: list[tuple[str, date, date]] = list(periods)
    for year in sorted(years):
        for fy in (year - 1, year, year + 1):
            others.append(("us_fiscal", *fiscal_year_span(fy)))
            others.append(("calendar", date(fy, 1, 1), date(fy, 12, 31)))
    found = readings(claim, data, every_rung(), others, bounds=False)
    matches = [r for r in found if agrees(r.grade)]
    return matches[0] if matches else None


def _unmatched(
    claim: StoredClaim, best: Reading, tried: list[Reading], data: OfficialData
) -> Verdict:
    stated = float(claim.normalized_value or 0.0)
    # No reading agrees: the one closest to the figure (by ratio) is the fairest comparison.
    best = min(tried, key=lambda r: abs(math.log(stated / r.kg)))
    options = "; ".join(f"{r.period} {r.rung.label}: {kg_to_lb(r.kg):,.2f} lb" for r in tried[:4])
    periods = [(c.basis, c.start, c.end) for c in claim.period_candidates]
    other = _elsewhere(claim, data, periods)
    if other is not None:
        return _unverifiable(
            claim,
            f"{claim.text} is not CBP's figure for the reading the text gives ({options}), but "
            f"it matches CBP's {other.period} figure for the {other.rung.label} "
            f"({kg_to_lb(other.kg):,.2f} lb): the text probably means that scope or period. "
            "Which one it means decides the verdict, so none is given.",
            0.5,
        )
    ratio = max(stated / best.kg, best.kg / stated)
    if far_off(stated, best.kg) is not None:
        return _unverifiable(
            claim,
            f"{claim.text} is {ratio:,.0f} times away from every reading of CBP's series "
            f"({options}); a figure that far off is more likely about another scope, period, "
            "unit or substance (or a part of the total) than a wrong count, so it is not judged.",
            0.5,
        )
    return Verdict(
        claim.id, "official", VerdictKind.CONTRADICTED, CONFIDENCE["wrong"],
        f"The claim says {claim.text}; CBP's figures under every reading the text allows are "
        f"{options}. The closest differs by a factor of {ratio:.1f}.",
        expected=best.kg, unit="kg", citations=[_citation(data, best)],
    )  # fmt: skip
