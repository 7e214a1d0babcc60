"""A store with documents, official data, verdicts and a model fit that converged, shared
by the web tests; the seed articles join the bundled samples when ../shared is present.

The fit is made once per test process and each module gets a copy of that store (modules
write to theirs), since a fit that passes the convergence bar takes about a minute or more on
two cores; a fit that fails the bar would leave the pages with no model to show."""

from __future__ import annotations

import fcntl
import os
import re
import sqlite3
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from borderflow.checks.runner import run_and_store
from borderflow.datasets.bundle import reference_files
from borderflow.datasets.importer import import_files
from borderflow.ingest.pipeline import ingest_paths
from borderflow.model.fit import FitSettings
from borderflow.store import Store
from borderflow.web.app import create_app
from borderflow.web.config import WebConfig
from tests.conftest import SEEDS
from tests.fits import converged_fit

SAMPLES = Path(str(files("borderflow") / "samples"))
# The address tests reach the app at: a loopback name, as the Host check wants.
BASE = "http://127.0.0.1"
# What a script (not a browser form) sends with a form post to the API.
SCRIPT = {"Authorization": "Bearer any"}
# A fit that passes the convergence bar on the bundled series (measured: R-hat 1.008, tail
# ESS 499, no divergence, 80 s on two cores; at a target_accept of 0.9 the same draws had
# 3 divergent transitions). Two chains of 100 draws never pass: ESS below 400.
FIT = FitSettings(chains=4, warmup=400, draws=400, seed=1, target_accept=0.95, workers=2)


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
        converged_fit(store, FIT, years=(2019, 2025), where="FIT in tests/web/conftest.py")
    return store


@pytest.fixture(scope="session")
def fitted_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The web tests' store (a SQLite file), built and fitted once for the whole run: the
    first test process to need it builds it while holding a lock, the others wait for it
    and read the same file (the fit takes a minute of both cores; each module and browser
    session works on a copy of it)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        path = tmp_path_factory.mktemp("web-fitted") / "web.db"
        build_store(f"sqlite:///{path}", fit=True).close()
        return path
    shared = tmp_path_factory.getbasetemp().parent  # this run's, common to its workers
    path = shared / "web-fitted.db"
    with (shared / "web-fitted.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            building = tmp_path_factory.mktemp("web-fitted") / "web.db"
            build_store(f"sqlite:///{building}", fit=True).close()
            copy_store(building, path)  # whole (write-ahead log included) once visible
    return path


def copy_store(source: Path, target: Path) -> str:
    """A copy of a SQLite store made through SQLite's backup (nothing still in its
    write-ahead log is lost); returns the copy's URL."""
    reading, writing = sqlite3.connect(source), sqlite3.connect(target)
    try:
        reading.backup(writing)
    finally:
        reading.close()
        writing.close()
    return f"sqlite:///{target}"


@pytest.fixture(scope="module")
def web_url(tmp_path_factory: pytest.TempPathFactory, fitted_store: Path) -> str:
    return copy_store(fitted_store, tmp_path_factory.mktemp("web") / "web.db")


@pytest.fixture(scope="module")
def client(web_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(WebConfig(web_url)), base_url=BASE) as test_client:
        yield test_client
