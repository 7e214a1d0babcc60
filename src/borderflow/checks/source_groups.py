"""One group's statements and what relates them, held in memory that grows with the group's
distinct statements, not with its claims.

A group (one agency, substance and border) of a large archive is mostly copies of a few
wire stories: a million claims may make a few hundred distinct statements. So a first pass
over the group keeps each distinct statement once, and of each claim only its id and
document in flat integer arrays (`GroupIndex`: 40 to 60 bytes a claim at the peak, no object per
claim). From those the related statements of each statement are found once
(`source_conflicts.conflicts`), as claim ids to quote and cite and a count of documents; a
second pass over the group (the caller's) turns each claim into its verdict.
`checks.sources` explains what relates two statements and why the lookups keep it linear.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np
import numpy.typing as npt

from borderflow.checks.tolerance import rounding_step
from borderflow.records.claims import StoredClaim

Span = tuple[date, date]
# (agency, substance, corridor): the claims that may state the same quantity.
GroupKey = tuple[str, str | None, str | None]
Ints = npt.NDArray[np.int64]
_NONE: Ints = np.zeros(0, np.int64)
_NO_SPAN = -1
_NO_STATEMENT = -1
_BLOCK = 8_192  # documents counted at a time
_LOOKUP = 1_024  # documents whose statements are looked up at a time


def group_key(claim: StoredClaim) -> GroupKey | None:
    """The group a claim is compared within, or None when it states no seizure mass (the
    one definition a reader of the store must select by: see `sources.GroupReader`)."""
    if claim.dimension != "mass" or claim.measure != "seizure" or not claim.agency:
        return None
    if not claim.normalized_value:
        return None
    return claim.agency, claim.substance, claim.corridor


@dataclass(frozen=True, slots=True)
class Statement:
    """A figure (in kg) with the precision it was written to, and its period readings."""

    figure: float
    step: float
    primary: Span | None
    readings: frozenset[Span]
    definite: bool  # the period has one reading only

    def same_figure(self, other: Statement) -> bool:
        return abs(self.figure - other.figure) <= max(self.step, other.step) + 1e-9

    @property
    def comparable(self) -> bool:
        """A statement with no period, or a figure that is no number, relates to nothing."""
        return bool(self.readings) and math.isfinite(self.figure) and math.isfinite(self.step)


def statement_of(claim: StoredClaim) -> Statement:
    value = float(claim.value) or 1.0
    figure = float(claim.normalized_value or 0.0)
    step = rounding_step(value, claim.text) * figure / value
    primary = (
        (claim.period_start, claim.period_end) if claim.period_start and claim.period_end else None
    )
    readings = {(c.start, c.end) for c in claim.period_candidates} | (
        {primary} if primary else set()
    )
    return Statement(round(figure, 6), step, primary, frozenset(readings), len(readings) <= 1)


@dataclass(slots=True)
class _Stated:
    """One distinct statement of a group and its place in the group's order (of first
    appearance)."""

    order: int
    statement: Statement


@dataclass(frozen=True, slots=True)
class Conflict:
    """What makes each claim of a statement a conflict: the first related claims (ids, to
    quote and cite) and how many other documents give them."""

    kind: Literal["figure", "period"]
    first: list[int]
    documents: int


@dataclass(frozen=True, slots=True)
class GroupPart:
    """A group's index as kept between runs: its statements in order, and its claims'
    ids and documents by statement (each statement's `counts` claims in the order read)."""

    statements: list[Statement]
    claim_ids: Ints
    claim_docs: Ints
    counts: Ints


class GroupIndex:
    """The comparable statements of one group in order of first appearance, with their
    claims (ids and documents, in the order read) and the statements each document makes,
    as arrays sorted for lookups."""

    def __init__(self, claims: Iterable[StoredClaim]) -> None:
        self.orders: dict[Statement, int] = {}
        self._build(*_read(claims, self.orders))

    @classmethod
    def extended(cls, before: GroupPart, claims: Iterable[StoredClaim]) -> GroupIndex:
        """The index of the claims of `before` followed by `claims` (read after them, from
        documents no older): the same index as one built from all of them in that order."""
        index = cls.__new__(cls)
        index.orders = {s: o for o, s in enumerate(before.statements)}
        ids, docs, of = _read(claims, index.orders)
        earlier = np.repeat(np.arange(len(before.statements), dtype=np.intc), before.counts)
        index._build(
            np.concatenate([before.claim_ids, ids]),
            np.concatenate([before.claim_docs, docs]),
            np.concatenate([earlier, of]),
        )
        return index

    def _build(self, ids: Ints, docs: Ints, of: npt.NDArray[np.intc]) -> None:
        self.stated = [_Stated(o, s) for s, o in self.orders.items()]
        # Each statement's claims become one slice of `claim_ids` and `claim_docs`, in the
        # order read (a stable sort). Each column read is let go once sorted, so the peak
        # stays near 40 bytes a claim.
        by_statement = np.argsort(of, kind="stable")
        counts = np.bincount(of, minlength=len(self.stated))
        self.claim_start: list[int] = [0, *np.cumsum(counts).tolist()]
        del of
        self.claim_ids: Ints = ids[by_statement]
        del ids
        self.claim_docs: Ints = docs[by_statement]
        del docs, by_statement
        self._by_document(*self._pairs(counts))

    def part(self) -> GroupPart:
        """What `extended` needs to add claims to this index later (call before
        `claims_of`, which lets these arrays go)."""
        counts = np.asarray(np.diff(np.asarray(self.claim_start)), np.int64)
        return GroupPart([s.statement for s in self.stated], self.claim_ids.copy(),
                         self.claim_docs.copy(), counts)  # fmt: skip

    def _pairs(self, counts: Ints) -> tuple[Ints, npt.NDArray[np.intc]]:
        """Each statement's documents once, sorted (`docs`), and the statement of each."""
        n = len(self.stated)
        of = np.repeat(np.arange(n, dtype=np.intc), counts)
        docs = self.claim_docs
        opens = np.zeros(len(docs), bool)  # a claim that is its statement's first
        opens[np.asarray(self.claim_start[:-1], np.int64)[counts > 0]] = True
        # A reader by document id gives each statement's documents in order: no sort.
        if not np.all((docs[1:] >= docs[:-1]) | opens[1:]):
            by = np.lexsort((docs, of))
            docs, of = docs[by], of[by]
            del by
        first = opens
        first[1:] |= docs[1:] != docs[:-1]
        if len(first):
            first[0] = True
        pair_docs, pair_orders = docs[first], of[first]
        self.document_counts: list[int] = np.bincount(pair_orders, minlength=n).tolist()
        self._pair_start = [0, *np.cumsum(self.document_counts).tolist()]
        return pair_docs, pair_orders

    def _by_document(self, pair_docs: Ints, pair_orders: npt.NDArray[np.intc]) -> None:
        """The statements each document makes (`made_by`), in order."""
        self._pair_docs = pair_docs
        by_doc = np.argsort(pair_docs, kind="stable")  # statements stay in order
        self._doc_orders: npt.NDArray[np.intc] = pair_orders[by_doc]
        del pair_orders
        docs = pair_docs[by_doc]
        del by_doc
        starts = np.flatnonzero(docs[1:] != docs[:-1]) + 1
        self.doc_ids: Ints = docs[np.concatenate(([0], starts))] if len(docs) else docs
        self._doc_start: Ints = np.concatenate(([0], starts, [len(docs)]))

    def docs(self, order: int) -> Ints:
        """The documents making statement `order`, sorted."""
        return self._pair_docs[self._pair_start[order] : self._pair_start[order + 1]]

    def made_by(self, docs: Ints) -> Iterator[list[int]]:
        """The statements each of `docs` (documents of the group) makes, in order; looked
        up a block at a time, as a popular statement's documents may be most of a group."""
        for at in range(0, len(docs), _LOOKUP):
            rows = np.searchsorted(self.doc_ids, docs[at : at + _LOOKUP])
            starts, stops = self._doc_start[rows].tolist(), self._doc_start[rows + 1].tolist()
            for a, b in zip(starts, stops, strict=True):
                yield self._doc_orders[a:b].tolist()

    def span_documents(self, span_of: Sequence[int], spans: int) -> list[int]:
        """How many documents make a statement of each span (`span_of`: each statement's
        span, or `_NO_SPAN`), a block of documents at a time to bound what is allocated."""
        span_of_order = np.asarray(span_of, np.int64)
        counts = np.zeros(spans, np.int64)
        for first in range(0, len(self.doc_ids), _BLOCK):
            last = min(first + _BLOCK, len(self.doc_ids))
            a, b = self._doc_start[first], self._doc_start[last]
            span = span_of_order[self._doc_orders[a:b]]
            row = np.repeat(np.arange(first, last), np.diff(self._doc_start[first : last + 1]))
            spanned = span != _NO_SPAN
            distinct = np.unique(row[spanned] * spans + span[spanned])
            counts += np.bincount(distinct % spans, minlength=spans)
        found: list[int] = counts.tolist()
        return found

    def first_claims(self, orders: Iterable[int], own: Ints, limit: int) -> list[int]:
        """The ids of the first `limit` claims of statements `orders`, in order, not from
        the documents `own` (sorted). Read a few claims at a time, more each time: the first
        is nearly always another document's, but a statement made by the same documents
        as `own` may have many claims to skip."""
        first: list[int] = []
        for order in orders:
            at, stop, step = self.claim_start[order], self.claim_start[order + 1], 4
            while at < stop:
                end = min(stop, at + step)
                others = np.flatnonzero(~_member(self.claim_docs[at:end], own))
                first += self.claim_ids[at + others[: limit - len(first)]].tolist()
                if len(first) == limit:
                    return first
                at, step = end, step * 4
        return first

    def claims_of(self, orders: Iterable[int]) -> ClaimOrders:
        """The claims of statements `orders`, to find each claim's statement by its id.
        The last use of the index: its other arrays are let go first, to make room."""
        self._pair_docs = self.claim_docs = self.doc_ids = self._doc_start = _NONE
        self._doc_orders = _NONE.astype(np.intc)
        slices = [(self.claim_start[o], self.claim_start[o + 1], o) for o in orders]
        ids = np.concatenate([self.claim_ids[a:b] for a, b, _ in slices] or [_NONE])
        self.claim_ids = _NONE
        of = np.repeat(np.array([o for *_, o in slices], np.intc),
                       [b - a for a, b, _ in slices])  # fmt: skip
        by_id = np.argsort(ids)
        return ClaimOrders(ids[by_id], of[by_id])


@dataclass(frozen=True, slots=True)
class ClaimOrders:
    """Claim ids, sorted, with the order of the statement each makes."""

    ids: Ints
    orders: npt.NDArray[np.intc]

    def find(self, ids: Sequence[int]) -> list[int]:
        """The statement order of each claim of `ids`, or `_NO_STATEMENT`."""
        if not self.ids.size:
            return [_NO_STATEMENT] * len(ids)
        asked = np.array(ids, np.int64)
        at = np.minimum(np.searchsorted(self.ids, asked), len(self.ids) - 1)
        found: list[int] = np.where(self.ids[at] == asked, self.orders[at], _NO_STATEMENT).tolist()
        return found


def _union(docs: list[Ints]) -> Ints:
    """The documents of several statements, sorted, each once (one statement's: as they
    are, as a popular statement's may be most of a group)."""
    return docs[0] if len(docs) == 1 else np.unique(np.concatenate(docs))


def _member(values: Ints, members: Ints) -> npt.NDArray[np.bool_]:
    """Which of `values` are in the sorted array `members`."""
    if not members.size:
        return np.zeros(len(values), bool)
    at = np.minimum(np.searchsorted(members, values), len(members) - 1)
    return np.asarray(members[at] == values)


def _read(
    claims: Iterable[StoredClaim], orders: dict[Statement, int]
) -> tuple[Ints, Ints, npt.NDArray[np.intc]]:
    """The comparable claims' ids, documents and statements (numbered on in `orders`), in
    the order read, in flat arrays: no object kept per claim."""
    ids, docs, of = array("q"), array("q"), array("i")
    for claim in claims:
        statement = statement_of(claim)
        if statement.comparable:
            ids.append(claim.id)
            docs.append(claim.document_id)
            of.append(orders.setdefault(statement, len(orders)))
    return np.frombuffer(ids, np.int64), np.frombuffer(docs, np.int64), np.frombuffer(of, np.intc)
