"""Judging claims: every check that applies to a set of claims, and which verdict of a
claim is its headline. Pure: it reads no store, so the same judgement runs in one process
over a few documents, in batches over an archive, or on a cluster's workers.

One verdict per check that applies; the claim's headline verdict is the one from the most
direct evidence: official data, then the document's own arithmetic, dose conversion, source
shares, and agreement between sources (`CHECK_PRIORITY`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from borderflow.calendars import month_end
from borderflow.checks.changes import differences, percent_change, unequal_periods
from borderflow.checks.data import OfficialData
from borderflow.checks.death_changes import check_death_change
from borderflow.checks.deaths import check_deaths
from borderflow.checks.doses import doses
from borderflow.checks.guard import guarded, with_caveat
from borderflow.checks.hypothetical import not_a_count
from borderflow.checks.internal import per_day_per_year
from borderflow.checks.model import CHECK_PRIORITY, Verdict, VerdictKind
from borderflow.checks.official import check_fentanyl_share_of_deaths
from borderflow.checks.seizures import check_cbp
from borderflow.checks.shares import check_share
from borderflow.checks.sources import across_sources
from borderflow.checks.totals import parts_and_total, restated_units
from borderflow.datasets import cbp
from borderflow.records.claims import StoredClaim
from borderflow.records.verdicts import CheckRecord
from borderflow.vocab import load_vocabulary

_EVIDENCE_MEASURES = frozenset({"seizure", "deaths", "doses", "change", "share", "production"})
_SUBSTANCES = frozenset(
    {"fentanyl", "fentanyl precursors", "opioids", "synthetic opioids", "drugs"}
)


def _document_checks(
    members: list[StoredClaim], published: date | None, data: OfficialData, lethal: float
) -> list[Verdict]:
    """The checks a document can be judged by alone: its arithmetic, its doses, and each
    figure against official data as of its publication date."""
    verdicts = percent_change(members) + differences(members) + unequal_periods(members)
    verdicts += parts_and_total(members) + restated_units(members) + per_day_per_year(members)
    verdicts += doses(members, lethal)
    earliest = None if published is not None else earliest_writing(members, data)
    latest = [] if published is not None else _two_latest(members, data)
    for claim in members:
        others_end = _others_end(latest, claim)
        for check in (
            check_cbp(claim, data, published, earliest, others_end),
            check_deaths(claim, data, published),
            check_death_change(claim, data, published),
            check_fentanyl_share_of_deaths(claim, data),
            check_share(claim, data, published, others_end),
        ):
            if check is not None:
                verdicts.append(not_a_count(guarded(check, claim), claim))
    return verdicts


def _others_end(latest: list[date], claim: StoredClaim) -> date | None:
    """The latest end of a period the document's other figures name (see `check_cbp`),
    from the document's two latest distinct period ends (`latest`, newest first)."""
    others = [end for end in latest if end != claim.period_end]
    return others[0] if others else None


def _two_latest(members: Sequence[StoredClaim], data: OfficialData) -> list[date]:
    newest = earliest_writing(members, data)
    if newest is None:
        return []
    before = earliest_writing([m for m in members if m.period_end != newest], data)
    return [newest] if before is None else [newest, before]


def earliest_writing(members: Sequence[StoredClaim], data: OfficialData) -> date | None:
    """The earliest a document with no date can have been written: after the end of the
    latest period it speaks of. Periods past the official data's newest month are left
    out: "by 2030" says nothing of when the text was written."""
    limit = max(data.cbp_months, default=None)
    ends = [c.period_end for c in members if c.period_end is not None]
    past = [end for end in ends if limit is None or end <= month_end(limit.year, limit.month)]
    return max(past, default=None)


def _unverifiable(claim: StoredClaim) -> Verdict:
    # The agency is whose data the figure is about, not who said it.
    by = f", {claim.agency} data" if claim.agency else ""
    why = (
        f"No official series borderflow holds covers this figure ({claim.measure}{by}); "
        "nothing to compare it with."
    )
    if (
        claim.measure == "seizure"
        and claim.corridor is None
        and claim.dimension == "mass"
        and (claim.agency is None or claim.agency in cbp.AGENCIES)
    ):
        why = (
            "The text does not say where this was seized (which border, or all U.S. "
            "borders), so it cannot be matched to CBP's series by border; not judged."
        )
    return Verdict(claim.id, "official", VerdictKind.UNVERIFIABLE, 0.7, why)


def check_claims(
    claims: Sequence[StoredClaim],
    published: Mapping[int, date | None],
    data: OfficialData,
    across: Mapping[int, list[Verdict]] | None = None,
) -> list[Verdict]:
    """Every applicable verdict for `claims`; a figure of the kind the checks are for that
    no check could judge is said to be unverifiable, never left silent. `across`: the
    verdicts from other sources, by claim, when they were judged over more claims than
    these (a run in batches); otherwise they are judged among `claims`."""
    lethal = float(load_vocabulary().conventions["lethal_dose_mg"]["value"])
    by_document: dict[int, list[StoredClaim]] = defaultdict(list)
    for claim in claims:
        by_document[claim.document_id].append(claim)
    verdicts: list[Verdict] = []
    for document_id, members in by_document.items():
        members.sort(key=lambda c: c.start)
        verdicts += _document_checks(members, published.get(document_id), data, lethal)
    if across is None:
        verdicts += across_sources(claims)
    else:
        verdicts += [v for c in claims for v in across.get(c.id, ())]
    judged = {v.claim_id for v in verdicts}
    verdicts += [
        _unverifiable(c)
        for c in claims
        if c.id not in judged and c.measure in _EVIDENCE_MEASURES and c.substance in _SUBSTANCES
    ]
    by_id = {c.id: c for c in claims}
    return [with_caveat(v, by_id[v.claim_id]) for v in verdicts]


def _rank(v: Verdict) -> tuple[bool, bool, int]:
    # Official data first; otherwise a problem found (conflict, misleading...) before a
    # confirmation, then the more direct kind of check.
    return (v.check != "official", not v.problem, CHECK_PRIORITY.index(v.check))


def headline(verdicts: Iterable[Verdict]) -> dict[int, Verdict]:
    """The headline verdict of each claim."""
    best: dict[int, Verdict] = {}
    for v in verdicts:
        current = best.get(v.claim_id)
        if current is None or _rank(v) < _rank(current):
            best[v.claim_id] = v
    return best


def check_records(verdicts: list[Verdict], data: OfficialData) -> list[CheckRecord]:
    """Verdicts as stored, each naming the data releases its citations drew on."""
    best = headline(verdicts)
    return [
        CheckRecord(
            v,
            headline=best[v.claim_id] is v,
            releases=tuple(
                sorted(
                    {
                        r
                        for c in v.citations
                        if c.source
                        for r in data.release_names.get(c.source, [])
                    }
                )
            ),
        )
        for v in verdicts
    ]
