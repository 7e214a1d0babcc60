"""Prior distributions as data: parsed from spec files, checked, and drawn with NumPy.

The NumPyro model turns the same `Prior` objects into sample sites (see `flows.py`); the
scenario engine draws the route-choice priors here with NumPy, so both read one definition.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special, stats

from borderflow.model.yamlfile import KeyPath, Located

# dist -> required numeric parameters
FORMS: dict[str, tuple[str, ...]] = {
    "lognormal": ("median", "sd"),
    "logit_normal": ("median", "sd"),
    "normal": ("mean", "sd"),
    "half_normal": ("scale",),
    "beta": ("a", "b"),
    "uniform": ("low", "high"),
    "fixed": ("value",),
}


@dataclass(frozen=True, slots=True)
class Prior:
    """One prior: its form, parameters and the source it came from."""

    dist: str
    params: dict[str, Any]
    source: str

    def describe(self) -> str:
        inner = ", ".join(f"{k} {v:g}" for k, v in self.params.items())
        return f"{self.dist}({inner})"

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """`size` independent draws (scalar priors only)."""
        p = self.params
        if self.dist == "lognormal":
            return np.asarray(
                np.exp(np.log(p["median"]) + p["sd"] * rng.standard_normal(size)), float
            )
        if self.dist == "logit_normal":
            return np.asarray(
                special.expit(special.logit(p["median"]) + p["sd"] * rng.standard_normal(size))
            )
        if self.dist == "normal":
            return np.asarray(p["mean"] + p["sd"] * rng.standard_normal(size))
        if self.dist == "half_normal":
            return np.asarray(np.abs(p["scale"] * rng.standard_normal(size)), float)
        if self.dist == "beta":
            return rng.beta(p["a"], p["b"], size)
        if self.dist == "uniform":
            return rng.uniform(p["low"], p["high"], size)
        if self.dist == "fixed":
            return np.full(size, p["value"])
        raise ValueError(f"cannot draw a scalar from a {self.dist} prior")

    def quantiles(self, qs: tuple[float, float]) -> tuple[float, float]:
        """Prior quantiles (scalar priors), used as default sweep ranges."""
        p = self.params
        lo, hi = qs
        if self.dist == "lognormal":
            z = stats.norm.ppf([lo, hi])
            return tuple(float(np.exp(np.log(p["median"]) + p["sd"] * v)) for v in z)  # type: ignore[return-value]
        if self.dist == "logit_normal":
            z = stats.norm.ppf([lo, hi])
            return tuple(  # type: ignore[return-value]
                float(special.expit(special.logit(p["median"]) + p["sd"] * v)) for v in z
            )
        if self.dist == "normal":
            return (
                float(stats.norm.ppf(lo, p["mean"], p["sd"])),
                float(stats.norm.ppf(hi, p["mean"], p["sd"])),
            )
        if self.dist == "half_normal":
            return (
                float(stats.halfnorm.ppf(lo, scale=p["scale"])),
                float(stats.halfnorm.ppf(hi, scale=p["scale"])),
            )
        if self.dist == "beta":
            return (
                float(stats.beta.ppf(lo, p["a"], p["b"])),
                float(stats.beta.ppf(hi, p["a"], p["b"])),
            )
        if self.dist == "uniform":
            width = p["high"] - p["low"]
            return (p["low"] + lo * width, p["low"] + hi * width)
        if self.dist == "fixed":
            return (p["value"], p["value"])
        raise ValueError(f"no scalar quantiles for a {self.dist} prior")


def _number(doc: Located, path: KeyPath, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise doc.error(path, f"expected a number, got {value!r}")
    return float(value)


def parse_prior(doc: Located, path: KeyPath, raw: Any, *, need_source: bool = True) -> Prior:
    """Check one prior mapping at `path` and return it; errors name the file and line."""
    if not isinstance(raw, dict):
        raise doc.error(path, "expected a prior mapping like {dist: lognormal, median: 1, sd: 1}")
    dist = raw.get("dist")
    if dist not in FORMS:
        raise doc.error((*path, "dist"), f"unknown dist {dist!r}; one of {', '.join(FORMS)}")
    source = raw.get("source", "")
    if need_source and (not isinstance(source, str) or not source.strip()):
        raise doc.error(path, "every prior needs a `source` (write 'own judgement' if none)")
    unknown = set(raw) - {"dist", "source", *FORMS[dist]}
    if unknown:
        raise doc.error(path, f"unknown keys for {dist}: {', '.join(sorted(unknown))}")
    params: dict[str, Any] = {}
    for key in FORMS[dist]:
        if key not in raw:
            raise doc.error(path, f"{dist} prior needs `{key}`")
        params[key] = _number(doc, (*path, key), raw[key])
    _check_ranges(doc, path, dist, params)
    return Prior(dist, params, str(source))


def _check_ranges(doc: Located, path: KeyPath, dist: str, p: dict[str, Any]) -> None:
    positive = {"sd", "scale", "a", "b"} & set(p)
    for key in positive:
        if p[key] <= 0:
            raise doc.error((*path, key), f"{key} must be positive")
    if dist == "lognormal" and p["median"] <= 0:
        raise doc.error((*path, "median"), "a lognormal median must be positive")
    if dist == "logit_normal" and not 0 < p["median"] < 1:
        raise doc.error((*path, "median"), "a logit_normal median must be between 0 and 1")
    if dist == "uniform" and p["low"] >= p["high"]:
        raise doc.error((*path, "high"), "high must be above low")
