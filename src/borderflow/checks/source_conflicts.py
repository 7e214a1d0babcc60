"""Finding the conflict each statement of a group is in, from the group's index
(`source_groups.GroupIndex`): the lookups that keep the comparison linear, described in
`checks.sources` (statements of the same figure by bisection, the statements of a span,
and documents counted from the few statements each makes)."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Set
from dataclasses import dataclass

from borderflow.checks.source_groups import (
    _NO_SPAN,
    Conflict,
    GroupIndex,
    Ints,
    Span,
    _member,
    _Stated,
    _union,
)


class _Figures:
    """Statements by the binary exponent of their step, each bucket sorted by figure, so
    the statements of the same figure as one are found by bisection."""

    def __init__(self, stated: list[_Stated]) -> None:
        buckets: dict[int, list[_Stated]] = defaultdict(list)
        for s in stated:
            buckets[math.frexp(s.statement.step)[1]].append(s)
        self._buckets: list[tuple[list[float], list[_Stated], float]] = []
        for members in buckets.values():
            members.sort(key=lambda s: s.statement.figure)
            widest = max(s.statement.step for s in members)
            self._buckets.append(([s.statement.figure for s in members], members, widest))

    def near(self, mine: _Stated) -> list[_Stated]:
        """Every statement of the same figure as `mine` (itself included), in order."""
        figure, step = mine.statement.figure, mine.statement.step
        found = []
        for figures, members, widest in self._buckets:
            reach = max(step, widest) + 1e-9
            # Widened by more than any rounding of the bounds; the exact test decides.
            reach += abs(reach) * 1e-9 + abs(figure) * 1e-12
            lo, hi = bisect_left(figures, figure - reach), bisect_right(figures, figure + reach)
            found += [s for s in members[lo:hi] if mine.statement.same_figure(s.statement)]
        found.sort(key=lambda s: s.order)
        return found


class _Documents:
    """Counts the documents behind a set of statements from the few statements each
    document makes. The documents of popular statements (made by more than `popular`
    documents) are counted once per set of popular statements and kept, not listed again
    for each of the many statements they may be related to."""

    def __init__(self, index: GroupIndex, span_of: list[int], popular: int) -> None:
        self._index, self._span_of, self._popular = index, span_of, popular
        self._kept: dict[tuple[frozenset[int], int], int] = {}

    def count(self, related: list[_Stated], own: Ints, span: int = _NO_SPAN) -> int:
        """Documents not in `own` that state a statement of `related` and, given a `span`,
        none of that span's statements outside `related`: those of its popular statements
        (kept), less `own`, and those of the others that state none of the popular ones."""
        counts = self._index.document_counts
        popular = frozenset(s.order for s in related if counts[s.order] > self._popular)
        count = self._behind_popular(popular, span)
        if popular:
            count -= sum(self._states(made, popular, span) for made in self._index.made_by(own))
        orders = {s.order for s in related}
        rest = [self._index.docs(s.order) for s in related if s.order not in popular]
        if not rest:
            return count
        docs = _union(rest)
        docs = docs[~_member(docs, own)]
        return count + sum(
            self._states(made, orders, span) and not self._states(made, popular, span)
            for made in self._index.made_by(docs)
        )

    def _behind_popular(self, popular: frozenset[int], span: int) -> int:
        """The documents stating one of `popular` (and nothing else of `span`), counted
        the first time these statements are asked about."""
        if not popular:
            return 0
        if (popular, span) not in self._kept:
            behind = _union([self._index.docs(o) for o in popular])
            made_by = self._index.made_by(behind)
            self._kept[popular, span] = sum(self._states(m, popular, span) for m in made_by)
        return self._kept[popular, span]

    def _states(self, made: list[int], among: Set[int], span: int) -> bool:
        """Whether a document making statements `made` states one of `among` and, given a
        `span`, none of its statements outside `among`."""
        if not any(o in among for o in made):
            return False
        return span == _NO_SPAN or all(o in among for o in made if self._span_of[o] == span)


@dataclass(frozen=True, slots=True)
class _Group:
    """What judging one group's statements needs: its index, each statement's span (or
    `_NO_SPAN`), the document counter and how many claims a verdict cites."""

    index: GroupIndex
    span_of: list[int]
    documents: _Documents
    cited: int


@dataclass(frozen=True, slots=True)
class _SpanMembers:
    """The definite statements of one primary span, in order, and how many documents
    make one of them."""

    number: int
    members: list[_Stated]
    documents: int

    def differing(self, mine: _Stated, same: list[_Stated], group: _Group) -> Conflict | None:
        """The claims of other documents giving another figure for this span: every
        statement of the span but those of the same figure as `mine`. Their documents are
        all the span's, less `mine`'s own (all among them: `mine` is of the span), less
        those stating only figures of `mine`."""
        window = [s for s in same if group.span_of[s.order] == self.number]
        skipped = {s.order for s in window}
        own = group.index.docs(mine.order)
        others = (s.order for s in self.members if s.order not in skipped)
        first = group.index.first_claims(others, own, group.cited)
        if not first:
            return None
        documents = self.documents - len(own) - group.documents.count(window, own, self.number)
        return Conflict("figure", first, documents)


def _other_periods(mine: _Stated, same: list[_Stated], group: _Group) -> Conflict | None:
    """The claims of other documents giving the same figure for a period no reading of
    `mine` shares."""
    apart = [s for s in same if s.statement.readings.isdisjoint(mine.statement.readings)]
    if not apart:
        return None
    own = group.index.docs(mine.order)
    first = group.index.first_claims((s.order for s in apart), own, group.cited)
    if not first:
        return None
    return Conflict("period", first, group.documents.count(apart, own))


def conflicts(index: GroupIndex, *, popular: int, cited: int) -> dict[int, Conflict]:
    """The conflict each statement of a group is in, by statement order: another figure
    for the same period first, else the same figure for an irreconcilable period. Counts
    are made only where there is something to cite, as a verdict needs them only then."""
    spans: dict[Span | None, int] = {}
    by_span: list[list[_Stated]] = []
    span_of = [_NO_SPAN] * len(index.stated)
    for s in index.stated:
        if s.statement.definite:
            number = spans.setdefault(s.statement.primary, len(spans))
            if number == len(by_span):
                by_span.append([])
            by_span[number].append(s)
            span_of[s.order] = number
    counts = index.span_documents(span_of, len(spans)) if spans else []
    members = [_SpanMembers(n, m, counts[n]) for n, m in enumerate(by_span)]
    group = _Group(index, span_of, _Documents(index, span_of, popular), cited)
    figures = _Figures(index.stated)
    found = {}
    for s in index.stated:
        same = figures.near(s)
        span = span_of[s.order]
        conflict = members[span].differing(s, same, group) if span != _NO_SPAN else None
        conflict = conflict or _other_periods(s, same, group)
        if conflict is not None:
            found[s.order] = conflict
    return found
