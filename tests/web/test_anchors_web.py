"""The published anchors on the model page, in the API, in the report and in the CLI's
summary line: every anchor of anchors.yaml by its statement and source, its result in
words, and a tally that agrees with the checks worked out here from the fit's own draws.
Uses the web tests' fitted store (no fit of its own)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from borderflow.model.anchors import Anchor, AnchorCheck, check, load_anchors
from borderflow.model.api import last_fit
from borderflow.presentation.anchors import AnchorsView
from borderflow.report.build import render_report
from borderflow.store import Store
from borderflow.web.app import create_app
from borderflow.web.config import WebConfig
from tests.web.conftest import BASE

HTML = {"accept": "text/html"}
WORDS = {True: "pass", False: "fail", None: "not checked"}
RECORD_FIELDS = {
    "id", "quantity", "fy", "kind", "fitted_data", "range_low", "range_high", "median", "low",
    "high", "inside", "result", "rule", "statement", "reading", "source",
}  # fmt: skip


@pytest.fixture(scope="module")
def checks(web_url: str) -> list[AnchorCheck]:
    """The bundled anchors against the fit in use, worked out here, not by the app."""
    with Store.open(web_url) as store:
        return check(last_fit(store))


def _row(html: str, anchor_id: str) -> str:
    return html.split(f'<tr id="anchor-{anchor_id}">', 1)[1].split("</tr>", 1)[0]


def _section(html: str) -> str:
    """The anchors' part of a page or report: from its heading to the end of its table."""
    return html.split('id="anchors"', 1)[1].split("</table>", 1)[0]


def _counts(found: list[AnchorCheck]) -> tuple[int, int, int, int, int]:
    """(passed, failed, total, independent checked, independent passed)."""
    independent = [c for c in found if not c.anchor.fitted and c.passed is not None]
    return (
        sum(c.passed is True for c in found), sum(c.passed is False for c in found),
        len(found), len(independent), sum(c.passed is True for c in independent),
    )  # fmt: skip


def _summary_counts(section: str) -> tuple[int, int, int, int, int]:
    head = re.search(
        r'id="anchors-summary"><strong>(\d+) of (\d+) pass(?:es)?, (\d+) fails?', section
    )
    tail = re.search(r"of the (\d+) (?:checked that )?the model does not fit, (\d+) pass", section)
    assert head and tail, section[:400]
    return int(head[1]), int(head[3]), int(head[2]), int(tail[1]), int(tail[2])


def _assert_rows(section: str, found: list[AnchorCheck], *, links: bool) -> None:
    anchors = load_anchors()
    assert section.count('<tr id="anchor-') == len(anchors) == len(found)
    for anchor, result in zip(anchors, found, strict=True):
        assert result.anchor.id == anchor.id
        row = _row(section, anchor.id)
        assert re.search(rf'<span class="verdict [\w-]+">{WORDS[result.passed]}</span>', row)
        assert str(escape(anchor.statement)) in row and f"FY{anchor.year}" in row
        assert str(escape(anchor.source.publisher)) in row
        assert str(escape(anchor.source.title)) in row
        if links:
            assert f'<a href="{escape(anchor.source.url)}"' in row
        else:  # the report names the address but links nowhere (it opens offline)
            assert str(escape(anchor.source.url)) in row and "<a " not in row
        assert str(escape(result.rule)) in row
        assert ("not independent evidence" in row) == anchor.fitted
        if result.passed is not None:
            assert ("predictive" in row.split("Rule:", 1)[0]) == ("predictive" in result.rule)


def test_the_model_page_lists_every_anchor_with_its_result_and_source(
    client: TestClient, checks: list[AnchorCheck]
) -> None:
    page = client.get("/model", headers=HTML).text
    section = _section(page)
    assert "Published figures the fit is checked against" in section
    _assert_rows(section, checks, links=True)
    assert _summary_counts(section) == _counts(checks)
    # Kilmer et al.'s ceiling on U.S. consumption reads in kilograms, shares in percent.
    kilmer = _row(section, "kilmer-2021-us-consumption")
    assert "at most 10,000 kg" in kilmer and re.search(r"\d kg <span", kilmer)
    assert "at least 50%" in _row(section, "dea-2022-mexico-primary")


def test_a_failing_and_an_unchecked_anchor_say_so_in_words(web_url: str) -> None:
    """Anchors that surely fail (a ceiling of 1 kg on U.S. consumption) and cannot be
    checked (a year no fit covers), put where the page keeps its anchors."""
    with Store.open(web_url) as store:
        posterior = last_fit(store)
    kilmer: Anchor = next(a for a in load_anchors() if a.id == "kilmer-2021-us-consumption")
    impossible = replace(kilmer, id="test-ceiling", high=1.0, fitted=False)
    elsewhere = replace(kilmer, id="test-elsewhere", year=1990, fitted=False)
    view = AnchorsView.of(check(posterior, (impossible, elsewhere)))
    app = create_app(WebConfig(web_url))
    with TestClient(app, base_url=BASE) as client:
        app.state.borderflow.cached("model:anchors", lambda: view)
        page = client.get("/model", headers=HTML).text
        answer = client.get("/api/v1/model/anchors").json()
    failing = _row(page, "test-ceiling")
    assert '<span class="verdict verdict-contradicted">fail</span>' in failing
    assert "at most 1 kg" in failing
    unchecked = _row(page, "test-elsewhere")
    assert '<span class="verdict verdict-none">not checked</span>' in unchecked
    assert "not in this fit" in unchecked and "FY1990" in unchecked
    assert (
        "0 of 2 pass, 1 fails, 1 not checked (this fit does not cover its year or quantity); "
        "of the 1 checked that the model does not fit, 0 pass."
    ) in page
    assert [r["result"] for r in answer["anchors"]] == ["fail", "not checked"]
    assert answer["summary"]["not_checked"] == 1 and answer["summary"]["failed"] == 1


def test_anchors_are_worked_out_once_not_per_request(
    web_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import borderflow.presentation.anchors as shared

    calls: list[str] = []
    real = shared.anchors_view

    def counted(store: Store) -> AnchorsView:
        calls.append(str(store.engine.url))
        return real(store)

    monkeypatch.setattr(shared, "anchors_view", counted)
    with TestClient(create_app(WebConfig(web_url)), base_url=BASE) as client:
        for _ in range(2):
            assert 'id="anchors-table"' in client.get("/model", headers=HTML).text
        assert client.get("/api/v1/model/anchors").status_code == 200
    assert len(calls) == 1


def test_the_api_returns_every_anchor_record(client: TestClient, checks: list[AnchorCheck]) -> None:
    answer = client.get("/api/v1/model/anchors").json()
    assert answer["model_run"] == client.get("/api/v1/model").json()["id"]
    records = answer["anchors"]
    assert [r["id"] for r in records] == [a.id for a in load_anchors()]
    for record, result in zip(records, checks, strict=True):
        assert set(record) == RECORD_FIELDS
        assert record["result"] == WORDS[result.passed]
        assert record["fitted_data"] is result.anchor.fitted
        assert record["source"] == result.anchor.source.url
        assert record["median"] == pytest.approx(result.median)
        assert record["statement"] == result.anchor.statement
    summary = answer["summary"]
    passed, failed, total, independent, independent_passed = _counts(checks)
    assert (summary["passed"], summary["failed"], summary["total"]) == (passed, failed, total)
    assert (summary["independent"], summary["independent_passed"]) == (
        independent,
        independent_passed,
    )
    page = client.get("/model", headers=HTML).text
    assert f'id="anchors-summary"><strong>{summary["sentence"]}.</strong>' in page
    assert "/api/v1/model/anchors" in client.get("/api/v1/openapi.json").json()["paths"]


def test_the_report_has_the_same_table_and_summary(
    client: TestClient, web_url: str, checks: list[AnchorCheck]
) -> None:
    with Store.open(web_url) as store:
        report = render_report(store)
    model = report.split("The model's estimates", 1)[1].split("Claims and verdicts", 1)[0]
    section = _section(model)  # in the model's section
    _assert_rows(section, checks, links=False)
    assert _summary_counts(section) == _counts(checks)
    page = client.get("/model", headers=HTML).text
    summary = re.search(r'id="anchors-summary"><strong>[^<]+</strong>', page)
    assert summary is not None and summary[0] in section


def test_the_cli_prints_the_same_summary(client: TestClient, web_url: str) -> None:
    from typer.testing import CliRunner

    from borderflow.cli import app

    result = CliRunner().invoke(app, ["--db", web_url, "model", "anchors", "--format", "json"])
    answer = client.get("/api/v1/model/anchors").json()
    assert answer["summary"]["sentence"] in result.stderr
    assert result.exit_code == (1 if answer["summary"]["failed"] else 0), result.output
