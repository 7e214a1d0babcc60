"""The calibrated flow model, written for NumPyro.

Per fiscal year t, each (producer, market) pair's flow follows a random walk in log kg pure,
split across modes, giving the attempted flow F_et on every edge. A shipment is seized on
the way out with probability d_origin and on arrival with d_t; the rest is delivered.
CBP's cells and CBSA's figures see d·F/purity_t (gross weight); DEA's powder purity sees
purity_t; deaths see lethality × consumption. Seizures are lumpy: the spread of a cell's
annual weight shrinks with its number of events (Fenton-Wilkinson, design notes §3), so a
northern cell with seven events says far less than the southwest ports with hundreds.

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
            # Recorded like a sampled one, so every reader finds `param_<name>` in the
            # draws whatever its form (no fallback values written elsewhere).
            values[name] = numpyro.deterministic(
                f"param_{name}", jnp.asarray(float(prior.params["value"]))
            )
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


def _logit_vector_raw(name: str, priors: list[Prior]) -> Any:
    """Logit-normal priors as one sample site, on the logit scale."""
    loc = logit(np.array([p.params["median"] for p in priors]))
    scale = np.array([p.params["sd"] for p in priors])
    return numpyro.sample(f"logit_{name}", dist.Normal(loc, scale))


def _logit_vector(name: str, priors: list[Prior]) -> Any:
    return expit(_logit_vector_raw(name, priors))


def _spread(values: Any, present: np.ndarray) -> Any:
    """A length-E vector holding `values` where `present` and 0 elsewhere (one gather)."""
    index = np.where(present, np.cumsum(present) - 1, int(present.sum()))
    return jnp.concatenate([values, jnp.zeros(1)])[index]


def flow_model(
    structure: Structure, years: tuple[int, ...], inputs: dict[str, Any], anchors: bool = True
) -> None:
    """NumPyro model over fiscal `years`; `inputs` from `model_inputs`. `anchors=False`
    leaves out the published bounds on derived consumption (prior draws cannot draw from
    such a factor; recovery reweights its truths by it instead).

    The steps below add their sample sites in a fixed order; the sampler's draws for a
    seed depend on that order, so a reordering changes every stored result."""
    spec = structure.spec
    named = {k: v for k, v in spec.parameters.items() if k not in MARGINALISED}
    for market in spec.markets.values():
        if market.interior_loss is not None:
            named[f"interior_loss_{market.id}"] = market.interior_loss
    par = _scalars(named)
    n_years = len(years)
    flow = _flows(structure, par, n_years)
    d_dest, d_origin, detection, purity = _detection_and_purity(structure, par, n_years)
    _purity_figures(par, purity, inputs)
    # Gross kg seized per kg of attempted flow, on arrival [E, T].
    rate = d_dest * (1 - d_origin)[:, None] / purity[structure.edge_producer]
    _seizures(structure, par, inputs, flow, rate)
    _cbsa(structure, par, inputs, flow, d_dest, d_origin, purity)
    delivered = (1 - detection) * flow
    consumption = _consumption(structure, par, delivered)
    _deaths(spec, par, consumption, inputs, n_years)
    if anchors:
        _bounds(spec, years, consumption)
    # The headline: the share of the fentanyl reaching the U.S. that comes from Canada.
    share_edges = structure.share_edges()
    if share_edges is not None:
        into, from_ca = share_edges
        numpyro.deterministic("canada_share", delivered[from_ca].sum(0) / delivered[into].sum(0))
        numpyro.deterministic("canada_share_attempted", flow[from_ca].sum(0) / flow[into].sum(0))


def _walk(name: str, step: Any, rows: int, n_years: int, *, centred: bool = False) -> Any:
    """Random walks [rows, T] starting at 0. Centred (steps drawn at their own scale) where
    the data pin the steps, as hundreds of CBP events a year do for flows; otherwise unit
    normal steps times `step`, which the sampler crosses without a funnel."""
    if centred:
        steps = numpyro.sample(name, dist.Normal(0.0, step).expand([rows, n_years - 1]))
    else:
        steps = step * numpyro.sample(name, dist.Normal(0.0, 1.0).expand([rows, n_years - 1]))
    return jnp.concatenate([jnp.zeros((rows, 1)), jnp.cumsum(steps, axis=1)], axis=1)


def _flows(structure: Structure, par: dict[str, Any], n_years: int) -> Any:
    """Attempted flow per edge [E, T]: a prior for the first year, then one random walk in
    log flow per producer-market pair, shared by the pair's modes. A walk per producer
    would tie Canada's own market to its exports and Mexico's Canadian sales to the U.S.
    market (design notes revision). Every parameter enters log(expected seizure)
    linearly, so the ridges the data leave are straight for the dense mass matrix."""
    edges = structure.spec.edges
    first = numpyro.sample(
        "log_flow_first",
        dist.Normal(
            np.log([e.flow.params["median"] for e in edges]),
            np.array([e.flow.params["sd"] for e in edges]),
        ),
    )
    # Pairs CBP counts get centred walks, the rest (Canada's own market, exports
    # overseas, imports into Canada) non-centred: each where the sampler moves freely.
    seen = structure.pair_seen
    walk = jnp.zeros((len(seen), n_years))
    for name, rows, centred in (("flow_steps", seen, True), ("flow_steps_free", ~seen, False)):
        if rows.any():
            part = _walk(name, par["flow_step"], int(rows.sum()), n_years, centred=centred)
            walk = walk.at[np.flatnonzero(rows)].set(part)
    flow = numpyro.deterministic("flow", jnp.exp(first[:, None] + walk[structure.edge_pair]))
    producers = len(structure.producers)
    numpyro.deterministic(
        "production", jnp.zeros((producers, n_years)).at[structure.edge_producer].add(flow)
    )
    return flow


def _detection_and_purity(
    structure: Structure, par: dict[str, Any], n_years: int
) -> tuple[Any, Any, Any, Any]:
    """Destination detection [E, T], origin detection [E], both together [E, T] and purity
    per producer [P, T]. Destination detection moves by one walk per detecting market
    (each country's border effort), purity by one walk per producer; edges without a
    prior on a side are not detected there."""
    edges = structure.spec.edges
    base = _logit_vector_raw("detection", [e.detection for e in edges if e.detection is not None])
    walks = _walk("detection_steps", par["detection_step"], structure.detection_walks, n_years)
    present = structure.detected
    index = np.where(present, np.cumsum(present) - 1, 0)
    moving = base[index][:, None] + walks[np.maximum(structure.detection_walk, 0)]
    d_dest = jnp.where(present[:, None], expit(moving), 0.0)
    d_origin = _spread(
        _logit_vector(
            "detection_origin",
            [e.detection_origin for e in edges if e.detection_origin is not None],
        ),
        structure.origin,
    )
    numpyro.deterministic("detection_us", d_dest)
    detection = numpyro.deterministic("detection", 1 - (1 - d_dest) * (1 - d_origin)[:, None])
    producers = list(structure.spec.producers.values())
    logit_purity = _logit_vector_raw("purity", [p.purity for p in producers])
    purity_walk = _walk("purity_steps", par["purity_step"], len(producers), n_years)
    purity = numpyro.deterministic("purity", expit(logit_purity[:, None] + purity_walk))
    return d_dest, d_origin, detection, purity


def _purity_figures(par: dict[str, Any], purity: Any, inputs: dict[str, Any]) -> None:
    """DEA's powder purity per year, around the model's purity plus one offset (what CBP
    weighs is not DEA's powder), so the figures inform purity's trend."""
    shifted = jnp.log(purity) - jnp.log1p(-purity) + par["purity_bias"]
    with numpyro.handlers.mask(mask=inputs["purity_mask"]):
        numpyro.sample(
            "purity_figures", dist.Normal(shifted, inputs["purity_sd"]), obs=inputs["purity_logit"]
        )


def _cbsa(
    structure: Structure,
    par: dict[str, Any],
    inputs: dict[str, Any],
    flow: Any,
    d_dest: Any,
    d_origin: Any,
    purity: Any,
) -> None:
    """CBSA's seizures (gross kg): inbound on the edges into Canada, outbound on Canada's
    exports, summed over the months each published figure covers. A figure the source
    gives as a bound ("less than a kilogram") counts as a censored observation."""
    gross = flow / purity[structure.edge_producer]
    inbound = jnp.sum(jnp.where(structure.cbsa_inbound[:, None], d_dest * gross, 0.0), axis=0)
    outbound = jnp.sum(
        jnp.where(structure.cbsa_outbound[:, None], d_origin[:, None] * gross, 0.0), axis=0
    )
    numpyro.deterministic("cbsa_kg", jnp.stack([inbound, outbound]))
    if inputs["cbsa_inbound"].shape[0] == 0:
        return
    expected = inputs["cbsa_inbound"] @ inbound + inputs["cbsa_outbound"] @ outbound
    s = par["cbsa_noise"]
    # A figure no edge can produce (an edited spec) is masked out by the data; its log
    # must still be finite, or its gradient would be NaN through the mask.
    usable = inputs["cbsa_mask"] & (expected > 0)
    log_expected = jnp.log(jnp.where(usable, expected, 1.0))
    z = (inputs["log_cbsa_kg"] - (log_expected - s**2 / 2)) / s
    bound = inputs["cbsa_bound"]
    log_p = jnp.where(
        bound == 0,
        -0.5 * z**2 - jnp.log(s * jnp.sqrt(2 * jnp.pi)),
        jax.scipy.stats.norm.logcdf(jnp.where(bound < 0, z, -z)),
    )
    numpyro.factor("cbsa", jnp.sum(jnp.where(usable, log_p, 0.0)))


def _seizures(
    structure: Structure, par: dict[str, Any], inputs: dict[str, Any], flow: Any, rate: Any
) -> None:
    """CBP cells: expected gross kg (`rate` [E, T]: gross kg seized at the border per kg of
    attempted flow), then the compound-lumpiness likelihood; a cell-year with no
    seizures counts against expecting much more than one typical event there."""
    weights = jnp.asarray(structure.cell_const)
    if structure.split_names:
        split = jnp.stack([par[name] for name in structure.split_names])
        weights = weights + jnp.tensordot(split, structure.split_basis, axes=1)
    gross = rate * flow
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


def _bounds(spec: Spec, years: tuple[int, ...], consumption: Any) -> None:
    """Published upper bounds on a market's consumption in one year, as soft ceilings:
    no cost below the bound, a normal tail above it (`Bound.log_factor`)."""
    for j, market in enumerate(spec.markets.values()):
        bound = market.bound
        if bound is not None and bound.year in years:
            level = consumption[j, years.index(bound.year)]
            numpyro.factor(f"bound_{market.id}", bound.log_factor(level, jnp))


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
