"""Across sources: the same quantity stated by different documents.

Figures about the same agency, substance and border agree when they match within rounding
over overlapping periods; the same figure attached to different periods, or different
figures for the same period, is a conflict unless official data settle it (official.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from borderflow.checks.model import Citation, Verdict
from borderflow.checks.tolerance import agree, rounding_step


def _key(claim: dict[str, Any]) -> tuple[Any, ...] | None:
    if claim["dimension"] != "mass" or claim["measure"] != "seizure" or not claim["agency"]:
        return None
    return claim["agency"], claim["substance"], claim["corridor"]


def _same_period(a: dict[str, Any], b: dict[str, Any]) -> bool | None:
    if not (a["period_start"] and b["period_start"]):
        return None
    return (a["period_start"], a["period_end"]) == (b["period_start"], b["period_end"])


def across_sources(claims: Sequence[dict[str, Any]]) -> list[Verdict]:
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for claim in claims:
        key = _key(claim)
        if key is not None and claim["normalized_value"]:
            groups[key].append(claim)
    out = []
    for members in groups.values():
        for claim in members:
            others = [c for c in members if c["document_id"] != claim["document_id"]]
            for other in others:
                same = agree(
                    claim["normalized_value"],
                    other["normalized_value"],
                    "exact",
                    rounding_step(float(claim["value"]), claim["text"]),
                ) in ("exact", "rounding")
                overlap = _same_period(claim, other)
                cite = [
                    Citation(
                        "document",
                        other["text"],
                        document_id=other["document_id"],
                        start=other["start"],
                        end=other["end"],
                        quote=other["sentence"],
                    )
                ]
                if same and overlap is False:
                    out.append(
                        Verdict(
                            claim["id"],
                            "sources",
                            "conflict",
                            0.6,
                            f"Document {other['document_id']} gives the same figure "
                            f"({other['text']}) for another period "
                            f"({other['period_start']}..{other['period_end']} vs "
                            f"{claim['period_start']}..{claim['period_end']}); at most one of "
                            "the periods is right.",
                            citations=cite,
                        )
                    )
                elif same and overlap:
                    out.append(
                        Verdict(
                            claim["id"],
                            "sources",
                            "supported",
                            0.4,
                            f"Document {other['document_id']} states the same figure for the same "
                            f"period ({other['text']}).",
                            citations=cite,
                        )
                    )
                elif not same and overlap:
                    out.append(
                        Verdict(
                            claim["id"],
                            "sources",
                            "conflict",
                            0.5,
                            f"Document {other['document_id']} gives {other['text']} for the same "
                            "period; the two figures differ.",
                            citations=cite,
                        )
                    )
    return out
