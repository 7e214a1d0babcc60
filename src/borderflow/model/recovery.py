"""Parameter recovery: draw truths from the priors, simulate every observed series from
them, refit, and count how often the 90% intervals contain the truth.

If the model and sampler are right, about 90% should. The model checked is the one
shipped: truths follow its full prior, the published bounds on consumption included, and
the refits use those bounds. The simulations keep the real data's shape: the same years,
cells, missing values and CBP event counts.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from scipy import stats

from borderflow.model import seeds
from borderflow.model.data import ModelData, model_inputs
from borderflow.model.fit import INTERVAL, FitSettings, bound_log_weights, diagnose, fit_many
from borderflow.model.spec import Spec
from borderflow.model.spec_sections import CA_DEATHS, US_DEATHS
from borderflow.model.structure import CANADA, UNITED_STATES

HEADLINES = ("canada_share", "consumption_US", "consumption_CA")


@dataclass(frozen=True, slots=True)
class Recovery:
    replicates: int
    coverage: dict[str, float]  # share of (replicate, year) whose truth is inside the 90% interval
    covered_last_year: list[bool]  # per replicate: every headline covered in the last year
    # Rank of the truth among the posterior draws in the last year, per headline and
    # replicate (0-1): uniform when the posterior is calibrated.
    ranks: dict[str, list[float]] = field(default_factory=dict)
    diagnostics: list[dict[str, Any]] = field(default_factory=list)  # per replicate

    def rank_test(self, name: str) -> tuple[int, float]:
        """(bins, p-value) of a chi-square test that `name`'s ranks are uniform; about
        five replicates per bin, at most 20 bins (design notes section 4)."""
        values = np.asarray(self.ranks[name])
        bins = int(max(2, min(20, len(values) // 5)))
        counts, _ = np.histogram(values, bins=bins, range=(0.0, 1.0))
        return bins, float(stats.chisquare(counts).pvalue)


def _headlines(values: dict[str, np.ndarray], spec: Spec) -> dict[str, np.ndarray]:
    """The headlines this spec can form: Canada's share, U.S. and Canadian consumption."""
    markets = list(spec.markets)
    out = {}
    if "canada_share" in values:
        out["canada_share"] = values["canada_share"]
    for name, market in (("consumption_US", UNITED_STATES), ("consumption_CA", CANADA)):
        if market in markets:
            out[name] = values["consumption"][..., markets.index(market), :]
    return out


def _truths(spec: Spec, data: ModelData, replicates: int, seed: int) -> dict[str, np.ndarray]:
    """`replicates` draws from the prior of the model as shipped. Prior predictive draws
    leave out the published bounds on consumption (a factor, not a distribution), so
    four times as many are drawn and resampled with the bounds' weights: the truths then
    follow the full prior, bounds included."""
    import jax
    from numpyro.infer import Predictive

    from borderflow.model.flows import flow_model
    from borderflow.model.structure import Structure

    model = functools.partial(flow_model, Structure.of(spec), data.years, anchors=False)
    inputs = {k: jax.numpy.asarray(v) for k, v in model_inputs(data).items()}
    prior = Predictive(model, num_samples=4 * replicates)(
        seeds.jax_key(seed, "recovery_truths"), inputs
    )
    draws = {k: np.asarray(v, dtype=float) for k, v in prior.items()}
    log_w = bound_log_weights(spec, data.years, draws["consumption"])
    w = np.exp(log_w - log_w.max())
    rng = seeds.generator(seed, "recovery_reweighting")
    pick = rng.choice(len(w), size=replicates, replace=True, p=w / w.sum())
    return {k: v[pick] for k, v in draws.items()}


def simulate(
    spec: Spec, data: ModelData, replicates: int, seed: int
) -> list[tuple[ModelData, dict[str, np.ndarray]]]:
    """`replicates` datasets simulated from prior draws, with the truths behind each:
    CBP cells, both death series, DEA purity and CBSA figures, each where the real data
    have a value (a CBSA figure published as a bound is simulated as a plain figure)."""
    draws = _truths(spec, data, replicates, seed)
    rng = seeds.generator(seed, "recovery_noise")
    lethality = spec.parameters["lethality"].params
    offset = spec.parameters["lethality_canada"].params
    death_markets = {m.deaths: j for j, m in enumerate(spec.markets.values()) if m.deaths}
    events = np.where(np.isfinite(data.events), np.maximum(data.events, 1.0), 1.0)
    out = []
    for r in range(replicates):
        mu = draws["expected_seized_kg"][r]
        spread = np.expm1(draws["param_event_spread"][r] ** 2)
        s = np.sqrt(draws["param_seizure_noise"][r] ** 2 + np.log1p(spread / events))
        seized = np.exp(np.log(mu) - s**2 / 2 + s * rng.standard_normal(mu.shape))
        steps = draws["param_lethality_step"][r] * rng.standard_normal(len(data.years) - 1)
        log_l = np.log(lethality["median"]) + lethality["sd"] * rng.standard_normal()
        log_l = log_l + np.concatenate([[0.0], np.cumsum(steps)])
        eta = offset["mean"] + offset["sd"] * rng.standard_normal()
        noise = draws["param_deaths_noise"][r]
        consumption = draws["consumption"][r]
        deaths = {}
        for source, shift, scale in ((US_DEATHS, 0.0, draws["param_imf_share"][r]),
                                     (CA_DEATHS, eta, 1.0)):  # fmt: skip
            j = death_markets.get(source)
            level = np.exp(log_l + shift + noise * rng.standard_normal(log_l.shape))
            deaths[source] = level * scale * consumption[j] if j is not None else np.nan
        simulated = replace(
            data,
            seized_kg=np.where(np.isfinite(data.seized_kg), seized, np.nan),
            us_deaths=np.where(np.isfinite(data.us_deaths), deaths[US_DEATHS], np.nan),
            ca_deaths=np.where(np.isfinite(data.ca_deaths), deaths[CA_DEATHS], np.nan),
            published=_published(spec, {k: v[r] for k, v in draws.items()}, data, rng),
        )
        truth = _headlines({k: v[r] for k, v in draws.items()}, spec)
        truth["expected_seizures"] = draws["expected_seized_kg"][r]
        out.append((simulated, truth))
    return out


def _published(
    spec: Spec, draw: dict[str, np.ndarray], data: ModelData, rng: np.random.Generator
) -> Any:
    """DEA purity and CBSA figures simulated around one prior draw."""
    pub = data.published
    purity = draw["purity"]
    logit = np.log(purity / (1 - purity)) + draw["param_purity_bias"]
    sd = np.where(np.isfinite(pub.purity_sd), pub.purity_sd, 1.0)
    simulated = logit + sd * rng.standard_normal(logit.shape)
    inbound, outbound = draw["cbsa_kg"]
    expected = pub.cbsa_inbound @ inbound + pub.cbsa_outbound @ outbound
    s = float(draw["param_cbsa_noise"])
    kg = np.exp(np.log(expected) - s**2 / 2 + s * rng.standard_normal(expected.shape))
    return replace(
        pub,
        purity_logit=np.where(np.isfinite(pub.purity_logit), simulated, np.nan),
        cbsa_kg=kg,
        cbsa_bound=np.zeros_like(pub.cbsa_bound),
    )


def recover(
    spec: Spec, data: ModelData, replicates: int, settings: FitSettings, seed: int = 0
) -> Recovery:
    sims = simulate(spec, data, replicates, seed)
    fits = fit_many(spec, [d for d, _ in sims], settings)
    heads = tuple(k for k in HEADLINES if k in sims[0][1])
    names = (*heads, "expected_seizures")
    inside: dict[str, list[np.ndarray]] = {k: [] for k in names}
    ranks: dict[str, list[float]] = {k: [] for k in heads}
    last: list[bool] = []
    diagnostics = []
    for (_, truth), result in zip(sims, fits, strict=True):
        samples = result["samples"]
        diagnostics.append(diagnose(samples, result["extra"]))
        flat: dict[str, Any] = {
            k: v.reshape(-1, *v.shape[2:])
            for k, v in samples.items()
            if k in ("canada_share", "consumption", "expected_seized_kg")
        }
        estimates = _headlines(flat, spec)
        estimates["expected_seizures"] = flat["expected_seized_kg"]
        ok_last = True
        for name in names:
            lo, hi = np.quantile(estimates[name], INTERVAL, axis=0)
            hit = (lo <= truth[name]) & (truth[name] <= hi)
            inside[name].append(hit.ravel())
            if name in heads:
                ok_last = ok_last and bool(hit[-1])
                ranks[name].append(float(np.mean(estimates[name][:, -1] < truth[name][-1])))
        last.append(ok_last)
    coverage = {k: float(np.mean(np.concatenate(v))) for k, v in inside.items()}
    return Recovery(replicates, coverage, last, ranks, diagnostics)
