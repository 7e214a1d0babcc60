"""Cursor paging through the API: following `next_after` gives every row once, in the
order page numbers give, under the sort asked for; a cursor that is not one is a 422."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from borderflow.web.app import create_app
from borderflow.web.config import WebConfig
from tests.web.conftest import BASE, build_store


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    path: Path = tmp_path_factory.mktemp("paging") / "web.db"
    build_store(f"sqlite:///{path}").close()
    with TestClient(create_app(WebConfig(f"sqlite:///{path}")), base_url=BASE) as test_client:
        yield test_client


def _walk(client: TestClient, path: str, params: dict[str, Any], key: str = "id") -> list[int]:
    ids: list[int] = []
    answer = client.get(path, params=params).json()
    while True:
        ids += [item[key] for item in answer["items"]]
        if answer["next_after"] is None:
            return ids
        assert answer["page"] in (1, None)
        answer = client.get(path, params={**params, "after": answer["next_after"]}).json()


def _numbered(client: TestClient, path: str, params: dict[str, Any], key: str = "id") -> list[int]:
    first = client.get(path, params=params).json()
    ids = [item[key] for item in first["items"]]
    for page in range(2, first["pages"] + 1):
        ids += [i[key] for i in client.get(path, params={**params, "page": page}).json()["items"]]
    return ids


@pytest.mark.parametrize(
    "params",
    [{"sort": "value", "order": "desc"}, {"sort": "period"}, {"sort": "agency", "order": "desc"},
     {"measure": "seizure", "sort": "value"},
     {"measure": "seizure", "verdict": "supported", "per_page": 2}, {}],
)  # fmt: skip
def test_following_the_cursor_gives_every_claim_once(
    client: TestClient, params: dict[str, Any]
) -> None:
    asked = {"per_page": 9, **params}
    walked = _walk(client, "/api/v1/claims", asked)
    total = client.get("/api/v1/claims", params=asked).json()["total"]
    assert len(walked) == len(set(walked)) == total > asked["per_page"]
    assert walked == _numbered(client, "/api/v1/claims", asked)


def test_following_the_cursor_gives_every_document_once(client: TestClient) -> None:
    walked = _walk(client, "/api/v1/documents", {"per_page": 4})
    assert len(walked) == len(set(walked)) == client.get("/api/v1/documents").json()["total"]
    assert walked == _numbered(client, "/api/v1/documents", {"per_page": 4})


@pytest.mark.parametrize(
    "params",
    [{}, {"verdict": "supported"}, {"measure": "seizure"},
     {"measure": "seizure", "verdict": "supported", "per_page": 2}],
)  # fmt: skip
def test_following_the_cursor_gives_every_headline_verdict_once(
    client: TestClient, params: dict[str, Any]
) -> None:
    asked = {"per_page": 7, **params}
    walked = _walk(client, "/api/v1/checks", asked, key="claim_id")
    answer = client.get("/api/v1/checks", params=asked).json()
    assert len(walked) == len(set(walked)) == answer["total"] > asked["per_page"]
    assert walked == _numbered(client, "/api/v1/checks", asked, key="claim_id")
    # The claims the claims listing shows with a verdict, with the same filters.
    claims: dict[int, Any] = {}
    listed = client.get("/api/v1/claims", params={**params, "per_page": 50}).json()
    while True:
        claims |= {c["id"]: c["verdict"] for c in listed["items"]}
        if listed["next_after"] is None:
            break
        asked_next = {**params, "per_page": 50, "after": listed["next_after"]}
        listed = client.get("/api/v1/claims", params=asked_next).json()
    assert set(walked) == {i for i, verdict in claims.items() if verdict is not None}
    first = answer["items"][0]
    assert first["verdict"] == claims[first["claim_id"]]


def test_a_cursor_for_another_sort_is_a_422_saying_so(client: TestClient) -> None:
    token = client.get("/api/v1/claims", params={"sort": "value", "per_page": 2}).json()
    answer = client.get("/api/v1/claims", params={"sort": "id", "after": token["next_after"]})
    assert answer.status_code == 422
    assert "`after` is not a cursor" in answer.json()["error"]["message"]
    assert client.get("/api/v1/documents", params={"after": "%%%"}).status_code == 422


def test_the_api_documents_the_cursor(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/claims", "/api/v1/documents"):
        names = {p["name"]: p for p in spec["paths"][path]["get"]["parameters"]}
        assert "next_after" in names["after"]["description"]
