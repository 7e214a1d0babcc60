"""The model fitted to the bundled official series (short chains), its held-out forecast,
and the scenario engine's conservation and re-routing on that posterior."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from borderflow.model.api import last_fit
from borderflow.model.data import load_model_data
from borderflow.model.fit import Posterior, seizure_predictions
from borderflow.model.scenario import (
    Baseline,
    Engine,
    baseline_from,
    lever_arrays,
    scenario_from_text,
)
from borderflow.model.spec import load_spec
from borderflow.store import Store
from borderflow.units import LB_TO_KG
from tests.fits import FIT_THROUGH, YEARS, fitted_copy

pytestmark = pytest.mark.long  # scheduled first (tests/conftest.py)


@pytest.fixture(scope="module")
def store(fitted_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The official series and the run's shared fit (tests/fits.py: through FY2023 of
    2019-2025), in a copy of this module's own (the CLI tests write to it)."""
    return fitted_copy(fitted_data, tmp_path_factory.mktemp("fitted"))


@pytest.fixture(scope="module")
def posterior(store: Store) -> Posterior:
    return last_fit(store)


def test_model_data_match_cbp_published_figures(store: Store) -> None:
    spec = load_spec()
    data = load_model_data(store, spec, (2019, 2025))
    fy2024 = data.years.index(2024)
    cells = list(data.cells)
    north_land = data.seized_kg[[cells.index("N-land-OFO"), cells.index("N-land-USBP")], fy2024]
    assert north_land.sum() / LB_TO_KG == pytest.approx(34.82, abs=0.01)
    north = [cells.index(c) for c in cells if c.startswith("N-")]
    assert data.seized_kg[north, fy2024].sum() / LB_TO_KG == pytest.approx(43.04, abs=0.01)
    # CDC VSRR: T40.4 deaths in the 12 months ending September 2021.
    assert data.us_deaths[data.years.index(2021)] == pytest.approx(68237, rel=0.02)


def test_fit_is_stored_with_its_inputs_and_reloads(posterior: Posterior) -> None:
    # The draws read back equal the sampler's: checked where the fit is made (tests/fits.py).
    assert posterior.spec.sha256 == load_spec().sha256
    assert {r["source"] for r in posterior.releases} == {"cbp", "cdc-vsrr", "phac"}
    assert posterior.fit_years == tuple(range(YEARS[0], FIT_THROUGH + 1))
    assert posterior.years == tuple(range(YEARS[0], YEARS[1] + 1))
    share = posterior.flat("canada_share")
    assert np.all((share > 0) & (share < 1))
    assert posterior.diagnostics["divergences"] == 0
    assert posterior.diagnostics["max_rhat"] < 1.1


def test_held_out_years_are_forecast_not_fitted(posterior: Posterior) -> None:
    rows = seizure_predictions(posterior)
    held = [r for r in rows if r["held_out"]]
    assert {r["fy"] for r in held} == {2024, 2025}
    assert all(r["low_lb"] < r["high_lb"] for r in rows)
    inside = sum(r["inside"] for r in held)
    # Most held-out cell-years should fall inside the 90% predictive interval.
    assert inside >= len(held) // 2


def _check_conservation(engine: Engine, base: Baseline, out: dict[str, np.ndarray]) -> None:
    flow, delivered = out["flow"], out["delivered"]
    assert np.all(flow >= 0) and np.all(delivered >= 0) and np.all(delivered <= flow + 1e-9)
    assert np.all(out["production"] <= out["capacity"] * (1 + 1e-9))
    assert np.all(out["consumption"] >= 0)


@pytest.fixture(scope="module")
def base(posterior: Posterior) -> Baseline:
    return baseline_from(posterior, draws=300, seed=1)


def _scenario(text: str, base: Baseline):  # type: ignore[no-untyped-def]
    return scenario_from_text(text, "test.yaml", base.spec)


def test_more_detection_on_one_route_moves_flow_to_the_others(base: Baseline) -> None:
    engine = Engine(base.spec)
    scenario = _scenario(
        "name: t\nchanges:\n  - {lever: detection, edges: [CA-US-bp], value: 4}\n", base
    )
    levers, targeted = lever_arrays(engine, base, [scenario])
    out = engine.evaluate(base, levers, targeted=targeted)
    _check_conservation(engine, base, out)
    e = base.spec.edge_index("CA-US-bp")
    others = [base.spec.edge_index(x) for x in ("CA-US-post", "CA-US-poe")]
    assert np.all(out["flow"][1, :, e] < out["flow"][0, :, e])
    assert np.all(out["flow"][1][:, others].sum(-1) > out["flow"][0][:, others].sum(-1))
    # Baseline reproduces the posterior flows.
    np.testing.assert_allclose(out["flow"][0], base.flow, rtol=1e-12)


def test_without_response_flows_stay_and_seizures_scale(base: Baseline) -> None:
    engine = Engine(base.spec)
    still = replace(
        base,
        route={
            **base.route,
            "risk_aversion": np.zeros(base.draws),
            "unreplaced": np.zeros(base.draws),
        },
    )
    scenario = _scenario(
        "name: t\nchanges:\n  - {lever: detection, modes: [post], value: 2}\n", base
    )
    levers, targeted = lever_arrays(engine, still, [scenario])
    out = engine.evaluate(still, levers, targeted=targeted)
    np.testing.assert_allclose(out["flow"][1], out["flow"][0], rtol=1e-12)
    assert np.all(out["seized_lb"][1].sum(-1) > out["seized_lb"][0].sum(-1))


def test_capacity_cut_is_respected_and_repeatable(base: Baseline) -> None:
    engine = Engine(base.spec)
    text = (
        "name: t\nseed: 5\nvariables:\n  r: {dist: uniform, low: 0.1, high: 0.5, source: test}\n"
        "changes:\n  - {lever: capacity, producers: [CA], op: reduce, value: r}\n"
    )
    scenario = _scenario(text, base)
    first = engine.evaluate(base, *lever_arrays(engine, base, [scenario])[:1])
    second = engine.evaluate(base, *lever_arrays(engine, base, [scenario])[:1])
    _check_conservation(engine, base, first)
    np.testing.assert_array_equal(first["flow"], second["flow"])
    ca = list(base.spec.producers).index("CA")
    assert np.all(first["production"][1, :, ca] < first["production"][0, :, ca])


def test_spare_capacity_lets_other_producers_replace_a_cut(base: Baseline) -> None:
    engine = Engine(base.spec)
    scenario = _scenario(
        "name: t\nchanges:\n  - {lever: capacity, producers: [MX], op: reduce, value: 0.3}\n",
        base,
    )
    mx = list(base.spec.producers).index("MX")
    others = [p for p in range(len(base.spec.producers)) if p != mx]
    results = {}
    for spare in (0.0, 0.5):
        world = replace(base, route={**base.route, "spare_capacity": np.full(base.draws, spare)})
        levers, targeted = lever_arrays(engine, world, [scenario])
        out = engine.evaluate(world, levers, targeted=targeted)
        _check_conservation(engine, world, out)
        # The cut binds either way: Mexico makes at most 70% of what it made.
        assert np.all(out["production"][1, :, mx] <= 0.7 * out["production"][0, :, mx] * (1 + 1e-9))
        results[spare] = out
    # Without spare capacity nobody can make up for Mexico; with it, the others grow
    # and the displacement ratio is positive.
    still, grown = results[0.0], results[0.5]
    np.testing.assert_allclose(
        still["production"][1][:, others], still["production"][0][:, others], rtol=1e-9
    )
    assert np.all(
        grown["production"][1][:, others].sum(-1) > grown["production"][0][:, others].sum(-1)
    )
    assert np.nanmedian(grown["displacement"][1]) > 0.01
    assert np.all(
        grown["production"][1][:, others] <= 1.5 * grown["production"][0][:, others] * (1 + 1e-9)
    )


def test_route_share_agrees_with_a_nested_estimate(posterior: Posterior) -> None:
    """The share run_scenarios reports (one redraw per posterior draw) against the
    definition, computed the long way: for each of 100 posterior draws, the variance
    over 40 route-choice draws, averaged, over the total variance."""
    from borderflow.model.baseline import route_names
    from borderflow.model.scenario import run_scenarios, summarise

    # 1,000 draws and 100 x 40 run in blocks of 500 like the rest: no extra compilation.
    big = baseline_from(posterior, draws=1000, seed=2)
    spec = big.spec
    scenario = _scenario(
        "name: bp\nchanges:\n  - {lever: detection, edges: [CA-US-bp], value: 4}\n", big
    )
    rows = summarise(run_scenarios(big, [scenario]), spec)
    reported = {(r.quantity, r.item): r.route_share for r in rows if r.scenario == "bp"}
    rng = np.random.default_rng(11)
    k, r = 100, 40
    index = np.repeat(rng.choice(big.draws, k, replace=False), r)
    held = ("flow", "d_dest", "d_origin", "purity", "loss", "lethality", "cell_weights",
            "domestic")  # fmt: skip
    nested = replace(
        big,
        **{f: getattr(big, f)[index] for f in held},
        route={n: spec.route_choice[n].draw(rng, k * r) for n in route_names(spec)},
    )
    engine = Engine(spec)
    out = engine.evaluate(nested, *lever_arrays(engine, nested, [scenario])[:1])
    us = list(spec.markets).index("US")
    for key, values in (
        (("canada_share", "CA of US supply"), out["canada_share"]),
        (("delivered_kg", "US"), out["consumption"][..., us]),
    ):
        change = (values[1] - values[0]).reshape(k, r)
        expected = change.var(axis=1).mean() / change.var()
        share = reported[key]
        assert share is not None and 0.02 < expected < 0.98
        assert share == pytest.approx(expected, abs=0.1), key
    # An outcome the lever leaves alone has no spread to apportion.
    ca = [r for r in rows if r.scenario == "bp" and r.quantity == "delivered_kg"
          and r.item == "CA"]  # fmt: skip
    assert ca and ca[0].change_median == 0 and ca[0].route_share is None


def test_cli_scenario_and_show(store: Store, posterior: Posterior, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from borderflow.cli import app

    url = str(store.engine.url)
    runner = CliRunner()
    shown = runner.invoke(
        app, ["--db", url, "model", "show", "--quantity", "canada_share", "--format", "json"]
    )
    assert shown.exit_code == 0, shown.output
    assert '"canada_share"' in shown.stdout
    ran = runner.invoke(
        app, ["--db", url, "model", "scenario", "--draws", "200", "--format", "csv"]
    )
    assert ran.exit_code == 0, ran.output
    assert "us_north_agents_x2" in ran.stdout and "displacement_ratio" in ran.stdout
    shares = [row["route_share"] for row in csv.DictReader(io.StringIO(ran.stdout))]
    assert any(shares) and all(not v or 0 <= float(v) <= 1 for v in shares)
    # The table reads as the model page does: units, the fiscal year, never e-notation.
    table = runner.invoke(
        app, ["--db", url, "model", "scenario", "--draws", "200"], env={"COLUMNS": "200"}
    )
    assert table.exit_code == 0, table.output
    assert " kg" in table.stdout and " deaths" in table.stdout and "fiscal year" in table.stdout
    assert not re.search(r"\de[+-]\d", table.stdout), table.stdout
    assert "from route choice" in table.stdout and "own judgement" in " ".join(table.stdout.split())


def test_share_check_cites_the_model_estimate(store: Store, posterior: Posterior) -> None:
    from borderflow.checks.data import load_official
    from borderflow.checks.shares import check_share

    data = load_official(store)
    assert data.model_run is not None and 2023 in data.model_canada_share
    from borderflow.records.claims import StoredClaim

    claim = StoredClaim(
        start=0, end=12, text="Less than 1%", document="a.txt", id=1, document_id=1,
        sentence="Less than 1% of the fentanyl entering the U.S. comes from Canada.",
        value=1.0, value_max=None, qualifier="less_than", unit="percent", dimension="percent",
        normalized_value=1.0, normalized_unit="percent", measure="share", substance="fentanyl",
        origin="Canada",
    )  # fmt: skip
    from datetime import date

    verdict = check_share(claim, data, date(2024, 1, 15))
    assert verdict is not None
    median, low, high = data.model_canada_share[2023]
    assert low < median < high
    assert "flow model" in verdict.explanation and "FY2023" in verdict.explanation
    assert any(c.kind == "model" for c in verdict.citations)


def test_sweep_runs_on_a_dask_scheduler(base: Baseline) -> None:
    from distributed import LocalCluster

    from borderflow.model.sweep import sweep

    scenario = _scenario(
        "name: t\nvariables:\n  m: {dist: uniform, low: 1.5, high: 4, source: test}\n"
        "changes:\n  - {lever: detection, modes: [post], side: both, value: m, sweep: [1.5, 4]}\n",
        base,
    )
    with LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://")
        result = sweep(base, scenario, samples=8, scheduler=cluster.scheduler_address, chunk=16)
    assert result.design.shape == (8 * 8, 6)  # Sobol, first order: N x (k + 2)
    deaths = result.outcomes["us_deaths_change"]
    assert deaths.shape == (64,) and np.all(np.isfinite(deaths)) and np.ptp(deaths) > 0
    names = {i["parameter"] for i in result.indices if i["outcome"] == "us_deaths_change"}
    assert names == {"m", "route:risk_aversion", "route:unreplaced", "route:producer_response",
                     "route:resource_elasticity", "route:spare_capacity"}  # fmt: skip


def test_cli_anchors_prior_sense_and_prior_check(store: Store, posterior: Posterior) -> None:
    import json

    from typer.testing import CliRunner

    from borderflow.cli import app
    from borderflow.model.anchors import load_anchors

    url = str(store.engine.url)
    runner = CliRunner()
    anchors = runner.invoke(app, ["--db", url, "model", "anchors", "--format", "json"])
    rows = json.loads(anchors.stdout)
    assert len(rows) == len(load_anchors())
    failed = [r for r in rows if r["result"] == "fail"]
    assert anchors.exit_code == (1 if failed else 0), anchors.output
    kilmer = next(r for r in rows if r["id"] == "kilmer-2021-us-consumption")
    # U.S. consumption in FY2021 sits below the published ceiling of single-digit tonnes.
    assert kilmer["result"] == "pass" and kilmer["median"] < 10_000
    assert all(r["source"].startswith("http") for r in rows)
    sense = runner.invoke(app, ["--db", url, "model", "prior-sense", "--format", "json"])
    assert sense.exit_code == 0, sense.output
    found = json.loads(sense.stdout)
    assert {r["prior"] for r in found} == {"purity", "detection", "flow (first year)"}
    assert all(r["power_sensitivity"] >= 0 and r["fy"] == 2023 for r in found)
    checked = runner.invoke(
        app, ["--db", url, "model", "prior-check", "--draws", "200", "--format", "json"]
    )
    assert checked.exit_code == 0, checked.output
    values = json.loads(checked.stdout)
    series = {r["series"] for r in values}
    assert {"CBP SW-land-OFO", "U.S. deaths (CDC)", "DEA powder purity (MX)"} <= series
    assert {r["verdict"] for r in values} <= {"inside", "tail", "at odds"}
    # CBSA seized about half a kilogram in 2021-22; the priors expect tens of kilograms.
    cbsa = next(r for r in values if r["series"] == "CBSA cbsa-fy2021-22-all")
    assert cbsa["observed"] < cbsa["prior_low"] and cbsa["percentile"] < 0.05
