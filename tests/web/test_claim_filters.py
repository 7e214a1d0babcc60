"""Claim filters never answer zeros silently: a value in another case or spelling finds
the claims the value as stored finds (page, API and export alike), a value no claim has
is a 422 listing the valid ones, a verdict kind no claim has yet is an honest empty
table; document and sentence searches need every word, in any order; and the addresses
the pages push and link carry only the filters in use."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from borderflow.records.verdicts import VERDICTS
from borderflow.web.app import create_app
from borderflow.web.config import WebConfig
from tests.web.conftest import BASE, build_store
from tests.web.test_exports import _every_claim

HTML = {"accept": "text/html"}
HTMX = {"hx-request": "true"}  # as HTMX asks: no text/html in Accept


@pytest.fixture(scope="module")
def web_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The web tests' store without a model fit (no test here reads the model)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('filters') / 'web.db'}"
    build_store(url).close()
    yield url


def _api_ids(client: TestClient, path: str, params: dict[str, str]) -> list[int]:
    response = client.get(path, params={**params, "per_page": 500})
    assert response.status_code == 200, response.text[:300]
    body = response.json()
    assert body["pages"] == 1
    return [item.get("claim_id", item.get("id")) for item in body["items"]]


def _page_ids(client: TestClient, params: dict[str, str]) -> list[int]:
    """The claims the page's table lists (its first page)."""
    response = client.get("/claims", params=params, headers=HTML)
    assert response.status_code == 200, response.text[:300]
    return [int(i) for i in re.findall(r'<tr><td><a href="/claims/(\d+)">', response.text)]


def _csv_ids(client: TestClient, params: dict[str, str]) -> list[int]:
    response = client.get("/claims", params={**params, "format": "csv"})
    assert response.status_code == 200, response.text[:300]
    return [int(r["id"]) for r in csv.DictReader(io.StringIO(response.text))]


def _other_case(text: str) -> str:
    changed = text.upper() if text != text.upper() else text.lower()
    assert changed != text
    return changed


def test_a_value_in_another_case_finds_the_same_claims(client: TestClient) -> None:
    every = _every_claim(client)
    pairs = Counter((c["agency"], c["verdict"]) for c in every if c["agency"] and c["verdict"])
    (agency, verdict), count = pairs.most_common(1)[0]
    expected = sorted(c["id"] for c in every if (c["agency"], c["verdict"]) == (agency, verdict))
    assert len(expected) == count
    stored = {"agency": agency, "verdict": verdict}
    typed = {"agency": _other_case(agency), "verdict": verdict.title()}
    assert sorted(_api_ids(client, "/api/v1/claims", typed)) == expected
    assert _csv_ids(client, typed) == _csv_ids(client, stored) and len(_csv_ids(client, typed))
    assert _page_ids(client, typed) == _page_ids(client, stored)
    # The page shows the filters as the menus spell them, and its links carry those.
    page = client.get("/claims", params=typed, headers=HTML).text
    assert f'<option value="{verdict}" selected>' in page
    export = re.search(r'<a href="/claims\?([^"]*)" download>CSV</a>', page)
    assert export and parse_qs(export.group(1).replace("&amp;", "&"))["agency"] == [agency]
    # The verdicts of those claims, from the checks API, whatever the case too.
    checks = _api_ids(client, "/api/v1/checks", {"agency": _other_case(agency)})
    assert checks and sorted(checks) == sorted(
        _api_ids(client, "/api/v1/checks", {"agency": agency})
    )


def test_other_spellings_and_names_find_the_same_claims(client: TestClient) -> None:
    """The spellings the reviewer tried, and the vocabulary's names for an agency."""
    facets = client.get("/api/v1/claims/facets").json()
    assert "CBP" in facets["agency"] and "northern border" in facets["corridor"]
    asked = {
        ("corridor", "Northern Border"): "northern border",
        ("verdict", "Supported_With_Caveat"): "supported-with-caveat",
        ("agency", "U.S. Customs and Border Protection"): "CBP",
        ("measure", "Deaths"): "deaths",
    }
    for (name, typed), stored in asked.items():
        found = _api_ids(client, "/api/v1/claims", {name: typed})
        assert found, (name, typed)
        assert found == _api_ids(client, "/api/v1/claims", {name: stored}), (name, typed)


def test_an_unknown_value_is_refused_with_the_valid_ones(client: TestClient) -> None:
    facets = client.get("/api/v1/claims/facets").json()
    for path, name, wrong in (
        ("/api/v1/claims", "verdict", "bogus"),
        ("/api/v1/claims", "measure", "weather"),
        ("/api/v1/checks", "agency", "Interpol-ish"),
        ("/claims", "corridor", "the moon"),  # the page's download
    ):
        params = {name: wrong, **({"format": "csv"} if path == "/claims" else {})}
        response = client.get(path, params=params)
        assert response.status_code == 422, (path, name, response.text[:200])
        error = response.json()["error"]
        assert error["code"] == "invalid" and wrong in error["message"]
        detail = error["details"][0]
        assert detail["where"] == name
        assert set(detail["valid"]) == set(facets[name])
        assert all(value in error["message"] for value in facets[name][:5])
    # Every verdict kind is offered (unchecked too, for claims; not for checks).
    claims = client.get("/api/v1/claims", params={"verdict": "bogus"}).json()
    assert set(claims["error"]["details"][0]["valid"]) == {*VERDICTS, "unchecked"}
    checks = client.get("/api/v1/checks", params={"verdict": "unchecked"})
    assert checks.status_code == 422
    assert set(checks.json()["error"]["details"][0]["valid"]) == set(VERDICTS)


def test_the_page_names_the_wrong_value_and_keeps_its_menus(client: TestClient) -> None:
    response = client.get("/claims", params={"verdict": "Bogus", "measure": "Deaths"}, headers=HTML)
    assert response.status_code == 422
    page = response.text
    error = re.search(r'<p class="error" role="alert" id="claims-error">([^<]*)</p>', page)
    assert error and "Bogus" in error.group(1)
    assert all(kind in error.group(1) for kind in VERDICTS)
    assert "No claims match" not in page and 'id="claims"' not in page
    # The menus are there to correct it; the valid filter stays chosen.
    assert '<form id="claim-filters"' in page
    assert '<option value="deaths" selected>' in page
    # The table HTMX swaps in says the same, as a success HTMX swaps.
    fragment = client.get("/claims", params={"verdict": "Bogus"}, headers=HTMX)
    assert fragment.status_code == 200 and 'id="claims-error"' in fragment.text


def test_a_verdict_kind_without_claims_is_an_empty_table(tmp_path: Path) -> None:
    with TestClient(
        create_app(WebConfig(f"sqlite:///{tmp_path / 'empty.db'}")), base_url=BASE
    ) as empty:
        for kind in VERDICTS:
            response = empty.get("/api/v1/claims", params={"verdict": kind.upper()})
            assert response.status_code == 200 and response.json()["total"] == 0
            checks = empty.get("/api/v1/checks", params={"verdict": kind})
            assert checks.status_code == 200 and checks.json()["total"] == 0
        page = empty.get("/claims", params={"verdict": VERDICTS[0]}, headers=HTML)
        assert page.status_code == 200 and "No claims match" in page.text
        # A measure is valid only once a claim has it: with none, that is what it says.
        refused = empty.get("/api/v1/claims", params={"measure": "deaths"})
        assert refused.status_code == 422 and "no claim has a measure" in refused.text


def _two_words_apart(client: TestClient) -> tuple[int, str, str]:
    """A document and two of its longer words that no document holds side by side."""
    docs = client.get("/api/v1/documents", params={"per_page": 200}).json()["items"]
    texts = {d["id"]: client.get(f"/api/v1/documents/{d['id']}").json()["text"] for d in docs}
    folded = [" ".join(t.split()).casefold() for t in texts.values()]
    for doc_id, text in texts.items():
        words = sorted(set(re.findall(r"[A-Za-z]{9,}", text)), key=lambda w: (-len(w), w))
        for first, second in pairwise(words):
            joined = (f"{first} {second}".casefold(), f"{second} {first}".casefold())
            if not any(pair in t for t in folded for pair in joined):
                return doc_id, first, second
    raise AssertionError("no document with two words never side by side")


def test_document_search_needs_every_word_in_any_order(client: TestClient) -> None:
    doc_id, first, second = _two_words_apart(client)
    for q in (f"{first} {second}", f"{second.upper()}  {first.lower()}"):
        found = client.get("/api/v1/documents", params={"q": q, "per_page": 200}).json()
        assert doc_id in [d["id"] for d in found["items"]], q
        for item in found["items"]:
            text = client.get(f"/api/v1/documents/{item['id']}").json()["text"].casefold()
            title = (item["title"] or "").casefold()
            assert all(w.casefold() in text or w.casefold() in title for w in (first, second))
        page = client.get("/documents", params={"q": q}, headers=HTML).text
        assert f'href="/documents/{doc_id}"' in page
    # A word it lacks excludes it; quotes ask for the words side by side.
    for q in (f"{first} zzqxjvwk", f'"{first} {second}"'):
        found = client.get("/api/v1/documents", params={"q": q, "per_page": 200}).json()
        assert doc_id not in [d["id"] for d in found["items"]], q
    # LIKE wildcards in a word are literal.
    assert client.get("/api/v1/documents", params={"q": f"{first} %_%"}).json()["total"] == 0


def test_sentence_search_needs_every_word_in_any_order(client: TestClient) -> None:
    every = client.get("/api/v1/claims", params={"format": "json"}).json()["items"]
    claim = next(c for c in every if len(re.findall(r"[A-Za-z]{5,}", c["sentence"] or "")) >= 3)
    words = re.findall(r"[A-Za-z]{5,}", claim["sentence"])
    q = f"{words[-1]} {words[0]}"
    found = _api_ids(client, "/api/v1/claims", {"q": q})
    assert claim["id"] in found
    by_id = {c["id"]: c for c in every}
    assert all(
        all(w.casefold() in by_id[i]["sentence"].casefold() for w in (words[0], words[-1]))
        for i in found
    )


def test_addresses_carry_only_the_filters_in_use(client: TestClient) -> None:
    asked = {"measure": "", "substance": "", "agency": "", "corridor": "", "speaker": "",
             "verdict": "Supported", "q": "", "sort": "id", "order": "asc"}  # fmt: skip
    table = client.get("/claims", params=asked, headers=HTMX)
    assert table.headers["HX-Push-Url"] == "/claims?verdict=supported"
    asked.update(sort="value", order="desc")
    table = client.get("/claims", params=asked, headers=HTMX)
    pushed = urlsplit(table.headers["HX-Push-Url"])
    assert parse_qs(pushed.query) == {
        "verdict": ["supported"],
        "sort": ["value"],
        "order": ["desc"],
    }
    # The pager's links too (every claim: more than one page).
    asked.update(verdict="", sort="id", order="asc")
    page = client.get("/claims", params=asked, headers=HTML).text
    assert re.findall(r'<a rel="next" href="([^"]+)"', page) == ["/claims?page=2"]
    documents = client.get("/documents", params={"q": ""}, headers=HTMX)
    assert documents.headers["HX-Push-Url"] == "/documents"
    documents = client.get("/documents", params={"q": " RCMP "}, headers=HTMX)
    assert documents.headers["HX-Push-Url"] == "/documents?q=RCMP"
