"""The model page in a browser: a scenario run is a link, its table reads in units with
its year, and its exports carry the same rows."""

from __future__ import annotations

import csv
import io
import re
from typing import Any
from urllib.parse import parse_qs, urlparse

from tests.fits import FIT_THROUGH
from tests.web.browser import shot

E_NOTATION = re.compile(r"\d[eE][+-]?\d")


def _rows(page: Any) -> list[list[str]]:
    table = page.locator("#scenario-table tbody tr")
    return [
        [" ".join(cell.split()) for cell in row.locator("th, td").all_inner_texts()]
        for row in table.all()
    ]


def test_a_scenario_is_a_link_with_readable_results(page: Any, browser: Any, server: str) -> None:
    page.goto("/model")
    page.fill("input[name=north_resources]", "2")
    page.fill("input[name=canada_capacity_cut]", "0.3")
    page.get_by_role("button", name="Run scenario").click()
    page.wait_for_selector("#scenario-table", timeout=60_000)
    # The address bar now states the scenario.
    query = parse_qs(urlparse(page.url).query)
    assert urlparse(page.url).path == "/model"
    assert query["north_resources"] == ["2"] and query["canada_capacity_cut"] == ["0.3"]
    table = page.locator("#scenario-table").inner_text()
    assert "e+" not in table and not E_NOTATION.search(table)
    for unit in (" kg", " deaths", "%", " pp"):
        assert unit in table, unit
    assert f"fiscal year {FIT_THROUGH}" in table  # the fit's last fitted year
    assert "delivered_kg" not in table and "CA of US supply" not in table  # words, not ids
    rows = _rows(page)
    assert len(rows) >= 8
    shot(page, "model-scenario")

    # The same address in a fresh browser shows the same table, the form filled in.
    fresh = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    try:
        again = fresh.new_page()
        again.goto(page.url)
        again.wait_for_selector("#scenario-table")
        assert _rows(again) == rows
        assert again.input_value("input[name=north_resources]") == "2"
        assert again.input_value("input[name=canada_capacity_cut]") == "0.3"
    finally:
        fresh.close()

    # The CSV and JSON links answer with the table's rows.
    exports = page.locator("#scenario-exports")
    csv_url = exports.get_by_role("link", name="CSV", exact=True).get_attribute("href")
    json_url = exports.get_by_role("link", name="JSON", exact=True).get_attribute("href")
    assert "north_resources=2" in csv_url and "format=csv" in csv_url
    records = list(csv.DictReader(io.StringIO(page.request.get(csv_url).text())))
    assert [r["where"] for r in records] == [row[1] for row in rows]
    assert [r["outcome"] for r in records] == [row[0].split(" (")[0] for row in rows]
    answer = page.request.get(json_url).json()
    assert [(r["outcome"], r["where"]) for r in answer["rows"]] == [
        (r["outcome"], r["where"]) for r in records
    ]
    assert answer["fiscal_year"] == FIT_THROUGH


def test_an_invalid_lever_in_the_address_says_which_and_its_range(page: Any) -> None:
    page.goto("/model?us_demand=3")
    message = page.locator("#scenario-error")
    assert "U.S. demand, x (us_demand) must be between 0.5 and 1.5, not 3" in message.inner_text()
    assert page.locator("#scenario-table").count() == 0
