"""Where U.S. fentanyl comes from: share and ratio claims against CBP seizure shares.

"Well under 1% of the fentanyl entering the US comes from Canada", "97% of fentanyl seized
is sourced from the southern border", "hundreds of times as much ... at the border with
Mexico". Seizures are a proxy for flow, not a measure of it: every verdict says so.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from borderflow.checks.data import OfficialData
from borderflow.checks.model import Citation, Verdict, VerdictName
from borderflow.checks.tolerance import agree, rounding_step, verdict_for

_GRADES = ("exact", "rounding", "near", "no")
PROXY = (
    "CBP seizures are a proxy for the flow: where less is inspected, less is seized, so "
    "shares of seizures are not shares of supply."
)


def _fy_totals(data: OfficialData, fy: int, land_only: bool = False) -> dict[str, float]:
    start, end = date(fy - 1, 10, 1), date(fy, 9, 30)
    totals = {}
    for region in ("Northern Border", "Southwest Border", "Coastal/Interior"):
        kg = data.cbp_total_kg(region, land_only, start, end)
        totals[region] = kg or 0.0
    return totals


def _side(claim: dict[str, Any]) -> str | None:
    text = claim["sentence"].lower()
    if claim.get("origin") == "Canada" or claim.get("corridor") == "northern border":
        return "Northern Border"
    if claim.get("origin") == "Mexico" or claim.get("corridor") == "southwest border":
        return "Southwest Border"
    if "from canada" in text:
        return "Northern Border"
    if "mexico" in text or "southern border" in text:
        return "Southwest Border"
    return None


_LARGE_SHARE, _SMALL_SHARE = 50.0, 5.0  # percent of at-border seizures


def _magnitude_side(claim: dict[str, Any]) -> str | None:
    text = claim["sentence"].lower()
    canada, mexico = "canad" in text, "mexic" in text or "southern border" in text
    if canada and not mexico:
        return "Northern Border"
    if mexico and not canada:
        return "Southwest Border"
    return _side(claim)


def check_magnitude(
    claim: dict[str, Any], data: OfficialData, published: date | None
) -> Verdict | None:
    """'Massive', 'not a big player': held against the border's share of CBP seizures."""
    side = _magnitude_side(claim)
    fy = data.cbp_latest_full_fy(published)
    if side is None or fy is None or "fentanyl" not in claim["sentence"].lower():
        return None
    totals = _fy_totals(data, fy)
    everything = sum(totals.values())
    if not everything:
        return None
    share = totals[side] / everything * 100
    large = claim["value"] > 0
    if share >= _LARGE_SHARE:
        verdict: VerdictName = "supported" if large else "contradicted"
    elif share <= _SMALL_SHARE:
        verdict = "contradicted" if large else "supported"
    else:
        verdict = "supported-with-caveat"
    names = data.release_names.get("cbp") or []
    return Verdict(
        claim["id"],
        "shares",
        verdict,
        0.5,
        f"'{claim['text']}' calls the flow through the {side.lower()} "
        f"{'large' if large else 'small'}; in FY{fy} it accounted for {share:.1f}% "
        f"of CBP's fentanyl seizures. {PROXY}",
        expected=share,
        unit="percent",
        citations=[
            Citation(
                "official",
                f"CBP fentanyl seizures FY{fy}, {side}",
                source="cbp",
                value=round(totals[side] / 0.45359237, 2),
                unit="lb",
                release=names[-1] if names else None,
            )
        ],
    )


def check_share(
    claim: dict[str, Any], data: OfficialData, published: date | None
) -> Verdict | None:
    if claim["measure"] != "share":
        return None
    if claim["dimension"] == "magnitude":
        return check_magnitude(claim, data, published)
    if claim["substance"] not in ("fentanyl", None):
        return None
    if "fentanyl" not in claim["sentence"].lower():
        return None
    side = _side(claim)
    if side is None:
        return None
    fy = data.cbp_latest_full_fy(published)
    if fy is None:
        return Verdict(
            claim["id"],
            "shares",
            "unverifiable",
            0.5,
            "No complete fiscal year of CBP seizures is available.",
        )
    totals = _fy_totals(data, fy)
    everything = sum(totals.values())
    if not everything:
        return None
    names = data.release_names.get("cbp") or []
    cites = [
        Citation(
            "official",
            f"CBP fentanyl seizures FY{fy}, {region}",
            source="cbp",
            value=round(kg / 0.45359237, 2),
            unit="lb",
            release=names[-1] if names else None,
        )
        for region, kg in totals.items()
    ]
    if claim["dimension"] == "ratio":
        # "N times as much": the larger border over the smaller, for all ports and for land
        # ports only; the closer reading is the one reported.
        readings = []
        for land_only, scope in ((False, "all ports and between them"), (True, "land only")):
            t = _fy_totals(data, fy, land_only)
            north, south = t["Northern Border"], t["Southwest Border"]
            if north and south:
                ratio = max(north, south) / min(north, south)
                grade = agree(
                    float(claim["value"]),
                    ratio,
                    claim["qualifier"],
                    rounding_step(float(claim["value"]), claim["text"]),
                )
                big = "southwest" if south >= north else "northern"
                readings.append((_GRADES.index(grade), ratio, scope, big, grade))
        if not readings:
            return None
        _, ratio, scope, big, grade = min(readings)
        small = "northern" if big == "southwest" else "southwest"
        verdict: VerdictName = verdict_for(grade)
        return Verdict(
            claim["id"],
            "shares",
            verdict,
            0.7,
            f"In FY{fy} CBP seized {ratio:,.0f} times as much fentanyl at the {big} "
            f"border as at the {small} border ({scope}); the text says "
            f"{claim['text']}. {PROXY}",
            expected=ratio,
            unit="times",
            citations=cites,
        )
    if claim["dimension"] != "percent":
        return None
    share = totals[side] / everything * 100
    grade = agree(
        float(claim["value"]),
        share,
        claim["qualifier"],
        rounding_step(float(claim["value"]), claim["text"]),
    )
    verdict = verdict_for(grade)
    note, model_cites = _model_view(claim, data, fy, side)
    return Verdict(
        claim["id"],
        "shares",
        verdict,
        0.7,
        f"In FY{fy} the {side.lower()} accounted for {share:.1f}% of CBP's fentanyl "
        f"seizures (by weight); the text says {claim['text']}. {PROXY}{note}",
        expected=share,
        unit="percent",
        citations=cites + model_cites,
    )


def _model_view(
    claim: dict[str, Any], data: OfficialData, fy: int, side: str
) -> tuple[str, list[Citation]]:
    """What the flow model says of Canada's share of U.S. supply, when a fit is stored:
    seizures are a proxy, the model's estimate is of the flow itself (with its interval)."""
    estimate = data.model_canada_share.get(fy)
    if side != "Northern Border" or estimate is None:
        return "", []
    median, low, high = (100 * v for v in estimate)
    value = float(claim["value"])
    inside = "inside" if low <= value <= high else "outside"
    note = (
        f" The flow model (run {data.model_run}) estimates Canada's share of the fentanyl "
        f"reaching the U.S. in FY{fy} at {median:.1f}% (90% interval {low:.1f}-{high:.1f}%); "
        f"the stated {value:g}% is {inside} that interval."
    )
    cite = Citation(
        "model",
        f"borderflow flow model run {data.model_run}: Canada's share of U.S. supply, FY{fy}",
        source="model",
        value=round(median, 2),
        unit="percent",
    )
    return note, [cite]
