"""Sweeps and sensitivity: Latin-hypercube or Sobol designs (SALib) over a scenario's lever
ranges and the route-choice parameters, each design row evaluated over posterior draws.

Rows are evaluated in chunks on Dask: a `tcp://HOST:PORT` scheduler runs them on a
cluster, otherwise a local cluster uses this machine's cores.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import latin
from SALib.sample import sobol as sobol_sample

from borderflow.errors import ModelError
from borderflow.model import seeds
from borderflow.model.baseline import Baseline, route_names
from borderflow.model.engine import Engine
from borderflow.model.levers import lever_arrays
from borderflow.model.scenario_files import Scenario

OUTCOMES = ("us_deaths_change", "us_delivered_change", "canada_share")


@dataclass(frozen=True, slots=True)
class SweepResult:
    method: str
    names: tuple[str, ...]
    design: np.ndarray  # [rows, k]
    outcomes: dict[str, np.ndarray]  # [rows] mean over draws
    indices: list[dict[str, Any]]


def problem(scenario: Scenario, base: Baseline) -> dict[str, Any]:
    """SALib's problem: the scenario's swept levers, then the route-choice parameters
    between their prior 5% and 95% quantiles."""
    if not scenario.sweeps:
        raise ModelError(f"scenario {scenario.name} has no `sweep` ranges to vary")
    names = list(scenario.sweeps)
    bounds = [list(scenario.sweeps[n]) for n in names]
    for key in route_names(base.spec):
        names.append(f"route:{key}")
        bounds.append(list(base.spec.route_choice[key].quantiles((0.05, 0.95))))
    return {"num_vars": len(names), "names": names, "bounds": bounds}


def evaluate_rows(
    base: Baseline, scenario: Scenario, names: list[str], rows: np.ndarray
) -> np.ndarray:
    """Mean outcomes [rows, len(OUTCOMES)]: every row is one scenario evaluated over all
    draws in a single vectorised pass."""
    engine = Engine(base.spec)
    fixed = [
        {n: float(v) for n, v in zip(names, row, strict=True) if not n.startswith("route:")}
        for row in rows
    ]
    # Route-choice parameters: the posterior draws' own for the baseline (row 0), the
    # design row's value for every draw of that row.
    route = {
        k: np.vstack(
            [base.route[k][None], np.outer(rows[:, names.index(f"route:{k}")], np.ones(base.draws))]
        )
        for k in route_names(base.spec)
    }
    levers, targeted = lever_arrays(
        engine, base, [scenario] * len(rows), fixed, gamma=route["resource_elasticity"]
    )
    out = engine.evaluate(base, levers, route=route, targeted=targeted)
    us = list(base.spec.markets).index("US")
    deaths = out["deaths"][..., us]
    delivered = out["consumption"][..., us]
    result = np.stack(
        [
            (deaths[1:] - deaths[:1]).mean(-1),
            (delivered[1:] - delivered[:1]).mean(-1),
            out["canada_share"][1:].mean(-1),
        ],
        axis=1,
    )
    return result


def _chunks(n: int, size: int) -> list[slice]:
    return [slice(i, min(i + size, n)) for i in range(0, n, size)]


def sweep(
    base: Baseline,
    scenario: Scenario,
    *,
    method: str = "sobol",
    samples: int = 64,
    seed: int = 0,
    scheduler: str | None = None,
    workers: int = 0,
    chunk: int = 64,
) -> SweepResult:
    spec_problem = problem(scenario, base)
    names = spec_problem["names"]
    rng = seeds.generator(seed, "sweep_design")
    if method == "sobol":
        design = sobol_sample.sample(spec_problem, samples, calc_second_order=False, seed=rng)
    elif method == "lhs":
        design = latin.sample(spec_problem, samples, seed=rng)
    else:
        raise ModelError("method is sobol or lhs")
    parts = _evaluate(base, scenario, names, design, scheduler, workers, chunk)
    values = np.concatenate(parts)
    outcomes = {name: values[:, i] for i, name in enumerate(OUTCOMES)}
    indices: list[dict[str, Any]] = []
    if method == "sobol":
        for outcome, y in outcomes.items():
            if np.ptp(y) == 0:
                continue
            # A fresh bootstrap stream per outcome: every outcome's intervals come from
            # the same resamples. (SALib reads an integer seed of 0 as "unseeded".)
            bootstrap = seeds.generator(seed, "sweep_bootstrap")
            result = sobol_analyze.analyze(spec_problem, y, calc_second_order=False, seed=bootstrap)
            for i, name in enumerate(names):
                indices.append(
                    {"outcome": outcome, "parameter": name, "S1": float(result["S1"][i]),
                     "S1_conf": float(result["S1_conf"][i]), "ST": float(result["ST"][i]),
                     "ST_conf": float(result["ST_conf"][i])}
                )  # fmt: skip
    else:
        for outcome, y in outcomes.items():
            for i, name in enumerate(names):
                x = design[:, i]
                corr = float(np.corrcoef(x, y)[0, 1]) if np.ptp(y) and np.ptp(x) else 0.0
                indices.append({"outcome": outcome, "parameter": name, "correlation": corr})
    return SweepResult(method, tuple(names), design, outcomes, indices)


def _evaluate(
    base: Baseline,
    scenario: Scenario,
    names: list[str],
    design: np.ndarray,
    scheduler: str | None,
    workers: int,
    chunk: int,
) -> list[np.ndarray]:
    from distributed import Client, LocalCluster

    pieces = [design[s] for s in _chunks(len(design), chunk)]
    if scheduler:
        client = Client(scheduler, timeout="10s")
        cluster = None
    else:
        import os

        cluster = LocalCluster(
            n_workers=workers or max(1, os.cpu_count() or 1),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
        client = Client(cluster)
    try:
        [base_f] = client.scatter([base], broadcast=True)
        futures = client.map(
            evaluate_rows, [base_f] * len(pieces), [scenario] * len(pieces),
            [names] * len(pieces), pieces, pure=False,
        )  # fmt: skip
        return list(client.gather(futures))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
