"""A menu filter with a verdict kind (store.paired) while a document has a newer version
that is not checked yet: the old version's verdicts are still stored, and every listing
that reads the pair from the verdicts' copies must leave them out of its page and its
total. On SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from borderflow.checks.runner import run_and_store
from borderflow.ingest.pipeline import ingest_paths
from borderflow.store import Store, listings, verdict_listing
from borderflow.store.checks import stored_checks

# Written for this test, in the manner of wire copy on northern border seizures: two
# outlets give different figures for one fiscal year, so both claims are in conflict.
FIRST = (
    "Seizures at the northern border\n\nPublished February 4, 2025.\n\n"
    "Canada Border Services Agency officers seized 6.1 kilograms of fentanyl in fiscal "
    "year 2023-24, the agency reported.\n"
)
SECOND = (
    "A different tally\n\nPublished March 11, 2025.\n\n"
    "The CBSA says its officers intercepted 8.4 kg of fentanyl in fiscal year 2023-24.\n"
)
# The first story, corrected: the figure now matches the second.
CORRECTED = FIRST.replace("6.1 kilograms", "8.4 kilograms") + "\nCorrection appended.\n"


def _listed(store: Store, kind: str) -> tuple[list[int], int, list[int], int, list[int], int]:
    asked = {"measure": "seizure", "verdict": kind}
    every = verdict_listing.every_check(store, asked)
    headlines = verdict_listing.checked_claims(store, asked)
    claims = listings.claims(store, filters=asked)
    return (
        sorted(stored.claim_id for stored in _checks(store, every.items)), every.total,
        headlines.items, headlines.total,
        [view.claim.id for view in claims.items], claims.total,
    )  # fmt: skip


def _checks(store: Store, ids: list[int]) -> list[object]:
    return list(stored_checks(store, check_ids=ids, headline_only=False)) if ids else []


def test_a_superseded_versions_verdicts_are_left_out(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "first.txt").write_text(FIRST, encoding="utf-8")
    (folder / "second.txt").write_text(SECOND, encoding="utf-8")
    ingest_paths([folder], store, max_bytes=10**6)
    run_and_store(store)
    conflicts = [c.claim_id for c in stored_checks(store) if c.verdict == "conflict"]
    assert len(conflicts) == 2
    assert _listed(store, "conflict") == (conflicts, 2, conflicts, 2, conflicts, 2)

    (folder / "first.txt").write_text(CORRECTED, encoding="utf-8")
    ingest_paths([folder], store, max_bytes=10**6)  # a new version, not checked yet
    current = [c for c in conflicts if c in _current_claims(store)]
    assert len(current) == 1  # the first story's old claim is superseded
    assert _listed(store, "conflict") == (current, 1, current, 1, current, 1)


def _current_claims(store: Store) -> set[int]:
    page = listings.claims(store, per_page=100)
    return {view.claim.id for view in page.items}
