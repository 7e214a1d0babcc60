"""The data explorer in a browser (fixtures in tests/web/browser.py): an address naming an
unknown source or period shows the error and menus to pick from, and picking one shows
that series; CDC WONDER's Wyoming, almost every month of which WONDER suppressed, is drawn
as gaps that the table calls "suppressed"; the overview's deaths chart says which deaths
each country counts.

Figures written by hand come from WONDER's final 2018-2023 export, whose one Wyoming row
is December 2022 with 10 deaths."""

from __future__ import annotations

from typing import Any

from tests.web.browser import expect, shot


def _table(page: Any, chart_id: str) -> tuple[list[str], dict[str, list[str]]]:
    """Headings and rows (by their first cell) of a chart's table, shown by its switch."""
    page.locator(f"label[for='{chart_id}-as-table']").click()
    table = page.locator(f"#{chart_id}-table")
    expect(table).to_be_visible()
    headings = table.locator("thead th").all_text_contents()
    rows = [r.locator("td").all_text_contents() for r in table.locator("tbody tr").all()]
    return headings, {r[0]: r for r in rows}


def test_wyoming_is_drawn_with_gaps_the_table_calls_suppressed(page: Any) -> None:
    page.goto("/data?source=cdc-wonder&jurisdiction=WY")
    page.wait_for_selector("#series-chart .main-svg")
    card = page.locator("#series-chart")
    expect(card.locator("h2.chart-title")).to_contain_text("Wyoming")
    expect(card.locator(".chart-note", has_text="not zero")).to_be_visible()
    expect(card.locator(".chart-source")).to_contain_text("1999_2020")
    shot(page, "data-wonder-wyoming")
    headings, rows = _table(page, "series-chart")
    deaths = headings.index("deaths")
    assert rows["2021"][deaths] == "suppressed" and rows["2022"][deaths] == "10"
    assert rows["2022"][headings.index("state-months suppressed")] == "11"


def test_an_unknown_source_offers_the_menu_and_picking_shows_the_series(page: Any) -> None:
    page.goto("/data?source=foo")
    expect(page.locator("#explorer .error")).to_contain_text("There is no source 'foo'")
    expect(page.locator("#series-chart")).to_have_count(0)
    page.select_option("select[name=source]", "phac")
    page.wait_for_url("**source=phac**")
    expect(page.locator("#series-chart h2.chart-title")).to_contain_text("PHAC")
    expect(page.locator("#explorer .error")).to_have_count(0)


def test_an_unknown_period_offers_the_sources_periods(page: Any) -> None:
    page.goto("/data?source=cdc-vsrr&by=FY")
    expect(page.locator("#explorer .error")).to_contain_text("calendar-year, month")
    expect(page.locator("select[name=by]")).to_have_value("")
    shot(page, "data-unknown-period")
    page.select_option("select[name=by]", "month")
    page.wait_for_url("**by=month**")
    expect(page.locator("#series-chart .chart-subtitle")).to_contain_text("12 months ending")


def test_overview_deaths_chart_says_what_each_country_counts(page: Any) -> None:
    page.goto("/")
    page.wait_for_selector("#deaths-chart .main-svg")
    expect(page.locator("#deaths-chart h2.chart-title")).to_have_text(
        "Overdose deaths: synthetic opioids in the U.S., all opioids in Canada"
    )
    shot(page, "overview-deaths")
