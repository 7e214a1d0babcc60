"""Scenario results a reader can use: numbers in their units (never e-notation), items in
words, the levers in the page address, and CSV/JSON exports of the same table."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from borderflow.model.spec import load_spec
from borderflow.presentation.quantities import (
    DEATHS,
    KG,
    POUNDS,
    RATIO,
    SHARE,
    amount,
    change,
    edge_label,
    interval,
    item_label,
    number,
    percent,
    percent_change,
)
from borderflow.web.app import create_app
from borderflow.web.config import WebConfig
from tests.fits import FIT_THROUGH
from tests.web.conftest import BASE, form_token

HTML = {"accept": "text/html"}
RUN = {"north_resources": "2", "canada_capacity_cut": "0.3"}
E_NOTATION = re.compile(r"\d[eE][+-]?\d")


# -- formatting, with expected strings written by hand -------------------------------------
@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (12345.6, KG, "12,300 kg"),
        (4388.52, KG, "4,390 kg"),
        (44.16, KG, "44.2 kg"),
        (0.85292, KG, "0.853 kg"),
        (999.6, KG, "1,000 kg"),
        (0.0001, KG, "0 kg"),
        (41221.89, DEATHS, "41,200 deaths"),
        (3.3, DEATHS, "3 deaths"),
        (1.2, DEATHS, "1 death"),
        (0.005, SHARE, "0.5%"),
        (0.020838, SHARE, "2.08%"),
        (0.5, SHARE, "50%"),
        (12658.05, POUNDS, "12,700 lb"),
        (-1.77e-15, RATIO, "0"),
        (0.354, RATIO, "0.35"),
        (2.5e20, KG, "250,000,000,000,000,000,000 kg"),
    ],
)
def test_amounts_read_in_their_units(value: float, unit: object, shown: str) -> None:
    assert amount(value, unit) == shown  # type: ignore[arg-type]


def test_changes_are_signed_in_the_same_unit_with_a_percentage() -> None:
    assert change(-44.4965, KG) == "−44.5 kg"
    assert change(1234.5, KG) == "+1,230 kg"
    assert change(0.0, DEATHS) == "0 deaths"
    assert change(-419.52, DEATHS) == "−420 deaths"
    assert change(-0.0082313, SHARE) == "−0.82 pp"  # a share moves in percentage points
    assert interval(-148.7, -14.25, KG, signed=True) == "−149 to −14.3"
    assert interval(-26.97, 3.313, POUNDS, signed=True) == "−27 to +3.31"
    assert percent(percent_change(-44.5, 4388.5)) == "−1%"
    assert percent(percent_change(-0.0082313, 0.0208387)) == "−39.5%"
    assert percent(percent_change(3.0, 20.0)) == "+15%"
    assert percent_change(5.0, 0.0) is None and percent(None) == ""
    assert number(float("nan")) == "n/a"


def test_routes_and_markets_are_named_in_words() -> None:
    spec = load_spec()
    assert edge_label("CA-US-post", spec) == "Canada → United States, by mail"
    assert edge_label("MX-US-bp", spec) == "Mexico → United States, between ports of entry"
    assert edge_label("MX-US-poe", spec) == "Mexico → United States, through ports of entry"
    assert item_label("US", spec) == "United States"
    assert item_label("all cells", spec) == "all CBP locations"
    assert item_label("CA-US-post", spec) == "Canada → United States, by mail"


# -- the page, the fragment and the exports -----------------------------------------------
def _table(html: str) -> list[list[str]]:
    """The scenario table's body as cell texts, tags dropped."""
    body = re.search(r'id="scenario-table".*?<tbody>(.*?)</tbody>', html, re.S)
    assert body, "no scenario table"
    rows = re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S) for row in rows]
    return [[" ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in row] for row in cells]


def _first_number(text: str) -> float:
    found = re.match(r"([−+]?[\d,]+(?:\.\d+)?)", text)
    assert found, text
    return float(found.group(1).replace(",", "").replace("−", "-"))


def test_a_scenario_address_shows_its_table_with_units_and_year(client: TestClient) -> None:
    page = client.get("/model", params=RUN, headers=HTML)
    assert page.status_code == 200
    rows = _table(page.text)
    assert len(rows) >= 8
    text = " ".join(" ".join(r) for r in rows)
    assert not E_NOTATION.search(text)
    assert " kg" in text and " deaths" in text and "%" in text and " pp" in text
    # The scenario year is the fit's last fitted year, named with its fiscal span.
    year = FIT_THROUGH
    assert f"fiscal year {year} (October {year - 1} to September {year})" in page.text
    by_outcome = {(r[0], r[1]): r for r in rows}
    deaths = by_outcome[("Fentanyl overdose deaths", "United States")]
    assert deaths[2].endswith(")") and " deaths (" in deaths[2]
    assert re.fullmatch(r"[\d,]+ deaths \([\d,]+ to [\d,]+\)", deaths[2]), deaths[2]
    share = by_outcome[("Canada's share (%)", "fentanyl reaching the United States")]
    assert 0 < _first_number(share[2]) < 100 and "%" in share[2]  # percent, not a fraction
    # The form is filled with the address's levers.
    assert re.search(r'name="north_resources" value="2"', page.text)
    assert re.search(r'name="canada_capacity_cut" value="0.3"', page.text)


def test_the_exports_carry_the_table_rows(client: TestClient) -> None:
    page = client.get("/model", params=RUN, headers=HTML).text
    rows = _table(page)
    links = {
        fmt: unescape(url) for url, fmt in re.findall(r'href="(/api/v1/[^"]+format=(\w+))"', page)
    }
    assert set(links) == {"csv", "json"}
    assert "north_resources=2" in links["csv"] and "canada_capacity_cut=0.3" in links["csv"]
    download = client.get(links["csv"])
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"]
    records = list(csv.DictReader(io.StringIO(download.text)))
    assert not E_NOTATION.search(download.text)
    assert [(r["where"]) for r in records] == [row[1] for row in rows]
    for record, row in zip(records, rows, strict=True):
        assert row[0].startswith(record["outcome"])
        assert record["fiscal_year"] == str(FIT_THROUGH)
        assert float(record["scenario_median"]) == _first_number(row[3])
        if record["baseline_median"]:
            assert float(record["baseline_median"]) == _first_number(row[2])
            assert float(record["change_median"]) == _first_number(row[4])
        # The route-choice share: a whole percentage in the table, the same in the file.
        if record["route_share_percent"]:
            assert row[6] == f"{float(record['route_share_percent']):.0f}%"
            assert 0 <= float(record["route_share_percent"]) <= 100
        else:
            assert row[6] == ""
    assert any(r["route_share_percent"] for r in records)
    assert 'id="route-share-note"' in page and "own judgement" in page
    answer = client.get(links["json"]).json()
    assert answer["fiscal_year"] == FIT_THROUGH and answer["levers"]["north_resources"] == 2.0
    assert [r["where"] for r in answer["rows"]] == [r["where"] for r in records]
    share = next(r for r in answer["rows"] if r["quantity"] == "canada_share")
    assert share["unit"] == "%" and share["change_unit"] == "percentage points"
    assert 0 < share["baseline_median"] < 100


def test_an_out_of_range_lever_is_named_with_its_range(client: TestClient) -> None:
    page = client.get("/model", params={"north_resources": "20"}, headers=HTML)
    assert page.status_code == 200
    assert "x (north_resources) must be between 0.5 and 4, not 20" in page.text
    assert 'id="scenario-table"' not in page.text
    assert re.search(r'name="north_resources" value="20"', page.text)  # kept, to correct it
    words = client.get("/model", params={"us_demand": "lots"}, headers=HTML).text
    assert "(us_demand) must be a number between 0.5 and 1.5, not &#39;lots&#39;" in words
    api = client.get("/api/v1/scenarios", params={"north_resources": 20})
    assert api.status_code == 422
    assert "north_resources" in api.json()["error"]["message"]
    assert "4" in api.json()["error"]["message"]


def test_the_form_puts_its_levers_in_the_address(client: TestClient) -> None:
    token = form_token(client, "/model")
    sent = {"postal_screening": "2", "csrf_token": token}
    fragment = client.post("/fragments/scenario", data=sent, headers={**HTML, "HX-Request": "true"})
    assert fragment.status_code == 200 and 'id="scenario-table"' in fragment.text
    pushed = fragment.headers["HX-Push-Url"]
    assert pushed.startswith("/model?") and "postal_screening=2" in pushed
    # The pushed address shows the same table.
    assert _table(client.get(pushed, headers=HTML).text) == _table(fragment.text)
    # A plain form post (no script) lands on that address.
    plain = client.post("/fragments/scenario", data=sent, headers=HTML, follow_redirects=False)
    assert plain.status_code == 303 and plain.headers["location"] == pushed


@pytest.fixture(scope="module")
def exposed(web_url: str) -> Iterator[TestClient]:
    app = create_app(WebConfig(web_url, host="0.0.0.0", token="s3cret"))
    with TestClient(app, base_url=BASE) as test_client:
        yield test_client


def test_beyond_loopback_a_new_scenario_needs_the_token(exposed: TestClient) -> None:
    levers = {"southwest_resources": "1.5"}
    page = exposed.get("/model", params=levers, headers=HTML).text
    assert 'id="scenario-pending"' in page and 'id="scenario-table"' not in page
    assert re.search(r'name="southwest_resources" value="1.5"', page)
    refused = exposed.get("/api/v1/scenarios", params={**levers, "format": "csv"})
    assert refused.status_code == 401
    # Someone with the token runs it; then its address and export answer for anyone.
    token = form_token(exposed, "/model")
    ran = exposed.post(
        "/fragments/scenario", data={**levers, "token": "s3cret", "csrf_token": token},
        headers={**HTML, "HX-Request": "true"},
    )  # fmt: skip
    assert ran.status_code == 200 and 'id="scenario-table"' in ran.text
    shown = exposed.get(ran.headers["HX-Push-Url"], headers=HTML).text
    assert _table(shown) == _table(ran.text)
    assert exposed.get("/api/v1/scenarios", params={**levers, "format": "csv"}).status_code == 200


def test_no_fit_no_scenario(tmp_path: Path) -> None:
    app = create_app(WebConfig(f"sqlite:///{tmp_path / 'empty.db'}"))
    with TestClient(app, base_url=BASE) as empty:
        answer = empty.get("/api/v1/scenarios", params={"north_resources": 2})
        assert answer.status_code == 409 and "model fit" in answer.json()["error"]["message"]
        page = empty.get("/model", params={"north_resources": "2"}, headers=HTML)
        assert page.status_code == 200 and "No model fit" in page.text


def test_a_change_against_the_medians_is_marked() -> None:
    """Canada's share 2.08% -> 2.13% while most draws fall by 0.05 pp: the columns and the
    change disagree in sign, and the row says so rather than look like an error."""
    from borderflow.presentation.quantities import ScenarioRow, Summary, outcome

    def row(base: float, result: float, moved: float) -> ScenarioRow:
        return ScenarioRow(
            "your scenario", "canada_share", "US", outcome("canada_share"), "United States",
            2025, Summary(base, base / 2, base * 2), Summary(result, result / 2, result * 2),
            Summary(moved, moved * 2, moved / 2),
        )  # fmt: skip

    against = row(0.0208, 0.0213, -0.0005)
    assert against.medians_disagree and against.cells()["change_mark"] == "†"
    along = row(0.0208, 0.0203, -0.0005)
    assert not along.medians_disagree and along.cells()["change_mark"] == ""
