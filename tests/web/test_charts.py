"""The pages' charts without a browser: what the overview's deaths chart plots (CDC's
reported counts, the figures the checks cite) and how it draws Canada's partial year;
the seizures view as an address; every chart's source line, table and downloads; the
explorer's table formatted for reading while its exports stay raw.

Figures written here by hand come from the agencies' files: CDC VSRR's national count of
synthetic-opioid deaths in the 12 months ending December 2023 is 74,091 reported and
74,792 predicted; PHAC's 2025 figures cover January to September."""

from __future__ import annotations

import html
import json
import re
from typing import Any

from fastapi.testclient import TestClient

from borderflow.checks.data import load_official
from borderflow.store import Store

HTML = {"accept": "text/html"}


def _card(page: str, chart_id: str) -> str:
    """The markup of one chart card."""
    start = page.index(f'<figure class="chart-card" id="{chart_id}"')
    return page[start : page.index("</figure>", start)]


def _figure(card: str) -> dict[str, Any]:
    found = re.search(r"<script type=\"application/json\" data-chart>(.*?)</script>", card, re.S)
    assert found, "no figure in the card"
    figure: dict[str, Any] = json.loads(found.group(1))
    return figure


def _texts(card: str, cls: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(rf'<p class="{cls}">(.*?)</p>', card, re.S)]


def _links(card: str) -> dict[str, str]:
    links = re.findall(r'<a href="([^"]+)"(?: download)?>([^<]+)</a>', card)
    return {label: html.unescape(href) for href, label in links}


def test_overview_deaths_chart_plots_the_reported_counts_checks_cite(
    client: TestClient, web_url: str
) -> None:
    card = _card(client.get("/", headers=HTML).text, "deaths-chart")
    traces = {t["name"]: t for t in _figure(card)["data"]}
    us = next(t for name, t in traces.items() if name.startswith("U.S."))
    assert "reported" in us["name"]
    plotted = dict(zip(us["x"], us["y"], strict=True))
    assert plotted["2023"] == 74091  # reported; predicted would be 74,792
    with Store.open(web_url) as store:
        cited = load_official(store).us_deaths
    assert {int(year): deaths for year, deaths in plotted.items()} == cited
    # Canada's nine months of 2025 stand apart, named with their months.
    partial = traces["Canada: 2025, Jan–Sep only"]
    assert partial["x"] == ["2025"] and "lines" not in partial["mode"]
    line = traces["Canada (PHAC)"]
    assert "2025" not in line["x"] and "2024" in line["x"]
    notes = " ".join(_texts(card, "chart-note"))
    assert "reported" in notes and "predicted" in notes and "2025, Jan–Sep only" in notes
    assert "2025" in card and "Jan–Sep only" in card  # the table says so too


def test_the_seizures_view_is_an_address(client: TestClient) -> None:
    land = _card(client.get("/?seizures=land", headers=HTML).text, "seizures-chart")
    assert "land ports and between ports only" in land
    assert re.search(r'href="/\?seizures=land"[^>]*aria-current="true"', land)
    every = _card(client.get("/", headers=HTML).text, "seizures-chart")
    assert "all CBP locations" in every and "land ports" not in every
    assert re.search(r'href="/"[^>]*aria-current="true"', every)
    assert _figure(land)["data"] != _figure(every)["data"]
    for flag, pushed in (("true", "/?seizures=land"), ("false", "/")):
        fragment = client.get(f"/fragments/seizures?land_only={flag}", headers=HTML)
        assert fragment.headers["HX-Push-Url"] == pushed
        assert "<html" not in fragment.text and 'id="seizures-chart"' in fragment.text


def test_every_chart_names_its_files_and_downloads_its_table(client: TestClient) -> None:
    pages = {
        "/": ("seizures-chart", "deaths-chart", "share-chart"),
        "/?seizures=land": ("seizures-chart",),
        "/data?source=phac": ("series-chart",),
    }
    for address, ids in pages.items():
        page = client.get(address, headers=HTML).text
        for chart_id in ids:
            card = _card(page, chart_id)
            assert re.search(r'<h2 class="chart-title"[^>]*>\w', card), (address, chart_id)
            (source,) = _texts(card, "chart-source")
            named = ".csv" in source or "release files" in source
            assert source.startswith("Source") and named, (address, chart_id, source)
            rows = card.split("<tbody>", 1)[1].count("<tr>")
            links = _links(card)
            csv = client.get(links["Download CSV"])
            assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
            assert len(csv.text.strip().splitlines()) == rows + 1, (address, chart_id)
            items = client.get(links["JSON"]).json()["items"]
            assert len(items) == rows


def test_the_chart_route_refuses_an_unknown_chart(client: TestClient) -> None:
    assert client.get("/api/v1/charts/nowhere").status_code == 422
    land = client.get("/api/v1/charts/seizures", params={"land_only": "true"}).json()
    assert "land ports and between ports only" in land["subtitle"]
    assert land["sources"] and land["columns"][0] == ["period", "period"]


def test_explorer_table_reads_as_numbers_and_exports_stay_raw(client: TestClient) -> None:
    page = client.get("/data", params={"source": "cdc-vsrr"}, headers=HTML).text
    card = _card(page, "series-chart")
    assert "Deaths involving synthetic opioids" in card
    assert "Deaths per calendar year." in card
    table = card.split("<tbody>", 1)[1]
    assert '<td class="num">74,091</td>' in table and '<td class="num">74,792</td>' in table
    assert "74091.0" not in table and "False" not in table and "True" not in table
    csv_url = _links(card)["Download CSV"]
    assert "74091.0" in client.get(csv_url).text
    phac = _card(client.get("/data", params={"source": "phac"}, headers=HTML).text, "series-chart")
    row = next(r for r in phac.split("<tr>") if r.startswith("<td>2025</td>"))
    assert "Jan–Sep only" in row and "4,162" in row
