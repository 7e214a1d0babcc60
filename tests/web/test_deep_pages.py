"""Pages by number reach as far as a listing counts (COUNT_CAP); deeper pages go by
cursor, in the API and in the pages' own links. The cap is lowered here so that the
seeds' few hundred claims reach past it."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from borderflow.store import paging

HTML = {"accept": "text/html"}


def test_the_api_refuses_a_page_past_the_count_and_pages_on_by_cursor(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paging, "COUNT_CAP", 6)
    pages = [client.get("/api/v1/claims", params={"per_page": 3, "page": n}) for n in (1, 2)]
    assert [p.status_code for p in pages] == [200, 200]
    # The next page by number while one follows within the count, then only the cursor.
    assert [p.json()["next_page"] for p in pages] == [2, None]
    assert all(p.json()["next_after"] for p in pages)
    refused = client.get("/api/v1/claims", params={"per_page": 3, "page": 3})
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert "row 7" in error["message"] and "`after`" in error["message"]
    assert error["details"][0]["where"] == "page"
    after = pages[1].json()["next_after"]
    third = client.get("/api/v1/claims", params={"per_page": 3, "after": after}).json()
    ids = [c["id"] for p in (*[p.json() for p in pages], third) for c in p["items"]]
    assert len(ids) == 9 and ids == sorted(set(ids))  # the same order, nothing twice
    assert third["page"] is None


def _claim_ids(page: str) -> list[int]:
    table = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [int(i) for i in re.findall(r'href="/claims/(\d+)"', table)]


def _link(page: str, rel: str) -> str | None:
    pager = page.split('class="pager"', 1)[1].split("</nav>", 1)[0]
    found = re.search(rf'rel="{rel}" href="([^"]+)"', pager)
    return unescape(found.group(1)) if found else None


def test_the_pages_next_link_turns_to_a_cursor_past_the_count(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paging, "COUNT_CAP", 50)  # 50 a page: page 2 would start at row 51
    first = client.get("/claims", params={"sort": "value"}, headers=HTML).text
    link = _link(first, "next")
    assert link is not None and "after=" in link and "sort=value" in link
    second = client.get(link, headers=HTML).text
    assert (
        "Further on" in second and _link(second, "first") == "/claims?sort=value&order=asc&page=1"
    )
    every = [c["id"] for c in _api_claims(client, "value")]
    assert _claim_ids(first) + _claim_ids(second) == every[:100]
    assert client.get("/claims", params={"page": 2}, headers=HTML).status_code == 422


def _api_claims(client: TestClient, sort: str) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    after = None
    while len(out) < 100:
        found = client.get(
            "/api/v1/claims",
            params={"sort": sort, "per_page": 50, "after": after}
            if after
            else {"sort": sort, "per_page": 50},
        ).json()
        out += found["items"]
        after = found["next_after"]
        if after is None:
            break
    return out
