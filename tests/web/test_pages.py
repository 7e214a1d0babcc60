"""The server-rendered pages, their HTMX fragments, uploads from the browser form, the
report, and what untrusted document text and metadata can do (nothing)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from fastapi.testclient import TestClient

from borderflow.records.verdicts import KINDS, VERDICTS
from borderflow.report.build import write_report
from borderflow.store import Store
from tests.web.conftest import SCRIPT, form_token

HTML = {"accept": "text/html"}
HOSTILE_TITLE = '<script>alert("title")</script> Fentanyl "quoted" report'
HOSTILE_BODY = (
    '<img src=x onerror="alert(1)"> CBP seized 43 pounds of fentanyl at the northern border '
    "in fiscal year 2024. <a href=javascript:alert(2) onclick='alert(3)'>more</a>"
)


def test_overview_has_charts_and_verdicts(client: TestClient) -> None:
    page = client.get("/", headers=HTML).text
    assert page.count("data-chart") >= 3  # seizures, deaths, the model's share
    assert "Latest verdicts" in page and 'class="verdict verdict-' in page
    land = client.get("/fragments/seizures", params={"land_only": "true"}, headers=HTML).text
    assert "land ports and between ports only" in land and 'id="seizures-chart"' in land


def test_document_highlights_every_claim(client: TestClient) -> None:
    docs = client.get("/api/v1/documents", params={"per_page": 100}).json()["items"]
    doc = max(docs, key=lambda d: d["claims"])
    page = client.get(f"/documents/{doc['id']}", headers=HTML).text
    claims = client.get(f"/api/v1/documents/{doc['id']}").json()["claims"]
    anchors = re.findall(
        r'<a id="claim-(\d+)" class="claim verdict-([\w-]+)" href="/claims/\1"', page
    )
    assert {int(a) for a, _ in anchors} <= {c["id"] for c in claims}
    assert len(anchors) >= len(claims) - 2  # overlapping spans keep the first
    verdicts = {c["id"]: c["verdict"] or "none" for c in claims}
    assert all(verdicts[int(a)] == v for a, v in anchors)
    # Citations of a document span link to #at-START, which stands before each claim.
    starts = {c["id"]: c["start"] for c in claims}
    for claim_id, _ in anchors:
        assert f'<span id="at-{starts[int(claim_id)]}"></span><a id="claim-{claim_id}"' in page


def test_legend_badges_and_colours_come_from_the_verdict_table(client: TestClient) -> None:
    docs = client.get("/api/v1/documents").json()["items"]
    page = client.get(f"/documents/{docs[0]['id']}", headers=HTML).text
    legend = page.split('id="verdict-legend"', 1)[1].split("</p>", 1)[0]
    shown = re.findall(r'class="verdict verdict-([\w-]+)"', legend)
    assert shown == [k.kind.value for k in KINDS] + ["none"]  # every kind, then unchecked
    sheet = re.search(r'<link rel="stylesheet" href="(/assets/site\.\w+\.css)">', page)
    assert sheet  # no inline style: the colours are in the one stylesheet
    style = client.get(sheet.group(1)).text
    assert all(f"mark.claim.verdict-{k.kind.value}" in style for k in KINDS)
    claims_page = client.get("/claims", headers=HTML).text
    menu = claims_page.split('name="verdict"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r'<option value="([\w-]+)"', menu) == [*VERDICTS, "unchecked"]


def test_claims_table_filters_sorts_and_swaps(client: TestClient) -> None:
    page = client.get("/claims", params={"measure": "seizure"}, headers=HTML).text
    assert '<option value="seizure" selected>' in page
    fragment = client.get(
        "/claims", params={"measure": "deaths", "sort": "value", "order": "desc"},
        headers={**HTML, "HX-Request": "true"},
    ).text  # fmt: skip
    assert fragment.lstrip().startswith("<table") or "<table" in fragment[:400]
    assert "<html" not in fragment and 'aria-sort="descending"' in fragment
    rows = re.findall(r"<tr><td><a href=\"/claims/\d+\">", fragment)
    total = client.get("/api/v1/claims", params={"measure": "deaths"}).json()["total"]
    assert len(rows) == min(total, 50)


def test_claim_page_shows_checks_and_links(client: TestClient) -> None:
    claim = client.get("/api/v1/claims", params={"verdict": "supported"}).json()["items"][0]
    page = client.get(f"/claims/{claim['id']}", headers=HTML).text
    assert "(headline)" in page and f'href="/documents/{claim["document_id"]}#claim-' in page
    assert '<mark class="claim verdict-supported">' in page


def test_data_explorer_and_model_page(client: TestClient) -> None:
    page = client.get("/data", params={"source": "cbp", "region": "Northern Border"}, headers=HTML)
    assert "Download CSV" in page.text and "/api/v1/series/cbp?" in page.text
    csv_url = re.search(r'href="(/api/v1/series/[^"]+)"', page.text)
    assert csv_url is not None
    download = client.get(csv_url.group(1).replace("&amp;", "&"))
    assert download.status_code == 200 and download.text.startswith("period,")
    fragment = client.get("/fragments/series", params={"source": "phac"}, headers=HTML).text
    assert "% fentanyl" in fragment and "<html" not in fragment
    model = client.get("/model", headers=HTML).text
    assert 'id="sankey-chart"' in model and 'name="north_resources"' in model
    token = form_token(client, "/model")
    result = client.post(
        "/fragments/scenario", data={"postal_screening": "2", "csrf_token": token}, headers=HTML
    )
    assert result.status_code == 200 and "your scenario" in result.text
    refused = client.post(
        "/fragments/scenario", data={"postal_screening": "99", "csrf_token": token}, headers=HTML
    )
    assert 'class="error"' in refused.text


def test_upload_form_redirects_to_the_document(client: TestClient) -> None:
    token = form_token(client)
    response = client.post(
        "/upload",
        files={"file": ("brief.txt", b"RCMP seized 12 kg of fentanyl in Surrey in 2023.\n")},
        data={"published": "2024-03-01", "outlet": "Test Wire", "csrf_token": token},
        headers=HTML,
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = client.get(response.headers["location"], headers=HTML).text
    assert "Test Wire" in page and 'class="claim verdict-' in page
    bad = client.post("/upload", data={"published": "March", "csrf_token": token}, headers=HTML)
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.text


def test_hostile_document_renders_inert(client: TestClient, web_url: str, tmp_path: Path) -> None:
    response = client.post(
        "/api/v1/documents",
        files={"file": ("x.txt", f"{HOSTILE_TITLE}\n\n{HOSTILE_BODY}\n".encode())},
        data={"outlet": '"><svg onload=alert(4)>'},
        headers=SCRIPT,
    )
    assert response.status_code == 201, response.text
    doc_id = response.json()["document_id"]
    claim_id = client.get(response.json()["items"][0]["claims_url"]).json()["items"][0]["id"]
    pages = [
        client.get(f"/documents/{doc_id}", headers=HTML).text,
        client.get("/documents", params={"q": "quoted"}, headers=HTML).text,
        client.get(f"/claims/{claim_id}", headers=HTML).text,
        client.get("/claims", params={"document_id": doc_id}, headers=HTML).text,
        client.get("/", headers=HTML).text,
    ]
    store = Store.open(web_url)
    pages.append(write_report(store, tmp_path / "report.html").read_text())
    store.close()
    for page in pages:
        # Every hostile tag arrives as text: its "<" escaped, so no element is created.
        for live in ("<script>alert", "<img src=x", "<svg onload", "<a href=javascript"):
            assert live not in page
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;" in pages[0]
    assert "&lt;img src=x onerror=" in pages[0]


def test_report_is_self_contained(client: TestClient, web_url: str, tmp_path: Path) -> None:
    store = Store.open(web_url)
    path = write_report(store, tmp_path / "out" / "report.html")
    store.close()
    html = path.read_text()
    # Nothing is fetched: no external script, stylesheet or image anywhere (the inlined
    # Plotly bundle mentions URLs in its own strings; it is the first script).
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=|<img", html)
    own = html.split("</script>", 1)[1]
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", own)
    assert "Plotly" in html and html.count("data-chart") >= 4
    assert 'id="model-shares"' in html and 'id="report-claims"' in html
    checked = client.get("/api/v1/checks", params={"per_page": 1}).json()["total"]
    # One verdict badge per check, in the claims table (the model section's anchors wear
    # badges of their own).
    claims = html.split('id="report-claims"', 1)[1]
    assert claims.count('<span class="verdict verdict-') == checked
    assert 'id="anchors-table"' in html.split('id="report-claims"', 1)[0]
    assert not list(path.parent.glob(".report-*"))  # no temporary file left behind


def test_cli_report_and_serve_help(web_url: str, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from borderflow.cli import app

    runner = CliRunner()
    out = tmp_path / "nested" / "borderflow-report.html"
    result = runner.invoke(app, ["--db", web_url, "report", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert str(out.resolve()) in result.stdout.replace("\n", "")
    assert out.read_text().startswith("<!doctype html>")
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x")
    failed = runner.invoke(app, ["--db", web_url, "report", "--out", str(blocked / "r.html")])
    assert failed.exit_code == 1 and "cannot write" in failed.stderr
    helped = runner.invoke(app, ["serve", "--help"])
    assert helped.exit_code == 0 and "--token" in helped.stdout and "loopback" in helped.stdout


def test_document_citations_link_to_the_span(client: TestClient) -> None:
    claims = client.get("/api/v1/claims", params={"per_page": 500}).json()["items"]
    for item in claims:
        detail = client.get(f"/api/v1/claims/{item['id']}").json()
        cited = [
            c for check in detail["checks"] for c in check["citations"]
            if c["kind"] == "document" and c["document_id"] and c["start"] is not None
        ]  # fmt: skip
        if cited:
            break
    else:
        raise AssertionError("no check cites a document span")
    page = client.get(f"/claims/{item['id']}", headers=HTML).text
    target = cited[0]
    assert f'href="/documents/{target["document_id"]}#at-{target["start"]}"' in page
    document = client.get(f"/documents/{target['document_id']}", headers=HTML).text
    assert f'id="at-{target["start"]}"' in document


def test_data_explorer_offers_each_sources_own_filters_and_periods(client: TestClient) -> None:
    # Switching from CBP by fiscal year to PHAC: the fiscal-year choice and CBP's land
    # filter are left behind; PHAC's own period and region menu are offered.
    page = client.get(
        "/fragments/series",
        params={"shown": "cbp", "source": "phac", "by": "fy", "region": "Northern Border"},
        headers=HTML,
    ).text  # fmt: skip
    periods = page.split('name="by"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r"<option ?(?:selected)?>([\w-]+)</option>", periods) == [
        "calendar-year",
        "quarter",
    ]
    assert 'name="land_only"' not in page and '<option value="">Canada (default)' in page
    assert 'class="error"' not in page
    # The chart plots deaths, titled with what it shows, not the period's dates.
    figure = json.loads(page.split("data-chart>", 1)[1].split("</script>", 1)[0])
    assert all(isinstance(y, int | float) for y in figure["data"][0]["y"])
    title = page.split('class="chart-title"', 1)[1].split("</h2>", 1)[0]
    assert "PHAC" in title and "Deaths per calendar year" in page
    wrong = client.get("/data", params={"source": "cbp", "region": "Nowhere"}, headers=HTML)
    assert 'class="error"' in wrong.text and "Northern Border" in wrong.text
