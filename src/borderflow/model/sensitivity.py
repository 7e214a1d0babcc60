"""Prior sensitivity: refit with the purity or detection priors narrowed and widened.

Seizures pin only detection x flow / purity, so the headline estimates lean on those two
priors. Refitting with each prior's sd halved and doubled (design notes section 4) shows
how far the answer moves when the prior is held more or less firmly. A headline whose
interval shifts a lot is prior-driven, and the reader should be told so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from borderflow.model.data import ModelData
from borderflow.model.fit import INTERVAL, FitSettings, Posterior, check_data, fit
from borderflow.model.spec import SCALABLE, Spec

FACTORS = (0.5, 2.0)


def headlines(posterior: Posterior) -> dict[tuple[str, str], np.ndarray]:
    """Draws of the headline quantities in the last fitted year."""
    t = posterior.years.index(max(posterior.fit_years))
    out: dict[tuple[str, str], np.ndarray] = {}
    if "canada_share" in posterior.draws:
        out["canada_share", "CA of fentanyl reaching the US"] = posterior.flat("canada_share")[:, t]
    consumption = posterior.flat("consumption")
    for m, market in enumerate(posterior.spec.markets):
        if market in ("US", "CA"):
            out["consumption", market] = consumption[:, m, t]
    return out


@dataclass(frozen=True, slots=True)
class Shift:
    """One headline under one prior change, against the unchanged fit."""

    kind: str  # "purity" or "detection"
    factor: float  # the prior sd multiplier
    quantity: str
    item: str
    fy: int
    median: float
    low: float
    high: float
    base_median: float
    base_low: float
    base_high: float

    @property
    def shift(self) -> float:
        """Change of the median on the log scale, in units of the unchanged fit's 90%
        interval width (also on the log scale): 0 is none, 1 a whole interval."""
        width = np.log(self.base_high) - np.log(self.base_low)
        move = np.log(self.median) - np.log(self.base_median)
        return float(move / width) if width > 0 else float("nan")

    def row(self) -> dict[str, Any]:
        return {
            "prior": self.kind, "sd_factor": self.factor, "quantity": self.quantity,
            "item": self.item, "fy": self.fy, "median": self.median, "low": self.low,
            "high": self.high, "base_median": self.base_median, "base_low": self.base_low,
            "base_high": self.base_high, "shift": self.shift,
        }  # fmt: skip


def _interval(values: np.ndarray) -> tuple[float, float, float]:
    lo, med, hi = np.quantile(values, [INTERVAL[0], 0.5, INTERVAL[1]])
    return float(med), float(lo), float(hi)


def sensitivity(
    spec: Spec,
    data: ModelData,
    settings: FitSettings,
    *,
    kinds: tuple[str, ...] = SCALABLE,
    factors: tuple[float, ...] = FACTORS,
    base: Posterior | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Shift]:
    """Headlines refitted with each `kinds` prior's sd times each of `factors`."""
    check_data(data)
    if base is None:
        if progress:
            progress("unchanged priors")
        base = fit(spec, data, settings)
    reference = {k: _interval(v) for k, v in headlines(base).items()}
    year = max(base.fit_years)
    out: list[Shift] = []
    for kind in kinds:
        for factor in factors:
            if progress:
                progress(f"{kind} prior sd x {factor:g}")
            changed = fit(spec, data, settings, prior_scale=((kind, factor),))
            for (quantity, item), values in headlines(changed).items():
                med, lo, hi = _interval(values)
                out.append(
                    Shift(kind, factor, quantity, item, year, med, lo, hi,
                          *reference[quantity, item])
                )  # fmt: skip
    return out
