"""A stated change in deaths from one year to another ("overdose deaths fell 27 percent in
2024 from the year before") against the change in the death series held.

Counts for recent years are revised for a year or more, and reporting compares whichever
releases were out at the time: CDC's "27 percent" drop for 2024 set two provisional
counts against each other, while the series held has 2023's final count, which gives
23 percent. So a change that matches the held series is supported, and one that does not
is left unverifiable with the held change shown, never called false, unless the text has
the direction wrong against a change far larger than revisions move (a rise of 10% or
more called a fall). Only whole calendar years are compared, and only when the base year
is the one before or is named; "since the peak" and rates per 100,000 are left alone.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from borderflow.calendars import is_calendar_year
from borderflow.checks.changes import direction_of
from borderflow.checks.data import OfficialData
from borderflow.checks.deaths import DeathSeries, deaths_series, year_citation
from borderflow.checks.model import Verdict, VerdictKind
from borderflow.checks.tolerance import agree, effective_qualifier, rounding_step
from borderflow.records.claims import StoredClaim

_DEATHS = re.compile(r"(?i)\b(?:deaths?|died|dying|fatalit(?:y|ies)|overdoses)\b")
# A change of something else in the same clause (seizures, visits, a rate): not deaths'.
_OTHER = re.compile(
    r"(?i)\b(?:seiz\w*|intercept\w*|pounds|kilo\w*|kg|lbs?|rates?|per\s+100,?000|"
    r"hospitali[sz]\w*|emergency|visits|calls|encounters|arrests|prescriptions)\b"
)
# A part of the population or of the country: the series held are national, all ages.
_PART = re.compile(
    r"(?i)\b(?:among|aged|ages|teen\w*|adolescen\w*|youth|young|children|kids|women|men|"
    r"males?|females?|black|hispanic|latin[oax]|white|indigenous|native|first\s+nations|"
    r"veterans|county|counties|city|cities|statewide|provinces?|rural|urban)\b"
)
# Bases that are not the year before and not a named year: no verdict.
_OTHER_BASE = re.compile(r"(?i)\b(?:peak|since|record|high|low|decade|pandemic)\b")
_YEAR_BEFORE = re.compile(
    r"(?i)\b(?:(?:the|a)\s+(?:year|twelve\s+months|12\s+months)\s+(?:before|earlier|prior)|"
    r"(?:the\s+)?(?:previous|prior|preceding)\s+year|last\s+year|year[\s-]over[\s-]year|"
    r"annual(?:ly)?)\b"
)
_NAMED_BASE = re.compile(
    r"(?i)\b(?:from|than|compared\s+(?:with|to)|over|versus|vs\.?|on)\s+(?:in\s+)?((?:19|20)\d\d)\b"
)
_CLAUSE_BREAK = re.compile(r"[;:—]|\s(?:but|while|whereas|although)\s")
# Revisions move a year's count by a few percent; a change this large in the other
# direction is wrong whichever releases the text compared.
_CLEAR = 10.0


def _clause(claim: StoredClaim) -> str:
    """The part of the sentence the change sits in, between breaks such as ';' or 'while'."""
    at = max(claim.sentence.find(claim.text), 0)
    starts = [m.end() for m in _CLAUSE_BREAK.finditer(claim.sentence, 0, at)]
    end = _CLAUSE_BREAK.search(claim.sentence, at + len(claim.text))
    return claim.sentence[max(starts, default=0) : end.start() if end else None]


def _base_year(clause: str, year: int) -> tuple[int, bool] | None:
    """The year the change is measured from and whether the text names it (False: the
    year before is implied); None when the text measures from something else."""
    named = {int(m.group(1)) for m in _NAMED_BASE.finditer(clause)} - {year}
    if len(named) > 1 or any(y > year for y in named):
        return None
    if named:
        return named.pop(), True
    if _OTHER_BASE.search(clause):
        return None
    return year - 1, bool(_YEAR_BEFORE.search(clause))


def check_death_change(
    claim: StoredClaim, data: OfficialData, published: date | None
) -> Verdict | None:
    """A percent change in a year's deaths against the held series' change."""
    if claim.measure != "change" or claim.dimension != "percent" or claim.value_max is not None:
        return None
    clause = _clause(claim)
    start, end = claim.period_start, claim.period_end
    if not _DEATHS.search(clause) or _OTHER.search(clause) or _PART.search(clause):
        return None
    if not (start and end):
        return None
    if not is_calendar_year(start, end) or (published is not None and published <= end):
        return None  # a part of a year, or a year not over when the text was written
    found = deaths_series(replace(claim, measure="deaths"), data)
    base = _base_year(clause, start.year)
    sign = direction_of(claim)
    if not isinstance(found, DeathSeries) or base is None or sign == 0:
        return None
    year, (before, named) = start.year, base
    if year not in found.figures or before not in found.figures:
        return None
    then, now = found.figures[before], found.figures[year]
    actual = (now - then) / then * 100
    stated = sign * float(claim.normalized_value or 0.0)
    step = rounding_step(float(claim.value), claim.text)
    grade = agree(abs(stated), abs(actual), effective_qualifier(claim), step)
    held = (
        f"{found.label}: {then:,.0f} in {before}, {now:,.0f} in {year}, a change of {actual:+.1f}%"
    )
    cites = [year_citation(found, data, before), year_citation(found, data, year)]
    said = f"the claim says {'+' if stated > 0 else '-'}{abs(stated):g}%"
    base_words = "" if named else f" (the text names no base year; compared with {before})"
    if (stated > 0) == (actual > 0) and grade in ("exact", "rounding"):
        kind = VerdictKind.SUPPORTED if named else VerdictKind.SUPPORTED_WITH_CAVEAT
        return Verdict(
            claim.id, "official", kind, 0.85 if named else 0.7,
            f"{held}; {said}{base_words}.", expected=round(actual, 2), unit="percent",
            citations=cites, caveat=None if named else base_words.strip(" ()") + ".",
        )  # fmt: skip
    if (stated > 0) != (actual > 0) and abs(actual) >= _CLEAR and named:
        return Verdict(
            claim.id, "official", VerdictKind.CONTRADICTED, 0.75,
            f"{held}; {said}: the deaths went the other way.", expected=round(actual, 2),
            unit="percent", citations=cites,
        )  # fmt: skip
    return Verdict(
        claim.id, "official", VerdictKind.UNVERIFIABLE, 0.6,
        f"{held}; {said}{base_words}. Counts for recent years are revised for a year or "
        "more and reporting compares the releases out at the time, so a change that "
        "differs from the held series' is not called false.",
        expected=round(actual, 2), unit="percent", citations=cites,
    )  # fmt: skip
