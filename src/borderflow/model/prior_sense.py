"""How far each headline leans on where the purity, detection and flow priors sit,
measured on the stored draws, without refitting.

Two measures per (prior group, headline), both importance-weighting the posterior draws
with Pareto smoothing (PSIS, ArviZ's `psislw`):

- power-scaling sensitivity (Kallioinen et al. 2023, ArviZ's `power_scale_sense`): the
  prior raised to a power near 1; above 0.05 the headline is prior-sensitive;
- location shift: the group's prior centres moved by `DELTA` on their own scale (logit
  for purity and detection, log for flows) both ways, and the headline's median under
  each. Pareto k above 0.7 means the weights cannot stand in for a refit, and the result
  says so instead of giving a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from arviz_stats.base import array_stats  # type: ignore[attr-defined]
from scipy import special, stats

from borderflow.model.fit import Posterior
from borderflow.model.sensitivity import headlines

DELTA = 0.5  # shift of the prior centre: about 1.6 times the odds (logit) or the flow (log)
ALPHA = 1.01  # power-scaling step, as in priorsense
SENSITIVE = 0.05  # power-scaling sensitivity above which a headline is prior-sensitive
KHAT_LIMIT = 0.7


@dataclass(frozen=True, slots=True)
class PriorSense:
    group: str
    quantity: str
    item: str
    fy: int
    median: float
    power: float  # power-scaling sensitivity
    median_down: float | None  # headline median with the prior centres moved by -DELTA
    median_up: float | None
    khat: float  # the worse Pareto k of the two shifts

    @property
    def sensitive(self) -> bool:
        return self.power > SENSITIVE

    def row(self) -> dict[str, Any]:
        return {
            "prior": self.group, "quantity": self.quantity, "item": self.item, "fy": self.fy,
            "median": self.median, "power_sensitivity": self.power,
            "prior_sensitive": self.sensitive, "median_if_prior_lower": self.median_down,
            "median_if_prior_higher": self.median_up, "pareto_k": self.khat,
        }  # fmt: skip


def _groups(post: Posterior) -> dict[str, list[tuple[str, np.ndarray, np.ndarray]]]:
    """Prior group -> (sample site, prior centres, prior scales) on the sampled scale."""
    spec = post.spec
    det = [e.detection for e in spec.edges if e.detection is not None]
    orig = [e.detection_origin for e in spec.edges if e.detection_origin is not None]

    def logit_site(site: str, priors: list[Any]) -> tuple[str, np.ndarray, np.ndarray]:
        loc = special.logit(np.array([p.params["median"] for p in priors]))
        return site, loc, np.array([p.params["sd"] for p in priors])

    flows = [e.flow for e in spec.edges]
    return {
        "purity": [logit_site("logit_purity", [p.purity for p in spec.producers.values()])],
        "detection": [
            logit_site("logit_detection", det),
            logit_site("logit_detection_origin", orig),
        ],
        "flow (first year)": [
            (
                "log_flow_first",
                np.log([f.params["median"] for f in flows]),
                np.array([f.params["sd"] for f in flows]),
            )
        ],
    }


def _log_prior(
    post: Posterior, parts: list[tuple[str, np.ndarray, np.ndarray]], shift: float
) -> np.ndarray:
    total = np.zeros(post.flat(parts[0][0]).shape[0])
    for site, loc, scale in parts:
        if site in post.draws:
            total += stats.norm.logpdf(post.flat(site), loc + shift, scale).sum(axis=1)
    return total


def _weights(log_ratio: np.ndarray) -> tuple[np.ndarray, float]:
    """Normalised PSIS weights and Pareto k for log importance ratios. ArviZ's `psislw`
    takes log-likelihood values, as LOO does, and weights by their negative, so the
    ratios go in negated."""
    log_w, khat = array_stats.psislw(-log_ratio)  # type: ignore[no-untyped-call]
    w = np.exp(log_w - special.logsumexp(log_w))
    return w, float(khat)


def _weighted_median(values: np.ndarray, w: np.ndarray) -> float:
    order = np.argsort(values)
    cumulative = np.cumsum(w[order])
    return float(values[order][np.searchsorted(cumulative, 0.5)])


def prior_sense(post: Posterior) -> list[PriorSense]:
    """Both measures for every prior group and headline of `post`'s last fitted year."""
    year = max(post.fit_years)
    chains = post.draws["flow"].shape[0]
    heads = headlines(post)
    out = []
    for group, parts in _groups(post).items():
        base = _log_prior(post, parts, 0.0)
        lower, _ = _weights((1 / ALPHA - 1) * base)
        upper, _ = _weights((ALPHA - 1) * base)
        shifted = []
        for sign in (-1, 1):
            w, k = _weights(_log_prior(post, parts, sign * DELTA) - base)
            shifted.append((w, k))
        khat = max(k for _, k in shifted)
        for (quantity, item), values in heads.items():
            by_chain = values.reshape(chains, -1)
            power = float(
                array_stats.power_scale_sense(  # type: ignore[no-untyped-call]
                    by_chain, lower.reshape(chains, -1), upper.reshape(chains, -1),
                    1 / ALPHA, ALPHA,
                )
            )  # fmt: skip
            down, up = (
                _weighted_median(values, w) if khat <= KHAT_LIMIT else None for w, _ in shifted
            )
            out.append(
                PriorSense(group, quantity, item, year, float(np.median(values)), power,
                           down, up, khat)
            )  # fmt: skip
    return out
