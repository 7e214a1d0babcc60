"""The scenario arithmetic, with traffickers re-routing (design notes §5).

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
from typing import TYPE_CHECKING, Any

import numpy as np

from borderflow.model.structure import Structure
from borderflow.units import LB_TO_KG

if TYPE_CHECKING:
    from borderflow.model.baseline import Baseline
    from borderflow.model.scenario_files import Change
    from borderflow.model.spec import Spec

DRAW_BLOCK = 500
_PER_DRAW = ("flow", "d_dest", "d_origin", "purity", "loss", "lethality", "cell_weights")
_TINY = 1e-300  # a floor for divisors: empty routes and markets divide by zero otherwise


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
            "spare": r.get("spare_capacity", np.zeros(base.draws)),
            "targeted": targeted, **levers,
        }  # fmt: skip
        # Blocks of a few hundred draws keep each block's temporaries in cache.
        blocks = np.array_split(np.arange(base.draws), max(1, round(base.draws / DRAW_BLOCK)))
        with enable_x64():
            if self._compiled is None:
                self._compiled = jax.jit(lambda a: _evaluate(self._jax_numpy(), self, a))
            first = {k: _draw_slice(k, v, slice(0, len(blocks[0]))) for k, v in arrays.items()}
            shapes = jax.eval_shape(self._compiled, first)
        out = {
            k: np.empty((v.shape[0], base.draws, *v.shape[2:]), dtype=v.dtype)
            for k, v in shapes.items()
        }
        self._run_blocks(arrays, blocks, out)
        return out

    def _run_blocks(
        self, arrays: dict[str, Any], blocks: list[np.ndarray], out: dict[str, np.ndarray]
    ) -> None:
        """Evaluate each block of draws into `out`. XLA runs each block's fused loops on
        one core, so blocks go to every core; each thread copies its own block out, so no
        serial concatenation follows."""
        from jax.experimental import enable_x64

        compiled = self._compiled

        def run(block: np.ndarray) -> None:
            part = slice(int(block[0]), int(block[-1]) + 1)
            sliced = {k: _draw_slice(k, v, part) for k, v in arrays.items()}
            with enable_x64():  # the setting is per thread
                result = compiled(sliced)
                for k, v in result.items():
                    out[k][:, part] = np.asarray(v)

        with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
            list(pool.map(run, blocks))

    @staticmethod
    def _jax_numpy() -> Any:
        import jax.numpy as jnp

        return jnp


def reroute(xp: Any, e: Engine, base_flow: Any, added: Any, kappa: Any, a: dict[str, Any]) -> Any:
    """The traffickers' route-choice step: modes re-weighted by exp(-theta x added risk),
    producers' market shares by capacity x X^nu, market totals partly replaced (epsilon).
    Returns the new attempted flow per edge, before capacity rationing."""
    theta, eps, nu = a["theta"], a["eps"], a["nu"]
    tiny = _TINY
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


def _ration(xp: Any, e: Engine, flow: Any, cap: Any, eps: Any) -> Any:
    """A producer cannot ship more than its capacity `cap`; part of what it cannot ship
    (1 - epsilon) is replaced by the other producers of the same market, which are then
    held to their own capacity too."""
    ratio = xp.minimum(1.0, cap / xp.maximum(_total(xp, flow, e.producer_edges), _TINY))
    kept = flow * _take(xp, ratio, e.edge_producer)
    lost = _total(xp, flow - kept, e.market_edges)  # [S, D, M]
    free = _take(xp, ratio >= 1.0, e.edge_producer)
    room = _total(xp, kept * free, e.market_edges)
    top_up = xp.where(room > 0, (1 - eps[..., None]) * lost / xp.maximum(room, _TINY), 0.0)
    flow = kept + kept * free * _take(xp, top_up, e.edge_market)
    over = xp.minimum(1.0, cap / xp.maximum(_total(xp, flow, e.producer_edges), _TINY))
    return flow * _take(xp, over, e.edge_producer)


def _seizures_lb(xp: Any, e: Engine, gross: Any, weights: Any) -> Any:
    """Gross kg seized per edge booked to CBP cells, in pounds as CBP publishes them.
    Sums over each cell's own edges only, unrolled like `_total`."""
    cells = [
        sum((weights[..., c, i] * gross[..., i] for i in edges), xp.zeros_like(gross[..., 0]))
        for c, edges in enumerate(e.cell_edges)
    ]
    return xp.stack(cells, axis=-1) / LB_TO_KG


def _evaluate(xp: Any, e: Engine, a: dict[str, Any]) -> dict[str, Any]:
    """The scenario arithmetic, written once for any array module `xp`."""
    f = a["flow"][None]
    # d = 1 - exp(-h): scaling the hazard h by m turns 1 - d into (1 - d)^m.
    keep_dest = xp.exp(a["hazard_dest"] * xp.log1p(-a["d_dest"])[None])
    keep_orig = xp.exp(a["hazard_origin"] * xp.log1p(-a["d_origin"])[None])
    d_dest = 1 - keep_dest
    d_before = 1 - (1 - a["d_dest"]) * (1 - a["d_origin"])
    d_after = 1 - keep_dest * keep_orig
    added = d_after - d_before[None] + a["cost"]
    kappa = a["capacity"]  # [S, D, P]
    # A producer whose capacity a lever cuts makes at most kappa x its output; the others
    # may grow by their spare capacity, which is where displaced supply comes from.
    room = xp.where(kappa < 1, kappa, 1 + a["spare"][..., None])
    cap = room * _total(xp, a["flow"], e.producer_edges)[None]
    flow = _ration(xp, e, reroute(xp, e, a["flow"], added, kappa, a), cap, a["eps"])
    delivered = flow * (1 - d_after)
    loss = xp.clip(a["loss"][None] * a["loss_multiplier"], 0.0, 0.99)
    consumption = (1 - loss) * _total(xp, delivered, e.market_edges)
    gross = flow * d_dest * keep_orig / _take(xp, a["purity"][None], e.edge_producer)
    seized = _seizures_lb(xp, e, gross, a["cell_weights"][None])
    if e.share_groups is not None:
        sums = _total(xp, delivered, e.share_groups)
        share = sums[..., 1] / xp.maximum(sums[..., 0], _TINY)
    else:
        share = xp.full(flow.shape[:2], xp.nan)
    change = flow - f
    targeted = a["targeted"][:, None, :]
    cut = -(change * targeted).sum(-1)
    moved = (change * ~targeted).sum(-1)
    displacement = xp.where(cut > 1e-9, moved / xp.maximum(cut, _TINY), xp.nan)
    return {
        "flow": flow, "delivered": delivered, "consumption": consumption,
        "deaths": consumption * a["lethality"][None], "seized_lb": seized,
        "canada_share": share, "displacement": displacement,
        "production": _total(xp, flow, e.producer_edges), "capacity": cap,
    }  # fmt: skip
