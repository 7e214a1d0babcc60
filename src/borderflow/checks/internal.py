"""A rate stated next to the count it restates ("about 22 deaths a day" beside "8,020
deaths in 2023"): the count over its period's days should give the rate.
"""

from __future__ import annotations

from collections.abc import Sequence

from borderflow.checks.model import Citation, Verdict
from borderflow.checks.tolerance import agree, rounding_step, verdict_for
from borderflow.records.claims import StoredClaim


def _value(claim: StoredClaim) -> float:
    """The claim's figure in its normalised unit (the checks here read only claims that
    have one)."""
    return float(claim.normalized_value or 0.0)


def _cite(claim: StoredClaim) -> Citation:
    return Citation.of_claim(claim)


def _apart(first: StoredClaim, second: StoredClaim) -> bool:
    """Whether a semicolon or a colon stands between two figures of one sentence: two
    statements ("kills about 70,000 a year; in the first six months of 2024, 25,000
    died" sets a trend beside a rate, it does not restate it)."""
    (a, _), (b, _) = sorted((first.in_sentence(), second.in_sentence()))
    return any(mark in first.sentence[a:b] for mark in ";:")


def per_day_per_year(claims: Sequence[StoredClaim]) -> list[Verdict]:
    """A rate ("about 22 deaths a day") stated next to the count it restates ("8,020 deaths
    in 2023"): the count over its period's days should give the rate. The count restated
    is the one for the rate's period; with none, or several periods and none for the rate,
    nothing is judged. Nor is a count said by someone other than the rate's speaker (two
    people's figures are two claims, not one restated), or one over far less time than
    the rate's unit ("killed a quarter of a million" said "this week" is no week's count
    to set against "300,000 a year"; half a year's count does restate a yearly rate)."""
    out = []
    for rate in claims:
        if rate.dimension != "rate" or not rate.normalized_value:
            continue
        noun = (rate.unit or "").split("/")[0]
        counts = [
            c
            for c in claims
            if c.sentence == rate.sentence
            and c is not rate
            and c.dimension == "count"
            and c.unit == noun
            and c.period_start
            and c.normalized_value
            and (c.speaker == rate.speaker or None in (c.speaker, rate.speaker))
            and not _apart(rate, c)
        ]
        if rate.period_start is not None:
            # "averaging 20 a day last year" restates last year's count, not another year's
            span = (rate.period_start, rate.period_end)
            counts = [c for c in counts if (c.period_start, c.period_end) == span]
        elif len({(c.period_start, c.period_end) for c in counts}) > 1:
            continue  # counts for several periods and a rate for none: which is unknowable
        if not counts:
            continue
        count = counts[0]
        if count.period_start is None or count.period_end is None:
            continue
        days = (count.period_end - count.period_start).days + 1
        per_year = _value(count) / days * 365.25
        stated = float(rate.normalized_value)
        if days < 365.25 * float(rate.value) / stated / 4:  # a quarter of the rate's unit
            continue
        step = rounding_step(float(rate.value), rate.text) * stated / float(rate.value)
        grade = agree(stated, per_year, rate.qualifier, step)
        verdict = verdict_for(grade)
        per_unit = per_year / (stated / float(rate.value))
        out.append(
            Verdict(
                rate.id,
                "arithmetic",
                verdict,
                0.8,
                f"{count.text} over {days} days is {per_unit:,.1f} "
                f"{noun} per {(rate.unit or '/').split('/')[1]}; the text says "
                f"{rate.text}.",
                expected=per_year,
                unit=f"{noun}/year",
                citations=[_cite(count), _cite(rate)],
            )
        )
    return out
