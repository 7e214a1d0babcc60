"""Charts as a reader meets them in a browser (fixtures in tests/web/browser.py): what the
data explorer plots and over which periods, partial years drawn apart and named, CDC
WONDER sums marked as short by their suppressed cells, and around every chart an HTML
title, a source line naming the release file, a Chart | Table switch showing the same
numbers, a CSV download and no toolbar; the overview's seizures view as an address.

Figures written by hand come from the agencies' files (CDC VSRR: 74,091 synthetic-opioid
deaths reported in the 12 months ending December 2023; PHAC's 2025 covers Jan to Sep)."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.web.browser import expect, shot


def _figure(page: Any, chart_id: str) -> dict[str, Any]:
    """The figure the page hands Plotly for one chart."""
    text = page.locator(f"#{chart_id} script[data-chart]").text_content()
    figure: dict[str, Any] = json.loads(text)
    return figure


def _number(cell: str) -> float | None:
    cell = cell.strip().replace(",", "")
    return float(cell) if re.fullmatch(r"-?\d+(\.\d+)?", cell) else None


def _table(page: Any, chart_id: str) -> tuple[list[str], list[list[str]]]:
    """Headings and cells of a chart's table, once the Table view shows it."""
    page.locator(f"label[for='{chart_id}-as-table']").click()
    table = page.locator(f"#{chart_id}-table")
    expect(table).to_be_visible()
    expect(page.locator(f"#{chart_id} .chart-plot")).to_be_hidden()
    headings = table.locator("thead th").all_text_contents()
    rows = [r.locator("td").all_text_contents() for r in table.locator("tbody tr").all()]
    page.locator(f"label[for='{chart_id}-as-chart']").click()
    expect(page.locator(f"#{chart_id} .chart-plot")).to_be_visible()
    return headings, rows


def _drawn(page: Any, chart_id: str) -> None:
    page.wait_for_selector(f"#{chart_id} .main-svg")


def test_cdc_vsrr_chart_plots_deaths_by_year(page: Any) -> None:
    page.goto("/data?source=cdc-vsrr")
    _drawn(page, "series-chart")
    card = page.locator("#series-chart")
    expect(card.locator("h2.chart-title")).to_contain_text("Deaths involving synthetic opioids")
    expect(card.locator(".chart-subtitle")).to_contain_text("per calendar year")
    years = card.locator(".xtick text").all_text_contents()
    assert years and all(re.fullmatch(r"\d{4}", y) for y in years), years
    figure = _figure(page, "series-chart")
    headings, rows = _table(page, "series-chart")
    deaths = {r[0]: _number(r[headings.index("deaths")]) for r in rows}
    plotted = {x: y for t in figure["data"] for x, y in zip(t["x"], t["y"], strict=True)}
    assert plotted == deaths and deaths["2023"] == 74091
    shot(page, "data-cdc-vsrr")


def test_switching_source_takes_the_new_sources_own_period(page: Any) -> None:
    page.goto("/data?source=cbp&by=fy")
    _drawn(page, "series-chart")
    expect(page.locator("#series-chart .chart-subtitle")).to_contain_text("U.S. fiscal year")
    page.select_option("select[name=source]", "cdc-vsrr")
    page.wait_for_url("**source=cdc-vsrr**")
    assert "by=fy" not in page.url
    expect(page.locator("select[name=by]")).to_have_value("calendar-year")
    expect(page.locator("#series-chart .chart-subtitle")).to_contain_text("per calendar year")
    _drawn(page, "series-chart")
    ticks = page.locator("#series-chart .xtick text").all_text_contents()
    assert ticks and all(re.fullmatch(r"\d{4}", t) for t in ticks), ticks


def test_phac_partial_year_is_drawn_apart_and_named(page: Any) -> None:
    page.goto("/data?source=phac")
    _drawn(page, "series-chart")
    legend = page.locator("#series-chart .legendtext").all_text_contents()
    assert "2025, Jan–Sep only" in legend, legend
    traces = _figure(page, "series-chart")["data"]
    apart = next(t for t in traces if t["name"] == "2025, Jan–Sep only")
    assert apart["x"] == ["2025"] and apart["mode"] == "markers"
    assert all("2025" not in t["x"] for t in traces if t is not apart)
    expect(page.locator("#series-chart .chart-note").first).to_contain_text("Jan–Sep only")
    headings, rows = _table(page, "series-chart")
    assert rows[-1][0] == "2025" and rows[-1][headings.index("partial")] == "Jan–Sep only"
    assert all(r[headings.index("partial")] == "" for r in rows[:-1])
    shot(page, "data-phac")


def test_overview_deaths_chart_plots_reported_counts_and_canadas_part_year(page: Any) -> None:
    page.goto("/")
    _drawn(page, "deaths-chart")
    legend = " | ".join(page.locator("#deaths-chart .legendtext").all_text_contents())
    assert "reported" in legend and "Canada: 2025, Jan–Sep only" in legend, legend
    headings, rows = _table(page, "deaths-chart")
    by_year = {r[0]: r for r in rows}
    assert by_year["2023"][headings.index("U.S. deaths, reported")] == "74,091"
    # The checks cite the same count.
    checks = page.request.get("/api/v1/checks", params={"per_page": 100}).json()["items"]
    assert any("74,091" in (c.get("explanation") or "") for c in checks)
    shot(page, "overview")


def test_wonder_sums_carry_their_suppressed_cells(page: Any) -> None:
    page.goto("/data?source=cdc-wonder")
    _drawn(page, "series-chart")
    note = page.locator("#series-chart .chart-note", has_text="suppresses counts under 10")
    expect(note).to_be_visible()
    trace = _figure(page, "series-chart")["data"][0]
    assert trace["error_y"]["array"] and min(trace["error_y"]["array"]) > 0
    assert "state-months" in trace["name"]
    headings, _ = _table(page, "series-chart")
    assert "state-months suppressed" in headings and "deaths left out, at most" in headings
    shot(page, "data-wonder")


def test_every_chart_has_title_source_table_and_download(page: Any) -> None:
    for address in ("/", "/data?source=cbp&region=Northern+Border"):
        page.goto(address)
        ids = [c.get_attribute("id") for c in page.locator("figure.chart-card").all()]
        assert len(ids) == (3 if address == "/" else 1), ids
        for chart_id in ids:
            _drawn(page, chart_id)
            card = page.locator(f"#{chart_id}")
            expect(card.locator("h2.chart-title")).not_to_be_empty()
            source = card.locator(".chart-source").text_content() or ""
            assert re.search(r"release files? \S+\.csv|run \d+", source), source
            # Same numbers in the table as in the chart (to the table's decimals).
            figure = _figure(page, chart_id)
            _, rows = _table(page, chart_id)
            shown = {n for r in rows for c in r if (n := _number(c)) is not None}
            for trace in figure["data"]:
                for y in trace.get("y") or []:
                    if y is not None:
                        assert any(abs(y - n) <= 0.006 + 1e-9 * abs(y) for n in shown), y
            csv = page.request.get(
                card.get_by_role("link", name="Download CSV").get_attribute("href")
            )
            assert csv.ok and csv.headers["content-type"].startswith("text/csv")
        # No toolbar over the titles.
        assert page.locator(".modebar-btn").count() == 0


def test_the_land_border_view_is_an_address(page: Any) -> None:
    page.goto("/?seizures=land")
    _drawn(page, "seizures-chart")
    card = page.locator("#seizures-chart")
    expect(card.locator(".chart-subtitle")).to_contain_text("land ports and between ports only")
    expect(card.get_by_role("link", name="Land border only")).to_have_attribute(
        "aria-current", "true"
    )
    page.get_by_role("link", name="All CBP locations").click()
    page.wait_for_url(re.compile(r"/$"))
    expect(page.locator("#seizures-chart .chart-subtitle")).to_contain_text("all CBP locations")
    _drawn(page, "seizures-chart")
    page.get_by_role("link", name="Land border only").click()
    page.wait_for_url("**/?seizures=land")
    expect(page.locator("#seizures-chart .chart-subtitle")).to_contain_text("land ports")
    _drawn(page, "seizures-chart")
    # Back and forward show each view again, charts drawn (and nothing the policy refuses).
    page.go_back()
    page.wait_for_url(re.compile(r"/$"))
    expect(page.locator("#seizures-chart .chart-subtitle")).to_contain_text("all CBP locations")
    _drawn(page, "seizures-chart")
    page.go_forward()
    page.wait_for_url("**/?seizures=land")
    expect(page.locator("#seizures-chart .chart-subtitle")).to_contain_text("land ports")
    _drawn(page, "seizures-chart")
    # Last: a screenshot leaves an empty style attribute on the radio inputs, which HTMX
    # would copy while swapping (refused by the page's policy; no reader's browser does it).
    shot(page, "overview-land")
