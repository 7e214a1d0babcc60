"""Held-out forecasts, prior-versus-posterior contraction and prior sensitivity, on the
bundled official series with short chains."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from borderflow.cli import app
from borderflow.model.api import last_fit
from borderflow.model.data import ModelData, load_model_data
from borderflow.model.fit import FitSettings, Posterior, summary_rows
from borderflow.model.sensitivity import sensitivity
from borderflow.model.spec import load_spec
from borderflow.model.validation import forecasts
from borderflow.store import Store
from tests.fits import FIT_THROUGH, YEARS, fitted_copy

pytestmark = pytest.mark.long  # scheduled first (tests/conftest.py)

# The module reads the run's shared fit (tests/fits.py: through FY2023, so FY2024 and
# FY2025 are held out); the refits below check plumbing only, with trees capped so an
# unadapted sampler stays quick.
QUICK = FitSettings(chains=2, warmup=100, draws=100, seed=6, workers=2, max_tree_depth=5)


@pytest.fixture(scope="module")
def store(fitted_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    return fitted_copy(fitted_data, tmp_path_factory.mktemp("fitted"))


@pytest.fixture(scope="module")
def data(store: Store) -> ModelData:
    return load_model_data(store, load_spec(), YEARS, fit_through=FIT_THROUGH)


@pytest.fixture(scope="module")
def posterior(store: Store) -> Posterior:
    return last_fit(store)


def test_summary_sets_each_estimate_beside_its_prior(posterior: Posterior) -> None:
    rows = [e.as_record() for e in summary_rows(posterior)]
    assert all(r["contraction"] is not None for r in rows)
    share = [r for r in rows if r["quantity"] == "canada_share" and r["fitted"]]
    for r in share:
        # Seizures and deaths narrow Canada's share well within what the priors allow.
        assert r["high"] / r["low"] < r["prior_high"] / r["prior_low"]
        assert 0.3 < r["contraction"] <= 1
    # Nothing observed reaches Australia or Europe, so their consumption stays near the
    # prior; U.S. consumption is tied to the CDC death counts and contracts far more.
    us = [r for r in rows if r["quantity"] == "consumption" and r["item"] == "US"]
    au = [r for r in rows if r["quantity"] == "consumption" and r["item"] == "AU"]
    assert min(r["contraction"] for r in us) > max(r["contraction"] for r in au)


def test_forecast_scores_every_held_out_observation(posterior: Posterior, data: ModelData) -> None:
    found = forecasts(posterior, data)
    assert {f.fy for f in found} == {2024, 2025}
    for year in (2024, 2025):
        t = data.years.index(year)
        cells = {c for i, c in enumerate(data.cells) if data.seized_kg[i, t] > 0}
        # Deaths are scored in the last year only: the fit keeps that year's lethality.
        deaths = {"US deaths", "CA deaths"} if year == 2025 else set()
        assert {f.series for f in found if f.fy == year} == cells | deaths, year
    for f in found:
        assert f.low < f.median < f.high
        assert np.isfinite(f.log_density) and np.isfinite(f.persistence_log_density)
    us = next(f for f in found if f.series == "US deaths")
    assert us.observed == pytest.approx(data.us_deaths[data.years.index(2025)])
    assert sum(f.inside for f in found) >= len(found) // 2


def test_sensitivity_refits_with_the_scaled_prior(posterior: Posterior, data: ModelData) -> None:
    spec = load_spec()
    shifts = sensitivity(spec, data, QUICK, kinds=("purity",), factors=(2.0,), base=posterior)
    assert {(s.quantity, s.item) for s in shifts} == {
        ("canada_share", "CA of fentanyl reaching the US"), ("consumption", "US"),
        ("consumption", "CA"),
    }  # fmt: skip
    assert all(s.fy == FIT_THROUGH and np.isfinite(s.shift) for s in shifts)


def test_scaled_prior_reaches_the_job() -> None:
    # The sensitivity check refits on the spec with scaled sds; the job carries the scale
    # to every worker (tests/model/test_sampler.py), and the spec applies it here.
    spec = load_spec()
    wide = spec.with_scaled_sd("purity", 2.0)
    for before, after in zip(spec.producers.values(), wide.producers.values(), strict=True):
        assert after.purity.params["sd"] == 2.0 * before.purity.params["sd"]
        assert after.purity.params["median"] == before.purity.params["median"]
    assert wide.edges == spec.edges


def test_cli_validate_reports_scores(store: Store) -> None:
    url = str(store.engine.url)
    result = CliRunner().invoke(
        app,
        ["--db", url, "model", "validate", "--no-forecast", "--leave-out", "2023-2023",
         "--chains", "2", "--warmup", "400", "--draws", "100", "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and {r["fy"] for r in rows} == {2023}
    assert "inside the 90% interval" in result.stderr
    # Only seizures: the fit keeps the lethality state of its last year alone; and a
    # held-out middle year is interpolated, so persistence (which extrapolates) is not
    # scored against it.
    assert all(not r["series"].endswith("deaths") for r in rows)
    assert all(np.isfinite(r["log_density"]) for r in rows)
    assert all(r["persistence_log_density"] is None for r in rows)
