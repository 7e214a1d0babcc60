"""The verdicts most in need of a reader, read kind by kind, are the first rows of every
verdict sorted by importance (problems first, then confidence, then newest claims), for
any number asked and across the boundary between kinds."""

from __future__ import annotations

from pathlib import Path

from borderflow.checks.runner import run_and_store
from borderflow.datasets.bundle import reference_files
from borderflow.datasets.importer import import_files
from borderflow.ingest.pipeline import ingest_paths
from borderflow.store import Store
from borderflow.store.checks import stored_checks


def test_the_most_important_are_the_head_of_the_full_order(tmp_path: Path, seeds_dir: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'i.db'}") as store:
        ingest_paths([seeds_dir], store, max_bytes=10_000_000, workers=1)
        assert not import_files(store, reference_files())[1]
        run_and_store(store)
        every = stored_checks(store, by_importance=True)  # one sort of every verdict
        kinds = [c.verdict for c in every]
        assert len(set(kinds)) >= 3
        crossing = kinds.index(kinds[0]) + kinds.count(kinds[0]) + 2  # into the second kind
        for limit in (1, 3, crossing, len(every) + 5):
            head = stored_checks(store, by_importance=True, limit=limit)
            assert [(c.claim_id, c.check) for c in head] == [
                (c.claim_id, c.check) for c in every[:limit]
            ]
