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
from borderflow.model.fit import FitSettings, passes
from borderflow.model.scenario import (
    Baseline,
    Engine,
    baseline_from,
    bundled_scenarios,
    lever_arrays,
    load_scenario,
)
from borderflow.store import Store


class Trafficker(mesa.Agent):
    """One (draw, producer-market pair): re-weights its modes by exp(-theta x added risk)."""

    def __init__(
        self, model: mesa.Model, shares: list[float], added: list[float], theta: float
    ) -> None:
        super().__init__(model)
        self.shares, self.added, self.theta = shares, added, theta

    def step(self) -> None:
        weights = [
            s * math.exp(-self.theta * a) for s, a in zip(self.shares, self.added, strict=True)
        ]
        total = sum(weights)
        self.shares = [w / total for w in weights]


class RouteModel(mesa.Model):
    def __init__(self, pairs: list[tuple[list[float], list[float], float]]) -> None:
        super().__init__()
        for shares, added, theta in pairs:
            Trafficker(self, shares, added, theta)

    def step(self) -> None:
        self.agents.do("step")


def mesa_rate(base: Baseline, added: np.ndarray, draws: int) -> float:
    """Scenario-draw evaluations per second of the mode-choice step in Mesa."""
    engine = Engine(base.spec)
    pairs = []
    for d in range(draws):
        flow = base.flow[d]
        for k in range(engine.pair.shape[1]):
            edges = np.flatnonzero(engine.pair[:, k])
            total = flow[edges].sum()
            pairs.append(
                (
                    list(flow[edges] / total),
                    list(added[d, edges]),
                    float(base.route["risk_aversion"][d]),
                )
            )
    started = time.perf_counter()
    model = RouteModel(pairs)
    model.step()
    return draws / (time.perf_counter() - started)


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
        rows.append(["mode-choice step alone in Mesa (400 draws)",
                     f"{mesa_per_second:,.0f} evaluations/s",
                     f"vectorised full scenario is {per_second / mesa_per_second:,.0f}x "
                     "(target >= 100x)"])  # fmt: skip
    record("Flow model (benchmarks/model.py)", table(["benchmark", "result", "notes"], rows))


if __name__ == "__main__":
    main()
