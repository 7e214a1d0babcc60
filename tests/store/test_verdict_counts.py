"""The overview's counts of headline verdicts are kept for the verdicts' revision
(`store.verdict_counts`): read back while no verdict changed, counted again after any
write that changed one. On SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from borderflow.checks.runner import run_and_store
from borderflow.datasets.bundle import reference_files
from borderflow.datasets.importer import import_files
from borderflow.ingest.pipeline import ingest_paths
from borderflow.store import Store, verdict_listing
from borderflow.store.verdict_counts import CHECKS, COUNTS, verdict_counts


def _counted(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(CHECKS.c.verdict, func.count())
            .where(CHECKS.c.headline)
            .group_by(CHECKS.c.verdict)
        )
        return {str(v): int(n) for v, n in rows}


def _kept_revisions(store: Store) -> set[int]:
    with store.engine.connect() as conn:
        return {int(r) for (r,) in conn.execute(select(COUNTS.c.revision))}


def test_counts_are_kept_until_a_verdict_changes(
    store: Store, seeds_dir: Path, tmp_path: Path
) -> None:
    seeds = sorted(seeds_dir.iterdir())
    ingest_paths(seeds[:3], store, max_bytes=10_000_000, workers=1)
    assert not import_files(store, reference_files())[1]
    run_and_store(store)
    first = verdict_counts(store)
    assert first == _counted(store) and sum(first.values()) > 0
    [kept] = _kept_revisions(store)

    ingest_paths(seeds[3:], store, max_bytes=10_000_000, workers=1)  # no verdict changed
    assert verdict_counts(store) == first and _kept_revisions(store) == {kept}

    run_and_store(store)  # the new documents' verdicts: the revision moves
    assert verdict_counts(store) == _counted(store) != first
    [later] = _kept_revisions(store)
    assert later > kept

    document = store.claims()[0].document_id
    store.delete_document(document)  # verdicts deleted with it
    assert verdict_counts(store) == _counted(store)


def test_the_verdicts_listing_total_is_the_kept_count(store: Store, seeds_dir: Path) -> None:
    """With no claim filter the headline verdicts' listing totals every headline verdict,
    exactly (the kept counts), where a count would stop at its cap."""
    ingest_paths(sorted(seeds_dir.iterdir()), store, max_bytes=10_000_000, workers=1)
    assert not import_files(store, reference_files())[1]
    run_and_store(store)
    counted = _counted(store)
    whole = verdict_listing.checked_claims(store, {}, count_cap=5)
    assert (whole.total, whole.exact) == (sum(counted.values()), True) and whole.total > 5
    kind, n = max(counted.items(), key=lambda item: item[1])
    assert verdict_listing.checked_claims(store, {"verdict": kind}, count_cap=5).total == n
    filtered = verdict_listing.checked_claims(store, {"measure": "seizure"}, count_cap=5)
    assert (filtered.total, filtered.exact) == (5, False)  # a claim filter is counted
