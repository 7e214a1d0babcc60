"""How much of a scenario's effect rests on the route-choice priors.

The route-choice parameters (risk aversion, how much lost supply is replaced, how
producers answer, resource elasticity, spare capacity) are own judgement: no data in the
fit informs them. A reader weighing a scenario's change needs to know how much of its
spread comes from that judgement and how much from what the fit learnt. Each posterior
draw already carries its own route-choice draw, independent of the fit, so evaluating the
scenarios once more with those parameters drawn afresh (posterior state held) gives the
pairs the Jansen estimator of a total-effect index needs (Jansen 1999; Saltelli et al.
2010): the share of the variance that would vanish were the route-choice parameters
known, interactions with the posterior included.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from borderflow.model import seeds
from borderflow.model.baseline import Baseline, route_names

# Below this many draws the index's own Monte Carlo error (about 1/sqrt(draws) of the
# variance) is as large as the differences a reader would act on, so none is given.
MIN_DRAWS = 100


def redrawn(base: Baseline, seed: int = 0) -> Baseline:
    """`base` with every route-choice parameter drawn afresh from its prior: the same
    posterior draws, the same thinning, an independent route-choice draw beside each."""
    rng = seeds.generator(seed, "route_share")
    spec = base.spec
    route = {k: spec.route_choice[k].draw(rng, base.draws) for k in route_names(spec)}
    return dataclasses.replace(base, route=route)


def total_effect(values: np.ndarray, again: np.ndarray) -> float | None:
    """The Jansen total-effect index of the route-choice parameters on one outcome:
    `values` [D] with each draw's own route choice, `again` [D] with route choice
    redrawn. None when the outcome does not vary (nothing to apportion) or there are too
    few draws to say."""
    ok = np.isfinite(values) & np.isfinite(again)
    if ok.sum() < MIN_DRAWS:
        return None
    y, y2 = values[ok], again[ok]
    variance = float(np.var(np.concatenate([y, y2])))
    scale = max(float(np.mean(np.abs(y))), float(np.mean(np.abs(y2))))
    if variance <= (1e-12 * scale) ** 2 or variance == 0.0:
        return None
    share = float(np.mean((y - y2) ** 2)) / (2 * variance)
    return min(1.0, max(0.0, share))
