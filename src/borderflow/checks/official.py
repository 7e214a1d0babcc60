"""Claims against official data: CBP fentanyl seizures by border, U.S. and Canadian deaths.

Every plausible reading is tried (calendar and fiscal year, land ports only or the whole
border), and the verdict says which reading the claim's figure matches. A claim the data do
not cover, or whose period is not stated, is `unverifiable`: never a guess.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from borderflow.checks.data import REGIONS, OfficialData
from borderflow.checks.model import Citation, Verdict, VerdictName
from borderflow.checks.tolerance import agree, agree_claim, rounding_step, verdict_for
from borderflow.vocab import load_vocabulary

_RANK = {"exact": 0, "rounding": 1, "near": 2, "no": 3}
_AGENCY_COUNTRY = {a.name: str(a.attrs.get("country")) for a in load_vocabulary().agencies}
_SEIZING = {"CBP", "U.S. Border Patrol", None}


def _citation(
    data: OfficialData, source: str, label: str, value: float, unit: str, year: int | None = None
) -> Citation:
    """An official series; for a single observation (a year of deaths), its file and line."""
    names = data.release_names.get(source) or []
    release, line = names[-1] if names else None, None
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


def _readings(claim: dict[str, Any]) -> list[tuple[str, date, date]]:
    return [
        (c["basis"], date.fromisoformat(c["start"]), date.fromisoformat(c["end"]))
        for c in claim.get("period_candidates") or []
    ]


def check_cbp(claim: dict[str, Any], data: OfficialData) -> Verdict | None:
    """A mass of fentanyl seized at the northern or southwest border."""
    if (
        claim["dimension"] != "mass"
        or claim["substance"] != "fentanyl"
        or claim["measure"] != "seizure"
        or claim["corridor"] not in REGIONS
        or claim["agency"] not in _SEIZING
        or claim["normalized_value"] is None
    ):
        return None
    region = REGIONS[claim["corridor"]]
    readings = _readings(claim)
    if not readings:
        return Verdict(
            claim["id"],
            "official",
            "unverifiable",
            0.5,
            "The claim states no period, so it cannot be matched to CBP's figures.",
        )
    tried = []
    for basis, start, end in readings:
        for land_only in (True, False):
            kg = data.cbp_total_kg(region, land_only, start, end)
            if kg is None:
                continue
            grade = agree_claim(claim, kg)
            tried.append((_RANK[grade], basis, land_only, kg, start, end, grade))
    if not tried:
        return Verdict(
            claim["id"],
            "official",
            "unverifiable",
            0.6,
            f"CBP's published series do not cover {readings[0][1]}..{readings[0][2]}.",
        )
    tried.sort(key=lambda t: (t[0], t[1] != "calendar", not t[2]))
    _rank, basis, land_only, kg, start, end, grade = tried[0]
    scope = f"{region} ({'land only' if land_only else 'land, air and sea'})"
    period = _period_label(basis, start, end)
    lb = kg / 0.45359237
    cites = [_citation(data, "cbp", f"CBP fentanyl seizures, {scope}, {period}", lb, "lb")]
    if grade == "no":
        options = "; ".join(
            f"{_period_label(b, s, e)} {'land' if lo else 'all'}: {k / 0.45359237:,.2f} lb"
            for _, b, lo, k, s, e, _ in tried[:4]
        )
        return Verdict(
            claim["id"],
            "official",
            "contradicted",
            0.8,
            f"The claim says {claim['text']}; CBP's figures are {options}.",
            expected=kg,
            unit="kg",
            citations=cites,
        )
    explicit = claim.get("period_basis") not in (None, "unknown")
    caveats = []
    if not explicit or basis != claim.get("period_basis"):
        caveats.append(
            f"it is CBP's {period} figure"
            + ("" if basis == "calendar" else " (U.S. fiscal year, October–September)")
        )
    caveats.append(
        f"land only (CBP's '{region.split()[0]} Land Border' figure)"
        if land_only
        else "the whole border region including air and sea ports"
    )
    verdict: VerdictName = (
        "supported"
        if grade in ("exact", "rounding") and explicit and basis == claim.get("period_basis")
        else "supported-with-caveat"
    )
    if grade == "near":
        verdict = "supported-with-caveat"
        caveats.append(f"off by {abs(kg - float(claim['normalized_value'])) / kg:.2%}")
    return Verdict(
        claim["id"],
        "official",
        verdict,
        0.85 if grade != "near" else 0.6,
        f"{claim['text']} matches {lb:,.2f} lb ({kg:,.3f} kg): " + "; ".join(caveats) + ".",
        expected=kg,
        unit="kg",
        citations=cites,
    )


def _period_label(basis: str, start: date, end: date) -> str:
    if basis == "us_fiscal":
        return f"FY{end.year}"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(start.year)
    return f"{start}..{end}"


def _grade(claim: dict[str, Any], actual: float) -> str:
    return agree_claim(claim, actual)


def _no_series(claim: dict[str, Any], held: str) -> Verdict:
    return Verdict(
        claim["id"],
        "official",
        "unverifiable",
        0.5,
        f"The claim is about {claim['substance'] or 'an unnamed substance'}; the "
        f"official data borderflow holds cover {held} only.",
    )


def _year_of(
    claim: dict[str, Any], published: date | None, series: dict[int, float]
) -> tuple[int | None, str]:
    """The calendar year a deaths claim is about, and how it was decided."""
    start, end = claim.get("period_start"), claim.get("period_end")
    if start and end and start[:4] == end[:4] and start[5:] == "01-01" and end[5:] == "12-31":
        return int(start[:4]), "stated"
    if claim.get("period_text") and not start:
        return None, "unresolved"
    if start:
        return None, "not a calendar year"
    if claim["dimension"] == "rate":
        years = [y for y in series if published is None or y < published.year]
        return (max(years), "latest full year before the article") if years else (None, "none")
    return None, "no period"


_REASONS = {
    "unresolved": "its period cannot be resolved from the text",
    "no period": "it states no period",
    "none": "no year before the article is covered",
    "not a calendar year": "its period is not a calendar year",
}


def check_deaths(
    claim: dict[str, Any], data: OfficialData, published: date | None
) -> Verdict | None:
    """U.S. synthetic-opioid (fentanyl) deaths, or Canadian opioid deaths."""
    if claim["measure"] != "deaths" or claim["normalized_value"] is None:
        return None
    americans = "American" in claim["text"]
    agency_country = _AGENCY_COUNTRY.get(claim.get("agency") or "")
    canada = not americans and (
        agency_country == "CA" or claim.get("place") == "Canada" or "Canadian" in claim["text"]
    )
    if canada:
        if claim["substance"] not in ("opioids", "fentanyl"):
            return _no_series(claim, "Canadian deaths from opioids")
        series, source, label = data.canada_deaths, "phac", "PHAC apparent opioid toxicity deaths"
    elif americans or claim.get("place") in (None, "United States"):
        if claim["substance"] not in ("fentanyl", "synthetic opioids"):
            return _no_series(claim, "U.S. deaths involving synthetic opioids (fentanyl)")
        series, source, label = (
            data.us_deaths,
            "cdc-vsrr",
            "CDC VSRR synthetic-opioid deaths (mostly illicit fentanyl)",
        )
    else:
        return None
    year, how = _year_of(claim, published, series)
    if year is None or year not in series:
        return Verdict(
            claim["id"],
            "official",
            "unverifiable",
            0.5,
            f"{label}: {_REASONS.get(how, how)}, so no year of the data can be "
            "matched without guessing.",
        )
    if how.startswith("latest"):
        # A present-tense rate ("die annually"): either of the two latest full years counts.
        year = min(
            (y for y in (year, year - 1) if y in series),
            key=lambda y: _RANK[_grade(claim, series[y])],
        )
    actual = series[year]
    stated = float(claim["normalized_value"])
    grade = _grade(claim, actual)
    cites = [_citation(data, source, f"{label}, {year}", actual, "deaths", year)]
    per = "a year" if claim["dimension"] != "rate" else "a year (the claim's rate, annualised)"
    if grade == "no":
        return Verdict(
            claim["id"],
            "official",
            "contradicted",
            0.8,
            f"The claim implies {stated:,.0f} deaths {per}; {label} for {year}: "
            f"{actual:,.0f} ({how}).",
            expected=actual,
            unit="deaths",
            citations=cites,
        )
    verdict: VerdictName = (
        "supported"
        if grade in ("exact", "rounding") and how == "stated"
        else "supported-with-caveat"
    )
    return Verdict(
        claim["id"],
        "official",
        verdict,
        0.8 if grade != "near" else 0.6,
        f"{label} for {year} ({how}): {actual:,.0f}; the claim says {claim['text']}.",
        expected=actual,
        unit="deaths",
        citations=cites,
    )


def check_fentanyl_share_of_deaths(claim: dict[str, Any], data: OfficialData) -> Verdict | None:
    """'Fentanyl was involved in 82% of them': PHAC's share of Canadian opioid deaths."""
    sentence = claim["sentence"].lower()
    if (
        claim["dimension"] != "percent"
        or claim["substance"] not in ("fentanyl", "opioids")
        or "fentanyl" not in sentence
        or "death" not in sentence
    ):
        return None
    canadian = (
        _AGENCY_COUNTRY.get(claim.get("agency") or "") == "CA"
        or claim.get("place") == "Canada"
        or "canad" in claim["sentence"].lower()
    )
    if not canadian:
        return None
    start, end = claim.get("period_start"), claim.get("period_end")
    year = int(start[:4]) if start and end and start[:4] == end[:4] else None
    if year is None or year not in data.canada_fentanyl_share:
        return Verdict(
            claim["id"],
            "official",
            "unverifiable",
            0.5,
            "PHAC's share of opioid deaths involving fentanyl is published by year; "
            "the claim's year is not stated or not covered.",
        )
    actual = data.canada_fentanyl_share[year]
    grade = agree(
        float(claim["value"]),
        actual,
        claim["qualifier"],
        rounding_step(float(claim["value"]), claim["text"]),
    )
    verdict: VerdictName = verdict_for(grade)
    return Verdict(
        claim["id"],
        "official",
        verdict,
        0.8,
        f"PHAC: {actual:g}% of apparent opioid toxicity deaths in {year} involved "
        f"fentanyl; the claim says {claim['text']}.",
        expected=actual,
        unit="percent",
        citations=[
            _citation(data, "phac", f"PHAC deaths involving fentanyl, {year}", actual, "percent")
        ],
    )
