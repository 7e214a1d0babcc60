"""A converged fit for the tests that need one, made once for the whole test run.

A fit that passes the convergence bar takes a minute or more of both cores, and the model,
web and PostgreSQL tests each need one. Until 2026-12-01 they made four between them
(a quarter of the suite's time, measured: 230 s of 840). Now the first test process to need
it fits the bundled official series once, while holding a lock, into a SQLite store file;
the others wait and read the same file. A module copies that file (`fitted_copy`), or
copies the stored run into a store of its own (`copy_fit`), exactly as it was saved.

A fixed seed gives the same draws on one machine, but the arithmetic XLA compiles can
differ with the processor and with the builds of unpinned libraries, so a short fit that
passes the bar on one machine can end with one divergent transition on another (seed 3
of the model tests did on 2026-12-01, with the code that passed the day before). The
tests then do what the CLI tells a user: fit again with another seed. A fit that fails
with each seed tried is a real failure, reported with every reason."""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from borderflow.datasets.bundle import reference_files
from borderflow.datasets.importer import import_files
from borderflow.model.api import fit_model, last_fit
from borderflow.model.fit import FitSettings, Posterior
from borderflow.records.convergence import failures
from borderflow.store import Store
from borderflow.store.model_runs import latest_run, save_run

TRIES = 2
# The shortest settings that pass the bar on the bundled series (a shorter warm-up leaves
# the dense mass matrix unlearnt and costs more time in 1,023-step trees than it saves).
# 400 draws put R-hat at the bar (1.0113, 1.0118 and 1.0085 for seeds 1-3, measured
# 2026-11-30); 500 leave a margin (1.0054, 1.0096, 1.0050). On the next day's machine
# seed 3 ended with one divergent transition and seed 4 passed (R-hat 1.0045, none).
SHARED_FIT = FitSettings(chains=4, warmup=400, draws=500, seed=4, workers=2)
# Fitted through FY2023 of 2019-2025: FY2024 and FY2025 are held out, for the forecast
# tests; every other test reads the fit as any fit.
YEARS = (2019, 2025)
FIT_THROUGH = 2023


def converged_fit(
    store: Store,
    settings: FitSettings,
    *,
    years: tuple[int, int],
    fit_through: int | None = None,
    where: str,
) -> tuple[int, Posterior]:
    """The first of `TRIES` fits (seeds `settings.seed`, then the next) that converges;
    `where` names the settings to change when none does. Two tries, not more: settings
    that fail two seeds in a row are a regression to see, not to retry past."""
    reasons = []
    for seed in range(settings.seed, settings.seed + TRIES):
        tried = replace(settings, seed=seed)
        run_id, posterior = fit_model(store, years=years, fit_through=fit_through, settings=tried)
        failed = failures(posterior.diagnostics)
        if not failed:
            return run_id, posterior
        reasons.append(f"seed {seed}: {'; '.join(failed)}")
    pytest.fail(
        f"no fit converged with {settings} and seeds {settings.seed}-{settings.seed + TRIES - 1} "
        f"({' | '.join(reasons)}); change the settings in {where}"
    )


def built_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]
) -> Path:
    """The SQLite store file `name`, made by `build` once for the whole test run: under
    pytest-xdist the first process to ask builds it while holding a lock and the others
    wait for it. It becomes visible only whole (built elsewhere, then copied in)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        path = tmp_path_factory.mktemp(name) / f"{name}.db"
        build(path)
        return path
    shared = tmp_path_factory.getbasetemp().parent  # this run's, common to its workers
    path = shared / f"{name}.db"
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            building = tmp_path_factory.mktemp(name) / f"{name}.db"
            build(building)
            copy_store(building, path)
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


def build_fitted_data(path: Path) -> None:
    """The bundled official series and one converged fit to them. The fit is read back
    before anyone else sees it: what a test later reads from the store is what the
    sampler returned."""
    with Store.open(f"sqlite:///{path}") as store:
        _, errors = import_files(store, reference_files())
        assert not errors, errors
        _, posterior = converged_fit(
            store,
            SHARED_FIT,
            years=YEARS,
            fit_through=FIT_THROUGH,
            where="SHARED_FIT in tests/fits.py",
        )
        again = last_fit(store)
        assert again.spec.sha256 == posterior.spec.sha256
        for name in ("canada_share", "flow", "consumption"):
            np.testing.assert_allclose(again.flat(name), posterior.flat(name), rtol=1e-5)


def fitted_copy(fitted_data: Path, folder: Path) -> Store:
    """A store of one's own with the official series and the shared fit (tests write to it)."""
    return Store.open(copy_store(fitted_data, folder / "fitted.db"))


def copy_fit(fitted_data: Path, store: Store) -> int:
    """The shared fit, saved as a run of `store` (any backend) as it was stored."""
    with Store.open(f"sqlite:///{fitted_data}") as source:
        run = latest_run(source)
    assert run is not None and run.converged
    return save_run(store, run)
