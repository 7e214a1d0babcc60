"""Where U.S. fentanyl comes from: share and ratio claims against CBP seizure shares.

"Well under 1% of the fentanyl entering the US comes from Canada", "97% of fentanyl seized
is sourced from the southern border", "hundreds of times as much ... at the border with
Mexico". Seizures are a proxy for flow, not a measure of it: every verdict says so. Which
border a sentence means is read with the vocabulary's words for countries and corridors.
"""

from __future__ import annotations

import re
from datetime import date

from borderflow.calendars import fiscal_year_months, fiscal_year_span
from borderflow.checks.data import OfficialData
from borderflow.checks.model import Citation, Verdict, VerdictKind
from borderflow.checks.share_kinds import ROUTE_AFTER, share_of_another_kind
from borderflow.checks.share_periods import maybe_running, part_of_a_fiscal_year
from borderflow.checks.tolerance import (
    agree,
    agrees,
    effective_qualifier,
    rounding_step,
    verdict_for,
)
from borderflow.datasets import cbp
from borderflow.records.claims import StoredClaim
from borderflow.units import kg_to_lb
from borderflow.vocab import load_vocabulary
from borderflow.vocab.borders import countries_named, origin_named

_GRADES = ("exact", "rounding", "near", "no")
PROXY = (
    "CBP seizures are a proxy for the flow: where less is inspected, less is seized, so "
    "shares of seizures are not shares of supply."
)
_LARGE_SHARE, _SMALL_SHARE = 50.0, 5.0  # percent of at-border seizures
_SIDES = ("CA", "MX")  # the two land borders a share claim can be about


def _fy_totals(data: OfficialData, fy: int, land_only: bool = False) -> dict[str, float]:
    start, end = fiscal_year_span(fy)
    return {
        region.name: data.cbp_total_kg(region.name, land_only, start, end) or 0.0
        for region in cbp.REGIONS
    }


def _country_code(place: str | None) -> str | None:
    for term in load_vocabulary().places:
        if term.name == place and term.attrs.get("level") == "country":
            code = term.attrs.get("code")
            return str(code) if code else None
    return None


def _named_side(sentence: str) -> str | None:
    """The border the sentence names: the one it says fentanyl comes "from", else the only
    one it names at all; None when it names both or neither (no guess)."""
    origin = origin_named(sentence)
    if origin in _SIDES:
        return cbp.region_of_country(origin)
    named = countries_named(sentence) & set(_SIDES)
    return cbp.region_of_country(named.pop()) if len(named) == 1 else None


# "from Mexico, the U.S. or unknown origins": a list of origins after "from", up to the end
# of the clause. A share of such a list is the share of a set of sides, not of one.
_ORIGIN_LIST = re.compile(r"(?i)\bfrom\s+(?P<list>[^;:]*?\b(?:or|and)\b[^;:,]*)")
_NAMED_CROSSING = re.compile(
    r"\b(?:[Pp]ort of [A-Z][\w-]+|[A-Z][\w-]+ (?:[Pp]ort of [Ee]ntry|[Bb]ridge|[Tt]unnel|[Ss]ector|"
    r"[Cc]rossing|[Cc]heckpoint))"
)
# A place named in an earlier sentence and pointed back to: "officers there", "seized at
# that crossing", "agents at the bridge".
_POINTED_PLACE = re.compile(
    r"(?i)\b(?:officers|agents|inspectors|staff|officials)[\s\u00a0]+there\b"
    r"|\b(?:at|through)[\s\u00a0]+(?:the|that|this)[\s\u00a0]+(?:port|crossing|bridge|tunnel|"
    r"checkpoint|station|facility)\b(?![\s\u00a0]+of\b)"
)
# A share by origin ("attributed to Canada", "traced to Mexico", "identified as coming
# from Canada") or of one border's own seizures ("0.1 per cent of fentanyl seizures at the
# northern border"): not the border's share of CBP's seizures, which is all the series give.
# What a share is of, right after it: "1 per cent of illegal crossings"; a share of
# anything but drugs (or of an unnamed "it") is not fentanyl's.
_OF_WHAT = re.compile(
    r"[\s\u00a0]+of[\s\u00a0]+(?:(?:the|all|U\.S\.|America['’]s|Canada['’]s)[\s\u00a0]+)*"
    r"(?P<what>[\w'’-]+(?:[\s\u00a0]+[\w'’-]+)?)"
)
_OF_DRUGS = re.compile(
    r"(?i)\b(?:fentanyl|drugs?|opioids?|narcotics?|seizures?|seized|flow|supply|it|that|"
    r"this|those|what|which|them)\b"
)
_UNKNOWN_LIST = re.compile(
    r"(?i)(?P<list>(?:[\w.]+,?\s+){1,6}(?:or|and)\s+(?:of\s+)?(?:unknown|other|domestic)\b)"
)
_OTHER_THAN = re.compile(
    r"(?i)\b(?:other\s+than|away\s+from|outside(?:\s+of)?|apart\s+from|except|excluding|"
    r"beyond|not\s+(?:at|from))\s+(?:the\s+)?(?:\w+\s+){0,2}border"
)
_OTHER_ORIGIN = re.compile(r"(?i)\b(?:unknown|other|domestic|elsewhere|U\.S\.|United States)\b")


def complement_of(sentence: str) -> str | None:
    """The border left out when a share is of a list of origins: "98.5% came from Mexico,
    the U.S. or unknown origins", "99 per cent was American, Mexican or of unknown origin"
    are everything but Canada's share. None when the sentence lists no such set."""
    match = _ORIGIN_LIST.search(sentence) or _UNKNOWN_LIST.search(sentence)
    if not match:
        return None
    listed = match.group("list")
    named = countries_named(listed) & set(_SIDES)
    if len(named) != 1 or not _OTHER_ORIGIN.search(listed):
        return None
    (inside,) = named
    outside = next(c for c in _SIDES if c != inside)
    return cbp.region_of_country(outside)


def _side(claim: StoredClaim) -> str | None:
    """The border a share claim is about: the route its own words name, its origin or
    corridor, else its sentence."""
    route = ROUTE_AFTER.match(claim.sentence, claim.in_sentence()[1])
    if route is not None:
        return cbp.region_of_country("CA" if route.group("country") == "Canada" else "MX")
    origin = _country_code(claim.origin)
    if origin in _SIDES:
        return cbp.region_of_country(origin)
    corridor = cbp.region_of_corridor(claim.corridor)
    if corridor is not None:
        return corridor
    return _named_side(claim.sentence)


def part_of_a_border(claim: StoredClaim) -> bool:
    """ "Nogales alone accounted for two-fifths", "officers at the Port of Nogales have
    seized": a figure for a port, crossing, sector, city or state is part of one border,
    which CBP's regional series cannot judge."""
    place = claim.place
    if place is not None and _country_code(place) is None:
        return True
    sentence = claim.sentence
    return _NAMED_CROSSING.search(sentence) is not None or bool(_POINTED_PLACE.search(sentence))


def _magnitude_side(claim: StoredClaim) -> str | None:
    """'Massive', 'not a big player' name their border in the words around them."""
    named = countries_named(claim.sentence) & set(_SIDES)
    if len(named) == 1:
        return cbp.region_of_country(named.pop())
    return _side(claim)


def _cbp_citation(data: OfficialData, fy: int, region: str, kg: float) -> Citation:
    return Citation(
        "official", f"CBP fentanyl seizures FY{fy}, {region}", source=cbp.CBP.name,
        value=round(kg_to_lb(kg), 2), unit="lb", release=data.latest_release(cbp.CBP.name),
    )  # fmt: skip


def _with_lead(before: str, text: str) -> str:
    """The magnitude words with the few words before them, as written, so a quoted "big
    player" keeps the "not a" that turns it round."""
    lead = re.search(r"(?:\S+\s+){1,3}\S*$", before)
    return f"…{lead.group(0)}{text}" if lead else text


def check_magnitude(
    claim: StoredClaim, data: OfficialData, published: date | None
) -> Verdict | None:
    """'Massive', 'not a big player': held against the border's share of CBP seizures."""
    side = _magnitude_side(claim)
    fy = data.cbp_latest_full_fy(published)
    if side is None or fy is None or "fentanyl" not in claim.sentence.lower():
        return None
    start, end = claim.in_sentence()
    after = claim.sentence[end:]
    if claim.text.endswith(" of") or after.lstrip().startswith("of "):
        return None  # "a fraction of the southwest border's haul" sizes something else
    totals = _fy_totals(data, fy)
    everything = sum(totals.values())
    if not everything:
        return None
    share = totals[side] / everything * 100
    large = claim.value > 0
    if share >= _LARGE_SHARE:
        verdict = VerdictKind.SUPPORTED if large else VerdictKind.CONTRADICTED
    elif share <= _SMALL_SHARE:
        verdict = VerdictKind.CONTRADICTED if large else VerdictKind.SUPPORTED
    else:
        verdict = VerdictKind.SUPPORTED_WITH_CAVEAT
    caveat = (
        f"a {share:.1f}% share is neither clearly large nor small"
        if verdict == VerdictKind.SUPPORTED_WITH_CAVEAT
        else None
    )
    words = _with_lead(claim.sentence[:start] if end > start else "", claim.text)
    return Verdict(
        claim.id, "shares", verdict, 0.5,
        f"“{words}” calls the flow through the {side.lower()} "
        f"{'large' if large else 'small'}; in FY{fy} it accounted for {share:.1f}% "
        f"of CBP's fentanyl seizures. {PROXY}",
        expected=share, unit="percent", citations=[_cbp_citation(data, fy, side, totals[side])],
        caveat=caveat,
    )  # fmt: skip


def check_share(
    claim: StoredClaim,
    data: OfficialData,
    published: date | None,
    others_end: date | None = None,
) -> Verdict | None:
    """A share or ratio of fentanyl by border, against the latest full fiscal year of CBP
    seizures the article could have seen (`others_end`: as for `check_cbp`)."""
    if claim.measure != "share":
        return None
    if claim.dimension == "magnitude":
        return check_magnitude(claim, data, published)
    if claim.substance not in ("fentanyl", None) or "fentanyl" not in claim.sentence.lower():
        return None
    of = _OF_WHAT.match(claim.sentence, claim.in_sentence()[1])
    if of and not _OF_DRUGS.search(of.group("what")):
        return None  # "less than 1 per cent of illegal crossings": not a share of fentanyl
    side = _side(claim)
    if side is None or part_of_a_border(claim):
        return None
    other_share = share_of_another_kind(claim)
    if other_share is not None:
        return Verdict(
            claim.id, "shares", VerdictKind.UNVERIFIABLE, 0.7,
            f"{claim.text} is a share of the fentanyl seized {other_share}, not the border's "
            "share of all CBP seizures; CBP's published series do not break seizures down "
            "that way, so it is not judged.",
        )  # fmt: skip
    part = part_of_a_fiscal_year(claim)
    if part is not None:
        when = claim.period_text or "as the text dates it"
        return Verdict(
            claim.id, "shares", VerdictKind.UNVERIFIABLE, 0.7,
            f"{claim.text} is a share of part of FY{part} ({when}); borderflow judges shares "
            "of whole fiscal years only, so it is not judged.",
        )  # fmt: skip
    fy = _stated_fy(claim, data) or data.cbp_latest_full_fy(published)
    if fy is None:
        return Verdict(
            claim.id, "shares", VerdictKind.UNVERIFIABLE, 0.7,
            "No complete fiscal year of CBP seizures is available.",
        )  # fmt: skip
    totals = _fy_totals(data, fy)
    if not sum(totals.values()):
        return None
    cites = [_cbp_citation(data, fy, region, kg) for region, kg in totals.items()]
    if claim.dimension == "ratio":
        return _check_ratio(claim, data, fy, cites)
    if claim.dimension != "percent":
        return None
    left_out = complement_of(claim.sentence)
    if left_out is None and _OTHER_THAN.search(claim.sentence):
        left_out = side  # "found anywhere other than the southwest border"
    if left_out is not None:
        share = 100 - totals[left_out] / sum(totals.values()) * 100
        whole = f"everything but the {left_out.lower()} accounted for"
    else:
        share = totals[side] / sum(totals.values()) * 100
        whole = f"the {side.lower()} accounted for"
    stated = float(claim.value)
    qualifier = effective_qualifier(claim)
    grade = agree(stated, share, qualifier, rounding_step(stated, claim.text))
    note, model_cites = _model_view(claim, data, fy, side) if left_out is None else ("", [])
    if grade == "no" and agrees(agree(100 - stated, share, qualifier, 0.5)):
        return Verdict(
            claim.id, "shares", VerdictKind.UNVERIFIABLE, 0.5,
            f"{claim.text} is the rest of the total, not the {side.lower()}'s share "
            f"({share:.1f}% in FY{fy}): the text is about everything else, so it is not judged.",
        )  # fmt: skip
    running = _stated_fy(claim, data) == fy and maybe_running(fy, published, others_end)
    if grade == "no" and running:
        when = "undated" if published is None else f"written on {published:%-d %B %Y}"
        return Verdict(
            claim.id, "shares", VerdictKind.UNVERIFIABLE, 0.5,
            f"{claim.text} differs from the {side.lower()}'s share of the whole of FY{fy} "
            f"({share:.1f}%), but the text is {when}: written before FY{fy} ended, it gives "
            "the share of the months seized by then, which can differ, so it is not judged.",
        )  # fmt: skip
    kind = verdict_for(grade)
    if (
        claim.qualifier == "exact"
        and qualifier == "at_most"
        and agrees(grade)
        and share < stated / 2
    ):
        kind = VerdictKind.SUPPORTED_WITH_CAVEAT  # "only 2 percent" when it is 0.2%
        note = (
            f" As an upper bound it holds, but the share is a fraction of the figure written.{note}"
        )
    return Verdict(
        claim.id, "shares", kind, 0.7,
        f"In FY{fy} {whole} {share:.1f}% of CBP's fentanyl seizures (by weight); the text "
        f"says {claim.text}" + (" (an upper bound)" if qualifier in ("at_most", "less_than")
                                 else "") + f". {PROXY}{note}",
        expected=share, unit="percent", citations=cites + model_cites,
    )  # fmt: skip


def _stated_fy(claim: StoredClaim, data: OfficialData) -> int | None:
    """The U.S. fiscal year the claim states ("in fiscal 2023"), when the data cover it."""
    for reading in claim.period_candidates:
        if reading.basis == "us_fiscal" and (reading.start, reading.end) == fiscal_year_span(
            reading.end.year
        ):
            fy = reading.end.year
            months = set(fiscal_year_months(fy))
            return fy if months <= data.cbp_months else None
    return None


def _check_ratio(
    claim: StoredClaim, data: OfficialData, fy: int, cites: list[Citation]
) -> Verdict | None:
    """ "N times as much": the larger border over the smaller, for all ports and for land
    ports only; the closer reading is the one reported."""
    north, south = (cbp.region_of_country(c) or "" for c in _SIDES)
    stated = float(claim.value)
    readings = []
    for land_only, scope in ((False, "all ports and between them"), (True, "land only")):
        totals = _fy_totals(data, fy, land_only)
        if totals[north] and totals[south]:
            big, small = sorted((north, south), key=lambda r: -totals[r])
            ratio = totals[big] / totals[small]
            grade = agree(stated, ratio, claim.qualifier, rounding_step(stated, claim.text))
            readings.append((_GRADES.index(grade), ratio, scope, big, small, grade))
    if not readings:
        return None
    _, ratio, scope, big, small, grade = min(readings)
    return Verdict(
        claim.id, "shares", verdict_for(grade), 0.7,
        f"In FY{fy} CBP seized {ratio:,.0f} times as much fentanyl at the "
        f"{big.split()[0].lower()} border as at the {small.split()[0].lower()} border "
        f"({scope}); the text says {claim.text}. {PROXY}",
        expected=ratio, unit="times", citations=cites,
    )  # fmt: skip


def _model_view(
    claim: StoredClaim, data: OfficialData, fy: int, side: str
) -> tuple[str, list[Citation]]:
    """What the flow model says of Canada's share of U.S. supply, when a fit is stored:
    seizures are a proxy, the model's estimate is of the flow itself (with its interval)."""
    estimate = data.model_canada_share.get(fy)
    if side != cbp.region_of_country("CA") or estimate is None:
        return "", []
    median, low, high = (100 * v for v in estimate)
    value = float(claim.value)
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
