"""Claims against official data: CBP fentanyl seizures by border, U.S. and Canadian deaths.

Every plausible reading is tried (calendar and fiscal year, land ports only or the whole
border), and the verdict says which reading the claim's figure matches. A claim the data do
not cover, or whose period is not stated, is `unverifiable`: never a guess.
"""

from __future__ import annotations

from datetime import date

from borderflow.calendars import fiscal_year_words, is_calendar_year
from borderflow.checks.data import OfficialData
from borderflow.checks.model import Citation, Verdict, VerdictKind
from borderflow.checks.tolerance import (
    Agreement,
    agree,
    agree_claim,
    agrees,
    rounding_step,
    verdict_for,
)
from borderflow.datasets import cbp, cdc, phac
from borderflow.records.claims import StoredClaim
from borderflow.units import kg_to_lb
from borderflow.vocab import load_vocabulary

_RANK = {"exact": 0, "rounding": 1, "near": 2, "no": 3}


def _agency_country(claim: StoredClaim) -> str | None:
    return load_vocabulary().agency_country(claim.agency)


def _citation(
    data: OfficialData, source: str, label: str, value: float, unit: str, year: int | None = None
) -> Citation:
    """An official series; for a single observation (a year of deaths), its file and line."""
    release, line = data.latest_release(source), None
    if year is not None and (source, year) in data.lines:
        release, line = data.lines[(source, year)]
    return Citation(
        "official",
        label,
        source=source,
        release=release,
        value=round(value, 4),
        unit=unit,
        line=line,
    )


def _readings(claim: StoredClaim) -> list[tuple[str, date, date]]:
    return [(c.basis, c.start, c.end) for c in claim.period_candidates]


Reading = tuple[int, str, bool, float, date, date, Agreement]  # rank, basis, land, kg, span, grade


def _cbp_readings(claim: StoredClaim, data: OfficialData, region: str) -> list[Reading]:
    """Every reading the data cover (each period candidate, land only or the whole
    border), the closest first; ties go to the calendar year and to land only."""
    tried = []
    for basis, start, end in _readings(claim):
        for land_only in (True, False):
            kg = data.cbp_total_kg(region, land_only, start, end)
            if kg is not None:
                grade = agree_claim(claim, kg)
                tried.append((_RANK[grade], basis, land_only, kg, start, end, grade))
    return sorted(tried, key=lambda t: (t[0], t[1] != "calendar", not t[2]))


def check_cbp(claim: StoredClaim, data: OfficialData) -> Verdict | None:
    """A mass of fentanyl seized at the northern or southwest border."""
    region = cbp.region_of_corridor(claim.corridor)
    if (
        claim.dimension != "mass"
        or claim.substance != "fentanyl"
        or claim.measure != "seizure"
        or region is None
        or (claim.agency is not None and claim.agency not in cbp.AGENCIES)
        or claim.normalized_value is None
    ):
        return None
    readings = _readings(claim)
    if not readings:
        return Verdict(
            claim.id, "official", VerdictKind.UNVERIFIABLE, 0.5,
            "The claim states no period, so it cannot be matched to CBP's figures.",
        )  # fmt: skip
    tried = _cbp_readings(claim, data, region)
    if not tried:
        return Verdict(
            claim.id, "official", VerdictKind.UNVERIFIABLE, 0.6,
            f"CBP's published series do not cover {readings[0][1]}..{readings[0][2]}.",
        )  # fmt: skip
    _rank, basis, land_only, kg, start, end, grade = tried[0]
    scope = f"{region} ({'land only' if land_only else 'land, air and sea'})"
    period = _period_label(basis, start, end)
    cites = [
        _citation(
            data, cbp.CBP.name, f"CBP fentanyl seizures, {scope}, {period}", kg_to_lb(kg), "lb"
        )
    ]
    if grade == "no":
        options = "; ".join(
            f"{_period_label(b, s, e)} {'land' if lo else 'all'}: {kg_to_lb(k):,.2f} lb"
            for _, b, lo, k, s, e, _ in tried[:4]
        )
        return Verdict(
            claim.id, "official", VerdictKind.CONTRADICTED, 0.8,
            f"The claim says {claim.text}; CBP's figures are {options}.",
            expected=kg, unit="kg", citations=cites,
        )  # fmt: skip
    return _cbp_match(claim, tried[0], region, cites)


def _cbp_match(claim: StoredClaim, reading: Reading, region: str, cites: list[Citation]) -> Verdict:
    """A figure CBP's data bear out, with the caveats a reader needs: which period basis
    and which part of the border it is, and how far off when only near."""
    _rank, basis, land_only, kg, start, end, grade = reading
    period = _period_label(basis, start, end)
    explicit = claim.period_basis not in (None, "unknown")
    caveats = []
    if not explicit or basis != claim.period_basis:
        caveats.append(
            f"it is CBP's {period} figure"
            + ("" if basis == "calendar" else f" (U.S. fiscal year, {fiscal_year_words()})")
        )
    caveats.append(
        f"land only (CBP's '{region.split()[0]} Land Border' figure)"
        if land_only
        else "the whole border region including air and sea ports"
    )
    stated_basis = agrees(grade) and explicit and basis == claim.period_basis
    verdict = VerdictKind.SUPPORTED if stated_basis else VerdictKind.SUPPORTED_WITH_CAVEAT
    if grade == "near":
        caveats.append(f"off by {abs(kg - float(claim.normalized_value or 0.0)) / kg:.2%}")
    return Verdict(
        claim.id, "official", verdict, 0.85 if grade != "near" else 0.6,
        f"{claim.text} matches {kg_to_lb(kg):,.2f} lb ({kg:,.3f} kg): " + "; ".join(caveats) + ".",
        expected=kg, unit="kg", citations=cites,
    )  # fmt: skip


def _period_label(basis: str, start: date, end: date) -> str:
    if basis == "us_fiscal":
        return f"FY{end.year}"
    if is_calendar_year(start, end):
        return str(start.year)
    return f"{start}..{end}"


def _no_series(claim: StoredClaim, held: str) -> Verdict:
    return Verdict(
        claim.id,
        "official",
        VerdictKind.UNVERIFIABLE,
        0.5,
        f"The claim is about {claim.substance or 'an unnamed substance'}; the "
        f"official data borderflow holds cover {held} only.",
    )


def _year_of(
    claim: StoredClaim, published: date | None, series: dict[int, float]
) -> tuple[int | None, str]:
    """The calendar year a deaths claim is about, and how it was decided."""
    start, end = claim.period_start, claim.period_end
    if start and end and is_calendar_year(start, end):
        return start.year, "stated"
    if claim.period_text and not start:
        return None, "unresolved"
    if start:
        return None, "not a calendar year"
    if claim.dimension == "rate":
        years = [y for y in series if published is None or y < published.year]
        return (max(years), "latest full year before the article") if years else (None, "none")
    return None, "no period"


_REASONS = {
    "unresolved": "its period cannot be resolved from the text",
    "no period": "it states no period",
    "none": "no year before the article is covered",
    "not a calendar year": "its period is not a calendar year",
}


_DeathSeries = tuple[dict[int, float], str, str]  # figures by year, source, label


def _deaths_series(claim: StoredClaim, data: OfficialData) -> _DeathSeries | Verdict | None:
    """Which country's deaths a claim counts, and the series for it; a verdict when the
    claim is about a substance no series covers; None when it is about neither country."""
    americans = "American" in claim.text
    canada = not americans and (
        _agency_country(claim) == "CA" or claim.place == "Canada" or "Canadian" in claim.text
    )
    if canada:
        if claim.substance not in ("opioids", "fentanyl"):
            return _no_series(claim, "Canadian deaths from opioids")
        return data.canada_deaths, phac.HARMS.name, "PHAC apparent opioid toxicity deaths"
    if americans or claim.place in (None, "United States"):
        if claim.substance not in ("fentanyl", "synthetic opioids"):
            return _no_series(claim, "U.S. deaths involving synthetic opioids (fentanyl)")
        label = "CDC VSRR synthetic-opioid deaths (mostly illicit fentanyl)"
        return data.us_deaths, cdc.VSRR.name, label
    return None


def check_deaths(claim: StoredClaim, data: OfficialData, published: date | None) -> Verdict | None:
    """U.S. synthetic-opioid (fentanyl) deaths, or Canadian opioid deaths."""
    if claim.measure != "deaths" or claim.normalized_value is None:
        return None
    found = _deaths_series(claim, data)
    if not isinstance(found, tuple):
        return found
    series, source, label = found
    year, how = _year_of(claim, published, series)
    if year is None or year not in series:
        return Verdict(
            claim.id, "official", VerdictKind.UNVERIFIABLE, 0.5,
            f"{label}: {_REASONS.get(how, how)}, so no year of the data can be "
            "matched without guessing.",
        )  # fmt: skip
    if how.startswith("latest"):
        # A present-tense rate ("die annually"): either of the two latest full years counts.
        year = min(
            (y for y in (year, year - 1) if y in series),
            key=lambda y: _RANK[agree_claim(claim, series[y])],
        )
    actual = series[year]
    grade = agree_claim(claim, actual)
    cites = [_citation(data, source, f"{label}, {year}", actual, "deaths", year)]
    if grade == "no":
        per = "a year" if claim.dimension != "rate" else "a year (the claim's rate, annualised)"
        return Verdict(
            claim.id, "official", VerdictKind.CONTRADICTED, 0.8,
            f"The claim implies {float(claim.normalized_value):,.0f} deaths {per}; {label} for "
            f"{year}: {actual:,.0f} ({how}).",
            expected=actual, unit="deaths", citations=cites,
        )  # fmt: skip
    stated = agrees(grade) and how == "stated"
    return Verdict(
        claim.id, "official",
        VerdictKind.SUPPORTED if stated else VerdictKind.SUPPORTED_WITH_CAVEAT,
        0.8 if grade != "near" else 0.6,
        f"{label} for {year} ({how}): {actual:,.0f}; the claim says {claim.text}.",
        expected=actual, unit="deaths", citations=cites,
    )  # fmt: skip


def check_fentanyl_share_of_deaths(claim: StoredClaim, data: OfficialData) -> Verdict | None:
    """'Fentanyl was involved in 82% of them': PHAC's share of Canadian opioid deaths."""
    sentence = claim.sentence.lower()
    if (
        claim.dimension != "percent"
        or claim.substance not in ("fentanyl", "opioids")
        or "fentanyl" not in sentence
        or "death" not in sentence
    ):
        return None
    canadian = (
        _agency_country(claim) == "CA"
        or claim.place == "Canada"
        or "canad" in claim.sentence.lower()
    )
    if not canadian:
        return None
    start, end = claim.period_start, claim.period_end
    year = start.year if start and end and start.year == end.year else None
    if year is None or year not in data.canada_fentanyl_share:
        return Verdict(
            claim.id,
            "official",
            VerdictKind.UNVERIFIABLE,
            0.5,
            "PHAC's share of opioid deaths involving fentanyl is published by year; "
            "the claim's year is not stated or not covered.",
        )
    actual = data.canada_fentanyl_share[year]
    grade = agree(
        float(claim.value),
        actual,
        claim.qualifier,
        rounding_step(float(claim.value), claim.text),
    )
    return Verdict(
        claim.id,
        "official",
        verdict_for(grade),
        0.8,
        f"PHAC: {actual:g}% of apparent opioid toxicity deaths in {year} involved "
        f"fentanyl; the claim says {claim.text}.",
        expected=actual,
        unit="percent",
        citations=[
            _citation(
                data, phac.HARMS.name, f"PHAC deaths involving fentanyl, {year}", actual, "percent"
            )
        ],
    )
