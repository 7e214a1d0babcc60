"""Verdicts from other sources, stored as soon as they are judged.

Agreement between sources is judged over every seizure claim of the store, before the
documents are checked in batches (in this process or on a cluster's workers). Its verdicts
are written here group by group, only those that changed (compared by a short digest),
and the documents whose claims they changed are marked to be checked again; each batch
then reads its claims' verdicts from other sources back from the store. So no process holds
the whole comparison in memory, and the batches learn it from the one place that holds it.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import Connection, select

from borderflow.records.verdicts import CheckRecord, Citation, Verdict, VerdictKind
from borderflow.store import Store
from borderflow.store.checks import (
    CHECKS,
    check_row,
    existing_claims,
    mark_versions,
    write_differences,
)
from borderflow.store.revisions import bump

SOURCES_CHECK: Final = "sources"
_IN = 500  # ids per IN (...) list


def verdicts_digest(verdicts: Sequence[tuple[str, str, Any]]) -> str:
    """A short fingerprint of one claim's verdicts from other sources, as (verdict,
    explanation, citations as stored): what a new comparison is matched against without
    reading every stored explanation back into memory at once."""
    text = json.dumps(list(verdicts), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _digests(conn: Connection, claim_ids: Sequence[int]) -> dict[int, str]:
    found: dict[int, list[tuple[str, str, Any]]] = defaultdict(list)
    for i in range(0, len(claim_ids), _IN):
        query = (
            select(CHECKS.c.claim_id, CHECKS.c.verdict, CHECKS.c.explanation, CHECKS.c.citations)
            .where(CHECKS.c.check == SOURCES_CHECK, CHECKS.c.claim_id.in_(claim_ids[i : i + _IN]))
            .order_by(CHECKS.c.claim_id, CHECKS.c.id)
        )
        for claim_id, verdict, explanation, citations in conn.execute(query):
            found[claim_id].append((verdict, explanation, citations))
    return {claim_id: verdicts_digest(rows) for claim_id, rows in found.items()}


def _with_other_verdicts(conn: Connection, claim_ids: Sequence[int]) -> set[int]:
    found: set[int] = set()
    for i in range(0, len(claim_ids), _IN):
        query = select(CHECKS.c.claim_id).where(
            CHECKS.c.check != SOURCES_CHECK, CHECKS.c.claim_id.in_(claim_ids[i : i + _IN])
        )
        found.update(conn.scalars(query.distinct()))
    return found


def _digest_of(verdicts: Sequence[Verdict]) -> str:
    return verdicts_digest(
        [(v.verdict.value, v.explanation, [c.as_dict() for c in v.citations]) for v in verdicts]
    )


def write_source_verdicts(
    store: Store, claim_ids: Sequence[int], verdicts: Sequence[Verdict], *, generation: str
) -> int:
    """Make the stored verdicts from other sources of `claim_ids` exactly `verdicts` (all
    about those claims; none for a claim means it has none), in one transaction, touching
    only the claims whose verdicts changed; their documents are marked to be checked again
    (the claims' headlines may change). Returns how many rows were added, changed or
    deleted."""
    mine: dict[int, list[Verdict]] = defaultdict(list)
    for v in verdicts:
        mine[v.claim_id].append(v)
    now = datetime.now(UTC)
    with store.write() as conn:
        ids = sorted(existing_claims(conn, claim_ids))
        stored = _digests(conn, ids)
        moved = [i for i in ids if stored.get(i) != (_digest_of(mine[i]) if mine[i] else None)]
        if not moved:
            return 0
        # A claim's first verdict from other sources is its headline unless it has other
        # verdicts (its batch settles which is, writing only if the guess was wrong).
        judged = _with_other_verdicts(conn, moved)
        rows = [
            check_row(CheckRecord(v, headline=i not in judged and n == 0), now, generation)
            for i in moved
            for n, v in enumerate(mine[i])
        ]
        changed = write_differences(conn, moved, rows, check=SOURCES_CHECK)
        mark_versions(conn, moved, None)
        if changed:
            bump(conn, "checks")
    return changed


def stored_source_verdicts(store: Store, claim_ids: Sequence[int]) -> dict[int, list[Verdict]]:
    """The stored verdicts from other sources of these claims, by claim, as judged when
    the run was planned."""
    found: dict[int, list[Verdict]] = defaultdict(list)
    ids = list(claim_ids)
    with store.engine.connect() as conn:
        for i in range(0, len(ids), _IN):
            query = (
                select(
                    CHECKS.c.claim_id,
                    CHECKS.c.verdict,
                    CHECKS.c.confidence,
                    CHECKS.c.explanation,
                    CHECKS.c.citations,
                )
                .where(CHECKS.c.check == SOURCES_CHECK, CHECKS.c.claim_id.in_(ids[i : i + _IN]))
                .order_by(CHECKS.c.id)
            )
            for claim_id, verdict, confidence, explanation, citations in conn.execute(query):
                found[claim_id].append(
                    Verdict(
                        claim_id,
                        SOURCES_CHECK,
                        VerdictKind(verdict),
                        confidence,
                        explanation,
                        citations=[Citation.from_dict(c) for c in citations or []],
                    )
                )
    return dict(found)
