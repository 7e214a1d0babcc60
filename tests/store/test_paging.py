"""Keyset paging of the listings (store.paging), on SQLite and PostgreSQL: under every
sort and direction each claim comes exactly once, in the order the listing promises
(values set first, then NULLs, ties by id in the same direction), whether paged by cursor
or by page number; totals past the cap say so; migration 0009 upgrades a store of 0008."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
from alembic import command
from sqlalchemy import text

from borderflow.errors import QueryError
from borderflow.extract import extract_claims
from borderflow.store import NewDocument, Store, listings
from borderflow.store.database import alembic_config, create_store_engine

SENTENCE = "The CBSA intercepted 4.9 kg of fentanyl from January to October 2024."
# Per claim: (normalized_value, measure, agency, period_start). Ties on every column and
# NULLs in the optional ones.
SHAPES = [
    (5.0, "seizure", "CBSA", date(2024, 1, 1)),
    (None, "seizure", None, None),
    (5.0, "deaths", "CBP", date(2023, 1, 1)),
    (1.5, "seizure", "CBSA", None),
    (None, "deaths", "CBSA", date(2024, 1, 1)),
    (9.0, "other", None, date(2022, 6, 1)),
    (5.0, "seizure", "RCMP", date(2023, 1, 1)),
]
FIELDS = {"value": "normalized_value", "measure": "measure", "agency": "agency",
          "period": "period_start", "id": "id"}  # fmt: skip


def _document(store: Store, n: int, published: date | None) -> None:
    base = extract_claims(SENTENCE)[0]
    claims = [
        dataclasses.replace(base, normalized_value=v, measure=m, agency=a, period_start=p)
        for v, m, a, p in SHAPES
    ]
    body = f"{SENTENCE} Document {n}."
    store.save_document(
        NewDocument(
            source=f"d{n}.txt", source_key=f"d{n}", content_hash=f"h{n}", fmt="text",
            size=len(body), text=body, title=None, outlet=None, author=None,
            published=published, extractor_version="test", claims=claims,
        )
    )  # fmt: skip


@pytest.fixture(scope="module")
def filled(module_store_url: str) -> Any:
    with Store.open(module_store_url) as store:
        for n, published in enumerate([date(2024, 1, 1), None, date(2024, 1, 1), date(2023, 1, 1)]):
            _document(store, n, published)
        yield store


def _expected(claims: list[dict[str, Any]], field: str, descending: bool) -> list[int]:
    """The promised order, reasoned from the rows: values first (ascending or
    descending), NULLs last, ties by id in the same direction."""
    valued = [c for c in claims if c[field] is not None]
    valued.sort(key=lambda c: (c[field], c["id"]), reverse=descending)
    empty = sorted((c for c in claims if c[field] is None), key=lambda c: c["id"])
    return [c["id"] for c in valued] + [c["id"] for c in (empty[::-1] if descending else empty)]


@pytest.mark.parametrize("sort", list(FIELDS))
@pytest.mark.parametrize("descending", [False, True])
def test_cursor_pages_give_every_claim_once_in_order(
    filled: Store, sort: str, descending: bool
) -> None:
    wanted = _expected([c.as_record() for c in filled.claims()], FIELDS[sort], descending)
    assert len(wanted) == 4 * len(SHAPES)
    seen: list[int] = []
    after = None
    for _ in range(20):
        page = listings.claims(filled, sort=sort, descending=descending, per_page=3, after=after)
        seen += [v.claim.id for v in page.items]
        after = page.after
        if after is None:
            break
    assert seen == wanted
    by_number = [
        v.claim.id
        for n in range(1, 11)
        for v in listings.claims(filled, sort=sort, descending=descending, per_page=3, page=n).items
    ]
    assert by_number == wanted


def test_documents_page_newest_first_undated_last(filled: Store) -> None:
    ids = sorted(row.listing.id for row in listings.documents(filled, per_page=10).items)
    d0, d1, d2, d3 = ids
    first = listings.documents(filled, per_page=2)
    second = listings.documents(filled, per_page=2, after=first.after)
    assert [r.listing.id for r in first.items + second.items] == [d2, d0, d3, d1]
    assert second.after is None and second.page is None and first.page == 1
    assert first.items[0].listing.claims == len(SHAPES)


def test_a_cursor_from_another_listing_or_none_at_all_is_refused(filled: Store) -> None:
    token = listings.claims(filled, sort="value", per_page=2).after
    assert token is not None
    refused = [("value", True, token), ("measure", False, token),
               ("value", False, "not-a-cursor"), ("value", False, "W10")]  # fmt: skip
    for sort, descending, after in refused:
        with pytest.raises(QueryError, match="`after` is not a cursor") as raised:
            listings.claims(filled, sort=sort, descending=descending, after=after)
        assert raised.value.parameter == "after"


def test_totals_past_the_cap_say_so(filled: Store) -> None:
    everything = listings.claims(filled, per_page=2)
    assert (everything.total, everything.exact) == (4 * len(SHAPES), True)
    seizures = listings.claims(filled, filters={"measure": "seizure"}, count_cap=5)
    assert (seizures.total, seizures.exact, seizures.total_label) == (5, False, "more than 5")
    exact = listings.claims(filled, filters={"measure": "other"}, count_cap=5)
    assert (exact.total, exact.exact, exact.total_label) == (4, True, "4")


def test_facets_list_each_value_once(filled: Store) -> None:
    found = listings.facets(filled)
    assert found["measure"] == ["deaths", "other", "seizure"]
    assert found["agency"] == ["CBP", "CBSA", "RCMP"]


def test_migration_0009_upgrades_a_store_of_0008(store_url: str) -> None:
    engine = create_store_engine(store_url)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0008")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO documents (id, source, source_key, title, published, created_at)"
            " VALUES (1, 'a.txt', 'a', 'Night patrol', '2024-01-02', '2024-01-02'),"
            " (2, 'b.txt', 'b', NULL, NULL, '2024-01-02')"
        ))  # fmt: skip
        for vid, doc, current, body in ((1, 1, False, "old fentanyl words"),
                                        (2, 1, True, "heroin at the northern border"),
                                        (3, 2, True, "cocaine at the port")):  # fmt: skip
            conn.execute(
                text(
                    "INSERT INTO document_versions (id, document_id, version, is_current,"
                    " content_hash, format, size, text, metadata, repairs, extractor_version,"
                    " ingested_at) VALUES (:v, :d, :v, :c, :h, 'text', 1, :t, '{}', '[]', 't',"
                    " '2024-01-02')"
                ),
                {"v": vid, "d": doc, "c": current, "h": f"h{vid}", "t": body},
            )
        for claim_id, vid, doc in ((1, 1, 1), (2, 2, 1), (3, 2, 1)):
            conn.execute(
                text(
                    "INSERT INTO claims (id, version_id, document_id, start_offset, end_offset,"
                    " text, sentence, value, qualifier, dimension, measure, period_candidates)"
                    " VALUES (:c, :v, :d, 0, 1, '4 kg', '4 kg.', 4, 'exact', 'mass', 'seizure',"
                    " '[]')"
                ),
                {"c": claim_id, "v": vid, "d": doc},
            )
    engine.dispose()
    with Store.open(store_url) as store:  # upgrades to 0009
        assert {r.listing.id for r in listings.documents(store, q="northern heroin").items} == {1}
        assert listings.documents(store, q="fentanyl").total == 0  # an old version's words
        assert {r.listing.id for r in listings.documents(store, q="patrol").items} == {1}
        # Two claims of the current version of 1; the old version's claim is not counted.
        assert listings.store_totals(store) == {"documents": 2, "claims": 2}
        counts = {r.listing.id: r.listing.claims for r in listings.documents(store).items}
        assert counts == {1: 2, 2: 0}
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0008")
        assert conn.execute(text("SELECT count(*) FROM claims")).scalar_one() == 3
        command.upgrade(cfg, "head")
    with Store.open(store_url) as store:
        assert {r.listing.id for r in listings.documents(store, q="port").items} == {2}
        assert listings.store_totals(store) == {"documents": 2, "claims": 2}
