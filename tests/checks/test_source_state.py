"""A group judged from what its last judgement kept and the claims added since gives the
verdicts a whole judgement gives (`checks.source_state`), on drawn corpora and on a store
growing by new articles, on both backends."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderflow.checks import runner, source_state, sources
from borderflow.checks.model import Verdict
from borderflow.checks.runner import run_and_store
from borderflow.checks.source_groups import GroupKey, group_key
from borderflow.checks.source_state import GroupState
from borderflow.checks.sources import Kept, judge_added, judge_group, judge_groups
from borderflow.ingest.pipeline import ingest_paths
from borderflow.records.claims import StoredClaim
from borderflow.store import Store
from borderflow.store.checks import stored_checks
from borderflow.store.seizure_groups import Totals
from tests.checks.test_sources_scaling import FY2024, _Reader, _seized, corpora


def _totals(claims: list[StoredClaim], key: GroupKey) -> Totals:
    ids = [c.id for c in claims if group_key(c) == key]
    return Totals(len(ids), sum(ids), max(ids, default=0))


def _grown(claims: list[StoredClaim], split: int) -> tuple[list[StoredClaim], list[StoredClaim]]:
    """The claims of documents up to `split`, then those of later documents, numbered as a
    store numbers them: every added claim above every earlier one."""
    first = [c for c in claims if c.document_id <= split]
    later = [c for c in claims if c.document_id > split]
    ordered = [dataclasses.replace(c, id=n + 1) for n, c in enumerate(first + later)]
    return ordered[: len(first)], ordered[len(first) :]


@pytest.mark.parametrize("popular", [0, 2, sources._POPULAR])
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claims=corpora(), split=st.integers(0, 10), exact_up_to=st.sampled_from([1, 10]))
def test_judging_the_added_claims_gives_the_whole_judgement(
    popular: int, claims: list[StoredClaim], split: int, exact_up_to: int
) -> None:
    first, later = _grown(claims, split)
    everything = first + later
    with (
        patch.object(sources, "_POPULAR", popular),
        patch.object(sources, "EXACT_UP_TO", exact_up_to),
    ):
        earlier = _Reader(first)
        verdicts: dict[int, Verdict] = {}
        states: dict[GroupKey, GroupState] = {}
        for key in earlier.groups():
            kept = Kept(_totals(first, key), 0)
            verdicts |= {v.claim_id: v for v in judge_group(earlier, key, kept)}
            assert kept.state is not None
            states[key] = GroupState.from_bytes(kept.state.to_bytes())  # as stored
        grown = _Reader(everything)
        for key in grown.groups():
            kept = Kept(_totals(everything, key), 0)
            before = states.get(key)
            if before is None:
                verdicts |= {v.claim_id: v for v in judge_group(grown, key, kept)}
                continue
            added = _totals(later, key)
            oldest = min((c.document_id for c in later if group_key(c) == key), default=None)
            assert before.extends_to(kept.totals, added, oldest, 0)
            for ids, chunk in judge_added(grown, key, before, kept):
                for claim_id in ids:
                    verdicts.pop(claim_id, None)
                verdicts |= {v.claim_id: v for v in chunk}
        whole = {v.claim_id: v for v in judge_groups(grown)}
    assert verdicts == whole


def test_a_state_is_not_extended_over_a_change_it_cannot_see() -> None:
    claims = [_seized(v, doc, FY2024, id=doc) for doc, v in ((1, 4.9), (2, 5.2), (3, 4.9))]
    key = next(k for k in _Reader(claims).groups())
    kept = Kept(_totals(claims, key), 0)
    list(judge_group(_Reader(claims), key, kept))
    state = kept.state
    assert state is not None
    now, none = state.totals, Totals(0, 0, 0)
    assert state.extends_to(now, none, None, 0)
    assert not state.extends_to(now, none, None, 1)  # a document was deleted meanwhile
    gone = Totals(now.count - 1, now.total - now.largest, now.largest)
    assert not state.extends_to(gone, none, None, 0)  # a claim left the group
    later = Totals(1, now.largest + 5, now.largest + 5)
    grown = Totals(now.count + 1, now.total + now.largest + 5, now.largest + 5)
    assert state.extends_to(grown, later, state.newest_document, 0)
    # A new version of an older document brings claims in among the kept ones.
    assert not state.extends_to(grown, later, state.newest_document - 1, 0)
    assert GroupState.from_bytes(b"not a state") is None


# Stories of my own making about one border and fiscal year: figures that agree, one that
# conflicts, and copies, so the group's statements, conflicts and counts all move.
_STORIES = [
    "CBSA officers seized 4.9 kilograms of fentanyl at Ontario crossings in fiscal 2023-24.",
    "The CBSA said it seized 4.9 kg of fentanyl at Ontario crossings in fiscal 2023-24.",
    "According to the CBSA, 6.1 kilograms of fentanyl were seized at Ontario crossings in "
    "fiscal 2023-24.",
    "CBSA officers seized 4.9 kilograms of fentanyl at Ontario crossings from January to "
    "October 2024.",
]


def _ingest(store: Store, folder: Path, stories: dict[str, str]) -> None:
    folder.mkdir(exist_ok=True)
    for name, text in stories.items():  # each its own article, though the story is told again
        (folder / name).write_text(f"{text} Filed as {name}.", encoding="utf-8")
    ingest_paths([folder], store, max_bytes=10**6)


def _source_verdicts(store: Store) -> set[tuple[str, str, str]]:
    return {
        (Path(c.document).name, c.claim, c.explanation)
        for c in stored_checks(store, headline_only=False)
        if c.check == "sources"
    }


def test_a_store_growing_by_articles_is_judged_from_its_kept_groups(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(runner, "judge_added", _counting(calls, "added", runner.judge_added))
    monkeypatch.setattr(runner, "judge_group", _counting(calls, "whole", runner.judge_group))
    folder = tmp_path / "docs"
    _ingest(store, folder, {f"a{i}.txt": _STORIES[i % 3] for i in range(4)})
    run_and_store(store)
    assert calls == ["whole"]
    for batch in range(3):  # new articles, each a story told before or a new conflict
        _ingest(store, folder, {f"b{batch}{i}.txt": _STORIES[(batch + i) % 4] for i in range(3)})
        calls.clear()
        run_and_store(store)
        assert calls == ["added"], calls
        incremental = _source_verdicts(store)
        run_and_store(store, everything=True)  # the whole judgement writes nothing new
        assert _source_verdicts(store) == incremental and incremental
    # A deleted document: the kept group no longer matches, so it is judged whole.
    doc = next(d for d in store.iter_documents() if Path(d.source).name == "a1.txt")
    store.delete_document(doc.id)
    calls.clear()
    run_and_store(store)
    assert calls == ["whole"]


def _counting(calls: list[str], name: str, real: object) -> object:
    def counted(*args: object, **kwargs: object) -> object:
        calls.append(name)
        return real(*args, **kwargs)  # type: ignore[operator]

    return counted


def test_a_run_stopped_before_a_group_is_recorded_is_made_good_by_the_next(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A deleted document's conflict goes from the other documents' verdicts even when the
    run that judged the group stopped before recording it, and growth follows."""
    folder = tmp_path / "docs"
    _ingest(store, folder, {"a1.txt": _STORIES[0], "b1.txt": _STORIES[2]})
    run_and_store(store)
    assert any("6.1 kilograms" in e for _, _, e in _source_verdicts(store))
    doc = next(d for d in store.iter_documents() if Path(d.source).name == "b1.txt")
    store.delete_document(doc.id)
    (folder / "b1.txt").unlink()  # or the next ingest brings it back
    real = runner.record_judged

    def stop(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "record_judged", stop)
    with pytest.raises(KeyboardInterrupt):
        run_and_store(store)
    monkeypatch.setattr(runner, "record_judged", real)
    for batch in range(2):
        _ingest(store, folder, {f"c{batch}.txt": _STORIES[1]})
        run_and_store(store)
        assert not any("6.1 kilograms" in e for _, _, e in _source_verdicts(store))
    assert run_and_store(store, everything=True).written == 0


def test_other_judging_code_judges_every_group_whole(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    folder = tmp_path / "docs"
    _ingest(store, folder, {"a1.txt": _STORIES[0], "b1.txt": _STORIES[2]})
    run_and_store(store)
    monkeypatch.setattr(runner, "judge_added", _counting(calls, "added", runner.judge_added))
    monkeypatch.setattr(runner, "judge_group", _counting(calls, "whole", runner.judge_group))
    monkeypatch.setattr(runner, "judging_version", lambda: "0.1.0+changed")
    monkeypatch.setattr(source_state, "judging_version", lambda: "0.1.0+changed")
    _ingest(store, folder, {"c1.txt": _STORIES[1]})
    run_and_store(store)
    assert calls == ["whole"]  # the kept state is another code's


def test_a_damaged_state_is_as_none() -> None:
    claims = [_seized(v, doc, FY2024, id=doc) for doc, v in ((1, 4.9), (2, 5.2))]
    key = next(k for k in _Reader(claims).groups())
    kept = Kept(_totals(claims, key), 0)
    list(judge_group(_Reader(claims), key, kept))
    assert kept.state is not None
    whole = kept.state.to_bytes()
    again = GroupState.from_bytes(whole)
    assert again is not None and again.evidence == kept.state.evidence
    assert again.part.statements == kept.state.part.statements
    assert again.part.claim_ids.tolist() == kept.state.part.claim_ids.tolist()
    for damaged in (whole[: len(whole) // 2], whole[:-7], b"", b"PK\x03\x04"):
        assert GroupState.from_bytes(damaged) is None
