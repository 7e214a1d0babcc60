"""Claims against official data: CBP fentanyl seizures by border, and PHAC's share of
Canadian opioid deaths involving fentanyl (deaths themselves: `borderflow.checks.deaths`).

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
from borderflow.datasets import cbp, phac
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
