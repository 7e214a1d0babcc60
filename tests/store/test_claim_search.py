"""Claims found by words (the listings' `q`), on SQLite and PostgreSQL: a claim matches
when its document holds every word (through the documents' full-text index) and its own
sentence holds each of them; past the count cap, the same claims come in the same order.
Without the index (SQLite built without FTS5) the sentences are scanned."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from borderflow.ingest.pipeline import ingest_paths
from borderflow.store import Store, listings

# Short reports written for this test: a seizure in one sentence, the place named in another.
REPORTS = {
    "ports.txt": "Inspectors at the Blaine crossing seized 3 kg of fentanyl in March. "
    "Agents in Detroit found 40 pounds of methamphetamine the same week.\n",
    "mail.txt": "A parcel from overseas held 250 grams of fentanyl powder. "
    "Postal inspectors seized 12 parcels in all.\n",
    "labs.txt": "Police dismantled a lab in British Columbia. "
    "They seized 45 kg of fentanyl there and 9 kg of precursors.\n",
}


def _ingest(store: Store, folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(exist_ok=True)
    for name, body in files.items():
        (folder / name).write_text(body, encoding="utf-8")
    ingest_paths([folder], store, max_bytes=10**6)


def _texts(store: Store, q: str, **options: object) -> list[str]:
    page = listings.claims(store, filters={"q": q}, per_page=100, **options)  # type: ignore[arg-type]
    return [view.claim.text for view in page.items]


def test_each_word_must_be_in_the_claims_sentence(store: Store, tmp_path: Path) -> None:
    _ingest(store, tmp_path / "docs", REPORTS)
    assert sorted(_texts(store, "fentanyl seized")) == ["3 kg", "45 kg", "9 kg"]
    # Detroit and fentanyl are in the same document, not the same sentence.
    assert _texts(store, "Detroit fentanyl") == []
    assert _texts(store, "Detroit") == ["40 pounds"]
    assert sorted(_texts(store, "PARCEL")) == ["12 parcels", "250 grams"]
    assert _texts(store, '"British Columbia"') == []  # not in a sentence with a figure
    assert sorted(_texts(store, "precursors")) == ["45 kg", "9 kg"]


def test_words_begin_words_of_the_document(store: Store, tmp_path: Path) -> None:
    _ingest(store, tmp_path / "docs", REPORTS)
    assert sorted(_texts(store, "fentan")) == ["250 grams", "3 kg", "45 kg", "9 kg"]
    assert sorted(_texts(store, "inspector")) == ["12 parcels", "3 kg"]  # "Inspectors"
    assert _texts(store, "entanyl") == []  # the inside of a word is not its start
    assert _texts(store, "fentanyl %") == []  # punctuation alone is no word
    assert sorted(_texts(store, "Blaine")) == ["3 kg"]


def test_the_index_picks_the_documents(store: Store, tmp_path: Path) -> None:
    """The index answers for the document, not a scan of every sentence: a sentence
    given the word behind the index's back is not found, and one whose document's text
    lost it (the index not told) still is."""
    _ingest(store, tmp_path / "docs", REPORTS)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE claims SET sentence = 'Blaine' WHERE text = '250 grams'"))
        conn.execute(text("UPDATE document_versions SET text = 'nothing'"))
    assert _texts(store, "Blaine") == ["3 kg"]


def test_past_the_count_cap_the_same_claims_come_in_order(store: Store, tmp_path: Path) -> None:
    """Past the cap, claims are read in the listing's order and each document is asked
    about in the index: the same page as when every match is taken and sorted."""
    many = {f"r{n}.txt": f"Officers seized {n + 2} kg of fentanyl at the border." for n in range(6)}
    _ingest(store, tmp_path / "docs", {**many, **REPORTS})
    for sort in ("id", "value", "period"):
        every = listings.claims(store, filters={"q": "fentanyl seized"}, sort=sort, per_page=4)
        capped = listings.claims(
            store, filters={"q": "fentanyl seized"}, sort=sort, per_page=4, count_cap=2
        )
        assert (every.total, every.exact, capped.total, capped.exact) == (9, True, 2, False)
        assert [v.claim.id for v in capped.items] == [v.claim.id for v in every.items]


def test_without_fts5_sqlite_scans_the_sentences(sqlite_url: str, tmp_path: Path) -> None:
    with Store.open(sqlite_url) as store:
        _ingest(store, tmp_path / "docs", REPORTS)
        with store.engine.begin() as conn:
            for name in ("add", "retire", "restore", "title", "delete"):
                conn.execute(text(f"DROP TRIGGER document_search_{name}"))
            conn.execute(text("DROP TABLE document_search"))
        assert sorted(_texts(store, "fentan seiz")) == ["3 kg", "45 kg", "9 kg"]  # substrings


def test_words_in_very_many_documents_are_counted_in_a_sample(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past `SEARCH_SAMPLE` documents the count is "at least" what a sample holds, and the
    page is the one every match would give."""
    many = {f"r{n}.txt": f"Officers seized {n + 2} kg of fentanyl at the border." for n in range(6)}
    _ingest(store, tmp_path / "docs", many)
    every = listings.claims(store, filters={"q": "fentanyl"}, per_page=4)
    monkeypatch.setattr(listings, "SEARCH_SAMPLE", 2)
    sampled = listings.claims(store, filters={"q": "fentanyl"}, per_page=4)
    assert (every.total, every.exact) == (6, True)
    assert (sampled.total, sampled.exact) == (2, False)
    assert [v.claim.id for v in sampled.items] == [v.claim.id for v in every.items]
