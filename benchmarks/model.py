"""Flow-model benchmark: fit time and effective samples per second on the bundled series,
and scenario evaluations per second (posterior draws x scenarios), vectorised, against a
plain agent-based version of the same route-choice step written with Mesa.

Targets (issue 5): fit under 60 s with R-hat <= 1.01, ESS >= 400, no divergences;
>= 1,000,000 scenario-draw evaluations per second; >= 100x the Mesa version. Then the
checks of design notes section 4: contraction, held-out forecasts against persistence,
leave-one-year-out, prior sensitivity and parameter recovery (about 25 minutes in all).
"""

from __future__ import annotations

import math
import sys
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
from borderflow.model.fit import FitSettings, passes, seizure_predictions, summary_rows
from borderflow.model.recovery import recover
from borderflow.model.scenario import (
    DRAW_BLOCK,
    Baseline,
    Engine,
    baseline_from,
    bundled_scenarios,
    lever_arrays,
    load_scenario,
    reroute,
)
from borderflow.model.sensitivity import sensitivity
from borderflow.model.validation import validate
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
            for k, edges in enumerate(engine.pair_edges):
                cols = list(edges)
                route = Route(self, list(base.flow[d, cols]), list(added[d, cols]), theta, nu)
                by_market.setdefault(int(engine.pair_market[k]), []).append(route)
            for routes in by_market.values():
                Market(self, routes, float(base.route["unreplaced"][d]))

    def step(self) -> None:
        self.agents_by_type[Route].do("step")
        self.agents_by_type[Market].do("step")


def mesa_rate(base: Baseline, added: np.ndarray, draws: int) -> float:
    """Scenario-draw evaluations per second of the route-choice step in Mesa: the median
    of five steps (the step recomputes from the same inputs each time)."""
    model = RouteModel(base, added, draws)
    times = []
    for _ in range(5):
        started = time.perf_counter()
        model.step()
        times.append(time.perf_counter() - started)
    return draws / float(np.median(times))


def route_step_rate(
    engine: Engine, base: Baseline, levers: dict[str, np.ndarray], added: np.ndarray
) -> float:
    """Scenario-draw evaluations per second of the same step, vectorised over all
    scenarios and draws and run as the engine runs it: compiled once, in blocks of
    DRAW_BLOCK draws spread over the cores (median of eleven passes)."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    import jax
    import jax.numpy as jnp
    from jax.experimental import enable_x64

    scenarios = levers["capacity"].shape[0]
    arrays = {
        "flow": base.flow,
        "added": np.ascontiguousarray(
            np.broadcast_to(added, (scenarios, *added.shape))
        ),
        "capacity": levers["capacity"], "demand": levers["demand"],
        "theta": base.route["risk_aversion"], "eps": base.route["unreplaced"],
        "nu": base.route["producer_response"],
    }  # fmt: skip
    per_draw = ("flow", "theta", "eps", "nu")
    blocks = [
        slice(start, min(start + DRAW_BLOCK, base.draws))
        for start in range(0, base.draws, DRAW_BLOCK)
    ]
    with enable_x64():
        step = jax.jit(lambda a: reroute(jnp, engine, a["flow"], a["added"], a["capacity"], a))
        parts = [
            {k: jnp.asarray(v[part] if k in per_draw else v[:, part]) for k, v in arrays.items()}
            for part in blocks
        ]

    def run(inputs: dict[str, object]) -> None:
        with enable_x64():
            step(inputs).block_until_ready()

    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        list(pool.map(run, parts))
        times = []
        for _ in range(11):
            started = time.perf_counter()
            list(pool.map(run, parts))
            times.append(time.perf_counter() - started)
    return scenarios * base.draws / float(np.median(times))


def main() -> None:
    # `--quick`: the fit, the scenario throughput and the Mesa comparison only (two
    # minutes), for re-measuring speed on a quiet machine.
    quick = "--quick" in sys.argv
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
        # This VM's speed wanders by a factor of about 1.5 from one call to the next, so
        # the rate is the median of the timed calls, with the slowest shown beside it.
        rates = []
        for _ in range(30 if quick else 10):
            started = time.perf_counter()
            engine.evaluate(base, levers, targeted=targeted)
            rates.append(base.draws * (len(scenarios) + 1) / (time.perf_counter() - started))
        per_second = float(np.median(rates))
        rows.append([f"scenarios, vectorised ({base.draws} draws x {len(scenarios) + 1})",
                     f"{per_second:,.0f} evaluations/s",
                     f"median of {len(rates)} calls, slowest {min(rates):,.0f}; "
                     "target >= 1,000,000"])  # fmt: skip
        added = np.full(base.flow.shape, 0.05)
        mesa_per_second = mesa_rate(base, added, 1000)
        step_per_second = route_step_rate(engine, base, levers, added)
        rows.append(["route-choice step alone, vectorised (jax.jit, float64)",
                     f"{step_per_second:,.0f} evaluations/s",
                     f"{step_per_second / mesa_per_second:,.0f}x the Mesa version below "
                     "(target >= 100x)"])  # fmt: skip
        rows.append(["route-choice step (modes, producers, totals) in Mesa, 1000 draws",
                     f"{mesa_per_second:,.0f} evaluations/s",
                     f"full scenario: {per_second / mesa_per_second:,.0f}x"])  # fmt: skip
        if quick:
            record("Flow model, speed only (benchmarks/model.py --quick)",
                   table(["benchmark", "result", "notes"], rows))  # fmt: skip
            return
        # Held-out: fit through FY2023, forecast FY2024-2025 seizures.
        _, held = fit_model(store, fit_through=2023, settings=FitSettings(seed=1))
        scored = [r for r in seizure_predictions(held) if r["held_out"] and r["inside"] is not None]
        rows.append(["held-out FY2024-2025 CBP cell-years inside the 90% interval",
                     f"{sum(r['inside'] for r in scored)} of {len(scored)}",
                     "fit through FY2023"])  # fmt: skip
        spec = posterior.spec
        data = load_model_data(store, spec, (spec.first_year, spec.last_year))
        # Contraction of the headlines in the last fitted year (prior next to posterior).
        last = [r.as_record() for r in summary_rows(posterior)
                if r.fy == spec.last_year and r.quantity in ("canada_share", "consumption")
                and r.item not in ("AU", "EU")]  # fmt: skip
        rows.append([f"contraction 1 - var post / var prior, FY{spec.last_year}",
                     ", ".join(f"{r['quantity']} {r['item'][:2]} {r['contraction']:.2f}"
                               for r in last),
                     "log scale (logit for the share); "
                     "prior reweighted by the Kilmer bound"])  # fmt: skip
        # Held-out year and leave-one-year-out, scored against persistence.
        started = time.perf_counter()
        checked = validate(spec, data, FitSettings(seed=1), leave_out=tuple(range(2020, 2025)))
        _, _, scored_n = checked.log_density()
        final = [f for f in checked.forecasts if f.fy == spec.last_year]
        loyo = [f for f in checked.forecasts if f.fy != spec.last_year]
        rows.append([f"forecast FY{spec.last_year} (fit FY{spec.first_year}-{spec.last_year - 1})",
                     f"{sum(f.inside for f in final)} of {len(final)} inside the 90% interval",
                     "log predictive density model "
                     f"{sum(f.log_density for f in final):.1f} vs persistence "
                     f"{sum(f.persistence_log_density for f in final):.1f}; CBP cells "
                     "and both death series"])  # fmt: skip
        rows.append(["leave one year out, FY2020-2024 (seizures)",
                     f"{sum(f.inside for f in loyo)} of {len(loyo)} inside the 90% interval",
                     "log predictive density model "
                     f"{sum(f.log_density for f in loyo):.1f} vs persistence "
                     f"{sum(f.persistence_log_density for f in loyo):.1f}; "
                     f"{time.perf_counter() - started:.0f} s for 6 fits"])  # fmt: skip
        diverged = sum(d["divergences"] for _, d in checked.fits)
        rows.append(["held-out fits: divergences, worst R-hat", f"{diverged}, "
                     f"{max(d['max_rhat'] for _, d in checked.fits):.3f}",
                     f"{scored_n} observations scored in all"])  # fmt: skip
        # Prior sensitivity: purity and detection prior sds halved and doubled.
        started = time.perf_counter()
        shifts = sensitivity(spec, data, FitSettings(seed=1), base=posterior)
        worst = max(shifts, key=lambda s: abs(s.shift))
        for kind in ("purity", "detection"):
            largest: dict[str, float] = {}
            for shift in shifts:
                if shift.kind == kind:
                    name = "share" if shift.quantity == "canada_share" else shift.item
                    largest[name] = max(largest.get(name, 0.0), abs(shift.shift))
            rows.append([f"prior sensitivity: {kind} sd x 0.5, x 2",
                         "largest median shift " + ", ".join(
                             f"{name} {value:.2f}" for name, value in largest.items()),
                         "in units of the unchanged 90% interval (log scale)"])  # fmt: skip
        rows.append(["prior sensitivity: the largest shift",
                     f"{worst.quantity} {worst.item[:2]}: {worst.shift:+.2f}",
                     f"{worst.kind} sd x {worst.factor:g}; median {worst.base_median:.3g} -> "
                     f"{worst.median:.3g}; {time.perf_counter() - started:.0f} s"])  # fmt: skip
        # Recovery: truths from the priors, simulated series, refits.
        started = time.perf_counter()
        replicates = 40
        result = recover(spec, data, replicates,
                         FitSettings(chains=4, warmup=500, draws=500, seed=2))  # fmt: skip
        covered = ", ".join(f"{k} {v:.2f}" for k, v in result.coverage.items())
        ranks = ", ".join(f"{k} p={result.rank_test(k)[1]:.2f}" for k in result.ranks)
        diverged = sum(1 for d in result.diagnostics if d["divergences"])
        rows.append([f"recovery, {replicates} prior draws, 4 x (500 + 500)",
                     f"90% coverage: {covered}",
                     f"{sum(result.covered_last_year)} of {replicates} cover every headline "
                     f"in FY{spec.last_year}; {diverged} fits had divergences; "
                     f"{time.perf_counter() - started:.0f} s"])  # fmt: skip
        rows.append([f"recovery rank uniformity, FY{spec.last_year} "
                     f"({result.rank_test('canada_share')[0]} bins, chi-square)", ranks,
                     "p below 0.05 would flag a miscalibrated posterior"])  # fmt: skip
    record("Flow model (benchmarks/model.py)", table(["benchmark", "result", "notes"], rows))


if __name__ == "__main__":
    main()
