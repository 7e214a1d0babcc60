"""The state scenarios start from: the last fitted year in every posterior draw.

Scenarios compare against the world the fit describes, draw by draw, so each draw keeps
its own flows, detection, purity, losses and lethality; the route-choice parameters and
precursor shares, which the data cannot inform, are drawn from their priors beside them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from borderflow.model import seeds
from borderflow.model.spec import ROUTE_CHOICE, Spec
from borderflow.model.spec_sections import CA_DEATHS, US_DEATHS
from borderflow.model.structure import Structure

# The route-choice parameters, in the order sweeps list them (the spec's own tuple), then
# the optional ones a spec may give: without `spare_capacity` no producer can grow.
ROUTE = ROUTE_CHOICE
OPTIONAL_ROUTE = ("spare_capacity",)


def route_names(spec: Spec) -> tuple[str, ...]:
    """The route-choice parameters this spec gives, required ones first."""
    return (*ROUTE, *(k for k in OPTIONAL_ROUTE if k in spec.route_choice))


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
    """The state in the last fitted year of `posterior`, thinned to `draws` draws.

    One generator serves the thinning, the lethality draw and the priors, in that order,
    so a seed fixes the whole baseline."""
    spec: Spec = posterior.spec
    t = posterior.years.index(max(posterior.fit_years))
    flow = posterior.flat("flow")[:, :, t]
    total = flow.shape[0]
    rng = seeds.generator(seed, "baseline")
    pick = (
        np.arange(total)
        if not draws or draws >= total
        else np.sort(rng.choice(total, draws, replace=False))
    )
    d_dest = posterior.flat("detection_us")[pick][:, :, t]
    d_all = posterior.flat("detection")[pick][:, :, t]
    d_origin = 1 - (1 - d_all) / np.clip(1 - d_dest, 1e-12, None)
    lethality = _lethality(posterior, pick, rng)
    route = {k: spec.route_choice[k].draw(rng, len(pick)) for k in route_names(spec)}
    return Baseline(
        spec, posterior.years[t], flow[pick], d_dest, np.clip(d_origin, 0, 1),
        posterior.flat("purity")[pick][:, :, t], _losses(posterior, pick), lethality,
        _cell_weights(posterior, pick), route, _domestic(spec, len(pick), rng),
    )  # fmt: skip


def _losses(posterior: Any, pick: np.ndarray) -> np.ndarray:
    """Interior loss per market [D, M]; markets without a loss prior lose nothing."""
    markets = list(posterior.spec.markets)
    loss = np.zeros((len(pick), len(markets)))
    for j, m in enumerate(markets):
        key = f"param_interior_loss_{m}"
        if key in posterior.draws:
            loss[:, j] = posterior.flat(key)[pick]
    return loss


def _lethality(posterior: Any, pick: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Deaths per kg consumed [D, M] in the last fitted year. The fit integrates the
    lethality walk out (a Kalman filter) and keeps only the last state's mean and
    covariance of (log lethality, Canada's offset); one joint normal draw per posterior
    draw brings the uncertainty back."""
    d = len(pick)
    mean = posterior.flat("lethality_state_mean")[pick]
    cov = posterior.flat("lethality_state_cov")[pick]
    a, b, c = cov[:, 0], cov[:, 1], cov[:, 2]
    z1, z2 = rng.standard_normal(d), rng.standard_normal(d)
    l1 = np.sqrt(np.clip(a, 1e-12, None))
    log_l = mean[:, 0] + l1 * z1
    offset = mean[:, 1] + b / l1 * z1 + np.sqrt(np.clip(c - b**2 / l1**2, 1e-12, None)) * z2
    imf = posterior.flat("param_imf_share")[pick] if "param_imf_share" in posterior.draws else 1.0
    lethality = np.zeros((d, len(posterior.spec.markets)))
    for j, market in enumerate(posterior.spec.markets.values()):
        if market.deaths == US_DEATHS:
            lethality[:, j] = np.exp(log_l) * imf
        elif market.deaths == CA_DEATHS:
            lethality[:, j] = np.exp(log_l + offset)
    return lethality


def _cell_weights(posterior: Any, pick: np.ndarray) -> np.ndarray:
    """Each CBP cell's share of each edge's seizures [D, C, E], with the fitted splits."""
    structure = Structure.of(posterior.spec)
    d = len(pick)
    weights = np.broadcast_to(structure.cell_const, (d, *structure.cell_const.shape)).copy()
    for s, name in enumerate(structure.split_names):
        weights += posterior.flat(f"param_{name}")[pick][:, None, None] * structure.split_basis[s]
    return weights


def _domestic(spec: Spec, d: int, rng: np.random.Generator) -> np.ndarray:
    """Share of precursors made at home [D, P], drawn from the spec's priors, because
    import controls leave that share alone; a producer without a precursor entry is taken
    to import all of its precursors (share 0)."""
    domestic = np.zeros((d, len(spec.producers)))
    for p, producer in enumerate(spec.producers):
        if producer in spec.precursors:
            domestic[:, p] = spec.precursors[producer].domestic_share.draw(rng, d)
    return domestic
