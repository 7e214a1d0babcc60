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

Claims are grouped by (figure, readings) first, so a corpus with many copies of one story
costs no more than one copy per distinct statement.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from borderflow.checks.model import Citation, Verdict, VerdictKind
from borderflow.checks.tolerance import rounding_step
from borderflow.records.claims import StoredClaim

_MAX_CITED = 3
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
        by_statement: dict[Statement, list[StoredClaim]] = defaultdict(list)
        for claim in members:
            by_statement[_statement(claim)].append(claim)
        for statement, stating in by_statement.items():
            out += _judge(statement, stating, by_statement)
    return out


def _relation(mine: Statement, theirs: Statement) -> str | None:
    """'agree', 'period' (same figure, irreconcilable periods), 'figure' (other figure,
    same definite period) or None (not the same quantity, or nothing to say)."""
    if not mine.readings or not theirs.readings:
        return None
    shared = bool(mine.readings & theirs.readings)
    if mine.same_figure(theirs):
        return "agree" if shared else "period"
    same_period = mine.definite and theirs.definite and mine.primary == theirs.primary
    return "figure" if same_period else None


def _judge(
    statement: Statement,
    stating: list[StoredClaim],
    by_statement: dict[Statement, list[StoredClaim]],
) -> list[Verdict]:
    """The documents making one statement, against the other documents' statements."""
    docs = {c.document_id for c in stating}
    related: dict[str, list[StoredClaim]] = defaultdict(list)
    for other, claims in by_statement.items():
        relation = _relation(statement, other)
        if relation is not None:
            related[relation] += [c for c in claims if c.document_id not in docs]
    out = []
    for claim in stating:
        if related["figure"]:
            differing = related["figure"][0]
            explanation = (
                f"This text says {claim.text}; {_others(related['figure'])} "
                f"{differing.text} for the same period ({_span(statement.primary)}). "
                "No official series settles which is right."
            )
            out.append(Verdict(claim.id, "sources", VerdictKind.CONFLICT, 0.7, explanation,
                               citations=_cite(related["figure"])))  # fmt: skip
        elif related["period"]:
            same = related["period"][0]
            explanation = (
                f"This text gives {claim.text} for {claim.period_start} to {claim.period_end}; "
                f"{_others(related['period'])} the same figure ({same.text}) for "
                f"{same.period_start} to {same.period_end}. No reading of either period "
                "reconciles them, so at most one is right."
            )
            out.append(Verdict(claim.id, "sources", VerdictKind.CONFLICT, 0.6, explanation,
                               citations=_cite(related["period"])))  # fmt: skip
    return out


def _others(claims: list[StoredClaim]) -> str:
    """ "another document gives" or "3 other documents give"."""
    count = len({c.document_id for c in claims})
    return "another document gives" if count == 1 else f"{count} other documents give"
