"""New official data re-check only the claims they can judge (issue 16: "a new CBP release
re-checks only the claims that cite CBP"), and a run split into batches can redo any batch
without writing anything twice.

The articles are written for these tests: one about border seizures (judged by CBP data),
one about Canadian deaths only (judged by PHAC data)."""

from __future__ import annotations

from pathlib import Path

from borderflow.checks.runner import check_range, plan_check, run, run_and_store
from borderflow.datasets.bundle import reference_files
from borderflow.datasets.importer import import_files
from borderflow.ingest.pipeline import ingest_paths
from borderflow.store import Store
from borderflow.store.checks import stored_checks
from borderflow.store.revisions import set_revision

ARTICLES = {
    "seizures.txt": (
        "Border officers seized 21 pounds of fentanyl at the northern border in fiscal year "
        "2022, according to CBP, against 14,700 pounds at the southwest border."
    ),
    "deaths.txt": (
        "Canada recorded 7,328 apparent opioid toxicity deaths in 2022, the Public Health "
        "Agency of Canada said, about 20 deaths a day."
    ),
}


def _reference(prefix: str) -> list[Path]:
    return [p for p in reference_files() if p.name.startswith(prefix)]


def _checked_at(store: Store) -> dict[str, set[object]]:
    """When each document's verdicts were last written, by file name."""
    found: dict[str, set[object]] = {}
    for c in stored_checks(store, headline_only=False):
        found.setdefault(Path(c.document).name, set()).add(c.checked_at)
    return found


def _verdicts(store: Store) -> set[tuple[int, str, str, str]]:
    return {
        (c.claim_id, c.check, c.verdict, c.explanation)
        for c in stored_checks(store, headline_only=False)
    }


def _store_with_articles(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    ingest_paths([folder], store, max_bytes=10**6)


def test_a_new_release_rechecks_only_the_claims_its_source_judges(
    store: Store, tmp_path: Path
) -> None:
    _store_with_articles(store, tmp_path)
    [first_cbp, *later_cbp] = sorted(_reference("cbp--"))
    import_files(store, [first_cbp, *_reference("phac--")])
    first = run_and_store(store)
    assert first.documents == 2
    before = _checked_at(store)

    import_files(store, later_cbp)  # CBP data only: seizures and shares
    cbp = run_and_store(store)
    assert cbp.documents == 1
    after = _checked_at(store)
    assert after["deaths.txt"] == before["deaths.txt"]
    # What the shortcut left alone is what a full judgement gives.
    assert _verdicts(store) == {
        (v.claim_id, v.check, v.verdict.value, v.explanation) for v in run(store)
    }
    assert run_and_store(store).documents == 0

    import_files(store, _reference("cdc-vsrr--"))  # U.S. deaths: the death count's kind
    assert run_and_store(store).documents == 1
    assert _checked_at(store)["seizures.txt"] == after["seizures.txt"]


def test_data_no_check_reads_recheck_nothing(store: Store, tmp_path: Path, data_dir: Path) -> None:
    _store_with_articles(store, tmp_path)
    import_files(store, _reference("cbp--"))
    run_and_store(store)
    before = _verdicts(store)
    # CBP's Air and Marine Operations file: the model may read it, no check does.
    import_files(store, sorted((data_dir / "cbp").glob("amo-*.csv")))
    assert run_and_store(store).documents == 0
    assert _verdicts(store) == before


def test_without_a_record_of_the_last_run_every_stale_document_is_rechecked(
    store: Store, tmp_path: Path
) -> None:
    """A store checked before runs kept their newest release (or any case the shortcut
    cannot vouch for) re-checks every document checked against other data."""
    _store_with_articles(store, tmp_path)
    [first_cbp, *later_cbp] = sorted(_reference("cbp--"))
    import_files(store, [first_cbp])
    run_and_store(store)
    with store.write() as conn:
        set_revision(conn, "checked_release", 0)
    import_files(store, later_cbp)
    assert run_and_store(store).documents == 2


def test_a_batch_done_twice_writes_nothing_the_second_time(store: Store, tmp_path: Path) -> None:
    """What a cluster does when a worker is lost after writing its batch: the batch runs
    again and finds everything already stored."""
    _store_with_articles(store, tmp_path)
    import_files(store, _reference("cbp--"))
    plan = plan_check(store, batch_documents=2)
    assert len(plan.ranges) == 1
    done = [check_range(store, first, last, plan) for first, last in plan.ranges]
    assert sum(part.documents for part in done) == 2
    stored = _verdicts(store)
    again = [check_range(store, first, last, plan) for first, last in plan.ranges]
    assert sum(part.documents for part in again) == 0  # marked done: nothing to redo
    redo = plan_check(store, everything=True, batch_documents=1)
    judged = [check_range(store, first, last, redo) for first, last in redo.ranges]
    assert sum(part.documents for part in judged) == 2
    assert sum(part.written for part in judged) == 0
    assert _verdicts(store) == stored


CHANGE = "In Canada, deaths involving fentanyl rose 20 percent in 2023, provincial coroners said."


def test_every_official_citation_is_of_a_source_that_judges_its_claim(
    store: Store, tmp_path: Path, seeds_dir: Path
) -> None:
    """What makes skipping safe: a check never reads a source for a kind of claim the
    source does not declare (`Source.judges`), or new data from it would leave that
    verdict stale. A percent change about deaths is not a share of deaths."""
    from borderflow.datasets import registry

    _store_with_articles(store, tmp_path)
    (tmp_path / "change.txt").write_text(CHANGE, encoding="utf-8")
    ingest_paths([seeds_dir, tmp_path / "change.txt"], store, max_bytes=10**7)
    import_files(store, list(reference_files()))
    run_and_store(store)
    measure = {c.id: c.measure for c in store.claims()}
    cited = [
        (measure[c.claim_id], citation.source)
        for c in stored_checks(store, headline_only=False)
        for citation in c.citations
        if citation.kind == "official" and citation.source
    ]
    assert cited
    for kind, source in cited:
        assert kind in registry.source(source).judges, (kind, source)


def test_a_full_check_records_the_data_it_saw(store: Store, tmp_path: Path) -> None:
    """After `check --all`, new death data still re-check only the death counts."""
    _store_with_articles(store, tmp_path)
    import_files(store, _reference("cbp--"))
    run_and_store(store, everything=True)
    import_files(store, _reference("cdc-vsrr--"))
    assert run_and_store(store).documents == 1


def test_documents_checked_against_two_older_data_are_all_rechecked(
    store: Store, tmp_path: Path
) -> None:
    """A run stopped part-way between two imports leaves documents checked against two
    generations: the shortcut cannot vouch for either, so every stale one is checked."""
    _store_with_articles(store, tmp_path)
    first_cbp, second_cbp, third_cbp = sorted(_reference("cbp--"))
    import_files(store, [first_cbp])
    run_and_store(store)
    import_files(store, [second_cbp, *_reference("phac--")])  # both documents' kinds
    plan = plan_check(store)
    [(first, _)] = plan.ranges
    assert check_range(store, first, first, plan).documents == 1  # then the run stops
    import_files(store, [third_cbp])  # CBP alone would re-check the seizures only
    assert run_and_store(store).documents == 2


def test_a_document_deleted_while_being_checked_is_skipped(store: Store, tmp_path: Path) -> None:
    _store_with_articles(store, tmp_path)
    import_files(store, _reference("cbp--"))
    plan = plan_check(store)
    [(first, last)] = plan.ranges
    store.delete_document(first)
    done = check_range(store, first, last, plan)
    assert done.documents == 1
    assert {Path(c.document).name for c in stored_checks(store)} == {"seizures.txt"}
