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
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass, field
from datetime import date

from borderflow.checks.model import Citation, Verdict, VerdictKind
from borderflow.checks.tolerance import rounding_step
from borderflow.records.claims import StoredClaim

_MAX_CITED = 3
_POPULAR = 16  # documents making one statement: more, and their count is kept
Span = tuple[date, date]


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


@dataclass(slots=True)
class _Stated:
    """One distinct statement of a group, its place in the group's order, the claims making
    it (in order) and their documents."""

    order: int
    statement: Statement
    claims: list[StoredClaim] = field(default_factory=list)
    docs: set[int] = field(default_factory=set)

    @property
    def comparable(self) -> bool:
        s = self.statement
        return bool(s.readings) and math.isfinite(s.figure) and math.isfinite(s.step)


@dataclass(frozen=True, slots=True)
class _Related:
    """What a verdict says of the claims related to a statement: the first ones (to quote
    and cite) and how many documents give them."""

    first: list[StoredClaim]
    documents: int


def _key(claim: StoredClaim) -> tuple[str | None, ...] | None:
    if claim.dimension != "mass" or claim.measure != "seizure" or not claim.agency:
        return None
    return claim.agency, claim.substance, claim.corridor


def _statement(claim: StoredClaim) -> Statement:
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


def _span(span: Span | None) -> str:
    return f"{span[0]}..{span[1]}" if span else "unstated"


def _cite(claims: Sequence[StoredClaim]) -> list[Citation]:
    return [Citation.of_claim(c, sentence=True) for c in claims[:_MAX_CITED]]


def across_sources(claims: Sequence[StoredClaim]) -> list[Verdict]:
    """Each statement of a figure against the other documents' statements about the same
    agency, substance and border."""
    groups: dict[tuple[str | None, ...], list[StoredClaim]] = defaultdict(list)
    for claim in claims:
        key = _key(claim)
        if key is not None and claim.normalized_value:
            groups[key].append(claim)
    out = []
    for members in groups.values():
        out += _judge_group(_distinct(members))
    return out


def _distinct(members: list[StoredClaim]) -> list[_Stated]:
    """The distinct statements of a group, in order of first appearance."""
    by_statement: dict[Statement, _Stated] = {}
    for claim in members:
        statement = _statement(claim)
        stated = by_statement.get(statement)
        if stated is None:
            stated = by_statement[statement] = _Stated(len(by_statement), statement)
        stated.claims.append(claim)
        stated.docs.add(claim.document_id)
    return list(by_statement.values())


def _judge_group(stated: list[_Stated]) -> list[Verdict]:
    comparable = [s for s in stated if s.comparable]
    figures, documents = _Figures(comparable), _Documents(comparable)
    by_span: dict[Span | None, list[_Stated]] = defaultdict(list)
    for s in comparable:
        if s.statement.definite:
            by_span[s.statement.primary].append(s)
    spans = {primary: _SpanMembers.of(members) for primary, members in by_span.items()}
    out = []
    for s in comparable:
        same = figures.near(s)
        span = spans.get(s.statement.primary) if s.statement.definite else None
        differing = span.differing(s, same, documents) if span else _Related([], 0)
        out += _verdicts(s, differing, _other_periods(s, same, documents))
    return out


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
    """The statements each document of a group makes, to count the documents behind a set
    of statements. The documents of popular statements (made by more than `_POPULAR`
    documents) are counted once per set of popular statements and kept, not listed again
    for each of the many statements they may be related to."""

    def __init__(self, stated: list[_Stated]) -> None:
        self._of: dict[int, list[int]] = defaultdict(list)
        for s in stated:
            for d in s.docs:
                self._of[d].append(s.order)
        self._kept: dict[tuple[frozenset[int], frozenset[int] | None], int] = {}

    def count(self, related: list[_Stated], own: set[int],
              scope: frozenset[int] | None = None) -> int:  # fmt: skip
        """Documents not in `own` that state a statement of `related` and, given a `scope`,
        none of `scope` outside `related`: those of its popular statements (kept), less
        `own`, and those of the others that state none of the popular ones."""
        popular = frozenset(s.order for s in related if len(s.docs) > _POPULAR)
        count = self._behind_popular(related, popular, scope)
        if popular:
            count -= sum(self._states(d, popular, scope) for d in own)
        orders = {s.order for s in related}
        rest = {d for s in related if s.order not in popular for d in s.docs if d not in own}
        return count + sum(
            self._states(d, orders, scope) and not self._states(d, popular, scope) for d in rest
        )

    def _behind_popular(self, related: list[_Stated], popular: frozenset[int],
                        scope: frozenset[int] | None) -> int:  # fmt: skip
        """The documents stating one of `popular` (and nothing else of `scope`), counted
        the first time these statements are asked about."""
        if (popular, scope) not in self._kept:
            behind = {d for s in related if s.order in popular for d in s.docs}
            self._kept[popular, scope] = sum(self._states(d, popular, scope) for d in behind)
        return self._kept[popular, scope]

    def _states(self, document: int, among: Set[int], scope: frozenset[int] | None) -> bool:
        """Whether `document` states one of `among` and, given a `scope`, none of `scope`
        outside `among`."""
        made = self._of[document]
        if not any(o in among for o in made):
            return False
        return scope is None or all(o in among for o in made if o in scope)


@dataclass(frozen=True, slots=True)
class _SpanMembers:
    """The definite statements of one primary span, in order, and their documents."""

    members: list[_Stated]
    orders: frozenset[int]
    documents: frozenset[int]

    @classmethod
    def of(cls, members: list[_Stated]) -> _SpanMembers:
        documents = frozenset(d for s in members for d in s.docs)
        return cls(members, frozenset(s.order for s in members), documents)

    def differing(self, mine: _Stated, same: list[_Stated], documents: _Documents) -> _Related:
        """The claims of other documents giving another figure for this span: every
        statement of the span but those of the same figure as `mine`. Their documents are
        all the span's, less `mine`'s own, less those stating only figures of `mine`."""
        window = [s for s in same if s.order in self.orders]
        skipped = {s.order for s in window}
        first = _first_claims((s for s in self.members if s.order not in skipped), mine.docs)
        others = len(self.documents) - sum(1 for d in mine.docs if d in self.documents)
        return _Related(first, others - documents.count(window, mine.docs, self.orders))


def _other_periods(mine: _Stated, same: list[_Stated], documents: _Documents) -> _Related:
    """The claims of other documents giving the same figure for a period no reading of
    `mine` shares."""
    apart = [s for s in same if s.statement.readings.isdisjoint(mine.statement.readings)]
    return _Related(_first_claims(apart, mine.docs), documents.count(apart, mine.docs))


def _first_claims(statements: Iterable[_Stated], own: set[int]) -> list[StoredClaim]:
    """The first `_MAX_CITED` claims of `statements`, in order, not from `own` documents."""
    first: list[StoredClaim] = []
    for s in statements:
        for claim in s.claims:
            if claim.document_id not in own:
                first.append(claim)
                if len(first) == _MAX_CITED:
                    return first
    return first


def _verdicts(stated: _Stated, differing: _Related, apart: _Related) -> list[Verdict]:
    """A conflict for each claim making the statement: another figure for the same period
    first, else the same figure for an irreconcilable period."""
    out = []
    for claim in stated.claims:
        if differing.first:
            explanation = (
                f"This text says {claim.text}; {_others(differing.documents)} "
                f"{differing.first[0].text} for the same period "
                f"({_span(stated.statement.primary)}). No official series settles which is right."
            )
            out.append(Verdict(claim.id, "sources", VerdictKind.CONFLICT, 0.7, explanation,
                               citations=_cite(differing.first)))  # fmt: skip
        elif apart.first:
            same = apart.first[0]
            explanation = (
                f"This text gives {claim.text} for {claim.period_start} to {claim.period_end}; "
                f"{_others(apart.documents)} the same figure ({same.text}) for "
                f"{same.period_start} to {same.period_end}. No reading of either period "
                "reconciles them, so at most one is right."
            )
            out.append(Verdict(claim.id, "sources", VerdictKind.CONFLICT, 0.6, explanation,
                               citations=_cite(apart.first)))  # fmt: skip
    return out


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
