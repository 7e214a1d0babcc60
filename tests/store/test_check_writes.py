"""Verdicts written in batches and only where they changed (issue 16): a batched run
stores what one pass over every claim finds, conflicts between documents of different
batches included; a re-check of an unchanged store writes nothing; a change touches only
the verdicts it changes. On SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from borderflow.checks.runner import run, run_and_store
from borderflow.ingest.pipeline import ingest_paths
from borderflow.store import Store, verdict_listing
from borderflow.store.checks import CHECKS, CLAIMS, stored_checks, verdict_kinds
from borderflow.store.schema import FACETED

# Reports in the manner of Canadian border coverage, written for this test. The first two
# give different figures for the same fiscal year; the third repeats the first.
REPORTS = {
    "a.txt": "Border agency reports its haul\n\nPublished March 3, 2025.\n\n"
    "The Canada Border Services Agency seized 4.9 kilograms of fentanyl in fiscal year "
    "2023-24, the agency said.\n",
    "b.txt": "Fentanyl figures disputed\n\nPublished April 9, 2025.\n\n"
    "CBSA officers seized 7.5 kg of fentanyl in fiscal year 2023-24, according to figures "
    "the agency released.\n",
    "c.txt": "A quiet year at the border\n\nPublished May 1, 2025.\n\n"
    "In fiscal year 2023-24 the CBSA seized 4.9 kilograms of fentanyl, officials said.\n",
}
DISPUTE = (
    "Union disputes the count\n\nPublished July 7, 2025.\n\n"
    "The CBSA seized 9.2 kilograms of fentanyl in fiscal year 2023-24, the union said.\n"
)
LATER = (
    "Another estimate\n\nPublished June 2, 2025.\n\n"
    "The CBSA seized 12 kilograms of fentanyl in fiscal year 2022-23, a union official "
    "claimed.\n"
)


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_batches_store_what_one_pass_finds(store: Store, tmp_path: Path) -> None:
    ingest_paths([_write(tmp_path / "docs", REPORTS)], store, max_bytes=10**6)
    done = run_and_store(store, batch_documents=1)  # every document its own batch
    stored = {
        (c.claim_id, c.check, c.verdict, c.explanation)
        for c in stored_checks(store, headline_only=False)
    }
    expected = {(v.claim_id, v.check, v.verdict.value, v.explanation) for v in run(store)}
    assert stored == expected
    assert done.claims == 3 and sum(done.headlines.values()) == 3
    # The conflict spans batches: all three documents are in it.
    assert done.headlines["conflict"] == 3


def test_a_recheck_writes_only_what_changed(store: Store, tmp_path: Path) -> None:
    folder = _write(tmp_path / "docs", REPORTS)
    ingest_paths([folder], store, max_bytes=10**6)
    first = run_and_store(store, batch_documents=2)
    assert first.written == 3
    before = {(c.claim_id, c.check): c.checked_at for c in stored_checks(store)}
    key = store.generation()

    again = run_and_store(store, batch_documents=2)
    assert (again.documents, again.written) == (0, 0)  # nothing new: nothing re-checked
    everything = run_and_store(store, batch_documents=2, everything=True)
    assert (everything.documents, everything.written) == (3, 0)
    assert everything.headlines == first.headlines
    assert {(c.claim_id, c.check): c.checked_at for c in stored_checks(store)} == before
    assert store.generation() == key  # nothing changed: caches stay valid

    # A new document about another year is checked alone and changes no earlier verdict.
    _write(folder, {"d.txt": LATER})
    ingest_paths([folder], store, max_bytes=10**6)
    later = run_and_store(store, batch_documents=2)
    assert (later.documents, later.written) == (1, 1)
    after = {(c.claim_id, c.check): c.checked_at for c in stored_checks(store)}
    assert {k: after[k] for k in before} == before
    assert store.generation() != key


def test_a_new_conflicting_document_rechecks_those_it_conflicts_with(
    store: Store, tmp_path: Path
) -> None:
    folder = _write(tmp_path / "docs", REPORTS)
    ingest_paths([folder], store, max_bytes=10**6)
    run_and_store(store)
    _write(folder, {"e.txt": DISPUTE, "d.txt": LATER})
    ingest_paths([folder], store, max_bytes=10**6)
    done = run_and_store(store)
    # The two new documents, and the three whose conflict now names one more document.
    assert done.documents == 5
    conflicts = [c for c in stored_checks(store) if c.verdict == "conflict"]
    assert len(conflicts) == 4
    assert all("other documents give" in c.explanation for c in conflicts)
    assert run_and_store(store).documents == 0


def test_a_new_version_takes_its_old_claims_verdicts_away(store: Store, tmp_path: Path) -> None:
    folder = _write(tmp_path / "docs", REPORTS)
    ingest_paths([folder], store, max_bytes=10**6)
    run_and_store(store)
    old_ids = {c.id for c in store.claims(document_id=2)}
    # The second report is corrected to agree with the others: no conflict remains.
    _write(folder, {"b.txt": REPORTS["b.txt"].replace("7.5 kg", "4.9 kg")})
    ingest_paths([folder], store, max_bytes=10**6)
    done = run_and_store(store)
    left = stored_checks(store, headline_only=False)
    assert not old_ids & {c.claim_id for c in left}
    assert done.headlines["conflict"] == 0 and "conflict" not in {c.verdict for c in left}


def test_the_summary_counts_only_verdicts_of_current_claims(store: Store, tmp_path: Path) -> None:
    """Between a new version and the next check, the old version's verdicts are still
    stored: the summary leaves them out, then and after the check has deleted them."""
    folder = _write(tmp_path / "docs", REPORTS)
    ingest_paths([folder], store, max_bytes=10**6)
    run_and_store(store)
    assert verdict_kinds(store) == [("conflict", "sources", 3)]
    _write(folder, {"b.txt": REPORTS["b.txt"].replace("fiscal year 2023-24", "2021")})
    ingest_paths([folder], store, max_bytes=10**6)
    # Document 2's new claim has no verdict yet; its old one's is still stored.
    assert verdict_kinds(store) == [("conflict", "sources", 2)]
    assert verdict_kinds(store, document_id=2) == []
    for asked in ({}, {"verdict": "conflict"}):  # the headline verdicts' listing alike
        assert verdict_listing.checked_claims(store, asked).total == 2
    run_and_store(store)
    assert sum(n for _, _, n in verdict_kinds(store)) == 3
    assert verdict_listing.checked_claims(store, {}).total == 3
    assert ("conflict", "sources", 2) not in verdict_kinds(store)


def test_a_version_stored_during_a_check_is_checked_by_the_next(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run marks the versions whose claims it read, not whatever is current when it
    writes: a correction stored mid-run keeps its claims pending."""
    from borderflow.checks import runner

    folder = _write(tmp_path / "docs", REPORTS)
    ingest_paths([folder], store, max_bytes=10**6)
    judge = runner.check_claims

    def corrected_meanwhile(*args: Any, **kwargs: Any) -> Any:
        monkeypatch.setattr(runner, "check_claims", judge)
        _write(folder, {"b.txt": REPORTS["b.txt"].replace("7.5 kg", "4.9 kg")})
        ingest_paths([folder / "b.txt"], store, max_bytes=10**6)
        return judge(*args, **kwargs)

    monkeypatch.setattr(runner, "check_claims", corrected_meanwhile)
    run_and_store(store)
    again = run_and_store(store)
    # The correction (no conflict of its own, so only its mark brings it back), and the
    # two documents whose conflict it ended.
    assert again.documents == 3
    [claim] = store.claims(document_id=2)
    assert claim.text == "4.9 kg"
    assert claim.id in {c.claim_id for c in stored_checks(store)}


RCMP = (
    "Police haul\n\nPublished June 9, 2025.\n\n"
    "The RCMP seized 3 kilograms of fentanyl in 2024, the force said.\n"
)


def _counting_groups(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Record the groups the comparison between sources judges."""
    from borderflow.checks import runner

    judged: list[object] = []
    whole, added = runner.judge_group, runner.judge_added

    def counted(reader: Any, key: Any, *rest: Any) -> Any:
        judged.append(key)
        return whole(reader, key, *rest)

    def counted_added(reader: Any, key: Any, *rest: Any) -> Any:  # from its kept state
        judged.append(key)
        return added(reader, key, *rest)

    monkeypatch.setattr(runner, "judge_group", counted)
    monkeypatch.setattr(runner, "judge_added", counted_added)
    return judged


def test_only_groups_whose_claims_changed_are_judged_again(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _write(tmp_path / "docs", {**REPORTS, "r.txt": RCMP})
    ingest_paths([folder], store, max_bytes=10**6)
    judged = _counting_groups(monkeypatch)
    run_and_store(store)
    assert {key[0] for key in judged} == {"CBSA", "RCMP"}  # type: ignore[index]
    judged.clear()
    run_and_store(store)
    assert judged == []  # nothing new
    _write(folder, {"e.txt": DISPUTE})  # one more CBSA figure
    ingest_paths([folder], store, max_bytes=10**6)
    run_and_store(store)
    assert [key[0] for key in judged] == ["CBSA"]  # type: ignore[index]
    judged.clear()
    run_and_store(store, everything=True)
    assert len(judged) == 2


def test_a_document_deleted_and_added_again_gets_its_verdicts_back(
    store: Store, tmp_path: Path
) -> None:
    """On SQLite the claims of a document added again after its deletion may take the
    very ids they had: the groups must still be judged again (their stored verdicts went
    with the deleted claims)."""
    folder = _write(tmp_path / "docs", REPORTS)
    ingest_paths([folder], store, max_bytes=10**6)
    run_and_store(store)
    expected = {(v.check, v.verdict.value, v.explanation) for v in run(store)}
    last = max(d.id for d in store.documents())
    store.delete_document(last)  # and no check before it comes back
    ingest_paths([folder], store, max_bytes=10**6)
    run_and_store(store)
    everything = stored_checks(store, headline_only=False)
    stored = {(c.check, c.verdict, c.explanation) for c in everything}
    assert stored == expected
    assert len([c for c in stored_checks(store) if c.verdict == "conflict"]) == 3


def test_each_verdict_keeps_its_claims_filter_values(store: Store, tmp_path: Path) -> None:
    """Verdicts written by a check and by the comparison between sources (a document
    that disputes a stored figure) hold their claim's measure, substance, agency and
    corridor, which the listings read with the verdict's kind from one index."""
    folder = _write(tmp_path / "docs", REPORTS)
    ingest_paths([folder], store, max_bytes=10**6)
    run_and_store(store)
    ingest_paths([_write(folder, {"d.txt": DISPUTE})], store, max_bytes=10**6)
    run_and_store(store)
    copied = [CHECKS.c[f"claim_{name}"] for name in FACETED]
    query = select(*copied, *(CLAIMS.c[name] for name in FACETED), CHECKS.c.check).join(
        CLAIMS, CLAIMS.c.id == CHECKS.c.claim_id
    )
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    assert {row.check for row in rows} >= {"sources"} and len(rows) >= 4
    for row in rows:
        assert tuple(row[:4]) == tuple(row[4:8]), row
    assert {row[0] for row in rows} == {"seizure"} and {row[2] for row in rows} == {"CBSA"}
