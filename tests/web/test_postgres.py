"""The web app over a PostgreSQL store: the same reads, searches, filters, sorts and an
upload as on SQLite (skipped without a server, failed under CI=true). Its fit is the run's
shared one, saved into PostgreSQL as a run (the model's inputs, read from PostgreSQL, are
checked equal to those the fit was made from)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from borderflow.model.data import load_model_data, model_inputs
from borderflow.model.spec import load_spec
from borderflow.store import Store
from borderflow.web.app import create_app
from borderflow.web.config import WebConfig
from tests.fits import FIT_THROUGH, YEARS
from tests.web.conftest import BASE, SCRIPT, build_store

HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def pg_client(module_postgres_url: str, fitted_data: Path) -> Iterator[TestClient]:
    build_store(module_postgres_url, fit_from=fitted_data).close()
    with TestClient(create_app(WebConfig(module_postgres_url)), base_url=BASE) as client:
        yield client


@pytest.mark.postgres
def test_reads_filters_and_search_on_postgres(pg_client: TestClient) -> None:
    docs = pg_client.get("/api/v1/documents", params={"q": "FENTANYL", "per_page": 2}).json()
    assert docs["total"] >= 1 and len(docs["items"]) <= 2
    literal = pg_client.get("/api/v1/documents", params={"q": "fentan%_"}).json()
    assert literal["total"] == 0  # no wildcards: "%" and "_" separate words, "fentan" is none
    by_verdict = pg_client.get(
        "/api/v1/claims", params={"sort": "verdict", "order": "desc", "per_page": 500}
    ).json()["items"]
    verdicts = [c["verdict"] for c in by_verdict if c["verdict"] is not None]
    assert verdicts == sorted(verdicts, reverse=True)
    supported = pg_client.get("/api/v1/claims", params={"verdict": "supported"}).json()
    assert supported["total"] > 0
    claim = pg_client.get(f"/api/v1/claims/{supported['items'][0]['id']}").json()
    assert any(c["headline"] for c in claim["checks"])
    series = pg_client.get(
        "/api/v1/series/cbp", params={"region": "Northern Border", "land_only": "true"}
    ).json()["items"]
    assert next(p for p in series if p["period"] == "FY2024")["value"] == pytest.approx(
        34.82, abs=0.01
    )
    assert pg_client.get("/api/v1/model").json()["summary"]
    for path in ("/", "/documents", "/claims?measure=seizure", "/data?source=phac", "/model"):
        assert pg_client.get(path, headers=HTML).status_code == 200, path


@pytest.mark.postgres
def test_upload_and_scenario_on_postgres(pg_client: TestClient) -> None:
    made = pg_client.post(
        "/api/v1/documents",
        data={"text": "RCMP officers seized 12 kg of fentanyl in 2023."},
        headers=SCRIPT,
    )
    assert made.status_code == 201, made.text
    doc = pg_client.get(f"/api/v1/documents/{made.json()['document_id']}").json()
    assert doc["claims"] and doc["text"][doc["claims"][0]["start"] : doc["claims"][0]["end"]]
    ran = pg_client.post("/api/v1/scenarios", json={"postal_screening": 2.0})
    assert ran.status_code == 200 and ran.json()["rows"]


@pytest.mark.postgres
def test_model_inputs_read_from_postgres_equal_the_fits(
    pg_client: TestClient, module_postgres_url: str, fitted_data: Path
) -> None:
    """The fit was made from the SQLite file's series; a fit made here would read these."""
    spec = load_spec()
    with Store.open(module_postgres_url) as pg, Store.open(f"sqlite:///{fitted_data}") as lite:
        here = load_model_data(pg, spec, YEARS, FIT_THROUGH)
        there = load_model_data(lite, spec, YEARS, FIT_THROUGH)
    assert here.cells == there.cells and here.fit_years == there.fit_years
    inputs, theirs = model_inputs(here), model_inputs(there)
    assert inputs.keys() == theirs.keys()
    for name, values in inputs.items():
        # Equal to the last bit or two: the two databases sum a year's rows in their own order.
        np.testing.assert_allclose(values, theirs[name], rtol=1e-12, err_msg=name)
