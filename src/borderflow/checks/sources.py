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
from typing import Any

from borderflow.checks.model import Citation, Verdict

_MAX_CITED = 3


def _key(claim: dict[str, Any]) -> tuple[Any, ...] | None:
    if claim["dimension"] != "mass" or claim["measure"] != "seizure" or not claim["agency"]:
        return None
    return claim["agency"], claim["substance"], claim["corridor"]


def _figure(claim: dict[str, Any]) -> float:
    """The figure at the precision it was written (4.9 kg and 4.90 kg are the same)."""
    return float(f"{claim['normalized_value']:.3g}")


def _cite(claims: Sequence[dict[str, Any]]) -> list[Citation]:
    return [Citation.of_claim(c, sentence=True) for c in claims[:_MAX_CITED]]


def across_sources(claims: Sequence[dict[str, Any]]) -> list[Verdict]:
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for claim in claims:
        key = _key(claim)
        if key is not None and claim["normalized_value"]:
            groups[key].append(claim)
    out = []
    for members in groups.values():
        by_statement: dict[tuple[float, Any, Any], list[dict[str, Any]]] = defaultdict(list)
        for claim in members:
            by_statement[(_figure(claim), claim["period_start"], claim["period_end"])].append(claim)
        for (figure, start, end), stating in by_statement.items():
            docs = {c["document_id"] for c in stating}
            other_periods = [
                c
                for (f, s, e), cs in by_statement.items()
                if f == figure and (s, e) != (start, end) and start and s
                for c in cs
                if c["document_id"] not in docs
            ]
            other_figures = [
                c
                for (f, s, e), cs in by_statement.items()
                if f != figure and (s, e) == (start, end) and start
                for c in cs
                if c["document_id"] not in docs
            ]
            for claim in stating:
                others = len(docs) - 1  # documents other than this claim's stating it too
                if other_periods:
                    o = other_periods[0]
                    out.append(
                        Verdict(
                            claim["id"],
                            "sources",
                            "conflict",
                            0.6,
                            f"{len({c['document_id'] for c in other_periods})} other document(s) "
                            f"give the same figure ({o['text']}) for another period "
                            f"({o['period_start']}..{o['period_end']} vs {start}..{end}); at most "
                            "one of the periods is right.",
                            citations=_cite(other_periods),
                        )
                    )
                elif other_figures:
                    o = other_figures[0]
                    out.append(
                        Verdict(
                            claim["id"],
                            "sources",
                            "conflict",
                            0.5,
                            f"Other documents give a different figure ({o['text']}) for the same "
                            "period.",
                            citations=_cite(other_figures),
                        )
                    )
                elif others and start:
                    cited = [
                        c
                        for c in stating[: _MAX_CITED + 1]
                        if c["document_id"] != claim["document_id"]
                    ]
                    out.append(
                        Verdict(
                            claim["id"],
                            "sources",
                            "supported",
                            0.4,
                            f"{others} other document(s) state the same figure for the same "
                            "period.",
                            citations=_cite(cited),
                        )
                    )
    return out
