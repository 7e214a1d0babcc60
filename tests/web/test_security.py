"""What another site can make a browser do to the local server (nothing), what every
answer tells the browser, and what an export or an error message can carry (no formula,
no server path): issue 12, items 6, 7 and 9."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from borderflow.output import to_csv
from borderflow.web.app import create_app
from borderflow.web.config import WebConfig
from tests.web.conftest import BASE, SCRIPT, form_token

HTML = {"accept": "text/html"}
EVIL = "http://evil.example"


def _error(response: object, status: int, code: str) -> str:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    body = response.json()["error"]  # type: ignore[attr-defined]
    assert body["status"] == status and body["code"] == code and body["message"]
    return str(body["message"])


@pytest.fixture
def app_client(store_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(WebConfig(store_url)), base_url=BASE) as client:
        yield client


def _documents(client: TestClient) -> int:
    total: int = client.get("/api/v1/documents", params={"q": "seized"}).json()["total"]
    return total


# -- 6: Host ----------------------------------------------------------------------------------
def test_a_host_that_is_not_this_server_is_refused(web_url: str) -> None:
    client = TestClient(create_app(WebConfig(web_url)), base_url=BASE)
    assert client.get("/", headers=HTML).status_code == 200  # cached now
    for host in ("evil.example", "evil.example:8000", "127.0.0.1.evil.example", ""):
        refused = client.get("/api/v1/documents", headers={"host": host})
        assert "unknown Host" in _error(refused, 400, "bad_request")
        page = client.get("/", headers={**HTML, "host": host})  # no cached page replayed
        assert page.status_code == 400 and "Fentanyl" not in page.text
    for host in ("127.0.0.1:8000", "localhost:8000", "LOCALHOST", "[::1]:8000"):
        assert client.get("/api/v1/documents", headers={"host": host}).status_code == 200


def test_beyond_loopback_the_listed_names_and_any_address_are_served(web_url: str) -> None:
    config = WebConfig(web_url, host="0.0.0.0", allowed_hosts=("flow.example.org",))
    client = TestClient(create_app(config), base_url=BASE)
    for host in ("flow.example.org", "flow.example.org:8443", "192.168.1.20:8000", "[fe80::1]"):
        assert client.get("/api/v1/documents", headers={"host": host}).status_code == 200, host
    # A name can be rebound by DNS; an address cannot, so only names are checked.
    refused = client.get("/api/v1/documents", headers={"host": "attacker.example"})
    _error(refused, 400, "bad_request")
    bound = WebConfig(web_url, host="10.0.0.5")
    assert bound.allows_host("10.0.0.5:8000") and not bound.allows_host("10.0.0.6")


# -- 6: Origin ----------------------------------------------------------------------------------
def test_a_cross_site_write_is_refused_and_stores_nothing(app_client: TestClient) -> None:
    before = _documents(app_client)
    token = form_token(app_client)
    text = "Agents seized 77 kg of fentanyl in Ohio."
    attempts = [
        ("/upload", {"data": {"text": text, "csrf_token": token}}),
        ("/api/v1/documents", {"data": {"text": text}}),
        ("/api/v1/documents", {"files": {"file": ("a.txt", text.encode(), "text/plain")}}),
        ("/api/v1/releases", {"files": {"file": ("a.csv", b"a,b\n", "text/csv")}}),
        ("/api/v1/scenarios", {"json": {"north_resources": 2}}),
        ("/fragments/scenario", {"data": {"north_resources": "2", "csrf_token": token}}),
    ]
    senders = [
        {"origin": EVIL}, {"origin": "null"}, {"referer": f"{EVIL}/page.html"},
        {"origin": "http://127.0.0.1:9999"}, {"origin": "https://127.0.0.1"},
    ]  # fmt: skip
    for sender in senders:
        for path, kwargs in attempts:
            refused = app_client.post(path, headers={**SCRIPT, **sender}, **kwargs)  # type: ignore[arg-type]
            assert "cross-site request refused" in _error(refused, 403, "forbidden"), path
    assert _documents(app_client) == before
    # The same requests from this server's own pages go through.
    mine = {"origin": BASE, "referer": f"{BASE}/upload"}
    made = app_client.post("/api/v1/documents", data={"text": text}, headers={**SCRIPT, **mine})
    assert made.status_code == 201, made.text
    assert _documents(app_client) == before + 1


def test_form_posts_need_the_pages_form_token(app_client: TestClient) -> None:
    text = {"text": "Officers seized 31 kg of fentanyl in Utah."}
    for path in ("/upload", "/fragments/scenario"):
        missing = app_client.post(path, data=text, headers={"origin": BASE})
        assert "form token" in _error(missing, 403, "forbidden")
        wrong = app_client.post(path, data={**text, "csrf_token": "x" * 43})
        _error(wrong, 403, "forbidden")
    # A script posting a form to the API says so with an Authorization header.
    _error(app_client.post("/api/v1/documents", data=text), 403, "forbidden")
    assert app_client.post("/api/v1/documents", data=text, headers=SCRIPT).status_code == 201
    # JSON needs no token: no form on another site can send it.
    assert app_client.post("/api/v1/scenarios", json={"walls": 2}).status_code == 422
    token = form_token(app_client)
    upload = app_client.post(
        "/upload", data={"text": "Officers seized 32 kg of fentanyl in Utah.", "csrf_token": token},
        headers=HTML, follow_redirects=False,
    )  # fmt: skip
    assert upload.status_code == 303, upload.text
    # The token travels in the form and a SameSite cookie; its page is never cached for
    # another browser, which gets a token of its own.
    page = app_client.get("/upload", headers=HTML)
    assert page.headers["cache-control"] == "no-store"
    other = TestClient(app_client.app, base_url=BASE)
    cookie = other.get("/upload", headers=HTML).headers["set-cookie"].lower()
    assert "samesite=strict" in cookie and "httponly" in cookie
    assert form_token(other) != token


# -- 7: headers ---------------------------------------------------------------------------------
def test_every_answer_carries_the_security_headers(client: TestClient) -> None:
    answers = [
        client.get("/", headers=HTML),
        client.get("/", headers=HTML),  # replayed from the cache
        client.get("/api/v1/documents"),
        client.get("/static/app.css"),
        client.get("/vendor/htmx.min.js"),
        client.get("/assets/site.css"),
        client.get("/no/such/page", headers=HTML),
        client.get("/api/v1/claims", params={"page": 0}),
        client.get("/", headers={"host": "evil.example"}),
        client.post("/api/v1/documents", headers={"origin": EVIL}),
    ]
    for answer in answers:
        headers = answer.headers
        assert headers["x-content-type-options"] == "nosniff", answer.url
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "same-origin"
        policy = dict(
            part.strip().split(" ", 1) for part in headers["content-security-policy"].split(";")
        )
        assert policy["default-src"] == "'self'" and policy["frame-ancestors"] == "'none'"
        assert policy["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
        assert "unsafe" not in policy["style-src"] and policy["object-src"] == "'none'"


@pytest.mark.parametrize(
    "path", ["/", "/documents", "/claims", "/data", "/model", "/upload", "/claims/1"]
)
def test_pages_have_no_inline_script_style_or_handler(client: TestClient, path: str) -> None:
    page = client.get(path, headers=HTML).text
    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts and all('src="/' in s or 'type="application/json"' in s for s in scripts)
    assert "<style" not in page and " style=" not in page
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", page), "an inline event handler"
    assert "javascript:" not in page


def test_the_api_docs_page_allows_only_its_own_inline_script(client: TestClient) -> None:
    page = client.get("/api/v1/docs")
    policy = page.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy and "'sha256-" in policy
    assert "SwaggerUIBundle" in page.text


# -- 9: exports and messages ----------------------------------------------------------------------
def test_csv_cells_that_a_spreadsheet_would_run_are_quoted() -> None:
    records = [
        {"text": "=HYPERLINK(\"http://x\",\"y\")", "value": -5.5, "count": -3, "label": "-5",
         "who": "@SUM(A1)", "plus": "+1", "tab": "\tx", "cr": "\rx", "ok": "43 pounds",
         "list": ["=1"]},
    ]  # fmt: skip
    fields = list(records[0])
    [row] = list(csv.DictReader(io.StringIO(to_csv(records, fields))))
    assert row["text"] == '\'=HYPERLINK("http://x","y")'
    assert row["who"] == "'@SUM(A1)" and row["plus"] == "'+1" and row["label"] == "'-5"
    assert row["tab"] == "'\tx" and row["cr"] == "'\rx"
    assert row["value"] == "-5.5" and row["count"] == "-3"  # numbers stay numbers
    assert row["ok"] == "43 pounds" and row["list"] == '["=1"]'


def test_csv_exports_of_the_cli_neutralise_formulas(store_url: str, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from borderflow.cli import app

    article = tmp_path / "formula.html"
    article.write_text(
        '<html><head><title>=HYPERLINK("http://evil.example","open")</title></head>'
        "<body><p>CBP seized 12 kg of fentanyl at the northern border.</p></body></html>"
    )
    runner = CliRunner()
    ingested = runner.invoke(app, ["--db", store_url, "ingest", str(article)])
    assert ingested.exit_code == 0, ingested.output
    for command in (["documents"], ["claims"]):
        out = runner.invoke(app, ["--db", store_url, *command, "--format", "csv"])
        assert out.exit_code == 0, out.output
        rows = list(csv.DictReader(io.StringIO(out.stdout)))
        assert rows and all(r["title"].startswith("'=HYPERLINK(") for r in rows), command
        assert not any(v.startswith(("=", "+", "@")) for r in rows for v in r.values())


def test_error_messages_name_the_uploaded_file_not_a_server_path(client: TestClient) -> None:
    bad = client.post(
        "/api/v1/releases", files={"file": ("../../weird\x1bname.csv", b"a,b\n1,2\n", "text/csv")},
        headers=SCRIPT,
    )  # fmt: skip
    message = _error(bad, 400, "bad_request")
    assert message.startswith("weird_name.csv:1: unknown layout"), message
    assert "/tmp" not in message and "borderflow-import" not in message
    xlsx = client.post(
        "/api/v1/releases", files={"file": ("table.xlsx", b"PK\x03\x04junk", "application/zip")},
        headers=SCRIPT,
    )  # fmt: skip
    message = _error(xlsx, 400, "bad_request")
    assert message.startswith("table.xlsx") and "/tmp" not in message


def test_the_api_docs_load_nothing_from_another_site(client: TestClient) -> None:
    page = client.get("/api/v1/docs")
    policy = page.headers["content-security-policy"]
    assert "http" not in policy, policy  # no CDN allowed, so none can be used
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert assets and all(a.startswith("/api/v1/docs/assets/") for a in assets), assets
    for asset in assets:
        answer = client.get(asset)
        assert answer.status_code == 200 and len(answer.content) > 100, asset
