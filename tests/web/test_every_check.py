"""The API's listing of every verdict (`/api/v1/checks?headline=false`), and of one claim's
verdicts: paged through, it gives each verdict of a current claim once, in the order it
promises (by claim, then verdict), by number up to the counted rows and by cursor past
them. What it should hold is read from the store's tables here, not from the listing.
Each test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from borderflow.store import Store, listings, paging, verdict_listing
from borderflow.store.checks import CHECKS
from borderflow.store.documents import CLAIMS, VERSIONS
from borderflow.web.app import create_app
from borderflow.web.config import WebConfig
from tests.web.conftest import BASE, build_store

Row = tuple[int, int, str, bool]  # claim id, verdict id, verdict, headline


@pytest.fixture(scope="module")
def url(module_store_url: str) -> str:
    """A checked store without a model fit (these listings never read the model), on
    SQLite and on PostgreSQL: each engine plans the listing's keyset reads its own way."""
    build_store(module_store_url).close()
    return module_store_url


@pytest.fixture(scope="module")
def client(url: str) -> Iterator[TestClient]:
    with TestClient(create_app(WebConfig(url)), base_url=BASE) as test_client:
        yield test_client


def _stored(url: str) -> list[Row]:
    """Every verdict of a claim in a current version, by claim then verdict id."""
    query = (
        select(CHECKS.c.claim_id, CHECKS.c.id, CHECKS.c.verdict, CHECKS.c.headline)
        .join(CLAIMS, CLAIMS.c.id == CHECKS.c.claim_id)
        .join(VERSIONS, VERSIONS.c.id == CLAIMS.c.version_id)
        .where(VERSIONS.c.is_current)
        .order_by(CHECKS.c.claim_id, CHECKS.c.id)
    )
    store = Store.open(url)
    try:
        with store.engine.connect() as conn:
            return [(r[0], r[1], r[2], bool(r[3])) for r in conn.execute(query)]
    finally:
        store.close()


def _walk(client: TestClient, **params: object) -> tuple[list[dict[str, object]], list[dict]]:
    """Every item of a listing, following `next_page` while it is given, then the cursor."""
    items: list[dict[str, object]] = []
    pages: list[dict] = []
    asked: dict[str, object] = {"page": 1}
    while True:
        got = client.get("/api/v1/checks", params={**params, **asked})
        assert got.status_code == 200, got.text
        page = got.json()
        pages.append(page)
        items += page["items"]
        if page["next_page"] is not None:
            asked = {"page": page["next_page"]}
        elif page["next_after"] is not None:
            asked = {"after": page["next_after"]}
        else:
            return items, pages


def test_every_verdict_once_in_claim_order_by_number_then_by_cursor(
    client: TestClient, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = _stored(url)
    assert len({claim for claim, *_ in stored}) < len(stored)  # some claims have several
    assert len(stored) > 40
    monkeypatch.setattr(paging, "COUNT_CAP", 30)  # so that the walk goes past the count
    items, pages = _walk(client, headline="false", per_page=10)
    assert [(i["claim_id"], i["verdict"], i["headline"]) for i in items] == [
        (claim, verdict, headline) for claim, _, verdict, headline in stored
    ]
    # Pages 1-3 by number (page 3 starts at row 21, within the count), then by cursor.
    assert [p["page"] for p in pages[:4]] == [1, 2, 3, None]
    refused = client.get("/api/v1/checks", params={"headline": "false", "page": 4, "per_page": 10})
    assert refused.status_code == 422 and refused.json()["error"]["details"][0]["where"] == "page"


def test_the_total_is_exact_within_the_count(client: TestClient, url: str) -> None:
    stored = _stored(url)
    page = client.get("/api/v1/checks", params={"headline": "false", "per_page": 5}).json()
    assert (page["total"], page["total_exact"]) == (len(stored), True)
    assert len(page["items"]) == 5


def test_a_verdict_kind_picks_each_verdict_by_its_own_kind(client: TestClient, url: str) -> None:
    stored = _stored(url)
    # A kind that some claims have beside another headline: the filter must read the
    # verdict's own kind, not the claim's headline.
    beside = {v for _, _, v, headline in stored if not headline}
    assert beside, "the store has no verdict beside a headline to filter on"
    kind = sorted(beside)[0]
    items, _ = _walk(client, headline="false", verdict=kind, per_page=50)
    expected = [(c, v, h) for c, _, v, h in stored if v == kind]
    assert [(i["claim_id"], i["verdict"], i["headline"]) for i in items] == expected


def test_one_claims_verdicts_headline_or_all(client: TestClient, url: str) -> None:
    stored = _stored(url)
    counts: dict[int, int] = {}
    for claim, *_ in stored:
        counts[claim] = counts.get(claim, 0) + 1
    claim_id = max(counts, key=lambda c: (counts[c], -c))
    every = client.get("/api/v1/checks", params={"claim_id": claim_id, "headline": "false"})
    assert [(i["verdict"], i["headline"]) for i in every.json()["items"]] == [
        (v, h) for c, _, v, h in stored if c == claim_id
    ]
    headline = client.get("/api/v1/checks", params={"claim_id": claim_id}).json()["items"]
    assert [(i["claim_id"], i["headline"]) for i in headline] == [(claim_id, True)]


def test_a_cursor_from_the_headline_listing_is_refused(client: TestClient) -> None:
    first = client.get("/api/v1/checks", params={"per_page": 2}).json()
    got = client.get("/api/v1/checks", params={"headline": "false", "after": first["next_after"]})
    assert got.status_code == 422 and "`after`" in got.json()["error"]["message"]


def test_nothing_listed_in_a_store_without_checks(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    Store.open(url).close()
    with TestClient(create_app(WebConfig(url)), base_url=BASE) as empty:
        page = empty.get("/api/v1/checks", params={"headline": "false"}).json()
    assert (page["items"], page["total"], page["next_after"]) == ([], 0, None)


def _claim_column(url: str, column: str) -> dict[int, Any]:
    """One column of every claim, by claim id."""
    store = Store.open(url)
    try:
        with store.engine.connect() as conn:
            return {r[0]: r[1] for r in conn.execute(select(CLAIMS.c.id, CLAIMS.c[column]))}
    finally:
        store.close()


def _pairs(url: str) -> list[tuple[str, str, str, int]]:
    """For each menu filter: (filter, value, kind, verdicts) of its commonest pairing with
    a verdict kind, a rare one, and one that never meets, read from the tables."""
    stored = _stored(url)
    chosen = []
    for name in ("measure", "substance", "agency", "corridor"):
        value_of = _claim_column(url, name)
        met = Counter((str(value_of[c]), v) for c, _, v, _ in stored if value_of[c])
        values = sorted({v for v in value_of.values() if v})
        kinds = sorted({v for _, _, v, _ in stored})
        ranked = met.most_common()
        never = next((value, kind) for value in values for kind in kinds if not met[value, kind])
        chosen += [(name, *ranked[0][0], ranked[0][1]), (name, *ranked[-1][0], ranked[-1][1])]
        chosen.append((name, *never, 0))
    return chosen


def test_a_claim_filter_with_a_verdict_kind(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every verdict of a kind on the claims a menu filter keeps (each filter's commonest
    pairing, a rare one and one that never meets), read from the verdicts' copy of their
    claim's values: the same verdicts as the tables hold, in claim order, exactly
    counted, across pages by number and by cursor (numbers stop at a small count here)."""
    stored = _stored(url)
    monkeypatch.setattr(paging, "COUNT_CAP", 6)  # so that numbered pages give way to cursors
    with TestClient(create_app(WebConfig(url)), base_url=BASE) as fresh:
        for name, value, kind, _ in _pairs(url):
            value_of = _claim_column(url, name)
            expected = [(c, v, h) for c, _, v, h in stored if v == kind and value_of[c] == value]
            items, pages = _walk(
                fresh, headline="false", per_page=4, **{name: value, "verdict": kind}
            )
            assert [(i["claim_id"], i["verdict"], i["headline"]) for i in items] == expected
            counted = (pages[0]["total"], pages[0]["total_exact"])
            assert counted == (len(expected), True), (name, value, kind)


def test_headline_verdicts_of_a_kind_on_filtered_claims(url: str) -> None:
    """The headline listing and the claims' listing with a menu filter and a verdict
    kind list the same claims, by claim, as the tables hold, across pages and cursors."""
    stored = _stored(url)
    with TestClient(create_app(WebConfig(url)), base_url=BASE) as fresh:
        for name, value, kind, _ in _pairs(url):
            value_of = _claim_column(url, name)
            expected = [c for c, _, v, h in stored if h and v == kind and value_of[c] == value]
            asked = {name: value, "verdict": kind}
            items, pages = _walk(fresh, per_page=3, **asked)
            assert [i["claim_id"] for i in items] == expected, asked
            assert {i["verdict"] for i in items} <= {kind} and all(i["headline"] for i in items)
            assert (pages[0]["total"], pages[0]["total_exact"]) == (len(expected), True)
            claims = _walk_claims(fresh, per_page=3, **asked)
            assert claims == expected, asked


@pytest.mark.parametrize("rare_kind", [1_000_000, 0], ids=["from-the-kind", "from-the-words"])
def test_words_with_a_verdict_kind(
    url: str, monkeypatch: pytest.MonkeyPatch, rare_kind: int
) -> None:
    """Words to search with a verdict kind and a menu filter: read from the kind's
    verdicts (each claim tested against the words) or from the claims the words find
    (each claim's verdicts tested), the same verdicts."""
    stored, measure_of = _stored(url), _claim_column(url, "measure")
    sentence_of = _claim_column(url, "sentence")
    (measure, kind), _ = Counter(
        (str(measure_of[c]), v) for c, _, v, _ in stored if "fentanyl" in sentence_of[c].lower()
    ).most_common(1)[0]
    expected = [
        (c, v) for c, _, v, _ in stored
        if v == kind and measure_of[c] == measure and "fentanyl" in sentence_of[c].lower()
    ]  # fmt: skip
    monkeypatch.setattr(verdict_listing, "RARE_KIND", rare_kind)
    with TestClient(create_app(WebConfig(url)), base_url=BASE) as fresh:
        items, _ = _walk(
            fresh, headline="false", per_page=4, q="fentanyl", measure=measure, verdict=kind
        )
    assert [(i["claim_id"], i["verdict"]) for i in items] == expected


def _walk_claims(client: TestClient, **params: object) -> list[int]:
    """The ids of every claim the claims' listing gives, page by page by cursor."""
    found: list[int] = []
    asked: dict[str, object] = {}
    while True:
        got = client.get("/api/v1/claims", params={**params, **asked})
        assert got.status_code == 200, got.text
        page = got.json()
        found += [item["id"] for item in page["items"]]
        if page["next_after"] is None:
            return found
        asked = {"after": page["next_after"]}


@pytest.mark.parametrize("cap", [10_000, 2], ids=["counted", "more-than-counted"])
@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
def test_claims_by_value_with_a_filter_and_a_kind(url: str, cap: int, descending: bool) -> None:
    """The claims' listing sorted by value with a menu filter and a verdict kind, page by
    page by cursor: within the count read from the verdicts' copies and sorted, past it
    from the value's index with each claim's verdict tested; the same claims either
    way, in value order (no value last, ties by id in the same direction)."""
    stored, measure_of = _stored(url), _claim_column(url, "measure")
    value_of = _claim_column(url, "normalized_value")
    (measure, kind), _ = Counter(
        (str(measure_of[c]), v) for c, _, v, h in stored if h and measure_of[c]
    ).most_common(1)[0]
    chosen = [c for c, _, v, h in stored if h and v == kind and measure_of[c] == measure]
    valued = sorted((c for c in chosen if value_of[c] is not None),
                    key=lambda c: (value_of[c], c), reverse=descending)  # fmt: skip
    unvalued = sorted((c for c in chosen if value_of[c] is None), reverse=descending)
    found: list[int] = []
    after = None
    with Store.open(url) as store:
        while True:
            page = listings.claims(
                store, filters={"measure": measure, "verdict": kind}, sort="value",
                descending=descending, per_page=3, after=after, count_cap=cap,
            )  # fmt: skip
            found += [view.claim.id for view in page.items]
            if page.after is None:
                break
            after = page.after
    assert len(chosen) > 3 and found == valued + unvalued


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_claims_of_a_verdict_kind_alone(url: str, order: str) -> None:
    """The claims' listing by a verdict kind alone, by id either way, page by page by
    cursor: read from the verdicts' index in claim order, the claims whose headline is
    of that kind, as the tables hold them."""
    stored = _stored(url)
    for kind in sorted({v for _, _, v, h in stored if h}):
        expected = sorted((c for c, _, v, h in stored if h and v == kind), reverse=order == "desc")
        with TestClient(create_app(WebConfig(url)), base_url=BASE) as fresh:
            found = _walk_claims(fresh, per_page=4, verdict=kind, sort="id", order=order)
        assert found == expected, kind
