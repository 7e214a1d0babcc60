"""Tables as downloads (claims, documents, verdicts as CSV and JSON, with the view's
filters and every page of rows), the speaker filter, document titles made from the text,
and the claim page's lead: verdict, attribution, reading, gap and caveat."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from html import unescape
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from borderflow.records.verdicts import KINDS
from tests.web.conftest import SCRIPT

HTML = {"accept": "text/html"}
SEED = "000_fcd93b7b0eac0798"


def _csv(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text)))


def _attachment(response: Any) -> str:
    found = re.fullmatch(
        r'attachment; filename="([\w.-]+)"', response.headers["content-disposition"]
    )
    assert found, response.headers["content-disposition"]
    return found.group(1)


def _every_claim(client: TestClient) -> list[dict[str, Any]]:
    """Every claim, paged through the API the ordinary way (the oracle for the exports)."""
    out: list[dict[str, Any]] = []
    page = 1
    while True:
        found = client.get("/api/v1/claims", params={"page": page, "per_page": 40}).json()
        out += found["items"]
        if page >= found["pages"]:
            return out
        page += 1


def _text(html: str, pattern: str) -> str:
    found = re.search(pattern, html, re.S)
    assert found, pattern
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())


def test_claims_export_holds_every_filtered_row(client: TestClient, seeds_dir: Path) -> None:
    every = _every_claim(client)
    substance, _ = Counter(c["substance"] for c in every if c["substance"]).most_common(1)[0]
    wanted = sorted(c["id"] for c in every if c["substance"] == substance)
    assert len(wanted) > 50  # more than the one page the table shows
    response = client.get("/claims", params={"substance": substance, "format": "csv"})
    rows = _csv(response)
    assert [int(r["id"]) for r in rows] == wanted
    assert {r["substance"] for r in rows} == {substance}
    name = _attachment(response)
    assert name.endswith(".csv") and "claims" in name and substance.split()[0] in name
    # The API answers the same with the same filters, as one JSON page of every row.
    answer = client.get("/api/v1/claims", params={"substance": substance, "format": "json"})
    body = answer.json()
    assert _attachment(answer).endswith(".json")
    assert body["total"] == len(body["items"]) == len(wanted) and body["pages"] == 1
    assert [c["id"] for c in body["items"]] == wanted


def test_claims_export_follows_sort_and_every_filter(client: TestClient, seeds_dir: Path) -> None:
    every = _every_claim(client)
    wanted = [c for c in every if c["measure"] == "deaths" and c["verdict"] == "supported"]
    assert wanted
    asked = {"measure": "deaths", "verdict": "supported", "sort": "value", "order": "desc"}
    rows = _csv(client.get("/api/v1/claims", params={**asked, "format": "csv"}))
    assert sorted(int(r["id"]) for r in rows) == sorted(c["id"] for c in wanted)
    values = [float(r["normalized_value"]) for r in rows if r["normalized_value"]]
    assert values == sorted(values, reverse=True)
    assert all(r["sentence"] for r in rows)  # an export carries the sentence, not just the span


def test_speaker_filter_matches_whatever_the_case(client: TestClient, seeds_dir: Path) -> None:
    every = _every_claim(client)
    said = Counter(c["speaker"].casefold() for c in every if c["speaker"])
    speaker, count = said.most_common(1)[0]
    assert count >= 2
    asked = speaker.upper()
    found = client.get("/api/v1/claims", params={"speaker": asked, "per_page": 500}).json()
    assert found["total"] == count
    assert {c["speaker"].casefold() for c in found["items"]} == {speaker}
    rows = _csv(client.get("/claims", params={"speaker": asked, "format": "csv"}))
    assert len(rows) == count and {r["speaker"].casefold() for r in rows} == {speaker}
    # The menu offers each speaker once, whatever spellings the texts use, and the page
    # shows the speaker column and keeps the filter in its export links.
    menu = client.get("/api/v1/claims/facets").json()["speaker"]
    assert len(menu) == len({m.casefold() for m in menu})
    assert speaker in {m.casefold() for m in menu}
    page = client.get("/claims", params={"speaker": asked}, headers=HTML).text
    cells = re.findall(r'<td class="speaker">([^<]*)</td>', page)
    assert len(cells) == min(count, 50) and {unescape(c).casefold() for c in cells} == {speaker}
    exports = page.split('id="claims-exports"', 1)[1].split("</p>", 1)[0]
    assert exports.count("speaker=") >= 2 and "format=csv" in exports


def test_pager_links_carry_the_filters(client: TestClient, seeds_dir: Path) -> None:
    page = client.get(
        "/claims", params={"substance": "fentanyl", "sort": "value"}, headers=HTML
    ).text
    pager = page.split('class="pager"', 1)[1].split("</nav>", 1)[0]
    link = unescape(re.search(r'rel="next" href="([^"]+)"', pager).group(1))  # type: ignore[union-attr]
    assert "substance=fentanyl" in link and "sort=value" in link and "page=2" in link
    second = client.get(link, headers=HTML).text
    assert "Page 2 of" in second and '<option value="fentanyl" selected>' in second


def test_documents_show_titles_not_hashes(client: TestClient, seeds_dir: Path) -> None:
    first_line = (seeds_dir / f"{SEED}.txt").read_text(encoding="utf-8").split(",")[0]
    listing = client.get("/documents", headers=HTML).text
    table = listing.split('id="documents-table"', 1)[1].split("</table>", 1)[0]
    assert SEED not in table
    derived = re.findall(r'<i class="derived-title" title="([^"]+)">([^<]+)</i>', table)
    shown = {unescape(text) for _, text in derived}
    match = [t for t in shown if first_line.split()[0] in t and t.endswith("…")]
    assert match and len(match[0]) <= 91 and "no title" in derived[0][0]
    record = next(
        d for d in client.get("/api/v1/documents", params={"per_page": 100}).json()["items"]
        if d["source"].endswith(f"{SEED}.txt")
    )  # fmt: skip
    assert record["title_derived"] is True and record["display_title"] == match[0]
    document = client.get(f"/documents/{record['id']}", headers=HTML).text
    assert SEED not in _text(document, r"<h1>(.*?)</h1>")
    assert "No address of the original article" in document
    # Outlets: the stated one, or a dash; never an empty cell.
    outlets = re.findall(r"</td>\s*<td>([^<]*)</td>\s*<td>[^<]*</td><td>\d+</td>", table)
    assert outlets and all(o.strip() for o in outlets)


def test_documents_export_and_original_link(client: TestClient, tmp_path: Path) -> None:
    page = (
        "<html><head><title>Port seizures rise</title>"
        '<link rel="canonical" href="https://www.example-news.test/2025/port-seizures">'
        "</head><body><article><h1>Port seizures rise</h1><p>Officers at the port of Blaine "
        "seized 12 kg of fentanyl in March 2025, the agency said in a statement on "
        "Tuesday.</p></article></body></html>"
    )
    stored = client.post(
        "/api/v1/documents", files={"file": ("story.html", page.encode())}, headers=SCRIPT
    )
    assert stored.status_code == 201, stored.text
    doc_id = stored.json()["document_id"]
    html = client.get(f"/documents/{doc_id}", headers=HTML).text
    assert 'href="https://www.example-news.test/2025/port-seizures"' in html
    listing = client.get("/documents", params={"q": "Port seizures"}, headers=HTML).text
    assert 'class="original" href="https://www.example-news.test/2025/port-seizures"' in listing
    assert "<td>example-news.test</td>" in listing  # the outlet the page names
    rows = _csv(client.get("/documents", params={"q": "Blaine", "format": "csv"}))
    total = client.get("/api/v1/documents", params={"q": "Blaine"}).json()["total"]
    assert len(rows) == total and str(doc_id) in {r["id"] for r in rows}
    ours = next(r for r in rows if r["id"] == str(doc_id))
    assert ours["url"].endswith("/port-seizures") and ours["site"] == "example-news.test"
    everything = client.get("/api/v1/documents", params={"format": "json"}).json()
    assert everything["total"] == client.get("/api/v1/documents").json()["total"]


def test_csv_cells_never_run_as_formulas(client: TestClient) -> None:
    text = "=HYPERLINK(evil) border report\n\nAgents seized 31 kg of fentanyl in Maine in 2024.\n"
    stored = client.post(
        "/api/v1/documents", files={"file": ("formula.txt", text.encode())}, headers=SCRIPT
    )
    assert stored.status_code == 201, stored.text
    rows = _csv(client.get("/documents", params={"q": "HYPERLINK", "format": "csv"}))
    assert rows and rows[0]["display_title"].startswith("'=HYPERLINK")
    claims = _csv(client.get("/claims", params={"q": "31 kg", "format": "csv"}))
    assert claims and all(r["display_title"].startswith("'=") for r in claims)


def test_verdicts_export(client: TestClient) -> None:
    total = client.get("/api/v1/checks", params={"verdict": "supported"}).json()["total"]
    response = client.get("/api/v1/checks", params={"verdict": "supported", "format": "csv"})
    rows = _csv(response)
    assert len(rows) == total > 0 and {r["verdict"] for r in rows} == {"supported"}
    assert "verdicts" in _attachment(response)
    assert all(r["citations"].startswith("[") and r["display_title"] for r in rows)
    # The claim filters narrow the verdicts to the claims the same filters list.
    every = _every_claim(client)
    said = Counter(c["speaker"] for c in every if c["speaker"] and c["verdict"])
    speaker = said.most_common(1)[0][0]
    wanted = sorted(
        c["id"] for c in every
        if c["verdict"] and (c["speaker"] or "").casefold() == speaker.casefold()
    )  # fmt: skip
    narrowed = _csv(client.get("/api/v1/checks", params={"speaker": speaker, "format": "csv"}))
    assert sorted(int(r["claim_id"]) for r in narrowed) == wanted
    page = client.get("/claims", params={"speaker": speaker}, headers=HTML).text
    exports = unescape(page.split('id="claims-exports"', 1)[1].split("</p>", 1)[0])
    link = re.search(r'href="(/api/v1/checks\?[^"]+format=csv)"', exports)
    assert link and sorted(int(r["claim_id"]) for r in _csv(client.get(link.group(1)))) == wanted
    claim_id = rows[0]["claim_id"]
    every = client.get(
        "/api/v1/checks", params={"claim_id": claim_id, "headline": "false", "format": "json"}
    ).json()["items"]
    detail = client.get(f"/api/v1/claims/{claim_id}").json()["checks"]
    assert sorted(c["check"] for c in every) == sorted(c["check"] for c in detail)


def _claim_with(client: TestClient, verdict: str, test: Any) -> dict[str, Any]:
    items = client.get("/api/v1/claims", params={"verdict": verdict, "per_page": 500}).json()
    for item in items["items"]:
        detail = client.get(f"/api/v1/claims/{item['id']}").json()
        if test(detail):
            return dict(detail)
    raise AssertionError(f"no {verdict} claim fits")


def _lead(client: TestClient, claim_id: int) -> str:
    page = client.get(f"/claims/{claim_id}", headers=HTML).text
    return page.split('class="verdict-lead', 1)[1].split("</section>", 1)[0]


def _official(claim: dict[str, Any]) -> bool:
    head = claim["checks"][0]
    return head["check"] == "official" and (head["expected"] or 0) >= 1000


def test_claim_page_leads_with_the_verdict_and_its_caveat(
    client: TestClient, seeds_dir: Path
) -> None:
    claim = _claim_with(client, "supported-with-caveat", _official)
    lead = _lead(client, claim["id"])
    assert 'class="verdict verdict-supported-with-caveat"' in lead
    head = claim["checks"][0]
    gap = _text(lead, r'<dd class="gap">(.*?)</dd>')
    assert f"{head['expected']:,.0f}" in gap and ("above" in gap or "below" in gap)
    caveat = _text(lead, r'<dd class="caveat">(.*?)</dd>')
    # The caveat as its check stated it, not the whole explanation again.
    assert head["caveat"] and caveat[1:].startswith(head["caveat"][1:30]) and caveat.endswith(".")
    assert not caveat.startswith(head["explanation"][:40])
    reading = _text(lead, r'<dd class="reading">(.*?)</dd>')
    official = next(c for c in head["citations"] if c["kind"] == "official")
    assert official["label"] in reading and official["release"] in reading


def test_claim_page_states_attribution_and_gap(client: TestClient, seeds_dir: Path) -> None:
    claim = _claim_with(client, "contradicted", lambda c: _official(c) and c["speaker"])
    lead = _lead(client, claim["id"])
    head = claim["checks"][0]
    assert _text(lead, r'<dd class="attributed">(.*?)</dd>').startswith(claim["speaker"])
    gap = _text(lead, r'<dd class="gap">(.*?)</dd>')
    times = claim["normalized_value"] / head["expected"]
    assert f"{head['expected']:,.0f}" in gap and f"{times:.1f} times" in gap
    line = _text(lead, r'<p class="lead-line"[^>]*>(.*?)</p>')
    assert line.split()[0] == "contradicted" and claim["speaker"] in line
    page = client.get(f"/claims/{claim['id']}", headers=HTML).text
    assert "said by" not in page  # the record holds whom a figure is attributed to, no more


def test_verdict_legend_lists_every_kind(client: TestClient) -> None:
    claim = client.get("/api/v1/claims").json()["items"][0]
    for url in ("/claims", f"/claims/{claim['id']}"):
        page = client.get(url, headers=HTML).text
        legend = page.split('id="verdict-meanings"', 1)[1].split("</details>", 1)[0]
        assert "What the verdicts mean" in legend
        shown = re.findall(r'class="verdict verdict-([\w-]+)"', legend)
        assert shown == [k.kind.value for k in KINDS] + ["none"]
        for kind in KINDS:
            assert unescape(kind.meaning) in unescape(legend)
