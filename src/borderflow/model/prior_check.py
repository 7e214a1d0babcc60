"""Prior predictive check: before any fit, what the model's priors expect every observed
series to look like, and where the real observation falls among those expectations.

An observation far in the tail of its prior predictive (outside the central 99%: "at
odds") means the priors and the data disagree before the data have had a say: a prior to revisit,
not a result to report (Gelman et al. 2020, section 2.4). The draws come from the same
simulator the recovery check uses, so the two checks share one definition of the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from borderflow.model.data import ModelData
from borderflow.model.recovery import simulate
from borderflow.model.spec import Spec
from borderflow.units import LB_TO_KG

TAIL = 0.005  # outside the central 99%: prior and data at odds
# The three readings of an observation against its prior predictive.
INSIDE, IN_TAIL, AT_ODDS = "inside", "tail", "at odds"


@dataclass(frozen=True, slots=True)
class PriorCheckRow:
    series: str
    fy: int | None
    unit: str
    observed: float
    low: float  # prior predictive 5%
    median: float
    high: float  # prior predictive 95%
    percentile: float  # share of prior predictive draws below the observation

    @property
    def verdict(self) -> str:
        if self.percentile < TAIL or self.percentile > 1 - TAIL:
            return AT_ODDS
        if self.low <= self.observed <= self.high:
            return INSIDE
        return IN_TAIL

    def row(self) -> dict[str, Any]:
        return {
            "series": self.series, "fy": self.fy, "unit": self.unit, "observed": self.observed,
            "prior_low": self.low, "prior_median": self.median, "prior_high": self.high,
            "percentile": self.percentile, "verdict": self.verdict,
        }  # fmt: skip


def _row(
    series: str, fy: int | None, unit: str, observed: float, draws: np.ndarray
) -> PriorCheckRow:
    finite = draws[np.isfinite(draws)]
    lo, med, hi = (float(v) for v in np.quantile(finite, [0.05, 0.5, 0.95]))
    return PriorCheckRow(series, fy, unit, float(observed), lo, med, hi,
                         float(np.mean(finite < observed)))  # fmt: skip


def prior_check(
    spec: Spec, data: ModelData, draws: int = 1000, seed: int = 0
) -> list[PriorCheckRow]:
    """One row per observed value: CBP cell-years (lb), U.S. and Canadian deaths, DEA
    purity and the fitted CBSA figures."""
    sims = [d for d, _ in simulate(spec, data, draws, seed)]
    rows: list[PriorCheckRow] = []
    seized = np.stack([s.seized_kg for s in sims]) / LB_TO_KG
    for c, cell in enumerate(data.cells):
        for t, year in enumerate(data.years):
            value = data.seized_kg[c, t]
            # A year with no seizure has no percentile worth reading (the model handles
            # zeros by their own term), so only seized amounts are checked.
            if np.isfinite(value) and value > 0 and year in data.fit_years:
                rows.append(_row(f"CBP {cell}", year, "lb", value / LB_TO_KG, seized[:, c, t]))
    for name, label in (
        ("us_deaths", "U.S. deaths (CDC)"),
        ("ca_deaths", "Canadian deaths (PHAC)"),
    ):
        simulated = np.stack([getattr(s, name) for s in sims])
        for t, year in enumerate(data.years):
            value = getattr(data, name)[t]
            if np.isfinite(value) and year in data.fit_years:
                rows.append(_row(label, year, "deaths", value, simulated[:, t]))
    producers = list(spec.producers)
    purity = np.stack([s.published.purity_logit for s in sims])
    observed = data.published.purity_logit
    for p, producer in enumerate(producers):
        for t, year in enumerate(data.years):
            if np.isfinite(observed[p, t]):
                rows.append(
                    _row(f"DEA powder purity ({producer})", year, "fraction",
                         _expit(observed[p, t]), _expit(purity[:, p, t]))
                )  # fmt: skip
    cbsa = np.stack([s.published.cbsa_kg for s in sims])
    for i, figure in enumerate(data.published.cbsa_ids):
        rows.append(_row(f"CBSA {figure}", None, "kg", data.published.cbsa_kg[i], cbsa[:, i]))
    return rows


def _expit(x: Any) -> Any:
    return 1 / (1 + np.exp(-x))
