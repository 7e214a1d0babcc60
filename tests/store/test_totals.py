"""The store keeps its totals (documents; claims of current versions) in one row that
every write adjusts (store.totals): after each kind of write the kept row must equal a
count of the tables, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import delete

from borderflow.extract import extract_claims
from borderflow.store import Store
from borderflow.store.totals import TOTALS, Totals, counted_totals, kept_totals
from tests.store.test_store import TEXT, _save

TWO = TEXT + " Officers at the Ambassador Bridge found another 2 kg in March 2023."


def _both(store: Store) -> tuple[Totals, Totals]:
    with store.engine.connect() as conn:
        return kept_totals(conn), counted_totals(conn)


def test_every_kind_of_write_keeps_the_totals(store: Store) -> None:
    assert _both(store) == (Totals(0, 0), Totals(0, 0))
    first = _save(store)  # one claim
    _save(store)  # the same bytes: nothing changes
    _save(store, key="/elsewhere/a.txt")  # a duplicate of it elsewhere: nothing either
    assert _both(store) == (Totals(1, 1), Totals(1, 1))

    _save(store, content_hash="h2", text_=TWO)  # a new version with two claims
    assert _both(store) == (Totals(1, 2), Totals(1, 2))
    _save(store, content_hash="h3", text_="Nothing to count here.")  # and one with none
    assert _both(store) == (Totals(1, 0), Totals(1, 0))

    other = _save(store, key="/docs/b.txt", content_hash="h4", text_=TWO)
    assert len(extract_claims(TWO)) == 2
    assert _both(store) == (Totals(2, 2), Totals(2, 2))

    store.delete_document(first.document_id)
    assert _both(store) == (Totals(1, 2), Totals(1, 2))
    store.delete_document(first.document_id)  # gone already: nothing more is taken off
    store.delete_document(other.document_id)
    assert _both(store) == (Totals(0, 0), Totals(0, 0))


def test_a_store_without_the_row_counts_and_starts_it_again(store: Store) -> None:
    _save(store)
    with store.engine.begin() as conn:
        conn.execute(delete(TOTALS))
    assert _both(store) == (Totals(1, 1), Totals(1, 1))  # counted, not kept
    _save(store, key="/docs/b.txt", content_hash="h2", text_=TWO)
    assert _both(store) == (Totals(2, 3), Totals(2, 3))  # the next write starts the row
    assert store.counts() == {"documents": 2, "versions": 2, "claims": 3}
