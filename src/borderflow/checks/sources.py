"""Across sources: the same quantity stated by different documents.

Figures about the same agency, substance and border agree when they match within rounding
for the same period; the same figure attached to different periods, or different figures
for the same period, is a conflict unless official data settle it (official.py). Claims are
grouped by (figure, period) first, so a corpus with many copies of one story costs no more
than one copy per distinct statement.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from borderflow.checks.model import Citation, Verdict, VerdictKind
from borderflow.records.claims import StoredClaim

_MAX_CITED = 3
Statement = tuple[float, date | None, date | None]  # figure and period


def _key(claim: StoredClaim) -> tuple[str | None, ...] | None:
    if claim.dimension != "mass" or claim.measure != "seizure" or not claim.agency:
        return None
    return claim.agency, claim.substance, claim.corridor


def _figure(claim: StoredClaim) -> float:
    """The figure at the precision it was written (4.9 kg and 4.90 kg are the same)."""
    return float(f"{claim.normalized_value or 0.0:.3g}")


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
            by_statement[(_figure(claim), claim.period_start, claim.period_end)].append(claim)
        for statement, stating in by_statement.items():
            out += _judge(statement, stating, by_statement)
    return out


def _judge(
    statement: Statement,
    stating: list[StoredClaim],
    by_statement: dict[Statement, list[StoredClaim]],
) -> list[Verdict]:
    """The documents stating one figure for one period, against the other statements:
    the same figure for another period, or another figure for the same period, is a
    conflict; agreement with other documents is a (weak) confirmation."""
    figure, start, end = statement
    docs = {c.document_id for c in stating}
    elsewhere = [(f, s, e, c) for (f, s, e), cs in by_statement.items() for c in cs
                 if c.document_id not in docs]  # fmt: skip
    other_periods = [c for f, s, e, c in elsewhere if f == figure and (s, e) != (start, end)
                     and start and s]  # fmt: skip
    other_figures = [c for f, s, e, c in elsewhere if f != figure and (s, e) == (start, end)
                     and start]  # fmt: skip
    out = []
    for claim in stating:
        others = len(docs) - 1  # documents other than this claim's stating it too
        if other_periods:
            o = other_periods[0]
            explanation = (
                f"{len({c.document_id for c in other_periods})} other document(s) give the "
                f"same figure ({o.text}) for another period ({o.period_start}..{o.period_end} "
                f"vs {start}..{end}); at most one of the periods is right."
            )
            verdict = Verdict(claim.id, "sources", VerdictKind.CONFLICT, 0.6, explanation,
                              citations=_cite(other_periods))  # fmt: skip
        elif other_figures:
            explanation = (
                f"Other documents give a different figure ({other_figures[0].text}) for the "
                "same period."
            )
            verdict = Verdict(claim.id, "sources", VerdictKind.CONFLICT, 0.5, explanation,
                              citations=_cite(other_figures))  # fmt: skip
        elif others and start:
            cited = [c for c in stating[: _MAX_CITED + 1] if c.document_id != claim.document_id]
            explanation = f"{others} other document(s) state the same figure for the same period."
            verdict = Verdict(claim.id, "sources", VerdictKind.SUPPORTED, 0.4, explanation,
                              citations=_cite(cited))  # fmt: skip
        else:
            continue
        out.append(verdict)
    return out
