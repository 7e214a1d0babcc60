"""The data explorer never shows another series than the one asked for, and a blank is
never a zero: a source named in any case or by a former name, an unknown source or period
and another source's filter answered with an error listing the valid ones (the form's
menus still offered); CDC WONDER periods whose every state-month was suppressed left
blank in the page, the CSV and the JSON, with the count of suppressed cells; titles in the
publisher's words (CBP's "Heroin", the overview's two different death counts).

Figures written by hand come from the agencies' files: WONDER's final 2018-2023 export
has one row for Wyoming (December 2022, 10 deaths), the 1999-2020 export none; PHAC
gives Nunavut's deaths as "Suppr." for 2019 to 2022 and "n/a" for 2024 and 2025."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from borderflow.datasets.importer import import_files
from borderflow.store import Store
from borderflow.web.app import create_app
from borderflow.web.config import WebConfig
from tests.web.conftest import BASE

HTML = {"accept": "text/html"}
WONDER_FILES = (
    "cdc/Multiple_Cause_of_Death_1999_2020_MANUAL_DOWNLOAD.csv",
    "cdc/Multiple_Cause_of_Death_2018_2023_Single_Race_MANUAL_DOWNLOAD.csv",
)
OTHER_FILES = ("cbp/nationwide-drugs-fy23-fy26-dec.csv", "phac/SubstanceHarmsData.csv")


@pytest.fixture(scope="module")
def official(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[TestClient]:
    """The app over a store of agency files the bundled reference data leave out: both
    final WONDER exports, one whole CBP release and PHAC's every province."""
    url = f"sqlite:///{tmp_path_factory.mktemp('explorer') / 'explorer.db'}"
    with Store.open(url) as store:
        _, errors = import_files(store, [data_dir / f for f in (*WONDER_FILES, *OTHER_FILES)])
        assert not errors
    with TestClient(create_app(WebConfig(url)), base_url=BASE) as client:
        yield client


def _error(page: str) -> str | None:
    found = re.search(r'<p class="error">(.*?)</p>', page, re.S)
    return html.unescape(found.group(1)) if found else None


def _title(page: str) -> str:
    found = re.search(r'<h2 class="chart-title"[^>]*>(.*?)</h2>', page, re.S)
    assert found, "no chart on the page"
    return html.unescape(found.group(1))


def _selected(page: str, name: str) -> str | None:
    """The value of the option chosen in the form's menu `name`."""
    menu = page.split(f'<select name="{name}">', 1)[1].split("</select>", 1)[0]
    found = re.search(r'<option (?:value="([^"]*)" )?selected>([^<]*)<', menu)
    return (
        None
        if found is None
        else (found.group(1) if found.group(1) is not None else found.group(2))
    )


def _options(page: str, name: str) -> list[str]:
    menu = page.split(f'<select name="{name}">', 1)[1].split("</select>", 1)[0]
    return [html.unescape(t) for t in re.findall(r"<option[^>]*>([^<]*)</option>", menu)]


def _rows(page: str) -> dict[str, list[str]]:
    """The chart table's rows by their first cell."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", r) for r in body.split("<tr>")[1:]]
    return {r[0]: [html.unescape(c) for c in r] for r in rows}


def _headings(page: str) -> list[str]:
    head = page.split("<thead>", 1)[1].split("</thead>", 1)[0]
    return [html.unescape(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", head)]


def _figure(page: str) -> dict[str, Any]:
    found = re.search(r"<script type=\"application/json\" data-chart>(.*?)</script>", page, re.S)
    assert found, "no figure on the page"
    figure: dict[str, Any] = json.loads(found.group(1))
    return figure


# -- which series: the source, the period, the filters ------------------------------------------
def test_a_source_is_matched_without_case_and_by_its_former_name(client: TestClient) -> None:
    for asked in ("PHAC", "Phac", "canada-deaths"):
        page = client.get("/data", params={"source": asked}, headers=HTML).text
        assert _error(page) is None, asked
        assert "PHAC" in _title(page) and _selected(page, "source") == "phac", asked


def test_a_province_by_code_in_a_source_named_in_capitals(official: TestClient) -> None:
    """Once read as CBP's, whose regions have no "BC"."""
    page = official.get("/data", params={"source": "Phac", "region": "BC"}, headers=HTML).text
    assert _error(page) is None and _title(page).endswith("British Columbia")


def test_an_unknown_source_is_an_error_naming_the_sources(client: TestClient) -> None:
    for asked in ("foo", "cdc"):
        page = client.get("/data", params={"source": asked}, headers=HTML).text
        error = _error(page)
        assert error is not None and repr(asked) in error, asked
        assert all(name in error for name in ("cbp", "cdc-vsrr", "cdc-wonder", "phac"))
        assert 'class="chart-card"' not in page  # no CBP chart under another name
        # The source menu is still there to pick from, with nothing chosen yet.
        assert _selected(page, "source") == ""
        assert "Canadian apparent opioid toxicity deaths (PHAC)" in _options(page, "source")


def test_an_unknown_period_is_an_error_naming_the_sources_periods(client: TestClient) -> None:
    for params, valid in (
        ({"by": "week"}, ("fy", "calendar-year", "quarter", "month")),
        ({"by": "calendar"}, ("fy", "calendar-year", "quarter", "month")),
        ({"source": "cdc-vsrr", "by": "FY"}, ("calendar-year", "month")),
    ):
        page = client.get("/data", params=params, headers=HTML).text
        error = _error(page)
        assert error is not None and repr(params["by"]) in error, params
        assert all(p in error for p in valid), (params, error)
        assert 'class="chart-card"' not in page
        assert _options(page, "by") == ["choose a period", *valid]
    # A period's name in other capitals is that period, not the source's default.
    page = client.get("/data", params={"by": "Month"}, headers=HTML).text
    assert _error(page) is None and "per month" in page and _selected(page, "by") == "month"


def test_another_sources_filter_in_the_address_is_an_error(client: TestClient) -> None:
    page = client.get("/data", params={"source": "phac", "jurisdiction": "ON"}, headers=HTML).text
    error = _error(page)
    assert error is not None and "'jurisdiction'" in error and "region" in error
    assert 'class="chart-card"' not in page and _selected(page, "source") == "phac"
    # The form switching source (it names the one on screen) drops the old one's filters.
    switched = client.get(
        "/fragments/series",
        params={"shown": "cdc-vsrr", "source": "phac", "jurisdiction": "US", "by": "month"},
        headers=HTML,
    )
    assert _error(switched.text) is None and "PHAC" in _title(switched.text)
    assert switched.headers["HX-Push-Url"] == "/data?source=phac"


# -- blanks are not zeros -------------------------------------------------------------------------
def test_wyoming_years_wonder_suppressed_are_blank_not_zero(official: TestClient) -> None:
    page = official.get(
        "/data", params={"source": "cdc-wonder", "jurisdiction": "WY"}, headers=HTML
    ).text
    assert _error(page) is None and "Wyoming" in _title(page)
    heads, rows = _headings(page), _rows(page)
    deaths, cut = heads.index("deaths"), heads.index("state-months suppressed")
    assert rows["2021"][deaths] == "suppressed" and rows["2021"][cut] == "12"
    assert rows["2022"][deaths] == "10" and rows["2022"][cut] == "11"
    assert all(r[deaths] != "0" for r in rows.values())
    plotted = dict(zip(*(_figure(page)["data"][0][k] for k in ("x", "y")), strict=True))
    assert plotted["2021"] is None and plotted["2022"] == 10
    notes = " ".join(re.findall(r'<p class="chart-note">(.*?)</p>', page, re.S))
    assert "lower bound" in notes and "1999–2021, 2023" in notes and "not zero" in notes
    # The blanks come from the 1999-2020 file as much as the one row from 2018-2023.
    source = html.unescape(page.split('class="chart-source">', 1)[1].split("</p>", 1)[0])
    assert all(Path(f).name in source for f in WONDER_FILES), source

    url = "/api/v1/series/cdc-wonder"
    table = official.get(url, params={"jurisdiction": "WY", "format": "csv"}).text
    by_year = {r["period"]: r for r in csv.DictReader(io.StringIO(table))}
    assert by_year["2021"]["value"] == "" and by_year["2021"]["suppressed_cells"] == "12"
    assert float(by_year["2022"]["value"]) == 10 and by_year["2022"]["suppressed_cells"] == "11"
    items = {
        i["period"]: i for i in official.get(url, params={"jurisdiction": "WY"}).json()["items"]
    }
    assert items["2021"]["value"] is None and items["2021"]["suppressed"] is True
    assert (items["2022"]["value"], items["2022"]["suppressed_cells"]) == (10, 11)


def test_nunavuts_blanks_say_why_and_draw_no_legend(official: TestClient) -> None:
    page = official.get("/data", params={"source": "phac", "region": "Nunavut"}, headers=HTML).text
    heads, rows = _headings(page), _rows(page)
    deaths = heads.index("deaths")
    assert rows["2020"][deaths] == "suppressed"
    assert rows["2024"][deaths] == "not available" and rows["2025"][deaths] == "not available"
    notes = " ".join(re.findall(r'<p class="chart-note">(.*?)</p>', page, re.S))
    assert "2024, 2025" in notes and "2019–2022" in notes
    # Nothing of 2025 is drawn, so no legend entry or note speaks of its part-year point.
    legend = [t["name"] for t in _figure(page)["data"] if t.get("showlegend") is not False]
    assert legend == ["deaths"] and "drawn apart" not in notes


# -- titles in the publisher's words --------------------------------------------------------------
def test_cbp_heroin_is_titled_heroin(official: TestClient) -> None:
    for asked in ("Heroin", "opioids"):
        page = official.get(
            "/data", params={"source": "cbp", "substance": asked}, headers=HTML
        ).text
        title = _title(page)
        assert "heroin" in title.lower() and "opioid" not in title.lower(), title
        assert "Heroin" in _options(page, "substance")
        assert not any("opioids" in o for o in _options(page, "substance"))
    answer = official.get("/api/v1/series/cbp", params={"substance": "heroin"}).json()
    assert "heroin" in answer["title"] and answer["labels"]["substance"] == "Heroin"


def test_overview_deaths_title_names_both_measures(client: TestClient) -> None:
    page = client.get("/", headers=HTML).text
    card = page.split('id="deaths-chart"', 1)[1]
    title = html.unescape(card.split('class="chart-title"', 1)[1].split("</h2>", 1)[0])
    assert "synthetic opioids in the U.S." in title and "all opioids in Canada" in title
