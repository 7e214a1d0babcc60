"""Out-of-sample checks: forecast the years a fit did not see and score the forecasts.

Coverage alone rewards vague forecasts, so each held-out observation is also scored by
its log predictive density, next to a persistence forecast (next year looks like the last
one seen, with the spread of the series' own year-to-year changes). A model that cannot
beat persistence has learnt nothing about the years it forecasts (design notes section 4).
Scores are on the log scale of the observation for both forecasts, so they compare.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from scipy import special, stats

from borderflow.errors import ModelError
from borderflow.model import seeds
from borderflow.model.data import ModelData
from borderflow.model.fit import INTERVAL, FitSettings, Posterior, check_data, fit
from borderflow.model.spec import Spec
from borderflow.model.spec_sections import CA_DEATHS, US_DEATHS
from borderflow.units import LB_TO_KG

DEATH_SERIES = (("US deaths", "us_deaths", US_DEATHS), ("CA deaths", "ca_deaths", CA_DEATHS))


@dataclass(frozen=True, slots=True)
class Forecast:
    """One held-out observation against its predictive distribution."""

    series: str  # a CBP cell id, "US deaths" or "CA deaths"
    fy: int
    observed: float  # lb for seizures, deaths for deaths
    median: float
    low: float
    high: float
    log_density: float  # model, at log(observed)
    persistence_log_density: float

    @property
    def inside(self) -> bool:
        return self.low <= self.observed <= self.high

    def row(self) -> dict[str, Any]:
        return {
            "series": self.series, "fy": int(self.fy), "observed": float(self.observed),
            "median": float(self.median), "low": float(self.low), "high": float(self.high),
            "inside": bool(self.inside), "log_density": float(self.log_density),
            # None where persistence was not scored (a held-out middle year).
            "persistence_log_density": (
                float(self.persistence_log_density)
                if np.isfinite(self.persistence_log_density) else None
            ),
        }  # fmt: skip


def _mixture_log_density(x: float, mean: np.ndarray, sd: np.ndarray) -> float:
    """log of the average over draws of N(x; mean, sd): the posterior predictive density."""
    return float(special.logsumexp(stats.norm.logpdf(x, mean, sd)) - np.log(mean.size))


def _persistence(series: np.ndarray, fitted: np.ndarray, t: int) -> tuple[float, float] | None:
    """(mean, sd) of log(series[t]) under persistence from the fitted years before t."""
    logs = np.where(np.isfinite(series) & (series > 0), np.log(np.maximum(series, 1e-300)), np.nan)
    seen = [i for i in range(t) if fitted[i] and np.isfinite(logs[i])]
    if not seen:
        return None
    fitted_logs = np.where(fitted, logs, np.nan)
    changes = np.diff(fitted_logs)
    changes = changes[np.isfinite(changes)]
    if len(changes) < 2:
        return None
    last = seen[-1]
    return float(logs[last]), float(np.std(changes, ddof=1) * np.sqrt(t - last))


def forecasts(
    posterior: Posterior, data: ModelData, seed: int = 0, years: tuple[int, ...] | None = None
) -> list[Forecast]:
    """Scores for every observation in the years `posterior` was not fitted on (or in
    those of them listed in `years`).

    Seizures are scored in any held-out year. Deaths only in the last year, and only when
    it is held out: the fit keeps the lethality state of that year alone."""
    rng = seeds.generator(seed, "forecasts")
    fitted = data.fitted
    expected = posterior.flat("expected_seized_kg")
    sd = posterior.flat("predictive_sd")
    out: list[Forecast] = []
    scored = [
        not fitted[t] and (years is None or year in years) for t, year in enumerate(data.years)
    ]
    for t, year in enumerate(data.years):
        if not scored[t]:
            continue
        for c, cell in enumerate(data.cells):
            value = data.seized_kg[c, t]
            if not np.isfinite(value) or value <= 0:
                continue  # a zero year has no log; it is rare and left unscored
            mean = np.log(expected[:, c, t]) - sd[:, c, t] ** 2 / 2
            draws = np.exp(mean + sd[:, c, t] * rng.standard_normal(mean.shape))
            lo, med, hi = np.quantile(draws, [INTERVAL[0], 0.5, INTERVAL[1]])
            base = _persistence(data.seized_kg[c], fitted, t)
            out.append(
                Forecast(
                    cell, year, value / LB_TO_KG, med / LB_TO_KG, lo / LB_TO_KG, hi / LB_TO_KG,
                    _mixture_log_density(np.log(value), mean, sd[:, c, t]),
                    float(stats.norm.logpdf(np.log(value), *base)) if base else float("nan"),
                )
            )  # fmt: skip
    if scored[-1]:
        out += _death_forecasts(posterior, data, rng)
    return out


def _death_forecasts(
    posterior: Posterior, data: ModelData, rng: np.random.Generator
) -> list[Forecast]:
    """Deaths in the last year: the filtered lethality state (log lethality L, Canada's
    offset c, their covariance) times the forecast consumption, plus the model's noise."""
    spec = posterior.spec
    markets = list(spec.markets.values())
    consumption = posterior.flat("consumption")[..., -1]  # [N, M]
    mean = posterior.flat("lethality_state_mean")
    cov = posterior.flat("lethality_state_cov")
    noise_prior = spec.parameters["deaths_noise"]
    noise = (
        posterior.flat("param_deaths_noise")
        if "param_deaths_noise" in posterior.draws
        else np.full(len(mean), float(noise_prior.params.get("value", 0.1)))
    )
    imf = (
        posterior.flat("param_imf_share")
        if "param_imf_share" in posterior.draws
        else np.ones(len(mean))
    )
    fitted = data.fitted
    t = len(data.years) - 1
    out = []
    for label, attribute, source in DEATH_SERIES:
        series = getattr(data, attribute)
        value = series[t]
        j = next((i for i, m in enumerate(markets) if m.deaths == source), None)
        if j is None or not np.isfinite(value) or value <= 0:
            continue
        h = 1.0 if source == CA_DEATHS else 0.0
        scale = imf if source == US_DEATHS else 1.0
        centre = mean[:, 0] + h * mean[:, 1] + np.log(scale * consumption[:, j])
        spread = np.sqrt(
            np.maximum(cov[:, 0] + 2 * h * cov[:, 1] + h * h * cov[:, 2], 0.0) + noise**2
        )
        draws = np.exp(centre + spread * rng.standard_normal(centre.shape))
        lo, med, hi = np.quantile(draws, [INTERVAL[0], 0.5, INTERVAL[1]])
        base = _persistence(series, fitted, t)
        out.append(
            Forecast(
                label, data.years[t], float(value), med, lo, hi,
                _mixture_log_density(np.log(value), centre, spread),
                float(stats.norm.logpdf(np.log(value), *base)) if base else float("nan"),
            )
        )  # fmt: skip
    return out


@dataclass(frozen=True, slots=True)
class Validation:
    """Forecasts from every held-out fit, and how they add up."""

    forecasts: tuple[Forecast, ...]
    fits: tuple[tuple[str, dict[str, Any]], ...]  # (which years were held out, diagnostics)

    @property
    def inside(self) -> int:
        return sum(f.inside for f in self.forecasts)

    def log_density(self) -> tuple[float, float, int]:
        """Summed log predictive density of the model and of persistence, over the
        observations both can score."""
        both = [
            f for f in self.forecasts
            if np.isfinite(f.log_density) and np.isfinite(f.persistence_log_density)
        ]  # fmt: skip
        return (
            float(sum(f.log_density for f in both)),
            float(sum(f.persistence_log_density for f in both)),
            len(both),
        )


def validate(
    spec: Spec,
    data: ModelData,
    settings: FitSettings,
    *,
    forecast: bool = True,
    steps_ahead: tuple[int, ...] = (),
    leave_out: tuple[int, ...] = (),
    progress: Callable[[str], None] | None = None,
) -> Validation:
    """Refit with years held out and score what each fit forecasts.

    `forecast` holds out the last year (fit on the rest, forecast it). Each year in
    `steps_ahead` is forecast one step ahead: fitted on the years before it only, the
    later ones cut away, so model and persistence both extrapolate from the same past.
    Each year in `leave_out` is held out on its own with the years either side still
    fitted: the model interpolates there, so its persistence score is left out."""
    years = list(data.fit_years)
    plans: list[tuple[str, ModelData, tuple[int, ...], bool]] = []
    for year in (*steps_ahead, *leave_out):
        if year not in years[1:]:
            raise ModelError(
                f"FY{year} cannot be held out: choose from FY{years[1]}-FY{years[-1]} "
                "(the first fitted year has no past to forecast it from)"
            )
    ahead = sorted({*steps_ahead, *((years[-1],) if forecast else ())})
    for year in ahead:
        part = data.through(year)
        plans.append((f"forecast FY{year}", part.restrict(part.fit_years[:-1]), (year,), True))
    for year in leave_out:
        kept = tuple(y for y in years if y != year)
        plans.append((f"leave out FY{year}", data.restrict(kept), (year,), False))
    found: list[Forecast] = []
    fits: list[tuple[str, dict[str, Any]]] = []
    for label, part, held, extrapolating in plans:
        if progress:
            progress(label)
        check_data(part)
        posterior = fit(spec, part, settings)
        scored = forecasts(posterior, part, seed=settings.seed, years=held)
        if not extrapolating:
            scored = [replace(f, persistence_log_density=float("nan")) for f in scored]
        found += scored
        fits.append((label, posterior.diagnostics))
    return Validation(tuple(found), tuple(fits))
