"""The calibrated flow model, written for NumPyro.

Per fiscal year t, producer p makes Q_pt kg pure (a random walk in log Q), sends a share to
each market and each (producer, market) flow is split across modes, giving the attempted
flow F_et on every edge. A shipment is seized on the way out with probability d_origin and
on arrival with d; the rest is delivered. CBP's cells see d·F/purity (gross weight); deaths
see lethality × consumption. Seizures are lumpy: the spread of a cell's annual weight
shrinks with its number of events (Fenton-Wilkinson, design notes §3), so a northern cell
with seven events says far less than the southwest ports with hundreds.

Seizures pin only d·F/π and deaths only λ·C, so detection, purity and flow are weakly
identified: the priors carry the rest, and the fit reports how far each moved.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import numpyro
import numpyro.distributions as dist
from jax.scipy.special import expit
from scipy.special import logit

from borderflow.model.priors import Prior
from borderflow.model.spec import Spec
from borderflow.model.spec_sections import CA_DEATHS, US_DEATHS
from borderflow.model.structure import Structure

# Log lethality (a random walk) and Canada's offset are Gaussian given everything else, so
# they are integrated out exactly rather than sampled (see `_deaths`).
MARGINALISED = ("lethality", "lethality_canada")


def _scalars(named: dict[str, Prior]) -> dict[str, Any]:
    """Scalar parameters, one sample site per prior form (fewer sites, fewer operations
    in every gradient), each also recorded under its own name."""
    groups: dict[str, list[tuple[str, Prior]]] = {}
    values: dict[str, Any] = {}
    for name, prior in named.items():
        if prior.dist == "fixed":
            values[name] = prior.params["value"]
        else:
            groups.setdefault(prior.dist, []).append((name, prior))
    for form, members in groups.items():
        p = [prior.params for _, prior in members]
        if form == "lognormal":
            raw = numpyro.sample(
                "log_scalars",
                dist.Normal(np.log([q["median"] for q in p]), np.array([q["sd"] for q in p])),
            )
            out = jnp.exp(raw)
        elif form == "logit_normal":
            raw = numpyro.sample(
                "logit_scalars",
                dist.Normal(
                    logit(np.array([q["median"] for q in p])), np.array([q["sd"] for q in p])
                ),
            )
            out = expit(raw)
        elif form == "normal":
            out = numpyro.sample(
                "normal_scalars",
                dist.Normal(np.array([q["mean"] for q in p]), np.array([q["sd"] for q in p])),
            )
        elif form == "half_normal":
            out = numpyro.sample(
                "half_normal_scalars", dist.HalfNormal(np.array([q["scale"] for q in p]))
            )
        elif form == "beta":
            out = numpyro.sample(
                "beta_scalars",
                dist.Beta(np.array([q["a"] for q in p]), np.array([q["b"] for q in p])),
            )
        else:
            out = numpyro.sample(
                "uniform_scalars",
                dist.Uniform(np.array([q["low"] for q in p]), np.array([q["high"] for q in p])),
            )
        for i, (name, _) in enumerate(members):
            values[name] = numpyro.deterministic(f"param_{name}", out[i])
    return values


def _logit_vector(name: str, priors: list[Prior]) -> Any:
    loc = logit(np.array([p.params["median"] for p in priors]))
    scale = np.array([p.params["sd"] for p in priors])
    return expit(numpyro.sample(f"logit_{name}", dist.Normal(loc, scale)))


def _spread(values: Any, present: np.ndarray) -> Any:
    """A length-E vector holding `values` where `present` and 0 elsewhere (one gather)."""
    index = np.where(present, np.cumsum(present) - 1, int(present.sum()))
    return jnp.concatenate([values, jnp.zeros(1)])[index]


def flow_model(
    structure: Structure, years: tuple[int, ...], inputs: dict[str, Any], anchors: bool = True
) -> None:
    """NumPyro model over fiscal `years`; `inputs` from `model_inputs`. `anchors=False`
    leaves out the soft priors on derived consumption (recovery checks simulate from the
    plain priors, which cannot draw from such a factor).

    The steps below add their sample sites in a fixed order; the sampler's draws for a
    seed depend on that order, so a reordering changes every stored result."""
    spec = structure.spec
    named = {k: v for k, v in spec.parameters.items() if k not in MARGINALISED}
    for market in spec.markets.values():
        if market.interior_loss is not None:
            named[f"interior_loss_{market.id}"] = market.interior_loss
    par = _scalars(named)
    flow = _flows(structure, par, len(years))
    d_us, d_origin, detection, purity = _detection_and_purity(structure)
    _seizures(structure, par, inputs, flow, d_us * (1 - d_origin) / purity[structure.edge_producer])
    delivered = (1 - detection)[:, None] * flow
    consumption = _consumption(structure, par, delivered)
    _deaths(spec, par, consumption, inputs, len(years))
    if anchors:
        _anchors(spec, years, consumption)
    # The headline: the share of the fentanyl reaching the U.S. that comes from Canada.
    share_edges = structure.share_edges()
    if share_edges is not None:
        into, from_ca = share_edges
        numpyro.deterministic("canada_share", delivered[from_ca].sum(0) / delivered[into].sum(0))
        numpyro.deterministic("canada_share_attempted", flow[from_ca].sum(0) / flow[into].sum(0))


def _flows(structure: Structure, par: dict[str, Any], n_years: int) -> Any:
    """Attempted flow per edge [E, T]: a prior for the first year, then one random walk in
    log flow per producer, shared by its edges. Every parameter enters log(expected
    seizure) linearly, so the ridges the data leave are straight and the dense mass
    matrix absorbs them."""
    edges = structure.spec.edges
    P = len(structure.producers)
    first = numpyro.sample(
        "log_flow_first",
        dist.Normal(
            np.log([e.flow.params["median"] for e in edges]),
            np.array([e.flow.params["sd"] for e in edges]),
        ),
    )
    steps = numpyro.sample(
        "flow_steps", dist.Normal(0.0, par["flow_step"]).expand([P, n_years - 1])
    )
    walk = jnp.concatenate([jnp.zeros((P, 1)), jnp.cumsum(steps, axis=1)], axis=1)
    flow = numpyro.deterministic("flow", jnp.exp(first[:, None] + walk[structure.edge_producer]))
    numpyro.deterministic(
        "production", jnp.zeros((P, n_years)).at[structure.edge_producer].add(flow)
    )
    return flow


def _detection_and_purity(structure: Structure) -> tuple[Any, Any, Any, Any]:
    """(destination detection, origin detection, both together) per edge and purity per
    producer; edges without a prior on a side are not detected there."""
    edges = structure.spec.edges
    d_us = _spread(
        _logit_vector("detection", [e.detection for e in edges if e.detection is not None]),
        structure.detected,
    )
    d_origin = _spread(
        _logit_vector(
            "detection_origin",
            [e.detection_origin for e in edges if e.detection_origin is not None],
        ),
        structure.origin,
    )
    numpyro.deterministic("detection_us", d_us)
    detection = numpyro.deterministic("detection", 1 - (1 - d_us) * (1 - d_origin))
    purity = numpyro.deterministic(
        "purity", _logit_vector("purity", [p.purity for p in structure.spec.producers.values()])
    )
    return d_us, d_origin, detection, purity


def _seizures(
    structure: Structure, par: dict[str, Any], inputs: dict[str, Any], flow: Any, rate: Any
) -> None:
    """CBP cells: expected gross kg (`rate` [E]: gross kg seized at the border per kg of
    attempted flow), then the compound-lumpiness likelihood; a cell-year with no
    seizures counts against expecting much more than one typical event there."""
    weights = jnp.asarray(structure.cell_const)
    if structure.split_names:
        split = jnp.stack([par[name] for name in structure.split_names])
        weights = weights + jnp.tensordot(split, structure.split_basis, axes=1)
    gross = rate[:, None] * flow
    expected = numpyro.deterministic("expected_seized_kg", weights @ gross)
    cv2 = jnp.expm1(par["event_spread"] ** 2)
    noise2 = par["seizure_noise"] ** 2
    s2 = noise2 + jnp.log1p(cv2 / inputs["events"])
    numpyro.deterministic(
        "predictive_sd", jnp.sqrt(noise2 + jnp.log1p(cv2 / inputs["typical_events"]))
    )
    with numpyro.handlers.mask(mask=inputs["seized_mask"]):
        numpyro.sample(
            "seized",
            dist.Normal(jnp.log(expected) - s2 / 2, jnp.sqrt(s2)),
            obs=inputs["log_seized"],
        )
    numpyro.factor(
        "no_seizures",
        -jnp.sum(jnp.where(inputs["zero_mask"], expected / inputs["mean_event_kg"][:, None], 0.0)),
    )


def _consumption(structure: Structure, par: dict[str, Any], delivered: Any) -> Any:
    """Consumption per market [M, T]: delivered flow less interior losses."""
    arrivals = structure.edge_market_onehot.T @ delivered
    loss = jnp.stack([par.get(f"interior_loss_{m}", jnp.zeros(())) for m in structure.markets])
    return numpyro.deterministic("consumption", (1 - loss)[:, None] * arrivals)


def _anchors(spec: Spec, years: tuple[int, ...], consumption: Any) -> None:
    """Soft priors on a market's consumption in one year, where the spec gives one."""
    for j, market in enumerate(spec.markets.values()):
        if market.anchor is not None and market.anchor.year in years:
            a = market.anchor.prior.params
            year = years.index(market.anchor.year)
            numpyro.factor(
                f"anchor_{market.id}",
                dist.Normal(np.log(a["median"]), a["sd"]).log_prob(jnp.log(consumption[j, year])),
            )


def _death_series(
    spec: Spec, par: dict[str, Any], consumption: Any, inputs: dict[str, Any]
) -> list[tuple[Any, Any, float]]:
    """(log deaths per kg consumed [T], observed mask, weight of Canada's offset) for
    each market with death counts; U.S. deaths count illicitly made fentanyl only."""
    series = []
    for j, market in enumerate(spec.markets.values()):
        if market.deaths == US_DEATHS:
            y = inputs["log_us_deaths"] - jnp.log(par["imf_share"] * consumption[j])
            series.append((y, inputs["us_mask"], 0.0))
        elif market.deaths == CA_DEATHS:
            series.append(
                (inputs["log_ca_deaths"] - jnp.log(consumption[j]), inputs["ca_mask"], 1.0)
            )
    return series


def _kalman_year(hs: tuple[float, ...], noise2: Any, step2: Any) -> Any:
    """One year of the filter over state (L = log lethality, c = Canada's offset), with
    mean (m, k) and covariance [[a, b], [b, d]]: the walk's step widens L, then each
    observed series y = L + h*c + noise updates the state and adds its log likelihood."""

    def year(state: Any, inputs_t: Any) -> tuple[Any, Any]:
        m, k, a, b, d = state
        y_t, mask_t, is_first = inputs_t
        a = a + jnp.where(is_first, 0.0, step2)
        total = jnp.asarray(0.0)
        for i, h in enumerate(hs):
            innovation = y_t[i] - (m + h * k)
            var = a + 2 * h * b + h * h * d + noise2
            gain_l, gain_c = (a + h * b) / var, (b + h * d) / var
            term = -0.5 * (jnp.log(2 * jnp.pi * var) + innovation**2 / var)
            total = total + jnp.where(mask_t[i], term, 0.0)
            new = (
                m + gain_l * innovation,
                k + gain_c * innovation,
                a - gain_l * gain_l * var,
                b - gain_l * gain_c * var,
                d - gain_c * gain_c * var,
            )
            m, k, a, b, d = (
                jnp.where(mask_t[i], n, o) for n, o in zip(new, (m, k, a, b, d), strict=True)
            )
        return (m, k, a, b, d), total

    return year


def _deaths(
    spec: Spec, par: dict[str, Any], consumption: Any, inputs: dict[str, Any], n_years: int
) -> None:
    """Deaths = lethality x consumption, log lethality a random walk shared by the markets
    (Canada's offset a normal term).

    Sampling the walk next to the flows leaves a narrow curved valley (deaths pin only
    lethality x consumption) that forced tiny sampler steps. Given the flows, the walk and
    the offset are linear-Gaussian, so a two-state Kalman filter integrates them out
    exactly; the sampler sees only the flows. Written with scalar arithmetic, because
    small dense linear algebra is slow to differentiate on CPU. The filtered state of the
    last year (its mean and covariance) is recorded for the scenarios."""
    series = _death_series(spec, par, consumption, inputs)
    if not series:
        return
    base = spec.parameters["lethality"].params
    offset = spec.parameters["lethality_canada"].params
    ys = jnp.stack([y for y, _, _ in series], axis=1)  # [T, S]
    masks = jnp.stack([mask for _, mask, _ in series], axis=1)
    year = _kalman_year(
        tuple(h for _, _, h in series), par["deaths_noise"] ** 2, par["lethality_step"] ** 2
    )
    start = (
        jnp.asarray(np.log(base["median"])),
        jnp.asarray(float(offset["mean"])),
        jnp.asarray(base["sd"] ** 2),
        jnp.asarray(0.0),
        jnp.asarray(offset["sd"] ** 2),
    )
    first = jnp.arange(n_years) == 0
    (m, k, a, b, d), terms = jax.lax.scan(year, start, (ys, masks, first))
    numpyro.factor("deaths", terms.sum())
    numpyro.deterministic("lethality_state_mean", jnp.stack([m, k]))
    numpyro.deterministic("lethality_state_cov", jnp.stack([a, b, d]))
