"""Deaths claims against the official death series: U.S. overdose deaths by drug and
Canadian apparent opioid toxicity deaths.

A claim is compared with the series of what it counts, never with another drug's: about
80,000 "drug overdose deaths" is right for all drugs and far off for fentanyl alone, so a
claim judged against the wrong series would be called false when it is true. Fentanyl and
synthetic opioids go to deaths involving synthetic opioids other than methadone (T40.4),
overdose deaths in general to all drug overdose deaths, methamphetamine and other
psychostimulants to T43.6, cocaine to T40.5, and all opioids to the VSRR opioid indicator
when a full VSRR file is stored. A claim whose drug has no series is unverifiable, and so
is one whose year cannot be told or is not covered: never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial

from borderflow.calendars import is_calendar_year
from borderflow.checks.changes import is_difference
from borderflow.checks.data import OfficialData, series_key
from borderflow.checks.death_sums import check_years_sum
from borderflow.checks.model import Citation, Verdict, VerdictKind
from borderflow.checks.tolerance import Agreement, agree, agree_claim, agrees, rounding_step
from borderflow.datasets import cdc, phac
from borderflow.records.claims import StoredClaim
from borderflow.vocab import load_vocabulary
from borderflow.vocab.borders import countries_named

_RANK = {"exact": 0, "rounding": 1, "near": 2, "no": 3}
# The U.S. series a claim's substance is counted in (the data's substance names).
SERIES_OF_SUBSTANCE = {
    "fentanyl": "synthetic opioids",
    "synthetic opioids": "synthetic opioids",
    "drugs": "drugs",
    "methamphetamine": "psychostimulants",
    "psychostimulants": "psychostimulants",
    "cocaine": "cocaine",
    "opioids": "opioids",
}
US_LABELS = {
    "synthetic opioids": "U.S. deaths involving synthetic opioids other than methadone "
    "(T40.4, mostly illicit fentanyl)",
    "drugs": "U.S. drug overdose deaths, all drugs",
    "psychostimulants": "U.S. deaths involving psychostimulants with abuse potential "
    "(T43.6, mostly methamphetamine)",
    "cocaine": "U.S. deaths involving cocaine (T40.5)",
    "opioids": "U.S. deaths involving any opioid",
}
CANADA_LABEL = "PHAC apparent opioid toxicity deaths"
CANADA_FENTANYL_LABEL = (
    "PHAC apparent opioid toxicity deaths involving fentanyl (deaths times PHAC's share "
    "involving fentanyl)"
)


def _canada_fentanyl(data: OfficialData) -> dict[int, float]:
    """Canadian deaths involving fentanyl: PHAC publishes the count and the share, not
    their product, so it is computed (and rounded as PHAC rounds the share, to 1%)."""
    return {
        year: deaths * data.canada_fentanyl_share[year] / 100
        for year, deaths in data.canada_deaths.items()
        if year in data.canada_fentanyl_share
    }


@dataclass(frozen=True, slots=True)
class DeathSeries:
    """The series a claim is judged against: figures by year, what it is, and for U.S.
    deaths the drug it counts (the key of its origins and lines)."""

    figures: dict[int, float]
    label: str
    substance: str | None = None


def _no_series(claim: StoredClaim, held: str) -> Verdict:
    return Verdict(
        claim.id,
        "official",
        VerdictKind.UNVERIFIABLE,
        0.5,
        f"The claim is about {claim.substance or 'an unnamed substance'}; the "
        f"official data borderflow holds cover {held} only.",
    )


def us_series_of(claim: StoredClaim) -> str | None:
    """The U.S. series a deaths claim counts in: its substance's, or all drugs for a claim
    naming none whose sentence speaks of overdoses."""
    if claim.substance is None:
        return "drugs" if "overdose" in claim.sentence.lower() else None
    return SERIES_OF_SUBSTANCE.get(claim.substance)


def _us_held(data: OfficialData) -> str:
    held = [US_LABELS.get(s, s) for s, figures in data.us_deaths_by_substance.items() if figures]
    return "; ".join(held) or US_LABELS["synthetic opioids"]


def _us_series(claim: StoredClaim, data: OfficialData) -> DeathSeries | Verdict:
    wanted = us_series_of(claim)
    if wanted == "opioids" and "opioid" not in claim.sentence.lower():
        wanted = None  # heroin or oxycodone alone is not every opioid
    figures = data.us_deaths_by_substance.get(wanted or "", {})
    if wanted == "synthetic opioids" and not figures:
        figures = data.us_deaths
    if wanted is None:
        return _no_series(claim, f"U.S. deaths by drug ({_us_held(data)})")
    if not figures:
        return Verdict(
            claim.id, "official", VerdictKind.UNVERIFIABLE, 0.7,
            f"No series of {US_LABELS[wanted]} is held (CDC's full VSRR file has one); the "
            f"official data borderflow holds cover {_us_held(data)} only.",
        )  # fmt: skip
    return DeathSeries(figures, US_LABELS[wanted], wanted)


def deaths_series(claim: StoredClaim, data: OfficialData) -> DeathSeries | Verdict | None:
    """Which country's deaths a claim counts, and the series for it; a verdict when the
    claim is about a substance no series covers; None when it is about neither country."""
    americans = "American" in claim.text
    country = load_vocabulary().agency_country(claim.agency)
    named = countries_named(claim.sentence) - {None}
    canada = not americans and (
        country == "CA"
        or claim.place == "Canada"
        or "Canadian" in claim.text
        or (claim.place is None and named == {"CA"})
    )
    if canada:
        if claim.substance not in ("opioids", "fentanyl"):
            return _no_series(claim, "Canadian deaths from opioids")
        if claim.substance == "fentanyl" and "opioid" not in claim.sentence.lower():
            return DeathSeries(_canada_fentanyl(data), CANADA_FENTANYL_LABEL)
        return DeathSeries(data.canada_deaths, CANADA_LABEL)
    if americans or claim.place in (None, "United States"):
        return _us_series(claim, data)
    return None


def _year_of(
    claim: StoredClaim, published: date | None, series: dict[int, float]
) -> tuple[int | None, str]:
    """The calendar year a deaths claim is about, and how it was decided."""
    start, end = claim.period_start, claim.period_end
    if claim.dimension == "rate" and start and end and (end - start).days < 31:
        start = end = None  # "kills 70,000 a year, he said on Monday": the day is the saying's
    if start and end and is_calendar_year(start, end):
        return start.year, "stated"
    if claim.period_text and not start and claim.dimension != "rate":
        return None, "unresolved"
    if start:
        return None, "not a calendar year"
    if claim.dimension == "rate":
        years = [y for y in series if published is None or y < published.year]
        # An undated document has no "before": the newest year held is all it can mean.
        how = (
            "latest full year held (the text is undated)"
            if published is None
            else ("latest full year before the article")
        )
        return (max(years), how) if years else (None, "none")
    return None, "no period"


_REASONS = {
    "unresolved": "its period cannot be resolved from the text",
    "no period": "it states no period",
    "none": "no year before the article is covered",
    "not a calendar year": "its period is not a calendar year",
}


def _source_of(series: DeathSeries, data: OfficialData, year: int) -> tuple[str, str]:
    """The source (registry name) of one year's figure, and its publication in words."""
    if series.substance is None:
        return phac.HARMS.name, "PHAC, Opioid- and Stimulant-related Harms in Canada"
    origin = data.us_deaths_origin.get((series.substance, year))
    if origin is None:
        return cdc.VSRR.name, "CDC VSRR provisional counts"
    return origin.source, origin.published


def _citation(series: DeathSeries, data: OfficialData, year: int) -> tuple[Citation, str]:
    """The figure's citation (its file and line where known) and its publication."""
    source, published = _source_of(series, data, year)
    release, line = data.latest_release(source), None
    keys = [(series_key(source, series.substance), year)] if series.substance else []
    if series.substance in (None, "synthetic opioids"):
        keys.append((source, year))  # the lines of `us_deaths` and `canada_deaths`
    for key in keys:
        if key in data.lines:
            release, line = data.lines[key]
            break
    value = series.figures[year]
    cite = Citation(
        "official", f"{series.label}, {year}", source=source, release=release,
        value=round(value, 4), unit="deaths", line=line,
    )  # fmt: skip
    return cite, published


def year_citation(series: DeathSeries, data: OfficialData, year: int) -> Citation:
    return _citation(series, data, year)[0]


def _uncovered(claim: StoredClaim, series: DeathSeries, year: int | None, how: str) -> Verdict:
    if year is None:
        why = f"{_REASONS.get(how, how)}, so no year of the data can be matched without guessing"
    else:
        held = ", ".join(str(y) for y in sorted(series.figures))
        why = f"no figure for {year} is held (years held: {held})"
    return Verdict(claim.id, "official", VerdictKind.UNVERIFIABLE, 0.7, f"{series.label}: {why}.")


def check_deaths(claim: StoredClaim, data: OfficialData, published: date | None) -> Verdict | None:
    """U.S. overdose deaths of the claim's drug, or Canadian opioid deaths."""
    if claim.measure != "deaths" or claim.normalized_value is None or is_difference(claim):
        return None
    found = deaths_series(claim, data)
    if not isinstance(found, DeathSeries):
        return found
    series = found.figures
    year, how = _year_of(claim, published, series)
    if how == "not a calendar year" and not _part_of_a_country(claim):
        by_year = partial(year_citation, found, data)
        summed = check_years_sum(claim, series, found.label, by_year, published)
        if summed is not None:
            return summed
    if year is None or year not in series:
        return _uncovered(claim, found, year, how)
    if _part_of_a_country(claim):
        return Verdict(
            claim.id, "official", VerdictKind.UNVERIFIABLE, 0.7,
            f"The figure is for {claim.place}; the death series held are national.",
        )  # fmt: skip
    if how.startswith("latest"):
        stale = _out_of_date(claim, series, year, published)
        if stale is not None:
            return stale
        # A present-tense rate ("die annually"): either of the two latest full years counts.
        year = min(
            (y for y in (year, year - 1) if y in series),
            key=lambda y: _RANK[agree_claim(claim, series[y])],
        )
    actual = series[year]
    grade = agree_claim(claim, actual)
    cite, source = _citation(found, data, year)
    if grade == "near" and _precise(claim) and (other := _alternative(claim, data, found, year)):
        return Verdict(
            claim.id, "official", VerdictKind.UNVERIFIABLE, 0.5,
            f"{claim.text} is {_off(claim, actual):.1%} off "
            f"{found.label} for {year} ({actual:,.0f}) but is exactly {other}: the text "
            "probably gives that year or series, and which one it means decides the verdict.",
        )  # fmt: skip
    if grade == "no":
        other = _alternative(claim, data, found, year)
        if other is not None:
            return Verdict(
                claim.id, "official", VerdictKind.UNVERIFIABLE, 0.5,
                f"{claim.text} is not {found.label} for {year} ({actual:,.0f}), but it matches "
                f"{other}: the text probably means that series or year, and which one it "
                "means decides the verdict, so none is given.",
            )  # fmt: skip
        per = "a year" if claim.dimension != "rate" else "a year (the claim's rate, annualised)"
        return Verdict(
            claim.id, "official", VerdictKind.CONTRADICTED, 0.8,
            f"The claim implies {float(claim.normalized_value):,.0f} deaths {per}; "
            f"{found.label} for {year} ({how}): {actual:,.0f} ({source}).",
            expected=actual, unit="deaths", citations=[cite],
        )  # fmt: skip
    strict = agrees(_written_grade(claim, actual))
    newest = _year_of(claim, published, series)[0]
    latest = how.startswith("latest") and strict and year == newest
    stated = agrees(grade) and (how == "stated" or latest)
    return Verdict(
        claim.id, "official",
        VerdictKind.SUPPORTED if stated else VerdictKind.SUPPORTED_WITH_CAVEAT,
        0.9 if grade != "near" else 0.6,
        f"{found.label} for {year} ({how}): {actual:,.0f} ({source}); the claim says "
        f"{claim.text}" + ("." if grade != "near" else f", {_off(claim, actual):.1%} off."),
        expected=actual, unit="deaths", citations=[cite],
        caveat=None if stated else _caveat(claim, actual, year, how == "stated", newest),
    )  # fmt: skip


def _caveat(claim: StoredClaim, actual: float, year: int, stated: bool, newest: int | None) -> str:
    """Why a figure that holds still carries a caveat: the year had to be supplied, or it
    is a few percent off, or it holds only read as approximate."""
    reasons = []
    if not stated:
        which = "the latest" if year == newest else "the year before the latest"
        reasons.append(f"the text names no year; it is compared with {year}, {which} full year")
    if agree_claim(claim, actual) == "near" and _precise(claim):
        likely = (
            "most likely another release of this series (counts for recent years are "
            "revised as death investigations close), which borderflow does not hold, or a "
            "count by another definition"
            if newest is not None and year >= newest - 1
            else "a count by another definition or source, or of another year"
        )
        reasons.append(
            f"the text is {_off(claim, actual):.1%} off, more than a figure this precise "
            f"is rounded, so it is another count: {likely}"
        )
    elif agree_claim(claim, actual) == "near":
        reasons.append(f"the text is {_off(claim, actual):.1%} off")
    elif not agrees(_written_grade(claim, actual)):
        reasons.append("it holds only read as an approximate figure")
    return "; ".join(reasons) or "it holds only under the reading described"


def _alternative(
    claim: StoredClaim, data: OfficialData, series: DeathSeries, year: int
) -> str | None:
    """Another reading the figure matches (the year before or after, another drug's series,
    the other country's): evidence the text means that one rather than a wrong figure."""
    candidates: list[tuple[str, dict[int, float]]] = [(series.label, series.figures)]
    candidates += [(US_LABELS.get(s, s), f) for s, f in data.us_deaths_by_substance.items()]
    candidates += [(US_LABELS["synthetic opioids"], data.us_deaths)]
    candidates += [(CANADA_LABEL, data.canada_deaths)]
    candidates += [(CANADA_FENTANYL_LABEL, _canada_fentanyl(data))]
    for label, figures in candidates:
        for when in (year, year - 1, year + 1):
            if (label, when) == (series.label, year) or when not in figures:
                continue
            if agrees(agree_claim(claim, figures[when])):
                return f"{label} for {when} ({figures[when]:,.0f})"
    return None


# A present-tense figure ("die every year") true only of the year before the latest one is
# out of date once the latest year's count has been out this long (CDC publishes a year's
# provisional count about five months after it ends).
_STALE_AFTER_DAYS = 240


def _out_of_date(
    claim: StoredClaim, series: dict[int, float], year: int, published: date | None
) -> Verdict | None:
    """ "Kills more than 70,000 Americans every year", said when the latest count is
    48,662: true of earlier years, misleading as a current toll."""
    if published is None or year not in series or year - 1 not in series:
        return None
    if agree_claim(claim, series[year]) != "no" or agree_claim(claim, series[year - 1]) == "no":
        return None
    if (published - date(year, 12, 31)).days < _STALE_AFTER_DAYS:
        return None
    return Verdict(
        claim.id, "official", VerdictKind.MISLEADING, 0.7,
        f"{claim.text} was about right for {year - 1} ({series[year - 1]:,.0f}), but the "
        f"latest full year before the article, {year}, counted {series[year]:,.0f}: as a "
        "current yearly toll it is out of date.",
        expected=series[year], unit="deaths",
    )  # fmt: skip


def _written_grade(claim: StoredClaim, actual: float) -> Agreement:
    """Agreement at the precision written, without the leeway "about" adds."""
    stated = float(claim.normalized_value or 0.0)
    value = float(claim.value) or 1.0
    qualifier = "exact" if claim.qualifier == "approx" else claim.qualifier
    return agree(stated, actual, qualifier, rounding_step(value, claim.text) * stated / value)


def _part_of_a_country(claim: StoredClaim) -> bool:
    """A count for a province, state or city: the series held are national."""
    place = claim.place
    if place is None:
        return False
    return all(
        term.name != place or term.attrs.get("level") != "country"
        for term in load_vocabulary().places
    )


def _off(claim: StoredClaim, actual: float) -> float:
    """How far the claim's figure is from the official one, as a share of it."""
    return abs(float(claim.normalized_value or 0.0) - actual) / actual


def _precise(claim: StoredClaim) -> bool:
    """ "8,020", "74,829": written to the unit, so 10% off is another figure, not a rounding
    ("some 80,000" is not precise)."""
    value = float(claim.value) or 1.0
    return claim.qualifier == "exact" and rounding_step(value, claim.text) < 0.01 * abs(value)
