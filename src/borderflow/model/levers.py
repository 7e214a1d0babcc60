"""What each scenario lever means, written once: the targets a change must name and the
lever array it moves. Scenario-file checking (scenario_files.py) and the arrays the
engine reads (`lever_arrays`) both work from `RULES`, so a lever cannot be accepted by
one and handled differently, or not at all, by the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from borderflow.model import seeds
from borderflow.model.priors import Prior

if TYPE_CHECKING:
    from borderflow.model.baseline import Baseline
    from borderflow.model.engine import Engine
    from borderflow.model.scenario_files import Change, Scenario
    from borderflow.model.spec import Spec

Targets = Literal["routes", "producers", "markets"]
LeverArray = Literal["hazard", "cost", "capacity", "loss_multiplier", "demand"]


@dataclass(frozen=True, slots=True)
class LeverRule:
    """One lever: what a change of it names and how its size moves a lever array.

    A change's size becomes a factor by its op (multiply: size, reduce: 1 - size,
    increase: 1 + size); `elastic`, `additive` and `imports_only` are the exceptions."""

    name: str
    targets: Targets  # routes: edges or modes; else producers or markets
    array: LeverArray  # hazard covers the destination and origin sides
    elastic: bool = False  # the hazard moves by factor ** resource elasticity (gamma)
    additive: bool = False  # the size is added (perceived cost), not a factor
    imports_only: bool = False  # capacity falls by size x the imported precursor share

    def __post_init__(self) -> None:
        # The appliers below handle only these combinations; checking them here makes a
        # bad row in RULES fail on import instead of in the middle of a scenario run.
        arrays = {
            "routes": ("hazard", "cost"),
            "producers": ("capacity",),
            "markets": ("loss_multiplier", "demand"),
        }
        if (
            self.array not in arrays[self.targets]
            or self.additive != (self.array == "cost")  # costs start at 0: only adding works
            or (self.elastic and self.array != "hazard")
            or (self.imports_only and self.array != "capacity")
        ):
            raise ValueError(f"lever rule {self.name!r} combines what no applier handles")


# The order is the one error messages list the levers in.
RULES: dict[str, LeverRule] = {
    rule.name: rule
    for rule in (
        LeverRule("detection", "routes", "hazard"),
        LeverRule("resources", "routes", "hazard", elastic=True),
        LeverRule("capacity", "producers", "capacity"),
        LeverRule("precursors", "producers", "capacity", imports_only=True),
        LeverRule("interior_loss", "markets", "loss_multiplier"),
        LeverRule("demand", "markets", "demand"),
        LeverRule("cost", "routes", "cost", additive=True),
    )
}
LEVERS = tuple(RULES)
OPS = ("multiply", "reduce", "increase")
SIDES = ("destination", "origin", "both")
# How a scenario file names each kind of target, for its error messages.
TARGET_WORDS: dict[Targets, str] = {
    "routes": "edges or modes",
    "producers": "producers",
    "markets": "markets",
}


def factor(op: str, size: np.ndarray) -> np.ndarray:
    """The multiplier a change of `size` applies under `op`."""
    return {"multiply": size, "reduce": 1 - size, "increase": 1 + size}[op]


@dataclass(frozen=True)
class _Filling:
    """The arrays of one scenario row being filled, and what the rules read besides a
    change's size: the engine's edges, the precursor shares, the elasticity gamma."""

    out: dict[str, np.ndarray]  # each [D, ...], a view into row s of the [S, D, ...] arrays
    targeted: np.ndarray  # [E] the row of edges a change cuts, for displacement
    engine: Engine
    domestic: np.ndarray  # [D, P]
    elasticity: np.ndarray  # [D]


def _on_routes(rule: LeverRule, change: Change, size: np.ndarray, row: _Filling) -> None:
    mask = row.engine.edge_mask(change)
    np.logical_or(row.targeted, mask, out=row.targeted)
    if rule.additive:
        row.out[rule.array][:, mask] += size[:, None]
        return
    mult = factor(change.op, size)
    if rule.elastic:
        mult = mult**row.elasticity
    if change.side in ("destination", "both"):
        row.out["hazard_dest"][:, mask] *= mult[:, None]
    if change.side in ("origin", "both"):
        row.out["hazard_origin"][:, mask] *= mult[:, None]


def _on_producers(rule: LeverRule, change: Change, size: np.ndarray, row: _Filling) -> None:
    producers = list(row.engine.spec.producers)
    for name in change.producers:
        p = producers.index(name)
        if rule.imports_only:  # home-made precursors are out of the controls' reach
            reach = (1 - row.domestic[:, p]) * _origin_share(row.engine.spec, name, change)
            row.out[rule.array][:, p] *= 1 - size * reach
        else:
            row.out[rule.array][:, p] *= factor(change.op, size)
        np.logical_or(row.targeted, row.engine.structure.edge_producer == p, out=row.targeted)


def _origin_share(spec: Spec, producer: str, change: Change) -> float:
    """The share of `producer`'s imported precursors that comes from the change's origins,
    by the spec's precursor routes (every route counts when no origin is named)."""
    if not change.origins:
        return 1.0
    routes = spec.precursors[producer].routes
    return float(sum(r.share for r in routes if r.origin in change.origins))


def _on_markets(rule: LeverRule, change: Change, size: np.ndarray, row: _Filling) -> None:
    markets = list(row.engine.spec.markets)
    for name in change.markets:
        row.out[rule.array][:, markets.index(name)] *= factor(change.op, size)


_APPLY = {"routes": _on_routes, "producers": _on_producers, "markets": _on_markets}


def _sizes(scenario: Scenario, draws: int, fixed: dict[str, float] | None) -> list[np.ndarray]:
    """Each change's size per draw. Variables are drawn first, then each change's own
    prior in file order, all from the scenario seed's stream: a scenario gets the same
    sizes whatever else runs beside it. `fixed` (a sweep's design row) overrides named
    variables and `lever#i` changes."""
    rng = seeds.generator(scenario.seed, "levers")
    values = {k: v.draw(rng, draws) for k, v in scenario.variables.items()}
    for k, v in (fixed or {}).items():
        values[k] = np.full(draws, v)
    sizes = []
    for i, change in enumerate(scenario.changes):
        key = f"{change.lever}#{i}"
        if fixed and key in fixed:
            sizes.append(np.full(draws, fixed[key]))
        elif isinstance(change.value, str):
            sizes.append(values[change.value])
        elif isinstance(change.value, Prior):
            sizes.append(change.value.draw(rng, draws))
        else:
            sizes.append(np.full(draws, change.value))
    return sizes


def lever_arrays(
    engine: Engine,
    base: Baseline,
    scenarios: list[Scenario],
    fixed: list[dict[str, float]] | None = None,
    gamma: np.ndarray | None = None,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Lever multipliers [S, D, ...] for the baseline (index 0, no change) then each
    scenario, and the edges each scenario targets [S, E].

    `gamma` [S, D] replaces the baseline's resource elasticity (sweeps vary it per row)."""
    S, D = len(scenarios) + 1, base.draws
    E, P, M = len(engine.spec.edges), len(engine.spec.producers), len(engine.spec.markets)
    out = {
        "hazard_dest": np.ones((S, D, E)),
        "hazard_origin": np.ones((S, D, E)),
        "cost": np.zeros((S, D, E)),
        "capacity": np.ones((S, D, P)),
        "loss_multiplier": np.ones((S, D, M)),
        "demand": np.ones((S, D, M)),
    }
    targeted = np.zeros((S, E), dtype=bool)
    elasticity = (
        gamma if gamma is not None else np.broadcast_to(base.route["resource_elasticity"], (S, D))
    )
    for s, scenario in enumerate(scenarios, start=1):
        row = _Filling(
            {k: v[s] for k, v in out.items()}, targeted[s], engine, base.domestic, elasticity[s]
        )
        sizes = _sizes(scenario, D, fixed[s - 1] if fixed else None)
        for change, size in zip(scenario.changes, sizes, strict=True):
            rule = RULES[change.lever]
            _APPLY[rule.targets](rule, change, size, row)
    return out, targeted
