"""The JSON API: every endpoint, its paging and filters, and its errors in one shape."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from borderflow.datasets.bundle import reference_files
from borderflow.web.app import create_app
from borderflow.web.config import WebConfig
from tests.web.conftest import BASE, SCRIPT


def _error(response: object, status: int, code: str) -> str:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    body = response.json()["error"]  # type: ignore[attr-defined]
    assert body["status"] == status and body["code"] == code and body["message"]
    return str(body["message"])


def test_documents_are_paged_and_searchable(client: TestClient) -> None:
    first = client.get("/api/v1/documents", params={"per_page": 2}).json()
    assert len(first["items"]) == 2 and first["total"] >= 4
    assert first["pages"] == -(-first["total"] // 2)
    second = client.get("/api/v1/documents", params={"per_page": 2, "page": 2}).json()
    assert {d["id"] for d in first["items"]}.isdisjoint(d["id"] for d in second["items"])
    found = client.get("/api/v1/documents", params={"q": "CANADA"}).json()
    assert found["total"] >= 1 and found["total"] < first["total"] + 1
    none = client.get("/api/v1/documents", params={"q": "no-such-phrase-anywhere"}).json()
    assert none["total"] == 0 and none["items"] == []


def test_document_claims_point_into_its_text(client: TestClient) -> None:
    listing = client.get("/api/v1/documents", params={"per_page": 100}).json()["items"]
    doc_id = max(listing, key=lambda d: d["claims"])["id"]
    doc = client.get(f"/api/v1/documents/{doc_id}").json()
    assert doc["claims"]
    for claim in doc["claims"]:
        assert doc["text"][claim["start"] : claim["end"]] == claim["text"]


def test_claims_filter_sort_and_detail(client: TestClient) -> None:
    seizures = client.get("/api/v1/claims", params={"measure": "seizure", "per_page": 500}).json()
    assert seizures["total"] > 0
    assert all(c["measure"] == "seizure" for c in seizures["items"])
    ordered = client.get(
        "/api/v1/claims", params={"measure": "seizure", "sort": "value", "order": "desc"}
    ).json()["items"]
    values = [c["normalized_value"] for c in ordered if c["normalized_value"] is not None]
    assert values == sorted(values, reverse=True)
    facets = client.get("/api/v1/claims/facets").json()
    assert "seizure" in facets["measure"] and "unchecked" in facets["verdict"]
    supported = client.get("/api/v1/claims", params={"verdict": "supported"}).json()["items"]
    assert supported and all(c["verdict"] == "supported" for c in supported)
    claim = client.get(f"/api/v1/claims/{supported[0]['id']}").json()
    assert claim["sentence"] and claim["text"] in claim["sentence"]
    headline = [c for c in claim["checks"] if c["headline"]]
    assert len(headline) == 1 and headline[0]["verdict"] == "supported"
    assert headline[0]["explanation"] and isinstance(headline[0]["citations"], list)


def test_checks_list(client: TestClient) -> None:
    page = client.get("/api/v1/checks", params={"per_page": 3}).json()
    assert page["total"] > 0 and len(page["items"]) <= 3
    assert {"claim", "verdict", "explanation", "citations"} <= set(page["items"][0])


def test_series_json_and_csv_match_cbp(client: TestClient) -> None:
    params = {"region": "Northern Border", "land_only": "true", "by": "fy"}
    series = client.get("/api/v1/series/cbp", params=params).json()
    fy2024 = next(p for p in series["items"] if p["period"] == "FY2024")
    assert fy2024["value"] == pytest.approx(34.82, abs=0.01)  # CBP's published figure
    response = client.get("/api/v1/series/cbp", params={**params, "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == len(series["items"])
    assert float(next(r for r in rows if r["period"] == "FY2024")["value"]) == fy2024["value"]
    phac = client.get("/api/v1/series/canada-deaths", params={"by": "quarter"}).json()
    assert phac["items"] and all("deaths" in p for p in phac["items"])
    us = client.get("/api/v1/series/us-deaths").json()["items"]
    assert any(p["period"] == "2022" for p in us)
    # Each endpoint admits only the periods its source is published by.
    _error(client.get("/api/v1/series/us-deaths", params={"by": "quarter"}), 422, "invalid")
    _error(client.get("/api/v1/series/cbp", params={"by": "decade"}), 422, "invalid")


def test_model_and_scenarios(client: TestClient) -> None:
    model = client.get("/api/v1/model").json()
    assert model["converged"] is True  # only a fit that converged is ever the model
    shares = [r for r in model["summary"] if r["quantity"] == "canada_share"]
    assert shares and all(0 < r["low"] <= r["median"] <= r["high"] < 1 for r in shares)
    levers = client.get("/api/v1/scenarios/levers").json()
    assert {lever["name"] for lever in levers} >= {"north_resources", "postal_screening"}
    ran = client.post("/api/v1/scenarios", json={"north_resources": 3.0}).json()
    scenarios = {r["scenario"] for r in ran["rows"]}
    assert scenarios == {"baseline", "your scenario"}
    mine = [r for r in ran["rows"] if r["scenario"] == "your scenario"]
    north = [r for r in mine if r["quantity"] == "cbp_seized_lb" and r["item"] == "northern border"]
    assert north and north[0]["low"] <= north[0]["median"] <= north[0]["high"]
    # More agents between the northern ports: Canada's share of U.S. supply cannot rise
    # (seizures there may rise or fall, as traffickers move to other routes).
    share = next(r for r in mine if r["quantity"] == "canada_share")
    assert share["change_median"] <= 0
    _error(client.post("/api/v1/scenarios", json={"north_resources": 40}), 422, "invalid")
    _error(client.post("/api/v1/scenarios", json={"walls": 2}), 422, "invalid")


def test_upload_extracts_and_checks(client: TestClient) -> None:
    text = "CBP seized 43 pounds of fentanyl at the northern border in fiscal year 2024."
    response = client.post(
        "/api/v1/documents", data={"text": text, "published": "2025-02-01"}, headers=SCRIPT
    )
    assert response.status_code == 201, response.text
    body = response.json()
    (item,) = body["items"]
    assert item["status"] == "added" and item["claims"] >= 1
    assert body["document_id"] == item["document_id"] and body["stored"] == 1
    claims = client.get(item["claims_url"]).json()["items"]
    seizure = next(c for c in claims if c["measure"] == "seizure")
    assert seizure["agency"] == "CBP" and seizure["verdict"] is not None
    assert client.get(item["url"]).json()["claims_total"] == item["claims"]
    again = client.post("/api/v1/documents", data={"text": text}, headers=SCRIPT)
    assert again.json()["status"] == "duplicate"
    assert again.json()["document_id"] == body["document_id"]


def test_upload_errors(client: TestClient, web_url: str) -> None:
    _error(client.post("/api/v1/documents", data={}, headers=SCRIPT), 400, "bad_request")
    message = _error(
        client.post(
            "/api/v1/documents", files={"file": ("tool.exe", b"MZ..", "application/x")},
            headers=SCRIPT,
        ),
        415, "unsupported_type",
    )  # fmt: skip
    assert "tool.exe" in message
    _error(
        client.post(
            "/api/v1/documents", files={"file": ("empty.txt", b"   ", "text/plain")},
            headers=SCRIPT,
        ),
        400, "bad_request",
    )  # fmt: skip
    small = TestClient(create_app(WebConfig(web_url, max_upload_bytes=100)), base_url=BASE)
    _error(
        small.post("/api/v1/documents", data={"text": "x" * 101}, headers=SCRIPT), 413, "too_large"
    )


def test_not_found_and_invalid(client: TestClient) -> None:
    _error(client.get("/api/v1/documents/999999"), 404, "not_found")
    _error(client.get("/api/v1/claims/999999"), 404, "not_found")
    details = client.get("/api/v1/claims", params={"page": 0}).json()["error"]["details"]
    assert details[0]["where"] == "query.page"
    _error(client.get("/api/v1/no-such-thing"), 404, "not_found")


def test_writes_need_the_token_beyond_loopback(web_url: str) -> None:
    app = create_app(WebConfig(web_url, host="0.0.0.0", token="s3cret"))
    exposed = TestClient(app, base_url=BASE)
    assert exposed.get("/api/v1/documents").status_code == 200  # reading is open
    for path, kwargs in (
        ("/api/v1/documents", {"data": {"text": "3 kg of fentanyl"}}),
        ("/api/v1/scenarios", {"json": {"north_resources": 2}}),
        ("/api/v1/releases", {"files": {"file": ("x.csv", b"a,b\n", "text/csv")}}),
    ):
        _error(exposed.post(path, **kwargs), 401, "unauthorized")  # type: ignore[arg-type]
        wrong = exposed.post(path, headers={"Authorization": "Bearer nope"}, **kwargs)  # type: ignore[arg-type]
        assert wrong.status_code == 401
    ok = exposed.post(
        "/api/v1/documents", data={"text": "They seized 3 kg of fentanyl."},
        headers={"Authorization": "Bearer s3cret"},
    )  # fmt: skip
    assert ok.status_code == 201
    page = exposed.get("/upload", headers={"accept": "text/html"}).text
    assert 'name="token"' in page
    assert WebConfig(web_url, host="0.0.0.0").write_token  # generated when none is given
    assert WebConfig(web_url, host="127.0.0.1").write_token is None


def test_import_release_rechecks(client: TestClient) -> None:
    before = len(client.get("/api/v1/releases").json())
    path: Path = reference_files()[0]
    response = client.post(
        "/api/v1/releases", files={"file": (path.name, path.read_bytes(), "text/csv")},
        headers=SCRIPT,
    )  # fmt: skip
    assert response.status_code == 201, response.text
    assert response.json()["imported"][0]["file"] == path.name
    assert len(client.get("/api/v1/releases").json()) == before  # the same file: no new release
    bad = client.post(
        "/api/v1/releases", files={"file": ("junk.csv", b"a,b\n1,2\n", "text/csv")},
        headers=SCRIPT,
    )  # fmt: skip
    message = _error(bad, 400, "bad_request")
    # The file is named as it was sent, never by the server's temporary copy.
    assert message.startswith("junk.csv:1: unknown layout") and "/tmp" not in message


def test_openapi_and_offline_assets(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert {
        "/api/v1/documents",
        "/api/v1/claims",
        "/api/v1/series/{source}",
        "/api/v1/scenarios",
    } <= set(spec["paths"])
    for name in ("plotly.min.js", "htmx.min.js"):
        script = client.get(f"/vendor/{name}")
        assert script.status_code == 200 and len(script.content) > 10_000
    page = client.get("/", headers={"accept": "text/html"}).text
    assert 'src="http' not in page and 'href="http' not in page


def test_cached_answers_follow_the_store(web_url: str) -> None:
    import time

    from borderflow.ingest.pipeline import ingest_upload
    from borderflow.store import Store

    app_client = TestClient(create_app(WebConfig(web_url)), base_url=BASE)
    before = app_client.get("/api/v1/documents").json()["total"]
    assert app_client.get("/api/v1/documents").json()["total"] == before  # replayed
    # A write through the app shows at once.
    app_client.post(
        "/api/v1/documents", data={"text": "Officers seized 2 kg of fentanyl."}, headers=SCRIPT
    )
    assert app_client.get("/api/v1/documents").json()["total"] == before + 1
    # A write from elsewhere (the command line) shows within a second.
    store = Store.open(web_url)
    ingest_upload(store, "cli.txt", b"Agents seized 5 kg of fentanyl.", max_bytes=10_000)
    store.close()
    time.sleep(1.1)
    assert app_client.get("/api/v1/documents").json()["total"] == before + 2


def test_cited_official_observations(client: TestClient) -> None:
    cited = None
    for item in client.get("/api/v1/claims", params={"per_page": 500}).json()["items"]:
        detail = client.get(f"/api/v1/claims/{item['id']}").json()
        for check in detail["checks"]:
            for c in check["citations"]:
                if c["kind"] == "official" and c["release"] and c["line"]:
                    cited = (item["id"], c)
                    break
            if cited:
                break
        if cited:
            break
    assert cited is not None, "no check cites a single official observation"
    claim_id, citation = cited
    rows = client.get(
        "/api/v1/observations", params={"release": citation["release"], "line": citation["line"]}
    ).json()
    assert rows and all(r["file_name"] == citation["release"] for r in rows)
    assert any(r["stated_value"] == pytest.approx(citation["value"]) for r in rows)
    assert all(r["history"] for r in rows)
    page = client.get(f"/claims/{claim_id}", headers={"accept": "text/html"}).text
    assert "/observations?release=" in page
    shown = client.get(
        "/observations", params={"release": citation["release"], "line": citation["line"]},
        headers={"accept": "text/html"},
    )  # fmt: skip
    assert shown.status_code == 200 and citation["release"] in shown.text
    _error(client.get("/api/v1/observations", params={"release": "nope.csv", "line": 1}),
           404, "not_found")  # fmt: skip


def test_series_route_reads_the_registry(client: TestClient) -> None:
    from borderflow.datasets import registry

    spec = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/series/{source}"]["get"]
    params = {p["name"]: p for p in spec["parameters"]}
    assert set(registry.filters()) | {"source", "by", "format"} <= set(params)
    path_values = params["source"]["schema"]["enum"]
    assert all(s.name in path_values for s in registry.with_series())
    # A former per-source path still answers, as the source it was for.
    assert client.get("/api/v1/series/wonder-deaths").json()["source"] == "cdc-wonder"


def test_series_values_are_checked_against_the_data(client: TestClient) -> None:
    lower = client.get(
        "/api/v1/series/cbp", params={"region": "northern border", "land_only": "true"}
    ).json()
    assert lower["filters"]["region"] == "Northern Border"  # matched without case
    fy2024 = next(p for p in lower["items"] if p["period"] == "FY2024")
    assert fy2024["value"] == pytest.approx(34.82, abs=0.01)
    nowhere = _error(client.get("/api/v1/series/cbp", params={"region": "Nowhere"}), 422, "invalid")
    assert "Northern Border" in nowhere and "Southwest Border" in nowhere
    # A filter the source does not take, or the old ?source= parameter, is refused, never
    # ignored (which would answer for another series than the one asked for).
    _error(client.get("/api/v1/series/phac", params={"land_only": "true"}), 422, "invalid")
    _error(client.get("/api/v1/series/cbp", params={"source": "cbp-amo"}), 422, "invalid")
    state = _error(
        client.get("/api/v1/series/cdc-vsrr", params={"jurisdiction": "CA"}), 422, "invalid"
    )
    assert "US" in state  # the bundled CDC rows are national only
