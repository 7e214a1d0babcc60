"""Document search through the full-text index (migration 0009), on SQLite and PostgreSQL:
every word in any order, quoted phrases, punctuation, and the index following every write
(new versions, changed titles, deleted documents)."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from sqlalchemy import text

from borderflow.store import NewDocument, Store, listings

BORDER = "Officers seized fentanyl at the northern border; the U.S. agency reported it."
PORT = "Cocaine arrived by sea. Border agents in Canada found 12 kg at the port."


def _save(store: Store, key: str, body: str, title: str | None = None) -> int:
    result = store.save_document(
        NewDocument(
            source=key, source_key=key, content_hash=f"{key}:{hash(body)}", fmt="text",
            size=len(body), text=body, title=title, outlet=None, author=None,
            published=date(2024, 5, 1), extractor_version="test",
        )
    )  # fmt: skip
    return result.document_id


def _found(store: Store, q: str) -> set[int]:
    page = listings.documents(store, q=q, per_page=100)
    assert page.total == len(page.items) and page.exact
    return {row.listing.id for row in page.items}


@pytest.fixture
def two(store: Store) -> tuple[Store, int, int]:
    return store, _save(store, "border", BORDER, "Night patrol"), _save(store, "port", PORT)


def test_every_word_in_any_order_and_any_case(two: tuple[Store, int, int]) -> None:
    store, border, port = two
    assert _found(store, "fentanyl northern") == {border}
    assert _found(store, "NORTHERN   Fentanyl") == {border}
    assert _found(store, "border") == {border, port}  # "border;" and "Border" alike
    assert _found(store, "border cocaine") == {port}
    assert _found(store, "fentanyl cocaine") == set()  # each word must be there
    assert _found(store, "patrol fentanyl") == {border}  # one in the title, one in the text


def test_a_quoted_phrase_needs_its_words_side_by_side(two: tuple[Store, int, int]) -> None:
    store, border, port = two
    assert _found(store, '"northern border"') == {border}
    assert _found(store, '"border northern"') == set()
    assert _found(store, '"border agents" canada') == {port}
    assert _found(store, '"agents border"') == set()


def test_punctuation_separates_words(two: tuple[Store, int, int]) -> None:
    store, border, _ = two
    # "border;" is indexed as the word border, "U.S." as the words u and s side by side.
    assert _found(store, "border; fentanyl,") == {border}
    assert _found(store, "U.S.") == {border}
    # A term with no letter or digit is no word: nothing holds it (no LIKE wildcard).
    assert _found(store, "fentanyl %_%") == set()
    # Whole words only: a part of a word is not a word of the text.
    assert _found(store, "fentan") == set()


def test_a_deleted_document_is_no_longer_found(two: tuple[Store, int, int]) -> None:
    store, border, port = two
    store.delete_document(border)
    assert _found(store, "fentanyl") == set()
    assert _found(store, "border") == {port}


def test_a_new_version_is_found_by_its_new_text_not_its_old(
    two: tuple[Store, int, int],
) -> None:
    store, border, _ = two
    again = _save(store, "border", "Heroin was found in a truck at Sweetgrass.", "Day patrol")
    assert again == border
    assert _found(store, "heroin sweetgrass") == {border}
    assert _found(store, "fentanyl") == set()
    assert _found(store, "night") == set() and _found(store, "day patrol") == {border}


def test_searching_reads_the_index(two: tuple[Store, int, int]) -> None:
    """The index, not the texts, answers: a word only the index holds is found."""
    store, border, _ = two
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE document_versions SET text = 'nothing' WHERE document_id = :d"),
                     {"d": border})  # fmt: skip
    assert _found(store, "fentanyl") == {border}


def test_without_fts5_sqlite_scans_the_texts(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    with Store.open(sqlite_url) as store:
        border = _save(store, "border", BORDER)
        with store.engine.begin() as conn:
            for name in ("add", "retire", "restore", "title", "delete"):
                conn.execute(text(f"DROP TRIGGER document_search_{name}"))
            conn.execute(text("DROP TABLE document_search"))
        with caplog.at_level(logging.INFO, logger="borderflow.store.text_search"):
            assert _found(store, "fentan northern") == {border}  # substrings, as LIKE finds
        assert "no full-text index" in caplog.text


def test_a_search_past_the_count_cap_lists_the_same_documents(store: Store) -> None:
    """Past the cap, a search reads the newest documents and asks the index about each:
    the same documents, in the same order, as when every match is taken and sorted."""
    ids = [_save(store, f"d{n}", f"{BORDER} Number {n}.") for n in range(7)]
    _save(store, "other", PORT)
    few = listings.documents(store, q="fentanyl northern", per_page=3, count_cap=100)
    many = listings.documents(store, q="fentanyl northern", per_page=3, count_cap=2)
    assert (few.total, few.exact, many.total, many.exact) == (7, True, 2, False)
    assert [r.listing.id for r in many.items] == [r.listing.id for r in few.items]
    rest = listings.documents(
        store, q="fentanyl northern", per_page=10, after=many.after, count_cap=2
    )
    assert sorted(r.listing.id for r in many.items + rest.items) == sorted(ids)


def test_matches_passed_as_a_list_or_a_subquery_are_the_same(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Up to FEW matches go to the listing as a list of ids (a key lookup), more as a
    subquery: both give the same documents in the same order."""
    from borderflow.store import text_search

    ids = [_save(store, f"d{n}", f"{BORDER} Number {n}.") for n in range(5)]
    _save(store, "other", PORT)
    listed = listings.documents(store, q="fentanyl northern", per_page=10)
    monkeypatch.setattr(text_search, "FEW", 2)
    queried = listings.documents(store, q="fentanyl northern", per_page=10)
    assert [r.listing.id for r in listed.items] == [r.listing.id for r in queried.items]
    assert sorted(r.listing.id for r in listed.items) == sorted(ids)
