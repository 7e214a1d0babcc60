"""Run every check over the stored claims and keep the verdicts with the claims.

One verdict per check that applies; the claim's headline verdict is the one from the most
direct evidence: official data, then the document's own arithmetic, dose conversion, source
shares, and agreement between sources (`CHECK_PRIORITY`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from borderflow.checks.changes import differences, percent_change, unequal_periods
from borderflow.checks.data import OfficialData, load_official
from borderflow.checks.deaths import check_deaths
from borderflow.checks.doses import doses
from borderflow.checks.guard import guarded, with_caveat
from borderflow.checks.internal import per_day_per_year
from borderflow.checks.model import CHECK_PRIORITY, Verdict, VerdictKind
from borderflow.checks.official import check_fentanyl_share_of_deaths
from borderflow.checks.seizures import check_cbp
from borderflow.checks.shares import check_share
from borderflow.checks.sources import across_sources
from borderflow.checks.totals import parts_and_total, restated_units
from borderflow.records.claims import StoredClaim
from borderflow.records.verdicts import CheckRecord
from borderflow.store import Store
from borderflow.store.checks import (
    drop_orphan_checks,
    recheck_documents,
    replace_checks,
    source_digests,
    verdicts_digest,
)
from borderflow.vocab import load_vocabulary

# Documents checked and written per transaction: a few thousand claims.
BATCH_DOCUMENTS = 500
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
    for claim in members:
        for check in (
            check_cbp(claim, data, published),
            check_deaths(claim, data, published),
            check_fentanyl_share_of_deaths(claim, data),
            check_share(claim, data, published),
        ):
            if check is not None:
                verdicts.append(guarded(check, claim))
    return verdicts


def _unverifiable(claim: StoredClaim) -> Verdict:
    # The agency is whose data the figure is about, not who said it.
    by = f", {claim.agency} data" if claim.agency else ""
    return Verdict(
        claim.id,
        "official",
        VerdictKind.UNVERIFIABLE,
        0.7,
        f"No official series borderflow holds covers this figure ({claim.measure}{by}); "
        "nothing to compare it with.",
    )


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


def run(store: Store) -> list[Verdict]:
    """Check every current claim of `store` against its official data (all in memory:
    for tests and small stores; `run_and_store` works in batches)."""
    data = load_official(store)
    published = {d.id: d.published for d in store.iter_documents()}
    return check_claims(store.claims(), published, data)


def _records(verdicts: list[Verdict], data: OfficialData) -> list[CheckRecord]:
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


@dataclass(frozen=True, slots=True)
class CheckRun:
    """What a run did: documents and claims (re)checked, their headline verdicts by kind,
    and how many stored verdicts it added, changed or deleted (0 when nothing changed)."""

    documents: int
    claims: int
    headlines: Counter[str]
    written: int


def _across(store: Store) -> dict[int, list[Verdict]]:
    """Agreement between sources, judged over every seizure claim in the store at once
    (the only claims it compares), by claim; and the documents whose verdicts of that
    kind differ from the stored ones are marked to be judged again."""
    seizures = list(store.iter_claims(measure="seizure"))
    document_of = {c.id: c.document_id for c in seizures}
    by_claim: dict[int, list[Verdict]] = defaultdict(list)
    for v in across_sources(seizures):
        by_claim[v.claim_id].append(v)
    del seizures
    stored = source_digests(store)
    moved = set()
    for claim_id in by_claim.keys() | stored.keys():
        new = [(v.verdict.value, v.explanation, [c.as_dict() for c in v.citations])
               for v in by_claim.get(claim_id, ())]  # fmt: skip
        now = verdicts_digest(new) if new else None
        if now != stored.get(claim_id) and claim_id in document_of:
            moved.add(document_of[claim_id])
    recheck_documents(store, sorted(moved))
    return by_claim


def run_and_store(
    store: Store, *, everything: bool = False, batch_documents: int = BATCH_DOCUMENTS
) -> CheckRun:
    """Check the claims that need it and store their verdicts with the releases they
    used: documents new since the last run, those checked against other data than the
    store now holds, and those whose agreement with other sources changed (`everything`:
    all). Work goes `batch_documents` documents per transaction, so memory does not grow
    with the store, and only verdicts that changed are written.

    The data generation is read before the data, so verdicts made while new data arrive
    are marked with the older one and are redone by the next check. Stopped part-way,
    the batches written hold the new verdicts and the rest their earlier ones, each
    document marked with the data it was checked against, so the next run picks up
    where this one stopped."""
    generation = store.data_generation()
    data = load_official(store)
    across = _across(store)
    pending = None if everything else generation
    after, documents, claims, written = 0, 0, 0, 0
    headlines: Counter[str] = Counter()
    while batch := store.claims_after(after, batch_documents, pending):
        after = batch[-1].document_id
        ids = sorted({c.document_id for c in batch})
        verdicts = check_claims(batch, store.published_dates(ids), data, across)
        records = _records(verdicts, data)
        headlines.update(r.verdict.verdict.value for r in records if r.headline)
        written += replace_checks(
            store, records, claim_ids=[c.id for c in batch], generation=generation
        )
        documents, claims = documents + len(ids), claims + len(batch)
    written += drop_orphan_checks(store)
    return CheckRun(documents, claims, headlines, written)


def check_document(store: Store, document_id: int) -> list[Verdict]:
    """Check one document's claims and replace only their verdicts: what an upload needs,
    without re-checking the whole store. Agreement with other sources is judged within
    the document alone until the next full `borderflow check`."""
    generation = store.data_generation()
    claims = store.claims(document_id=document_id)
    published = {document_id: store.document(document_id).summary.published}
    data = load_official(store)
    verdicts = check_claims(claims, published, data)
    replace_checks(
        store, _records(verdicts, data), claim_ids=[c.id for c in claims], generation=generation
    )
    return verdicts
