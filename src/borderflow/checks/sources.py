"""Across sources: the same quantity stated by different documents.

Two documents conflict only when they state *the same quantity*: the same measure of the
same substance by the same agency at the same border, for a period both read the same way,
with figures that differ beyond the precision each was written to. Equal figures never
conflict; neither do figures whose period readings differ only because a phrase like "last
year" is ambiguous (calendar or fiscal): those are explained, not flagged. The one period
disagreement that is a conflict is the same figure given for two periods that no reading
reconciles ("4.9 kg in January-October 2024" against "4.9 kg in fiscal 2023-24").
Agreement between documents is not evidence (they may share one source), so it earns no
verdict of its own.

In terms of two distinct statements (a figure with its precision and period readings) of
one agency, substance and border, both with at least one reading:
- the same figure (apart by no more than the larger rounding step) for periods that share
  no reading is a period conflict;
- other figures, both periods definite (one reading each) with the same primary span, is a
  figure conflict (it outranks a period conflict);
- anything else says nothing. A figure or step that is not a finite number (an overflowed
  "1e400 kg") states no quantity and relates to nothing.
The documents stating a statement never count against it.

How it stays linear. Claims are grouped by (figure, readings) first, so a corpus with many
copies of one story costs no more than one copy per distinct statement. Comparing every
statement of a group with every other grew with the square of the distinct statements
(53 s at 50,000 articles), so each statement finds its related ones through indexes:
- *figures*: statements bucketed by the binary exponent of their rounding step (a few
  buckets: a step is half a written digit times a unit factor) and sorted by figure within
  a bucket; the statements of the same figure are a window found by bisection with the
  bucket's widest step (at most twice the narrowest), then tested exactly;
- *spans*: definite statements by primary span, in order. The figure conflicts of a
  statement are its span less its same-figure window: the first claims to cite are read
  off the span's order skipping only the window, and their documents counted as all the
  span's, less the statement's own, less those stating nothing of the span outside the
  window;
- *documents*: the statements each document makes, so whether a document counts is decided
  from its own few statements. The documents of a popular statement (more than `_POPULAR`)
  are counted once for each set of popular statements they are counted with, and kept, not
  listed again for every statement that window meets.
A verdict needs, per statement, only the first related claims (in the order of the
statements' first appearance, then of their claims: the first is quoted, up to
`_MAX_CITED` cited) and the number of other documents, so these are computed once per
statement and each claim's verdict costs the same however many documents agree. What is
left grows with the claims, the same-figure windows (the distinct statements within one
rounding step of each other: bounded by written precision, but a coarse "about 120
kilograms", 115 to 125 kg, meets every distinct figure of that range its agency and border
have), and the claims per document (a statement's own documents are skipped claim by claim).

How it stays in bounded memory. A group of a large archive may hold a million claims, so
none is kept whole: a first pass over a group (`source_groups.GroupIndex`) keeps each
distinct statement once and of each claim its id and document in integer arrays; the
related claims of each statement are found from those as ids, and fetched whole only if
cited; a second pass reads the group again and gives each claim its statement's verdict,
one at a time. Memory grows with the distinct statements and by 40 to 60 bytes a claim.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from borderflow.checks.model import Citation, Verdict, VerdictKind
from borderflow.checks.source_conflicts import _Figures, conflicts
from borderflow.checks.source_groups import (
    Conflict,
    GroupIndex,
    GroupKey,
    Span,
    Statement,
    _Stated,
    group_key,
    statement_of,
)
from borderflow.checks.source_state import GroupState, changed_claims, state_of
from borderflow.records.claims import StoredClaim
from borderflow.store.seizure_groups import Totals

# The statement model and its index are re-exported for the tests of the comparison.
__all__ = [
    "GroupKey",
    "GroupReader",
    "Kept",
    "Statement",
    "_Figures",
    "_Stated",
    "across_sources",
    "group_key",
    "judge_added",
    "judge_group",
    "judge_groups",
]

_MAX_CITED = 3
_POPULAR = 16  # documents making one statement: more, and their count is kept
# Claims fetched whole at a time to quote and cite.
_FETCH = 500
_statement = statement_of


class GroupReader(Protocol):
    """The seizure claims of a store, group by group, read afresh each time they are asked
    for (the comparison reads each group twice and never holds a group's claims).

    A claim belongs to group (agency, substance, corridor) exactly when `group_key` gives
    that key: measure "seizure", dimension "mass", agency neither null nor empty,
    normalized_value neither null nor 0, and substance and corridor equal to the key's
    (null matching null: `IS NULL` in SQL, not `= NULL`). Only claims of current document
    versions count. A reader must read one snapshot of the store for a whole comparison
    (a claim cited from the first pass has to be found by `by_id`)."""

    def groups(self) -> Iterable[GroupKey]:
        """Every group with at least one claim, each once."""
        ...

    def claims(self, key: GroupKey) -> Iterator[StoredClaim]:
        """Every claim of group `key`, in the same order each call (the store's: by
        document id, then start offset, then claim id), which decides which statement is
        quoted first."""
        ...

    def by_id(self, ids: Sequence[int]) -> list[StoredClaim]:
        """The claims with these ids (at most `_FETCH` at a time), in any order."""
        ...

    def claims_added(self, key: GroupKey, after: int) -> Iterator[StoredClaim]:
        """The claims of group `key` with ids above `after`, in the order of `claims`."""
        ...


class _Listed:
    """A reader over claims in memory, in the order given: what one document checked alone
    and the tests compare."""

    def __init__(self, claims: Iterable[StoredClaim]) -> None:
        self._groups: dict[GroupKey, list[StoredClaim]] = {}
        self._by_id: dict[int, StoredClaim] = {}
        for claim in claims:
            key = group_key(claim)
            if key is None:
                continue
            if self._by_id.setdefault(claim.id, claim) is not claim:
                raise ValueError(f"claim id {claim.id} is given twice: ids tell claims apart")
            self._groups.setdefault(key, []).append(claim)

    def groups(self) -> Iterable[GroupKey]:
        return list(self._groups)

    def claims(self, key: GroupKey) -> Iterator[StoredClaim]:
        return iter(self._groups.get(key, ()))

    def by_id(self, ids: Sequence[int]) -> list[StoredClaim]:
        return [self._by_id[i] for i in ids]

    def claims_added(self, key: GroupKey, after: int) -> Iterator[StoredClaim]:
        return (c for c in self._groups.get(key, ()) if c.id > after)


def across_sources(claims: Sequence[StoredClaim]) -> list[Verdict]:
    """Each statement of a figure against the other documents' statements about the same
    agency, substance and border; verdicts by group, then statement, then claim, in the
    order first given."""
    reader = _Listed(claims)
    out = []
    for key in reader.groups():
        judged = sorted(_judged(reader, key), key=lambda found: found[0])
        out += [verdict for _, verdict in judged]
    return out


def judge_groups(reader: GroupReader) -> Iterator[Verdict]:
    """The verdicts of every group `reader` has (see `judge_group`)."""
    for key in reader.groups():
        yield from judge_group(reader, key)


@dataclass(slots=True)
class Kept:
    """What a judgement of a group leaves to keep for the next (`source_state`): set by
    `judge_group` and `judge_added` from the group's `totals` and `deletions` as read."""

    totals: Totals
    deletions: int
    state: GroupState | None = None


def judge_group(reader: GroupReader, key: GroupKey, kept: Kept | None = None) -> Iterator[Verdict]:
    """The verdict of each claim of group `key` that is in conflict with other documents,
    one at a time in the reader's order: the same verdicts as `across_sources`, in memory
    that does not grow with the claims of the group (the module docstring says how)."""
    for _, verdict in _judged(reader, key, kept):
        yield verdict


def judge_added(
    reader: GroupReader, key: GroupKey, before: GroupState, kept: Kept
) -> Iterator[tuple[list[int], list[Verdict]]]:
    """Group `key` judged from its kept state and its claims added since (`before` must
    extend to the group as read: `GroupState.extends_to`): runs of claim ids whose verdicts
    may have changed, with their verdicts now (none for a claim: it has none)."""
    added = _of_group(reader.claims_added(key, before.totals.largest), key)
    index = GroupIndex.extended(before.part, added)
    found = conflicts(index, popular=_POPULAR, cited=_MAX_CITED)
    kept.state = state_of(index, found, kept.totals, kept.deletions, EXACT_UP_TO)
    changed = sorted(changed_claims(before, index, found, EXACT_UP_TO))
    statements = [s.statement for s in index.stated]
    del index
    cited = _fetched(reader, sorted({i for c in found.values() for i in c.first}))
    evidence = {o: _Evidence.of(c, cited) for o, c in found.items()}
    for at in range(0, len(changed), _FETCH):
        run = changed[at : at + _FETCH]
        whole = {c.id: c for c in reader.by_id([i for i, o in run if o in evidence])}
        yield (
            [i for i, _ in run],
            [_verdict(whole[i], statements[o], evidence[o]) for i, o in run if o in evidence],
        )


def _judged(
    reader: GroupReader, key: GroupKey, kept: Kept | None = None
) -> Iterator[tuple[int, Verdict]]:
    """Each verdict of the group with its statement's order. The second pass finds each
    claim's statement by its id among the claims in conflict (12 bytes each), not by
    working out its statement again (which would cost as much as the first pass)."""
    index = GroupIndex(_of_group(reader.claims(key), key))
    found = conflicts(index, popular=_POPULAR, cited=_MAX_CITED)
    if kept is not None:
        kept.state = state_of(index, found, kept.totals, kept.deletions, EXACT_UP_TO)
    if not found:
        return
    statements = [s.statement for s in index.stated]
    in_conflict = index.claims_of(sorted(found))
    del index  # the rest of the arrays are not needed for the second pass
    cited = _fetched(reader, sorted({i for c in found.values() for i in c.first}))
    evidence = {o: _Evidence.of(c, cited) for o, c in found.items()}
    for chunk in _chunks(_of_group(reader.claims(key), key)):
        for claim, order in zip(chunk, in_conflict.find([c.id for c in chunk]), strict=True):
            if order in evidence:
                yield order, _verdict(claim, statements[order], evidence[order])


def _chunks(claims: Iterable[StoredClaim]) -> Iterator[list[StoredClaim]]:
    chunk: list[StoredClaim] = []
    for claim in claims:
        chunk.append(claim)
        if len(chunk) == _FETCH:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _of_group(claims: Iterable[StoredClaim], key: GroupKey) -> Iterator[StoredClaim]:
    """`claims`, each checked to be of group `key`: a reader selecting otherwise than
    `group_key` would compare claims that state different quantities."""
    for claim in claims:
        if group_key(claim) != key:
            raise ValueError(
                f"the reader gave claim {claim.id} for group {key!r}, but it is of group "
                f"{group_key(claim)!r}: a reader must select as `group_key` does"
            )
        yield claim


def _fetched(reader: GroupReader, ids: list[int]) -> dict[int, StoredClaim]:
    found: dict[int, StoredClaim] = {}
    for at in range(0, len(ids), _FETCH):
        found.update((c.id, c) for c in reader.by_id(ids[at : at + _FETCH]))
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValueError(
            f"the reader found no claim with id {missing[:5]} though it read them a moment "
            "before: a comparison must read one snapshot of the store"
        )
    return found


@dataclass(frozen=True, slots=True)
class _Evidence:
    """A conflict with its claims whole: the first is quoted, the first few cited."""

    kind: str
    first: StoredClaim
    documents: int
    citations: list[Citation]

    @classmethod
    def of(cls, conflict: Conflict, cited: dict[int, StoredClaim]) -> _Evidence:
        claims = [cited[i] for i in conflict.first]
        return cls(conflict.kind, claims[0], conflict.documents, _cite(claims))


def _span(span: Span | None) -> str:
    return f"{span[0]}..{span[1]}" if span else "unstated"


def _cite(claims: Sequence[StoredClaim]) -> list[Citation]:
    return [Citation.of_claim(c, sentence=True) for c in claims[:_MAX_CITED]]


def _verdict(claim: StoredClaim, statement: Statement, evidence: _Evidence) -> Verdict:
    """A conflict for a claim making a statement: another figure for the same period, or
    the same figure for an irreconcilable period."""
    if evidence.kind == "figure":
        explanation = (
            f"This text says {claim.text}; {_others(evidence.documents)} "
            f"{evidence.first.text} for the same period "
            f"({_span(statement.primary)}). No official series settles which is right."
        )
        return Verdict(claim.id, "sources", VerdictKind.CONFLICT, 0.7, explanation,
                       citations=list(evidence.citations))  # fmt: skip
    same = evidence.first
    explanation = (
        f"This text gives {claim.text} for {claim.period_start} to {claim.period_end}; "
        f"{_others(evidence.documents)} the same figure ({same.text}) for "
        f"{same.period_start} to {same.period_end}. No reading of either period "
        "reconciles them, so at most one is right."
    )
    return Verdict(claim.id, "sources", VerdictKind.CONFLICT, 0.6, explanation,
                   citations=list(evidence.citations))  # fmt: skip


# Other documents are counted exactly up to this many, then said to be "more than" it: a
# verdict's words then stay the same as more copies of a widely carried story arrive, so
# its documents need no re-check each time (an incremental check re-checks a document
# when its verdicts from other sources change).
EXACT_UP_TO = 10


def _others(count: int) -> str:
    """ "another document gives", "3 other documents give", "more than 10 other
    documents give"."""
    if count == 1:
        return "another document gives"
    if count > EXACT_UP_TO:
        return f"more than {EXACT_UP_TO} other documents give"
    return f"{count} other documents give"
