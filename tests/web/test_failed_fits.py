"""A fit that failed its convergence checks is never shown as the model (issue 15, item 1):
with only failed fits, the model page, the overview, /api/v1/model and its anchors (404),
the scenario endpoints (409), the chart data and the report say there is no usable fit and
why; with an older converged fit, that one is used everywhere and the newer failed one is
named."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from borderflow.report.build import render_report
from borderflow.store import Store
from borderflow.store.model_runs import fit_in_use, latest_run, save_run, share_estimates
from borderflow.web.app import create_app
from borderflow.web.config import WebConfig
from tests.store.runs import FAILING, FAILING_WORDS, model_run
from tests.web.conftest import BASE

HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def failed_only(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Store]]:
    """A store whose one fit failed (saved as `fit_model` saves it; no sampling)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('failed') / 'failed.db'}"
    store = Store.open(url)
    save_run(store, model_run(FAILING))
    with TestClient(create_app(WebConfig(url)), base_url=BASE) as client:
        yield client, store
    store.close()


def _message(response: object, status: int) -> str:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    return str(response.json()["error"]["message"])  # type: ignore[attr-defined]


def test_the_api_says_there_is_no_usable_fit_and_why(
    failed_only: tuple[TestClient, Store],
) -> None:
    client, store = failed_only
    why = fit_in_use(store).missing()
    assert why.startswith("no usable model fit in this store: model run 1 did not converge")
    assert FAILING_WORDS in why and "`--warmup 2000 --draws 2000`" in why
    assert _message(client.get("/api/v1/model"), 404) == why
    assert _message(client.get("/api/v1/model/anchors"), 404) == why
    assert _message(client.get("/api/v1/scenarios", params={"north_resources": 2}), 409) == why
    assert _message(client.post("/api/v1/scenarios", json={"north_resources": 2.0}), 409) == why
    chart = _message(client.get("/api/v1/charts/canada-share"), 404)
    assert chart == f"chart 'canada-share' has nothing to show yet: {why}"


def test_the_pages_and_the_report_say_so(failed_only: tuple[TestClient, Store]) -> None:
    client, store = failed_only
    for address in ("/model", "/model?north_resources=2", "/"):
        page = client.get(address, headers=HTML)
        assert page.status_code == 200
        assert 'id="no-fit">No usable model fit in this store: model run 1 did not' in page.text
        assert "tail ESS 80 is below 400" in page.text
        assert "<code>--warmup 2000 --draws 2000</code>" in page.text
        assert "Run 1, fitted" not in page.text and 'id="anchors-table"' not in page.text
    report = render_report(store)
    assert 'id="no-fit">No usable model fit in this store: model run 1' in report
    assert 'id="anchors-table"' not in report
    assert "3 divergent transitions" in report and 'id="model-shares"' not in report
    assert share_estimates(store) is None


@pytest.fixture(scope="module")
def with_newer_failed(web_url: str) -> Iterator[tuple[TestClient, Store, int, int]]:
    """The web tests' store (a converged fit), then a newer fit of the same draws that
    failed its checks and estimates Canada's share at 50%."""
    store = Store.open(web_url)
    used = latest_run(store)
    assert used is not None and used.id is not None and used.converged
    bogus = tuple(
        replace(e, median=0.5) if e.quantity == "canada_share" else e for e in used.estimates
    )
    failed_id = save_run(store, replace(model_run(FAILING, base=used), estimates=bogus))
    with TestClient(create_app(WebConfig(web_url)), base_url=BASE) as client:
        yield client, store, used.id, failed_id
    store.close()


def test_an_older_converged_fit_is_used_everywhere(
    with_newer_failed: tuple[TestClient, Store, int, int],
) -> None:
    client, store, used, failed = with_newer_failed
    model = client.get("/api/v1/model").json()
    assert model["id"] == used and model["converged"] is True
    shares = [r for r in model["summary"] if r["quantity"] == "canada_share"]
    assert shares and all(r["median"] < 0.5 for r in shares)
    ran = client.post("/api/v1/scenarios", json={"north_resources": 2.0})
    assert ran.status_code == 200 and ran.json()["rows"]
    page = client.get("/model", headers=HTML).text
    assert f"Run {used}, fitted" in page and 'id="anchors-table"' in page
    assert client.get("/api/v1/model/anchors").json()["model_run"] == used
    assert f'id="newer-fit-failed">A newer fit, model run {failed} did not converge' in page
    chart = client.get("/api/v1/charts/canada-share").json()
    assert any(f"run {used}" in s for s in chart["sources"])
    report = render_report(store)
    assert f"Model run {used}, fitted" in report and f"model run {failed} did not" in report
    estimates = share_estimates(store)
    assert estimates is not None and estimates[0] == used
    assert all(median < 0.5 for median, _, _ in estimates[1].values())
