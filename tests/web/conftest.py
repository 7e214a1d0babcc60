"""A store with documents, official data, verdicts and a short model fit, shared by the
web tests; the seed articles join the bundled samples when ../shared is present."""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from borderflow.checks.runner import run_and_store
from borderflow.datasets.bundle import reference_files
from borderflow.datasets.importer import import_files
from borderflow.ingest.pipeline import ingest_paths
from borderflow.model.api import fit_model
from borderflow.model.fit import FitSettings
from borderflow.store import Store
from borderflow.web.app import create_app
from borderflow.web.config import WebConfig
from tests.conftest import SEEDS

SAMPLES = Path(str(files("borderflow") / "samples"))
# The address tests reach the app at: a loopback name, as the Host check wants.
BASE = "http://127.0.0.1"
# What a script (not a browser form) sends with a form post to the API.
SCRIPT = {"Authorization": "Bearer any"}


def form_token(client: TestClient, page: str = "/upload") -> str:
    """The form token a page of the app gives this client (its cookie is kept)."""
    html = client.get(page, headers={"accept": "text/html"}).text
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, f"no form token on {page}"
    return found.group(1)


def build_store(url: str, *, fit: bool) -> Store:
    store = Store.open(url)
    paths = [SAMPLES] + ([SEEDS] if SEEDS.is_dir() else [])
    report = ingest_paths(paths, store, max_bytes=20_000_000, workers=1)
    assert report.ok, report.errors
    _, errors = import_files(store, reference_files())
    assert not errors
    run_and_store(store)
    if fit:
        fit_model(
            store, years=(2019, 2025),
            settings=FitSettings(chains=2, warmup=100, draws=100, seed=1, workers=2),
        )  # fmt: skip
    return store


@pytest.fixture(scope="module")
def web_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.db'}"
    store = build_store(url, fit=True)
    store.close()
    yield url


@pytest.fixture(scope="module")
def client(web_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(WebConfig(web_url)), base_url=BASE) as test_client:
        yield test_client
