"""Check the stored claims that need it and keep the verdicts with the claims.

A run has three steps, so that its batches can go to other processes or machines:
`plan_check` judges agreement between sources over the whole store (the one judgement that
needs every seizure claim at once), stores the verdicts of it that changed, and lists the
batches of documents to check; `check_range` checks one batch, reading everything it needs
from the store and writing only the verdicts that changed (running it twice writes nothing
the second time, so a lost batch can be redone); `finish_check` tidies up and sums the
batches. `run_and_store` does all three here.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np

from borderflow.checks.data import OfficialData, load_official
from borderflow.checks.judging import check_claims, check_records, headline
from borderflow.checks.model import Verdict
from borderflow.checks.source_groups import GroupKey
from borderflow.checks.source_state import GroupState, judging_version
from borderflow.checks.sources import Kept, judge_added, judge_group
from borderflow.checks.stale import settle_new_data
from borderflow.store import Store
from borderflow.store.checks import drop_orphan_checks, replace_checks
from borderflow.store.data_state import newest_release, record_checked_release
from borderflow.store.seizure_groups import (
    SeizureGroups,
    Totals,
    fingerprint,
    forget_groups,
    group_name,
    judged_fingerprints,
    record_judged,
    seizure_groups,
)
from borderflow.store.source_checks import (
    stored_source_verdicts,
    write_source_verdicts,
)

__all__ = [
    "BATCH_DOCUMENTS", "CheckPlan", "CheckRun", "check_claims", "check_document", "check_range",
    "finish_check", "headline", "plan_check", "run", "run_and_store",
]  # fmt: skip

# Documents checked and written per transaction: a few thousand claims.
BATCH_DOCUMENTS = 500
# Claims whose verdicts from other sources are compared and written per transaction.
_SOURCES_CHUNK = 2_000


@dataclass(frozen=True, slots=True)
class CheckRun:
    """What a run did: documents and claims (re)checked, their headline verdicts by kind,
    and how many stored verdicts it added, changed or deleted (0 when nothing changed)."""

    documents: int = 0
    claims: int = 0
    headlines: Counter[str] = field(default_factory=Counter)
    written: int = 0

    def __add__(self, other: CheckRun) -> CheckRun:
        return CheckRun(
            self.documents + other.documents, self.claims + other.claims,
            self.headlines + other.headlines, self.written + other.written,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class CheckPlan:
    """The batches of a run, as (first, last) document ids, and the data generation the
    verdicts are marked with; `pending` None checks every document of a batch, otherwise
    only those not yet checked against that generation. Picklable, for a cluster."""

    generation: str
    pending: str | None
    ranges: tuple[tuple[int, int], ...]
    written: int = 0  # verdicts from other sources written while planning


def run(store: Store) -> list[Verdict]:
    """Check every current claim of `store` against its official data (all in memory:
    for tests and small stores; `run_and_store` works in batches)."""
    data = load_official(store)
    published = {d.id: d.published for d in store.iter_documents()}
    return check_claims(store.claims(), published, data)


def _chunks(verdicts: Iterable[Verdict], size: int) -> Iterator[tuple[list[int], list[Verdict]]]:
    """Verdicts in runs of about `size` claims, each claim's verdicts in one run (a
    claim's verdicts come together)."""
    ids: list[int] = []
    chunk: list[Verdict] = []
    for v in verdicts:
        if not ids or ids[-1] != v.claim_id:
            if len(ids) >= size:
                yield ids, chunk
                ids, chunk = [], []
            ids.append(v.claim_id)
        chunk.append(v)
    if ids:
        yield ids, chunk


def _judge_across(store: Store, generation: str, everything: bool) -> int:
    """Agreement between sources over every seizure claim, group by group from one
    snapshot of the store (memory grows with a group's distinct statements and a few bytes
    a claim, `checks.source_groups`): the verdicts that changed are stored, and their
    documents marked to be checked again; claims that had such verdicts and no longer do
    lose them. A group whose claims are those it had when its verdicts were last stored
    (its fingerprint) is not judged again, unless `everything`; one that only gained
    claims from newer documents is judged from what its last judgement kept and the new
    claims (`checks.source_state`). A group's fingerprint and state are recorded only once
    its verdicts are all written, so a run stopped anywhere is made good by the next.
    Returns how many rows were written."""
    written = 0
    version = judging_version()
    with seizure_groups(store) as reader:
        totals, deletions = reader.totals(), reader.deletions()
        prints = {key: fingerprint(t, deletions, version) for key, t in totals.items()}
        before = {} if everything else judged_fingerprints(store)
        for key in totals:  # every group, in `groups()` order
            if before.get(group_name(key)) == prints[key]:
                continue
            kept = Kept(totals[key], deletions)
            state = None if everything else _kept_state(reader, key, totals[key], deletions)
            if state is not None:
                for ids, chunk in judge_added(reader, key, state, kept):
                    written += write_source_verdicts(store, ids, chunk, generation=generation)
            else:
                written += _judge_whole(store, reader, key, kept, generation)
            kept_bytes = kept.state.to_bytes() if kept.state is not None else None
            record_judged(store, key, prints[key], kept_bytes)
    forget_groups(store, {group_name(k) for k in prints})
    return written


def _judge_whole(
    store: Store, reader: SeizureGroups, key: GroupKey, kept: Kept, generation: str
) -> int:
    """Judge the group whole: its verdicts written, and those of its claims no longer in
    conflict taken away."""
    written = 0
    judged = array("q")
    for ids, chunk in _chunks(judge_group(reader, key, kept), _SOURCES_CHUNK):
        judged.extend(ids)
        written += write_source_verdicts(store, ids, chunk, generation=generation)
    had = np.asarray(reader.judged_claims(key), np.int64)
    now = np.frombuffer(judged, np.int64) if judged else np.empty(0, np.int64)
    gone: list[int] = had[~np.isin(had, now)].tolist()
    for at in range(0, len(gone), _SOURCES_CHUNK):
        part = gone[at : at + _SOURCES_CHUNK]
        written += write_source_verdicts(store, part, [], generation=generation)
    return written


def _kept_state(
    reader: SeizureGroups, key: GroupKey, now: Totals, deletions: int
) -> GroupState | None:
    """The group's kept state, if the group is that state with claims of newer documents
    added (then it is judged from it); None: judged whole."""
    raw = reader.state(key)
    state = GroupState.from_bytes(raw) if raw is not None else None
    if state is None:
        return None
    added, oldest = reader.added(key, state.totals.largest)
    return state if state.extends_to(now, added, oldest, deletions) else None


def plan_check(
    store: Store, *, everything: bool = False, batch_documents: int = BATCH_DOCUMENTS
) -> CheckPlan:
    """Prepare a run: documents whose data did not change in a way that touches their
    claims are marked up to date; agreement between sources is judged and stored; the
    documents that need checking (`everything`: all) are listed in batches.

    The data generation is read before the data, so verdicts made while new data arrive
    are marked with the older one and are redone by the next check."""
    # The newest release is read before the generation: one stored in between is in the
    # generation, not the mark, and the next run falls back to the full re-check.
    newest = newest_release(store)
    generation = store.data_generation()
    if not everything:
        settle_new_data(store, generation)
    record_checked_release(store, newest)
    written = _judge_across(store, generation, everything)
    pending = None if everything else generation
    ranges = tuple(store.document_ranges(batch_documents, pending))
    return CheckPlan(generation, pending, ranges, written)


def check_range(
    store: Store, first: int, last: int, plan: CheckPlan, data: OfficialData | None = None
) -> CheckRun:
    """Check the documents from `first` to `last` that the plan says need it, and store
    their verdicts (only those that changed) in one transaction. Everything comes from the
    store, so any process can run any batch, and running one again writes nothing new."""
    claims = store.claims_between(first, last, plan.pending)
    if not claims:
        return CheckRun()
    data = data if data is not None else load_official(store)
    ids = sorted({c.document_id for c in claims})
    across = stored_source_verdicts(store, [c.id for c in claims])
    verdicts = check_claims(claims, store.published_dates(ids), data, across)
    records = check_records(verdicts, data)
    written = replace_checks(
        store, records, claim_ids=[c.id for c in claims], generation=plan.generation
    )
    headlines = Counter(r.verdict.verdict.value for r in records if r.headline)
    return CheckRun(len(ids), len(claims), headlines, written)


def finish_check(store: Store, plan: CheckPlan, parts: Iterable[CheckRun]) -> CheckRun:
    """The run's totals, once every batch is done; verdicts of claims no longer current
    (their document has a newer version) are deleted."""
    total = sum(parts, CheckRun(written=plan.written))
    return total + CheckRun(written=drop_orphan_checks(store))


def run_and_store(
    store: Store, *, everything: bool = False, batch_documents: int = BATCH_DOCUMENTS
) -> CheckRun:
    """Check the claims that need it and store their verdicts with the releases they
    used: documents new since the last run, those checked against data that changed for
    their kind of claim, and those whose agreement with other sources changed
    (`everything`: all). Work goes `batch_documents` documents per transaction, so memory
    does not grow with the store, and only verdicts that changed are written.

    Stopped part-way, the batches written hold the new verdicts and the rest their
    earlier ones, each document marked with the data it was checked against, so the next
    run picks up where this one stopped."""
    plan = plan_check(store, everything=everything, batch_documents=batch_documents)
    data = load_official(store)
    parts = (check_range(store, first, last, plan, data) for first, last in plan.ranges)
    return finish_check(store, plan, parts)


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
        store, check_records(verdicts, data), claim_ids=[c.id for c in claims],
        generation=generation,
    )  # fmt: skip
    return verdicts
