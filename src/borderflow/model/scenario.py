"""Policy scenarios over posterior draws, with traffickers re-routing (design notes §5).

A lever changes detection (per edge, mode or side), production capacity, precursor
supply, interior losses, costs or demand. Traffickers answer by a logit over cost plus
perceived risk: a mode's share falls by e^(-theta x added risk), a producer's share of a
market moves with how much its routes still deliver, and the market total is replaced in
part (epsilon = 0 replaces all lost supply, 1 none). Everything is dense arrays over
(scenario, draw, edge) so thousands of draws x dozens of scenarios evaluate in one pass.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from borderflow.datasets.model import LB_TO_KG
from borderflow.model.priors import Prior, parse_prior
from borderflow.model.spec import Spec
from borderflow.model.structure import Structure
from borderflow.model.yamlfile import KeyPath, Located, parse, read

LEVERS = ("detection", "resources", "capacity", "precursors", "interior_loss", "demand", "cost")
OPS = ("multiply", "reduce", "increase")
SIDES = ("destination", "origin", "both")
ROUTE = ("risk_aversion", "unreplaced", "producer_response", "resource_elasticity")


@dataclass(frozen=True, slots=True)
class Change:
    lever: str
    edges: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    producers: tuple[str, ...] = ()
    markets: tuple[str, ...] = ()
    side: str = "destination"
    op: str = "multiply"
    value: float | str | Prior = 1.0
    sweep: tuple[float, float] | None = None


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    description: str
    seed: int
    sources: tuple[str, ...]
    variables: dict[str, Prior]
    changes: tuple[Change, ...]
    sweeps: dict[str, tuple[float, float]] = field(default_factory=dict)


def bundled_scenarios() -> list[Path]:
    folder = Path(str(files("borderflow.model") / "scenarios"))
    return sorted(folder.glob("*.yaml"))


def _names(doc: Located, path: KeyPath, raw: Any, known: set[str]) -> tuple[str, ...]:
    values = raw if isinstance(raw, list) else [raw]
    for v in values:
        if v not in known:
            raise doc.error(
                path, f"unknown {str(path[-1])[:-1]} {v!r}; one of {', '.join(sorted(known))}"
            )
    return tuple(str(v) for v in values)


def load_scenario(path: Path, spec: Spec) -> Scenario:
    _, doc = read(path)
    return _scenario(doc, spec)


def scenario_from_text(text: str, name: str, spec: Spec) -> Scenario:
    return _scenario(parse(text, name), spec)


def _scenario(doc: Located, spec: Spec) -> Scenario:
    raw = doc.data
    for key in raw:
        if key not in {"name", "description", "seed", "sources", "variables", "changes"}:
            raise doc.error((str(key),), "unknown key")
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        raise doc.error(("name",), "a scenario needs a name")
    seed = raw.get("seed", 0)
    if not isinstance(seed, int):
        raise doc.error(("seed",), "seed must be an integer")
    variables = {
        str(k): parse_prior(doc, ("variables", str(k)), v)
        for k, v in (raw.get("variables") or {}).items()
    }
    changes: list[Change] = []
    sweeps: dict[str, tuple[float, float]] = {}
    for i, body in enumerate(raw.get("changes") or []):
        path: KeyPath = ("changes", i)
        if not isinstance(body, dict):
            raise doc.error(path, "a change is a mapping with a lever")
        lever = body.get("lever")
        if lever not in LEVERS:
            raise doc.error(
                (*path, "lever"), f"unknown lever {lever!r}; one of {', '.join(LEVERS)}"
            )
        allowed = {
            "lever",
            "edges",
            "modes",
            "producers",
            "markets",
            "side",
            "op",
            "value",
            "sweep",
        }
        if set(body) - allowed:
            raise doc.error(path, f"unknown keys: {', '.join(sorted(set(body) - allowed))}")
        op = body.get("op", "multiply")
        if op not in OPS:
            raise doc.error((*path, "op"), f"op is one of {', '.join(OPS)}")
        side = body.get("side", "destination")
        if side not in SIDES:
            raise doc.error((*path, "side"), f"side is one of {', '.join(SIDES)}")
        edges = (
            _names(doc, (*path, "edges"), body["edges"], {e.id for e in spec.edges})
            if "edges" in body
            else ()
        )
        modes = (
            _names(doc, (*path, "modes"), body["modes"], {e.mode for e in spec.edges})
            if "modes" in body
            else ()
        )
        producers = (
            _names(doc, (*path, "producers"), body["producers"], set(spec.producers))
            if "producers" in body else ()
        )  # fmt: skip
        markets = (
            _names(doc, (*path, "markets"), body["markets"], set(spec.markets))
            if "markets" in body else ()
        )  # fmt: skip
        if lever in ("detection", "resources", "cost") and not (edges or modes):
            raise doc.error(path, f"a {lever} change names edges or modes")
        if lever in ("capacity", "precursors") and not producers:
            raise doc.error(path, f"a {lever} change names producers")
        if lever in ("interior_loss", "demand") and not markets:
            raise doc.error(path, f"a {lever} change names markets")
        value = body.get("value")
        parsed: float | str | Prior
        if isinstance(value, bool) or value is None:
            raise doc.error((*path, "value"), "a change needs a value")
        if isinstance(value, int | float):
            parsed = float(value)
        elif isinstance(value, str):
            if value not in variables:
                raise doc.error((*path, "value"), f"unknown variable {value!r}")
            parsed = value
        else:
            parsed = parse_prior(doc, (*path, "value"), value)
        sweep = body.get("sweep")
        span = None
        if sweep is not None:
            if (
                not isinstance(sweep, list) or len(sweep) < 2
                or not all(isinstance(v, int | float) for v in sweep)
            ):  # fmt: skip
                raise doc.error((*path, "sweep"), "sweep is a list of two or more numbers")
            span = (float(min(sweep)), float(max(sweep)))
            key = value if isinstance(value, str) else f"{lever}#{i}"
            sweeps[key] = span
        changes.append(Change(lever, edges, modes, producers, markets, side, op, parsed, span))
    sources = raw.get("sources") or []
    if not isinstance(sources, list):
        raise doc.error(("sources",), "sources is a list")
    return Scenario(
        name, str(raw.get("description", "")), seed, tuple(map(str, sources)), variables,
        tuple(changes), sweeps,
    )  # fmt: skip


@dataclass(frozen=True)
class Baseline:
    """What scenarios start from: the last fitted year's state in every posterior draw."""

    spec: Spec
    year: int
    flow: np.ndarray  # [D, E]
    d_dest: np.ndarray  # [D, E]
    d_origin: np.ndarray  # [D, E]
    purity: np.ndarray  # [D, P]
    loss: np.ndarray  # [D, M]
    lethality: np.ndarray  # [D, M]: deaths per kg consumed
    cell_weights: np.ndarray  # [D, C, E]
    route: dict[str, np.ndarray]  # [D] each
    domestic: np.ndarray  # [D, P] share of precursors made at home

    @property
    def draws(self) -> int:
        return int(self.flow.shape[0])


def baseline_from(posterior: Any, *, draws: int | None = None, seed: int = 0) -> Baseline:
    """The state in the last fitted year of `posterior`, thinned to `draws` draws."""
    spec: Spec = posterior.spec
    t = posterior.years.index(max(posterior.fit_years))
    flow = posterior.flat("flow")[:, :, t]
    total = flow.shape[0]
    rng = np.random.default_rng(seed)
    pick = (
        np.arange(total)
        if not draws or draws >= total
        else np.sort(rng.choice(total, draws, replace=False))
    )
    d = len(pick)
    d_dest = posterior.flat("detection_us")[pick]
    d_all = posterior.flat("detection")[pick]
    d_origin = 1 - (1 - d_all) / np.clip(1 - d_dest, 1e-12, None)
    purity = posterior.flat("purity")[pick]
    markets = list(spec.markets)
    loss = np.zeros((d, len(markets)))
    for j, m in enumerate(markets):
        key = f"param_interior_loss_{m}"
        if key in posterior.draws:
            loss[:, j] = posterior.flat(key)[pick]
    # Lethality at the last fitted year: the Kalman state (log lethality, Canada offset).
    mean = posterior.flat("lethality_state_mean")[pick]
    cov = posterior.flat("lethality_state_cov")[pick]
    a, b, c = cov[:, 0], cov[:, 1], cov[:, 2]
    z1, z2 = rng.standard_normal(d), rng.standard_normal(d)
    l1 = np.sqrt(np.clip(a, 1e-12, None))
    log_l = mean[:, 0] + l1 * z1
    offset = mean[:, 1] + b / l1 * z1 + np.sqrt(np.clip(c - b**2 / l1**2, 1e-12, None)) * z2
    imf = posterior.flat("param_imf_share")[pick] if "param_imf_share" in posterior.draws else 1.0
    lethality = np.zeros((d, len(markets)))
    for j, market in enumerate(spec.markets.values()):
        if market.deaths == "cdc-vsrr":
            lethality[:, j] = np.exp(log_l) * imf
        elif market.deaths == "phac":
            lethality[:, j] = np.exp(log_l + offset)
    structure = Structure.of(spec)
    weights = np.broadcast_to(structure.cell_const, (d, *structure.cell_const.shape)).copy()
    for s, name in enumerate(structure.split_names):
        weights += posterior.flat(f"param_{name}")[pick][:, None, None] * structure.split_basis[s]
    route = {k: spec.route_choice[k].draw(rng, d) for k in ROUTE}
    domestic = np.zeros((d, len(spec.producers)))
    for p, producer in enumerate(spec.producers):
        if producer in spec.precursors:
            domestic[:, p] = spec.precursors[producer].domestic_share.draw(rng, d)
    return Baseline(
        spec, posterior.years[t], flow[pick], d_dest, np.clip(d_origin, 0, 1), purity, loss,
        lethality, weights, route, domestic,
    )  # fmt: skip


@dataclass
class Outcomes:
    """Per (scenario, draw) arrays; index 0 of the scenario axis is the baseline."""

    names: list[str]
    flow: np.ndarray  # [S, D, E]
    delivered: np.ndarray  # [S, D, E]
    consumption: np.ndarray  # [S, D, M]
    deaths: np.ndarray  # [S, D, M]
    seized_lb: np.ndarray  # [S, D, C]
    canada_share: np.ndarray  # [S, D]
    displacement: np.ndarray  # [S, D]
    production: np.ndarray  # [S, D, P]
    capacity: np.ndarray  # [S, D, P]


DRAW_BLOCK = 500
_PER_DRAW = ("flow", "d_dest", "d_origin", "purity", "loss", "lethality", "cell_weights")


def _draw_slice(key: str, value: np.ndarray, part: slice) -> np.ndarray:
    """`value` restricted to the draws in `part`: base arrays and per-draw route parameters
    carry draws first, levers and per-row route parameters second, `targeted` none."""
    if key == "targeted":
        return value
    if key in _PER_DRAW or value.ndim == 1:
        return value[part]
    return value[:, part]


Groups = tuple[tuple[int, ...], ...]


def _groups(index: np.ndarray, size: int) -> Groups:
    return tuple(tuple(int(i) for i in np.flatnonzero(index == k)) for k in range(size))


def _take(xp: Any, x: Any, index: tuple[int, ...]) -> Any:
    """`x[..., index]` as static slices stacked on the last axis. XLA fuses these into the
    loops around them; a gather or a one-hot matrix product would each write a temporary
    as large as the inputs, and memory traffic is what bounds this engine."""
    return xp.stack([x[..., i] for i in index], axis=-1)


def _total(xp: Any, x: Any, groups: Groups) -> Any:
    """Sums of `x` over each group of last-axis positions (edges per pair, per market...)."""
    columns = []
    for group in groups:
        if not group:
            columns.append(xp.zeros_like(x[..., 0]))
            continue
        acc = x[..., group[0]]
        for i in group[1:]:
            acc = acc + x[..., i]
        columns.append(acc)
    return xp.stack(columns, axis=-1)


class Engine:
    """Index tuples for one spec, reused across evaluations; the structure is static, so
    the compiled scenario arithmetic unrolls over edges instead of gathering."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.structure = structure = Structure.of(spec)
        producers, markets = len(structure.producers), len(structure.markets)
        pairs = len(structure.pair_producer)
        self.edge_producer = tuple(int(i) for i in structure.edge_producer)
        self.edge_market = tuple(int(i) for i in structure.edge_market)
        self.edge_pair = tuple(int(i) for i in structure.edge_pair)
        self.pair_producer = tuple(int(i) for i in structure.pair_producer)
        self.pair_market = tuple(int(i) for i in structure.pair_market)
        self.pair_edges = _groups(structure.edge_pair, pairs)
        self.market_pairs = _groups(structure.pair_market, markets)
        self.producer_edges = _groups(structure.edge_producer, producers)
        self.market_edges = _groups(structure.edge_market, markets)
        # The (cell, edge) pairs a cell can book seizures from, in any draw.
        used = (structure.cell_const != 0) | (structure.split_basis != 0).any(axis=0)
        self.cell_edges = tuple(tuple(int(e) for e in np.flatnonzero(row)) for row in used)
        shares = structure.share_edges()
        self.share_groups: Groups | None = (
            None if shares is None
            else (tuple(map(int, np.flatnonzero(shares[0]))),
                  tuple(map(int, np.flatnonzero(shares[1]))))
        )  # fmt: skip
        self._compiled: Any = None

    def edge_mask(self, change: Change) -> np.ndarray:
        mask = np.zeros(len(self.spec.edges), dtype=bool)
        for i, e in enumerate(self.spec.edges):
            if e.id in change.edges or e.mode in change.modes:
                mask[i] = True
        return mask

    def evaluate(
        self,
        base: Baseline,
        levers: dict[str, np.ndarray],
        route: dict[str, np.ndarray] | None = None,
        targeted: np.ndarray | None = None,
    ) -> dict[str, np.ndarray]:
        """One pass over arrays shaped [S, D, ...]; `levers` from `lever_arrays`.

        Compiled with jax.jit (in float64), which fuses the array operations into a few
        loops; plain NumPy spent most of its time writing temporaries."""
        import jax
        from jax.experimental import enable_x64

        r = route or base.route
        if targeted is None:
            targeted = np.zeros((levers["capacity"].shape[0], len(self.spec.edges)), dtype=bool)
        arrays = {
            "flow": base.flow, "d_dest": base.d_dest, "d_origin": base.d_origin,
            "purity": base.purity, "loss": base.loss, "lethality": base.lethality,
            "cell_weights": base.cell_weights,
            "theta": r["risk_aversion"], "eps": r["unreplaced"], "nu": r["producer_response"],
            "targeted": targeted, **levers,
        }  # fmt: skip
        draws = base.draws
        with enable_x64():
            if self._compiled is None:
                self._compiled = jax.jit(lambda a: _evaluate(self._jax_numpy(), self, a))
            compiled = self._compiled
            # Blocks of a few hundred draws keep each block's temporaries in cache.
            blocks = np.array_split(np.arange(draws), max(1, round(draws / DRAW_BLOCK)))
            first = {k: _draw_slice(k, v, slice(0, len(blocks[0]))) for k, v in arrays.items()}
            shapes = jax.eval_shape(compiled, first)
        out = {
            k: np.empty((v.shape[0], draws, *v.shape[2:]), dtype=v.dtype) for k, v in shapes.items()
        }

        def run(block: np.ndarray) -> None:
            part = slice(int(block[0]), int(block[-1]) + 1)
            sliced = {k: _draw_slice(k, v, part) for k, v in arrays.items()}
            with enable_x64():  # the setting is per thread
                result = compiled(sliced)
                # Each thread copies its own block out, so no serial concatenation.
                for k, v in result.items():
                    out[k][:, part] = np.asarray(v)

        # XLA runs each block's fused loops on one core; blocks go to every core.
        with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
            list(pool.map(run, blocks))
        return out

    @staticmethod
    def _jax_numpy() -> Any:
        import jax.numpy as jnp

        return jnp


def reroute(xp: Any, e: Engine, base_flow: Any, added: Any, kappa: Any, a: dict[str, Any]) -> Any:
    """The traffickers' route-choice step: modes re-weighted by exp(-theta x added risk),
    producers' market shares by capacity x X^nu, market totals partly replaced (epsilon).
    Returns the new attempted flow per edge, before capacity rationing."""
    theta, eps, nu = a["theta"], a["eps"], a["nu"]
    tiny = 1e-300
    f = base_flow[None]
    pair_flow = _total(xp, f, e.pair_edges)  # [1, D, K]
    mode_share = f / xp.maximum(_take(xp, pair_flow, e.edge_pair), tiny)
    weight = mode_share * xp.exp(-theta[..., None] * added)
    x = _total(xp, weight, e.pair_edges)  # [S, D, K]
    new_mode = weight / xp.maximum(_take(xp, x, e.edge_pair), tiny)
    market_flow = _total(xp, pair_flow, e.market_pairs)  # [1, D, M]
    sigma = pair_flow / xp.maximum(_take(xp, market_flow, e.pair_market), tiny)
    y = sigma * _take(xp, kappa, e.pair_producer) * xp.exp(nu[..., None] * xp.log(x))
    y_total = _total(xp, y, e.market_pairs)  # [S, D, M]
    new_sigma = y / xp.maximum(_take(xp, y_total, e.pair_market), tiny)
    new_total = market_flow * a["demand"] * xp.exp(eps[..., None] * xp.log(y_total))
    pair_new = _take(xp, new_total, e.pair_market) * new_sigma
    return _take(xp, pair_new, e.edge_pair) * new_mode


def _evaluate(xp: Any, e: Engine, a: dict[str, Any]) -> dict[str, Any]:
    """The scenario arithmetic, written once for any array module `xp`."""
    eps = a["eps"]
    f = a["flow"][None]
    # d = 1 - exp(-h): scaling the hazard h by m turns 1 - d into (1 - d)^m.
    keep_dest = xp.exp(a["hazard_dest"] * xp.log1p(-a["d_dest"])[None])
    keep_orig = xp.exp(a["hazard_origin"] * xp.log1p(-a["d_origin"])[None])
    d_dest = 1 - keep_dest
    d_before = 1 - (1 - a["d_dest"]) * (1 - a["d_origin"])
    d_after = 1 - keep_dest * keep_orig
    added = d_after - d_before[None] + a["cost"]
    tiny = 1e-300
    kappa = a["capacity"]  # [S, D, P]
    flow = reroute(xp, e, a["flow"], added, kappa, a)
    # Rationing: a producer cannot ship more than its capacity; part of what it cannot
    # ship is replaced by the other producers of the same market.
    cap = kappa * _total(xp, a["flow"], e.producer_edges)[None]
    ratio = xp.minimum(1.0, cap / xp.maximum(_total(xp, flow, e.producer_edges), tiny))
    kept = flow * _take(xp, ratio, e.edge_producer)
    lost = _total(xp, flow - kept, e.market_edges)  # [S, D, M]
    free = _take(xp, ratio >= 1.0, e.edge_producer)
    room = _total(xp, kept * free, e.market_edges)
    top_up = xp.where(room > 0, (1 - eps[..., None]) * lost / xp.maximum(room, tiny), 0.0)
    flow = kept + kept * free * _take(xp, top_up, e.edge_market)
    over = xp.minimum(1.0, cap / xp.maximum(_total(xp, flow, e.producer_edges), tiny))
    flow = flow * _take(xp, over, e.edge_producer)
    delivered = flow * (1 - d_after)
    loss = xp.clip(a["loss"][None] * a["loss_multiplier"], 0.0, 0.99)
    consumption = (1 - loss) * _total(xp, delivered, e.market_edges)
    gross = flow * d_dest * keep_orig / _take(xp, a["purity"][None], e.edge_producer)
    w = a["cell_weights"][None]  # [1, D, C, E]
    seized = xp.stack(
        [sum((w[..., c, i] * gross[..., i] for i in edges), xp.zeros_like(gross[..., 0]))
         for c, edges in enumerate(e.cell_edges)], axis=-1,
    ) / LB_TO_KG  # fmt: skip
    if e.share_groups is not None:
        sums = _total(xp, delivered, e.share_groups)
        share = sums[..., 1] / xp.maximum(sums[..., 0], tiny)
    else:
        share = xp.full(flow.shape[:2], xp.nan)
    change = flow - f
    targeted = a["targeted"][:, None, :]
    cut = -(change * targeted).sum(-1)
    moved = (change * ~targeted).sum(-1)
    displacement = xp.where(cut > 1e-9, moved / xp.maximum(cut, tiny), xp.nan)
    return {
        "flow": flow, "delivered": delivered, "consumption": consumption,
        "deaths": consumption * a["lethality"][None], "seized_lb": seized,
        "canada_share": share, "displacement": displacement,
        "production": _total(xp, flow, e.producer_edges), "capacity": cap,
    }  # fmt: skip


def lever_arrays(
    engine: Engine,
    base: Baseline,
    scenarios: list[Scenario],
    fixed: list[dict[str, float]] | None = None,
    gamma: np.ndarray | None = None,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Lever multipliers [S, D, ...] for the baseline (index 0) then each scenario.

    Random lever sizes are drawn from one stream per scenario seed, so every scenario sees
    the same draws in the same order and differences against the baseline are paired.
    `fixed` overrides named variables (sweeps)."""
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
    producers, markets = list(engine.spec.producers), list(engine.spec.markets)
    for s, scenario in enumerate(scenarios, start=1):
        rng = np.random.default_rng(scenario.seed)
        values = {k: v.draw(rng, D) for k, v in scenario.variables.items()}
        for k, v in (fixed[s - 1] if fixed else {}).items():
            values[k] = np.full(D, v)
        for i, change in enumerate(scenario.changes):
            key = f"{change.lever}#{i}"
            if fixed and key in fixed[s - 1]:
                size = np.full(D, fixed[s - 1][key])
            elif isinstance(change.value, str):
                size = values[change.value]
            elif isinstance(change.value, Prior):
                size = change.value.draw(rng, D)
            else:
                size = np.full(D, change.value)
            factor = {"multiply": size, "reduce": 1 - size, "increase": 1 + size}[change.op]
            if change.lever in ("detection", "resources", "cost"):
                mask = engine.edge_mask(change)
                targeted[s] |= mask
                if change.lever == "cost":
                    out["cost"][s][:, mask] += size[:, None]
                    continue
                mult = factor if change.lever == "detection" else factor ** elasticity[s]
                if change.side in ("destination", "both"):
                    out["hazard_dest"][s][:, mask] *= mult[:, None]
                if change.side in ("origin", "both"):
                    out["hazard_origin"][s][:, mask] *= mult[:, None]
            elif change.lever in ("capacity", "precursors"):
                for name in change.producers:
                    p = producers.index(name)
                    if change.lever == "capacity":
                        out["capacity"][s][:, p] *= factor
                    else:  # imports of precursors cut by `size`; home-made ones are not
                        out["capacity"][s][:, p] *= 1 - size * (1 - base.domestic[:, p])
                    targeted[s] |= engine.structure.edge_producer == p
            elif change.lever in ("interior_loss", "demand"):
                for name in change.markets:
                    out["loss_multiplier" if change.lever == "interior_loss" else "demand"][s][
                        :, markets.index(name)
                    ] *= factor
    return out, targeted


def run_scenarios(base: Baseline, scenarios: list[Scenario]) -> Outcomes:
    engine = Engine(base.spec)
    levers, targeted = lever_arrays(engine, base, scenarios)
    result = engine.evaluate(base, levers, targeted=targeted)
    return Outcomes(["baseline", *[s.name for s in scenarios]], **result)


def summarise(outcomes: Outcomes, spec: Spec) -> list[dict[str, Any]]:
    """Median and 90% interval of each outcome and of its paired change from baseline."""
    rows: list[dict[str, Any]] = []
    markets = list(spec.markets)
    series: list[tuple[str, str, np.ndarray]] = []
    for j, m in enumerate(markets):
        series.append(("delivered_kg", m, outcomes.consumption[..., j]))
        if np.any(outcomes.deaths[..., j] > 0):
            series.append(("deaths", m, outcomes.deaths[..., j]))
    series.append(("canada_share", "CA of US supply", outcomes.canada_share))
    cells = [c.id for c in spec.cells]
    seized_total = outcomes.seized_lb.sum(-1)
    series.append(("cbp_seized_lb", "all cells", seized_total))
    north = [i for i, c in enumerate(cells) if c.startswith("N-")]
    if north:
        series.append(("cbp_seized_lb", "northern border", outcomes.seized_lb[..., north].sum(-1)))
    for s, name in enumerate(outcomes.names):
        for quantity, item, values in series:
            v = values[s]
            diff = values[s] - values[0]
            lo, med, hi = np.nanquantile(v, [0.05, 0.5, 0.95])
            dlo, dmed, dhi = np.nanquantile(diff, [0.05, 0.5, 0.95])
            rows.append(
                {"scenario": name, "quantity": quantity, "item": item, "median": float(med),
                 "low": float(lo), "high": float(hi), "change_median": float(dmed),
                 "change_low": float(dlo), "change_high": float(dhi)}
            )  # fmt: skip
        if s:
            dr = outcomes.displacement[s]
            if np.isfinite(dr).any():
                lo, med, hi = np.nanquantile(dr, [0.05, 0.5, 0.95])
                rows.append(
                    {"scenario": name, "quantity": "displacement_ratio", "item": "targeted edges",
                     "median": float(med), "low": float(lo), "high": float(hi),
                     "change_median": None, "change_low": None, "change_high": None}
                )  # fmt: skip
    return rows
