"""Flow-model benchmark: fit time and effective samples per second on the bundled series,
and scenario evaluations per second (posterior draws x scenarios), vectorised, against a
plain agent-based version of the same route-choice step written with Mesa.

Targets (issue 5): fit under 60 s with R-hat <= 1.01, ESS >= 400, no divergences;
>= 1,000,000 scenario-draw evaluations per second; >= 100x the Mesa version.
"""

from __future__ import annotations

import math
import tempfile
import time
from pathlib import Path

import mesa
import numpy as np

from _common import record, table
from borderflow.datasets.bundle import reference_files
from borderflow.datasets.importer import import_files
from borderflow.model.api import fit_model
from borderflow.model.data import load_model_data
from borderflow.model.fit import FitSettings, passes, seizure_predictions
from borderflow.model.recovery import recover
from borderflow.model.scenario import (
    Baseline,
    Engine,
    baseline_from,
    bundled_scenarios,
    lever_arrays,
    load_scenario,
    reroute,
)
from borderflow.store import Store


class Route(mesa.Agent):
    """One (draw, producer, market): re-weights its modes by exp(-theta x added risk) and
    reports how much its routes still deliver (X) to its market."""

    def __init__(self, model: mesa.Model, flows: list[float], added: list[float],
                 theta: float, nu: float) -> None:  # fmt: skip
        super().__init__(model)
        self.flows, self.added, self.theta, self.nu = flows, added, theta, nu
        self.total = sum(flows)
        self.shares = [f / self.total for f in flows]
        self.pull = 1.0

    def step(self) -> None:
        weights = [
            s * math.exp(-self.theta * a) for s, a in zip(self.shares, self.added, strict=True)
        ]
        x = sum(weights)
        self.shares = [w / x for w in weights]
        self.pull = x**self.nu


class Market(mesa.Agent):
    """One (draw, market): shifts supply between producers and replaces part of the loss."""

    def __init__(self, model: mesa.Model, routes: list[Route], eps: float) -> None:
        super().__init__(model)
        self.routes, self.eps = routes, eps
        self.total = sum(r.total for r in routes)

    def step(self) -> None:
        y = [r.total / self.total * r.pull for r in self.routes]
        y_total = sum(y)
        new_total = self.total * y_total**self.eps
        for route, weight in zip(self.routes, y, strict=True):
            route.flows = [new_total * weight / y_total * s for s in route.shares]


class RouteModel(mesa.Model):
    """The route-choice step of one scenario, one agent per route and per market."""

    def __init__(self, base: Baseline, added: np.ndarray, draws: int) -> None:
        super().__init__()
        engine = Engine(base.spec)
        for d in range(draws):
            theta = float(base.route["risk_aversion"][d])
            nu = float(base.route["producer_response"][d])
            by_market: dict[int, list[Route]] = {}
            for k in range(engine.pair.shape[1]):
                edges = np.flatnonzero(engine.edge_pair == k)
                route = Route(self, list(base.flow[d, edges]), list(added[d, edges]), theta, nu)
                by_market.setdefault(int(engine.pair_market[k]), []).append(route)
            for routes in by_market.values():
                Market(self, routes, float(base.route["unreplaced"][d]))

    def step(self) -> None:
        self.agents_by_type[Route].do("step")
        self.agents_by_type[Market].do("step")


def mesa_rate(base: Baseline, added: np.ndarray, draws: int) -> float:
    """Scenario-draw evaluations per second of the route-choice step in Mesa."""
    model = RouteModel(base, added, draws)
    started = time.perf_counter()
    model.step()
    return draws / (time.perf_counter() - started)


def route_step_rate(
    engine: Engine, base: Baseline, levers: dict[str, np.ndarray], added: np.ndarray
) -> float:
    """Scenario-draw evaluations per second of the same step, vectorised over all
    scenarios and draws: the function the full scenario engine calls."""
    import jax
    import jax.numpy as jnp
    from jax.experimental import enable_x64

    arrays = {
        "flow": base.flow,
        "added": np.broadcast_to(added, levers["capacity"].shape[:2] + added.shape[1:]),
        "capacity": levers["capacity"], "demand": levers["demand"],
        "theta": base.route["risk_aversion"], "eps": base.route["unreplaced"],
        "nu": base.route["producer_response"],
    }  # fmt: skip
    with enable_x64():
        step = jax.jit(lambda a: reroute(jnp, engine, a["flow"], a["added"], a["capacity"], a))
        inputs = {k: jnp.asarray(v) for k, v in arrays.items()}
        step(inputs).block_until_ready()
        started = time.perf_counter()
        for _ in range(5):
            step(inputs).block_until_ready()
        seconds = (time.perf_counter() - started) / 5
    return levers["capacity"].shape[0] * base.draws / seconds


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(f"sqlite:///{Path(tmp) / 'bench.db'}")
        import_files(store, reference_files())
        started = time.perf_counter()
        _, posterior = fit_model(store, settings=FitSettings(seed=1))
        seconds = time.perf_counter() - started
        diag = posterior.diagnostics
        rows.append(["fit FY2019-2025, 4 chains x (1000 + 1000)", f"{seconds:.1f} s",
                     f"R-hat {diag['max_rhat']:.3f}, ESS bulk {diag['min_ess_bulk']:.0f}, "
                     f"tail {diag['min_ess_tail']:.0f}, divergences {diag['divergences']}, "
                     f"{'pass' if passes(diag) else 'FAIL'}"])  # fmt: skip
        rows.append(["min bulk ESS per second", f"{diag['min_ess_bulk'] / seconds:.1f}", ""])
        base = baseline_from(posterior, draws=None)
        engine = Engine(base.spec)
        scenarios = [load_scenario(p, base.spec) for p in bundled_scenarios()] * 4
        levers, targeted = lever_arrays(engine, base, scenarios)
        engine.evaluate(base, levers, targeted=targeted)
        started = time.perf_counter()
        repeats = 3
        for _ in range(repeats):
            engine.evaluate(base, levers, targeted=targeted)
        per_second = repeats * base.draws * (len(scenarios) + 1) / (time.perf_counter() - started)
        rows.append([f"scenarios, vectorised ({base.draws} draws x {len(scenarios) + 1})",
                     f"{per_second:,.0f} evaluations/s", "target >= 1,000,000"])  # fmt: skip
        added = np.full(base.flow.shape, 0.05)
        mesa_per_second = mesa_rate(base, added, 400)
        step_per_second = route_step_rate(engine, base, levers, added)
        rows.append(["route-choice step alone, vectorised (jax.jit, float64)",
                     f"{step_per_second:,.0f} evaluations/s",
                     f"{step_per_second / mesa_per_second:,.0f}x the Mesa version below "
                     "(target >= 100x)"])  # fmt: skip
        rows.append(["route-choice step (modes, producers, totals) in Mesa, 400 draws",
                     f"{mesa_per_second:,.0f} evaluations/s",
                     f"full scenario: {per_second / mesa_per_second:,.0f}x"])  # fmt: skip
        # Held-out: fit through FY2023, forecast FY2024-2025 seizures.
        _, held = fit_model(store, fit_through=2023, settings=FitSettings(seed=1))
        scored = [r for r in seizure_predictions(held) if r["held_out"] and r["inside"] is not None]
        rows.append(["held-out FY2024-2025 CBP cell-years inside the 90% interval",
                     f"{sum(r['inside'] for r in scored)} of {len(scored)}",
                     "fit through FY2023"])  # fmt: skip
        # Recovery: truths from the priors, simulated series, refits.
        spec = posterior.spec
        data = load_model_data(store, spec, (spec.first_year, spec.last_year))
        started = time.perf_counter()
        result = recover(spec, data, 20, FitSettings(chains=4, warmup=500, draws=500, seed=2))
        covered = ", ".join(f"{k} {v:.2f}" for k, v in result.coverage.items())
        rows.append(["recovery, 20 prior draws, 4 x (500 + 500)",
                     f"90% coverage: {covered}",
                     f"{sum(result.covered_last_year)} of 20 cover every headline in FY2025; "
                     f"{time.perf_counter() - started:.0f} s"])  # fmt: skip
    record("Flow model (benchmarks/model.py)", table(["benchmark", "result", "notes"], rows))


if __name__ == "__main__":
    main()
