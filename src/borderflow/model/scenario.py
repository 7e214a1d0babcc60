"""Policy scenarios over posterior draws, with traffickers re-routing (design notes §5).

Each concept has its own module; this one runs a list of scenarios end to end and keeps
the names callers have always imported from here:

- scenario_files.py: what a scenario file says, and its checks against the spec;
- levers.py: what each lever acts on and how, and the lever arrays built from it;
- baseline.py: the last fitted year's state in every posterior draw;
- engine.py: the route-choice and rationing arithmetic over (scenario, draw, edge);
- scenario_summary.py: the outcomes and their paired summaries.
"""

from __future__ import annotations

from borderflow.model.baseline import ROUTE, Baseline, baseline_from
from borderflow.model.engine import DRAW_BLOCK, Engine, reroute
from borderflow.model.levers import LEVERS, OPS, SIDES, lever_arrays
from borderflow.model.route_share import redrawn
from borderflow.model.scenario_files import (
    Change,
    Scenario,
    bundled_scenarios,
    load_scenario,
    scenario_from_text,
)
from borderflow.model.scenario_summary import Outcomes, summarise

__all__ = [
    "DRAW_BLOCK",
    "LEVERS",
    "OPS",
    "ROUTE",
    "SIDES",
    "Baseline",
    "Change",
    "Engine",
    "Outcomes",
    "Scenario",
    "baseline_from",
    "bundled_scenarios",
    "lever_arrays",
    "load_scenario",
    "reroute",
    "run_scenarios",
    "scenario_from_text",
    "summarise",
]


def run_scenarios(
    base: Baseline, scenarios: list[Scenario], engine: Engine | None = None
) -> Outcomes:
    """Every scenario and the baseline (first) evaluated on the same draws, then again
    with the route-choice parameters redrawn, which apportions each change's spread
    between the fit and the route-choice judgement (route_share.py)."""
    engine = engine or Engine(base.spec)
    names = ["baseline", *[s.name for s in scenarios]]
    runs = []
    for state in (base, redrawn(base)):
        # Levers are rebuilt for the redrawn state: the resource elasticity is one of
        # the route-choice parameters and sizes the resources lever.
        levers, targeted = lever_arrays(engine, state, scenarios)
        runs.append(engine.evaluate(state, levers, targeted=targeted))
    return Outcomes.of(names, runs[0], redrawn=Outcomes.of(names, runs[1]))
