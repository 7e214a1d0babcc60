"""The web app over a PostgreSQL store: the same reads, searches, filters, sorts and an
upload as on SQLite (skipped without a server, failed under CI=true)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from borderflow.web.app import create_app
from borderflow.web.config import WebConfig
from tests.web.conftest import BASE, SCRIPT, build_store

HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def pg_client(module_postgres_url: str) -> Iterator[TestClient]:
    build_store(module_postgres_url, fit=True).close()
    with TestClient(create_app(WebConfig(module_postgres_url)), base_url=BASE) as client:
        yield client


@pytest.mark.postgres
def test_reads_filters_and_search_on_postgres(pg_client: TestClient) -> None:
    docs = pg_client.get("/api/v1/documents", params={"q": "FENTANYL", "per_page": 2}).json()
    assert docs["total"] >= 1 and len(docs["items"]) <= 2
    literal = pg_client.get("/api/v1/documents", params={"q": "fentan%_"}).json()
    assert literal["total"] == 0  # no wildcards: "%" and "_" separate words, "fentan" is none
    by_verdict = pg_client.get(
        "/api/v1/claims", params={"sort": "verdict", "order": "desc", "per_page": 500}
    ).json()["items"]
    verdicts = [c["verdict"] for c in by_verdict if c["verdict"] is not None]
    assert verdicts == sorted(verdicts, reverse=True)
    supported = pg_client.get("/api/v1/claims", params={"verdict": "supported"}).json()
    assert supported["total"] > 0
    claim = pg_client.get(f"/api/v1/claims/{supported['items'][0]['id']}").json()
    assert any(c["headline"] for c in claim["checks"])
    series = pg_client.get(
        "/api/v1/series/cbp", params={"region": "Northern Border", "land_only": "true"}
    ).json()["items"]
    assert next(p for p in series if p["period"] == "FY2024")["value"] == pytest.approx(
        34.82, abs=0.01
    )
    assert pg_client.get("/api/v1/model").json()["summary"]
    for path in ("/", "/documents", "/claims?measure=seizure", "/data?source=phac", "/model"):
        assert pg_client.get(path, headers=HTML).status_code == 200, path


@pytest.mark.postgres
def test_upload_and_scenario_on_postgres(pg_client: TestClient) -> None:
    made = pg_client.post(
        "/api/v1/documents",
        data={"text": "RCMP officers seized 12 kg of fentanyl in 2023."},
        headers=SCRIPT,
    )
    assert made.status_code == 201, made.text
    doc = pg_client.get(f"/api/v1/documents/{made.json()['document_id']}").json()
    assert doc["claims"] and doc["text"][doc["claims"][0]["start"] : doc["claims"][0]["end"]]
    ran = pg_client.post("/api/v1/scenarios", json={"postal_screening": 2.0})
    assert ran.status_code == 200 and ran.json()["rows"]
