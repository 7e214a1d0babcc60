"""Fitting: run the sampler, judge its diagnostics, and summarise the posterior.

A fit is only as good as its diagnostics, so they travel with it: rank-normalised R-hat,
bulk and tail effective sample sizes, divergences and E-BFMI, computed by ArviZ's array
functions over every sampled parameter.
"""

from __future__ import annotations

import io
import os
import time
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from arviz_stats.base import array_stats  # type: ignore[attr-defined]
from scipy import special

from borderflow.errors import ModelError
from borderflow.model import seeds
from borderflow.model.data import ModelData, model_inputs
from borderflow.model.sampler import ChainJob, sample
from borderflow.model.spec import Spec
from borderflow.records.estimates import Estimate
from borderflow.units import LB_TO_KG

LATENT_PREFIXES = (
    "log_scalars", "logit_scalars", "normal_scalars", "half_normal_scalars", "beta_scalars",
    "uniform_scalars", "log_flow_first", "flow_steps", "logit_detection", "logit_purity",
    "purity_steps", "detection_steps", "flow_steps_free",
)  # fmt: skip
INTERVAL = (0.05, 0.95)
PRIOR_PREFIX = "prior/"  # prior draws travel with the posterior's, as (1, N, ...)


@dataclass(frozen=True, slots=True)
class FitSettings:
    chains: int = 4
    warmup: int = 1000
    draws: int = 1000
    seed: int = 0
    target_accept: float = 0.95
    workers: int = 0  # 0: one per core
    # NUTS doubles a trajectory at most this many times (2^10 - 1 = 1,023 steps); a quick
    # look at plumbing, never a result, may cap it lower.
    max_tree_depth: int = 10
    compile_cache: str = ""  # folder for compiled programs ("" keeps none); not stored

    def record(self) -> dict[str, Any]:
        """What a stored run keeps of these settings: what shapes the draws, not where
        this machine caches its compiled code."""
        out = asdict(self)
        out.pop("compile_cache")
        return out

    def resolved_workers(self) -> int:
        return self.workers or max(1, os.cpu_count() or 1)


@dataclass
class Posterior:
    """Draws (chain, draw, ...) of every site, with what they were fitted on."""

    spec: Spec
    years: tuple[int, ...]
    fit_years: tuple[int, ...]
    draws: dict[str, np.ndarray]
    settings: FitSettings
    diagnostics: dict[str, Any]
    releases: tuple[dict[str, Any], ...] = ()
    seconds: float = 0.0
    observed: dict[str, Any] = field(default_factory=dict)

    def prior(self, name: str) -> np.ndarray | None:
        """Prior draws of `name` (N, ...) when the fit drew them, else None."""
        key = PRIOR_PREFIX + name
        return self.flat(key) if key in self.draws else None

    def flat(self, name: str) -> np.ndarray:
        """Draws of `name` with chains merged: (chain*draw, ...)."""
        value = self.draws[name]
        return value.reshape(-1, *value.shape[2:]).astype(np.float64)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        arrays = {k: v.astype(np.float32) for k, v in self.draws.items()}
        np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]
        return buffer.getvalue()

    @staticmethod
    def draws_from_bytes(blob: bytes) -> dict[str, np.ndarray]:
        with np.load(io.BytesIO(blob)) as archive:
            return {k: archive[k].astype(np.float64) for k in archive.files}


def diagnose(samples: dict[str, np.ndarray], extra: dict[str, np.ndarray]) -> dict[str, Any]:
    """Worst-case convergence figures over every sampled (not derived) quantity."""
    rhat, bulk, tail = 0.0, np.inf, np.inf
    worst = worst_tail = ""
    for name, value in samples.items():
        if not name.startswith(LATENT_PREFIXES):
            continue
        flat = value.reshape(value.shape[0], value.shape[1], -1)
        for j in range(flat.shape[2]):
            x = flat[:, :, j]
            if np.ptp(x) == 0:
                continue
            r = float(array_stats.rhat(x))
            b = float(array_stats.ess(x, method="bulk"))
            t = float(array_stats.ess(x, method="tail", prob=INTERVAL))
            if r > rhat:
                rhat, worst = r, f"{name}[{j}]"
            if t < tail:
                worst_tail = f"{name}[{j}]"
            bulk, tail = min(bulk, b), min(tail, t)
    if any(v.shape[0] < 2 for k, v in samples.items() if k.startswith(LATENT_PREFIXES)):
        # R-hat compares chains: one chain cannot show it has not converged, so its
        # R-hat is unknown (NaN), which the convergence rule counts as a failure.
        rhat, worst = float("nan"), "(one chain: R-hat needs two or more)"
    energy = extra["energy"]
    bfmi = np.asarray(array_stats.bfmi(energy)) if energy.shape[1] > 2 else np.array([np.nan])
    divergences = int(extra["diverging"].sum())
    return {
        "max_rhat": rhat,
        "worst_parameter": worst,
        "min_ess_bulk": float(bulk),
        "min_ess_tail": float(tail),
        "worst_tail_parameter": worst_tail,
        "divergences": divergences,
        "min_bfmi": float(np.nanmin(bfmi)),
        "mean_tree_steps": float(extra["num_steps"].mean()),
    }


def passes(diagnostics: dict[str, Any]) -> bool:
    """The issue's bar: R-hat <= 1.01, ESS >= 400 bulk and tail, no divergences."""
    from borderflow.records.convergence import converged

    return converged(diagnostics)


def _observed(data: ModelData) -> dict[str, Any]:
    return {
        "cells": list(data.cells),
        "seized_kg": np.where(np.isfinite(data.seized_kg), data.seized_kg, -1).tolist(),
        "us_deaths": np.where(np.isfinite(data.us_deaths), data.us_deaths, -1).tolist(),
        "ca_deaths": np.where(np.isfinite(data.ca_deaths), data.ca_deaths, -1).tolist(),
    }


def bound_log_weights(spec: Spec, years: tuple[int, ...], consumption: np.ndarray) -> np.ndarray:
    """Log weight of each prior draw under the spec's published bounds on consumption
    (`consumption` [N, M, T]): the same soft ceilings the fit applies as factors, so
    prior draws reweighted by them follow the full prior the fit starts from."""
    log_w = np.zeros(consumption.shape[0])
    for j, market in enumerate(spec.markets.values()):
        bound = market.bound
        if bound is not None and bound.year in years:
            level = np.maximum(consumption[:, j, years.index(bound.year)], 1e-300)
            log_w += bound.log_factor(level)
    return np.asarray(log_w)


def _full_prior(
    spec: Spec, years: tuple[int, ...], prior: dict[str, np.ndarray], seed: int
) -> dict[str, np.ndarray]:
    """Prior draws resampled by the bounds' weights (see `bound_log_weights`), so
    contraction compares the posterior with the whole prior, bounds included."""
    if "consumption" not in prior:
        return prior
    log_w = bound_log_weights(spec, years, prior["consumption"])
    w = np.exp(log_w - log_w.max())
    rng = seeds.generator(seed, "prior_reweighting")
    pick = rng.choice(len(w), size=len(w), replace=True, p=w / w.sum())
    return {k: v[pick] for k, v in prior.items()}


def check_data(data: ModelData) -> None:
    counts = data.observed_counts()
    if counts["seizure cell-years"] == 0:
        raise ModelError(
            "no CBP fentanyl seizures for the years asked; import the CBP files first "
            "(borderflow data import FILE, or `borderflow demo` for the bundled series)"
        )
    if len(data.years) < 2:
        raise ModelError("fit at least two fiscal years")


def fit(
    spec: Spec,
    data: ModelData,
    settings: FitSettings,
    prior_scale: tuple[tuple[str, float], ...] = (),
) -> Posterior:
    """Calibrate `spec` to `data`; seeded, so the same inputs give the same draws.
    `prior_scale` widens or narrows named priors first (the sensitivity check)."""
    check_data(data)
    started = time.perf_counter()
    job = ChainJob(
        spec.text, spec.source_name, data.years, (model_inputs(data),), settings.chains,
        settings.warmup, settings.draws, settings.seed, settings.target_accept,
        prior_scale=prior_scale, prior_draws=settings.chains * settings.draws,
        compile_cache=settings.compile_cache, max_tree_depth=settings.max_tree_depth,
    )  # fmt: skip
    [result] = sample(job, settings.resolved_workers())
    diagnostics = diagnose(result["samples"], result["extra"])
    diagnostics["sampling_seconds"] = result["seconds"]
    draws = dict(result["samples"])
    prior = _full_prior(spec, data.years, result["prior"], settings.seed)
    draws.update({PRIOR_PREFIX + k: v[None] for k, v in prior.items()})
    return Posterior(
        spec, data.years, data.fit_years, draws, settings, diagnostics,
        data.releases, time.perf_counter() - started, _observed(data),
    )  # fmt: skip


def fit_many(
    spec: Spec, datasets: list[ModelData], settings: FitSettings, *, anchors: bool = True
) -> list[dict[str, Any]]:
    """Draws ("samples") and sampler statistics ("extra") for several datasets of the
    same shape, compiling the sampler once (used by the recovery checks)."""
    job = ChainJob(
        spec.text, spec.source_name, datasets[0].years,
        tuple(model_inputs(d) for d in datasets), settings.chains, settings.warmup,
        settings.draws, settings.seed, settings.target_accept, anchors,
        compile_cache=settings.compile_cache, max_tree_depth=settings.max_tree_depth,
    )  # fmt: skip
    return sample(job, settings.resolved_workers())


def _interval(values: np.ndarray) -> tuple[float, float, float]:
    lo, med, hi = np.quantile(values, [INTERVAL[0], 0.5, INTERVAL[1]], axis=0)
    return float(med), float(lo), float(hi)


def contraction(prior: np.ndarray, posterior: np.ndarray, unit: str) -> float:
    """1 - var(posterior) / var(prior), on the log scale for amounts and the logit scale
    for fractions, where these quantities are close to normal: near 1 the data decided,
    near 0 the prior did (design notes section 4)."""
    if unit in ("fraction", "probability"):
        eps = 1e-12
        prior, posterior = (special.logit(np.clip(x, eps, 1 - eps)) for x in (prior, posterior))
    else:
        prior, posterior = np.log(np.maximum(prior, 1e-300)), np.log(np.maximum(posterior, 1e-300))
    spread = float(np.var(prior))
    return 1.0 - float(np.var(posterior)) / spread if spread > 0 else float("nan")


def summary_rows(posterior: Posterior) -> list[Estimate]:
    """Headline quantities per fiscal year: median and 90% interval, and where the fit
    drew from the prior too, the prior's 90% interval and the contraction."""
    spec = posterior.spec
    rows: list[Estimate] = []

    def add(quantity: str, item: str, year: int | None, index: tuple[Any, ...], unit: str) -> None:
        values = posterior.flat(quantity)[(slice(None), *index)]
        med, lo, hi = _interval(values)
        fitted = year is None or year in posterior.fit_years
        prior = posterior.prior(quantity)
        if prior is None:
            rows.append(Estimate(quantity, item, year, med, lo, hi, unit, fitted))
            return
        before = prior[(slice(None), *index)]
        _, prior_low, prior_high = _interval(before)
        rows.append(
            Estimate(
                quantity,
                item,
                year,
                med,
                lo,
                hi,
                unit,
                fitted,
                prior_low,
                prior_high,
                contraction(before, values, unit),
            )
        )

    share = "canada_share" in posterior.draws
    for t, year in enumerate(posterior.years):
        if share:
            add("canada_share", "CA of fentanyl reaching the US", year, (t,), "fraction")
        for e, edge in enumerate(spec.edges):
            add("flow", edge.id, year, (e, t), "kg pure")
        for m, market in enumerate(spec.markets):
            add("consumption", market, year, (m, t), "kg pure")
        for e, edge in enumerate(spec.edges):
            if edge.detection is not None or edge.detection_origin is not None:
                add("detection", edge.id, year, (e, t), "probability")
        for p, producer in enumerate(spec.producers):
            add("purity", producer, year, (p, t), "fraction")
    return rows


def seizure_predictions(posterior: Posterior, seed: int = 0) -> list[dict[str, Any]]:
    """Posterior predictive 90% intervals of every cell-year's seizures (lb), with the
    observed value and whether it falls inside; held-out years are marked."""
    rng = seeds.generator(seed, "predictions")
    expected = posterior.flat("expected_seized_kg")
    sd = posterior.flat("predictive_sd")
    draws = np.exp(np.log(expected) - sd**2 / 2 + sd * rng.standard_normal(expected.shape))
    observed = np.array(posterior.observed["seized_kg"])
    rows = []
    for c, cell in enumerate(posterior.observed["cells"]):
        for t, year in enumerate(posterior.years):
            lo, hi = np.quantile(draws[:, c, t], INTERVAL)
            value = observed[c, t]
            rows.append(
                {
                    "cell": cell,
                    "fy": year,
                    "held_out": year not in posterior.fit_years,
                    "observed_lb": value / LB_TO_KG if value >= 0 else None,
                    "low_lb": lo / LB_TO_KG,
                    "high_lb": hi / LB_TO_KG,
                    "inside": bool(lo <= value <= hi) if value >= 0 else None,
                }
            )
    return rows
