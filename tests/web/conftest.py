"""A store with documents, official data, verdicts and a model fit that converged, shared
by the web tests; the seed articles join the bundled samples when ../shared is present.

The store is made once for the whole test run and each module gets a copy of it (modules
write to theirs). Its fit is the run's one shared fit (tests/fits.py), copied in as it was
stored: a fit that passes the convergence bar takes a minute or more of both cores, and a
fit that fails the bar would leave the pages with no model to show."""

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
from borderflow.store import Store
from borderflow.web.app import create_app
from borderflow.web.config import WebConfig
from tests.conftest import SEEDS
from tests.fits import built_once, copy_fit, copy_store

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


def build_store(url: str, *, fit_from: Path | None = None) -> Store:
    """Samples (and seeds) ingested, official data imported, claims checked; with
    `fit_from` (the `fitted_data` file) its fit saved as a run of this store."""
    store = Store.open(url)
    paths = [SAMPLES] + ([SEEDS] if SEEDS.is_dir() else [])
    report = ingest_paths(paths, store, max_bytes=20_000_000, workers=1)
    assert report.ok, report.errors
    _, errors = import_files(store, reference_files())
    assert not errors
    run_and_store(store)
    if fit_from is not None:
        copy_fit(fit_from, store)
    return store


@pytest.fixture(scope="session")
def fitted_store(tmp_path_factory: pytest.TempPathFactory, fitted_data: Path) -> Path:
    """The web tests' store (a SQLite file), built once for the whole run; each module
    and browser session works on a copy of it."""

    def build(path: Path) -> None:
        build_store(f"sqlite:///{path}", fit_from=fitted_data).close()

    return built_once(tmp_path_factory, "web-fitted", build)


@pytest.fixture(scope="module")
def web_url(tmp_path_factory: pytest.TempPathFactory, fitted_store: Path) -> str:
    return copy_store(fitted_store, tmp_path_factory.mktemp("web") / "web.db")


@pytest.fixture(scope="module")
def client(web_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(WebConfig(web_url)), base_url=BASE) as test_client:
        yield test_client
