"""What the comparison between sources keeps of a group between runs, and judging a group
again from that and its new claims alone.

A newsroom archive grows by new articles: a group (agency, substance, border) then gains
claims from newer documents, and nothing else about it changes. Judged whole, the group
is read twice however few claims came in. Kept between runs are its index
(`source_groups.GroupPart`: statements, and claims' ids and documents by statement) and the
evidence each statement was judged on (the kind of conflict, the claims cited, the other
documents counted as the verdict's words give them: exactly up to `EXACT_UP_TO`). Adding
claims from newer documents keeps every statement's number and every claim's place, so
the index of old and new claims is the kept one with the new claims added
(`GroupIndex.extended`); the conflicts are found again from it; and only the claims whose
statement's evidence changed, and the new claims, get their verdicts again. Their verdicts
are those a whole judgement gives (tests/checks/test_source_state.py compares the two).
A group whose claims changed otherwise (a document deleted, a new version of an older
document), or kept by another borderflow version, is judged whole.

Kept as numpy arrays and JSON in one `np.savez` blob, loaded with pickles refused.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

import numpy as np

from borderflow import __version__
from borderflow.checks.source_groups import Conflict, GroupIndex, GroupPart, Statement
from borderflow.store.seizure_groups import Totals

# A statement's evidence as its verdicts give it: kind, claims cited, documents counted.
Evidence = tuple[str, tuple[int, ...], int]


def evidence_of(conflict: Conflict, exact_up_to: int) -> Evidence:
    """The evidence as a verdict states it: documents past `exact_up_to` are "more"."""
    return conflict.kind, tuple(conflict.first), min(conflict.documents, exact_up_to + 1)


@dataclass(frozen=True, slots=True)
class GroupState:
    """One group as last judged: its index, each statement's evidence, its totals, the
    newest document among its claims, and the deletions and version it was judged under."""

    part: GroupPart
    evidence: dict[int, Evidence]
    totals: Totals
    newest_document: int
    deletions: int
    version: str

    def extends_to(self, now: Totals, added: Totals, oldest_added: int | None, deletions: int
                   ) -> bool:  # fmt: skip
        """Whether the group now is this one plus `added` (its claims with ids above the
        kept largest, none from a document older than the newest kept): judged from the
        kept state, it gives what a whole judgement gives."""
        return (
            self.version == judging_version()
            and self.deletions == deletions
            and now.count == self.totals.count + added.count
            and now.total == self.totals.total + added.total
            and (oldest_added is None or oldest_added >= self.newest_document)
        )

    def to_bytes(self) -> bytes:
        meta = {
            "statements": [_statement_json(s) for s in self.part.statements],
            "evidence": [[o, k, list(f), d] for o, (k, f, d) in sorted(self.evidence.items())],
            "totals": [self.totals.count, self.totals.total, self.totals.largest],
            "newest_document": self.newest_document,
            "deletions": self.deletions,
            "version": self.version,
        }
        out = io.BytesIO()
        np.savez(
            out, ids=self.part.claim_ids, docs=self.part.claim_docs, counts=self.part.counts,
            meta=np.frombuffer(json.dumps(meta).encode(), np.uint8),
        )  # fmt: skip
        return out.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> GroupState | None:
        """The state kept, or None when it is in a form this version cannot read (the
        group is then judged whole)."""
        try:
            return cls._read(data)
        except (ValueError, KeyError, TypeError, OSError, IndexError, EOFError, BadZipFile):
            return None

    @classmethod
    def _read(cls, data: bytes) -> GroupState | None:
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            meta = json.loads(arrays["meta"].tobytes().decode())
            if meta["version"] != judging_version():
                return None  # judged by other code: judged whole again
            ids, docs, counts = arrays["ids"], arrays["docs"], arrays["counts"]
            if any(a.dtype.kind != "i" or a.ndim != 1 for a in (ids, docs, counts)):
                return None
            if len(ids) != len(docs) or int(counts.sum()) != len(ids):
                return None
            statements = [_statement_of_json(s) for s in meta["statements"]]
            if len(statements) != len(counts):
                return None
            part = GroupPart(statements, ids.astype(np.int64), docs.astype(np.int64),
                             counts.astype(np.int64))  # fmt: skip
        return cls(
            part,
            {int(o): (str(k), tuple(int(i) for i in f), int(d)) for o, k, f, d in meta["evidence"]},
            Totals(*(int(v) for v in meta["totals"])),
            int(meta["newest_document"]), int(meta["deletions"]), str(meta["version"]),
        )  # fmt: skip


@functools.cache
def judging_version() -> str:
    """This borderflow's version and a digest of the code that judges agreement between
    sources: a kept state, or a group's fingerprint, from other code (an upgrade, or a
    change the version number does not show) is judged whole again."""
    from borderflow.checks import model, source_conflicts, source_groups, sources, tolerance

    digest = hashlib.blake2b(digest_size=6)
    for module in (sources, source_groups, source_conflicts, tolerance, model):
        digest.update(Path(str(module.__file__)).read_bytes())
    return f"{__version__}+{digest.hexdigest()}"


def state_of(
    index: GroupIndex,
    found: dict[int, Conflict],
    totals: Totals,
    deletions: int,
    exact_up_to: int,
) -> GroupState:
    """The state to keep of a group just indexed (before `claims_of` lets its arrays go)."""
    part = index.part()
    newest = int(part.claim_docs.max()) if part.claim_docs.size else 0
    evidence = {o: evidence_of(c, exact_up_to) for o, c in found.items()}
    return GroupState(part, evidence, totals, newest, deletions, judging_version())


def changed_claims(
    before: GroupState, index: GroupIndex, found: dict[int, Conflict], exact_up_to: int
) -> Iterator[tuple[int, int]]:
    """(claim id, statement order) of every claim whose verdict may differ from the kept
    one: the claims of a statement whose evidence changed, and every claim added since."""
    now = {o: evidence_of(c, exact_up_to) for o, c in found.items()}
    moved = {o for o in set(now) | set(before.evidence) if now.get(o) != before.evidence.get(o)}
    largest = before.totals.largest
    for order in range(len(index.stated)):
        ids = index.claim_ids[index.claim_start[order] : index.claim_start[order + 1]]
        chosen = ids if order in moved else ids[ids > largest]
        for claim_id in chosen.tolist():
            yield claim_id, order


def _statement_json(s: Statement) -> list[Any]:
    def span(p: tuple[date, date]) -> list[str]:
        return [p[0].isoformat(), p[1].isoformat()]

    return [
        s.figure, s.step, span(s.primary) if s.primary else None,
        sorted(span(r) for r in s.readings), s.definite,
    ]  # fmt: skip


def _statement_of_json(raw: list[Any]) -> Statement:
    def span(p: list[str]) -> tuple[date, date]:
        return date.fromisoformat(p[0]), date.fromisoformat(p[1])

    figure, step, primary, readings, definite = raw
    return Statement(
        float(figure), float(step), span(primary) if primary else None,
        frozenset(span(r) for r in readings), bool(definite),
    )  # fmt: skip
