"""When a fit of the flow model has converged, in one place: the sampler's bar, each test
it failed in words, and what to do about it.

A fit that fails the bar is kept for the record but never used: its chains may not have
mixed or explored the whole posterior, so its medians and intervals cannot be trusted.
The store decides which fit is used with `converged`, the command line and the web app
say why with `failures`, so the rule lives here, below both.

The bar: rank-normalised split R-hat at most 1.01 on every sampled parameter, bulk and
tail effective sample sizes of at least 400 (Vehtari et al. 2021, "Rank-normalization,
folding, and localization", doi:10.1214/20-BA1221), and no divergent transitions
(Betancourt 2017, arXiv:1701.02434).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

MAX_RHAT = 1.01
MIN_ESS_BULK = 400
MIN_ESS_TAIL = 400
MAX_DIVERGENCES = 0

# What to try when a fit fails: each option of `borderflow model fit`, in words.
REMEDY = (
    "run longer (`--warmup 2000 --draws 2000`), with more chains (`--chains 8`), "
    "or with another `--seed`"
)
NO_FIT = "no model fit in this store yet; run `borderflow model fit`"


@dataclass(frozen=True, slots=True)
class Convergence:
    """The figures the bar judges, read from a fit's stored diagnostics. A figure the
    diagnostics lack is None and fails: a fit that cannot show it converged is not used."""

    max_rhat: float | None
    worst_parameter: str
    min_ess_bulk: float | None
    min_ess_tail: float | None
    worst_tail_parameter: str
    divergences: int | None

    @classmethod
    def of(cls, diagnostics: Mapping[str, Any]) -> Convergence:
        """The figures of diagnostics as `model.fit.diagnose` makes and the store keeps
        them (keys `max_rhat`, `min_ess_bulk`, `min_ess_tail`, `divergences`...)."""
        count = _number(diagnostics.get("divergences"))
        divergences = int(count) if count is not None and math.isfinite(count) else None
        return cls(
            max_rhat=_number(diagnostics.get("max_rhat")),
            worst_parameter=str(diagnostics.get("worst_parameter") or ""),
            min_ess_bulk=_number(diagnostics.get("min_ess_bulk")),
            min_ess_tail=_number(diagnostics.get("min_ess_tail")),
            worst_tail_parameter=str(diagnostics.get("worst_tail_parameter") or ""),
            divergences=divergences,
        )

    def failures(self) -> list[str]:
        """Each test of the bar this fit failed, in words; empty when it converged."""
        found = []
        if self.max_rhat is None:
            found.append("R-hat was not recorded")
        elif math.isnan(self.max_rhat):
            found.append("R-hat could not be computed")
        elif not self.max_rhat <= MAX_RHAT:
            shown = _above(self.max_rhat, MAX_RHAT)
            found.append(f"R-hat {shown} is above {MAX_RHAT}{_worst(self.worst_parameter)}")
        for label, value, minimum, worst in (
            ("bulk ESS", self.min_ess_bulk, MIN_ESS_BULK, ""),
            ("tail ESS", self.min_ess_tail, MIN_ESS_TAIL, self.worst_tail_parameter),
        ):
            if value is None:
                found.append(f"{label} was not recorded")
            elif math.isnan(value):
                found.append(f"{label} could not be computed")
            elif not value >= minimum:
                shown = _below(value, minimum)
                found.append(f"{label} {shown} is below {minimum}{_worst(worst)}")
        if self.divergences is None:
            found.append("divergent transitions were not recorded")
        elif self.divergences > MAX_DIVERGENCES:
            plural = "s" if self.divergences != 1 else ""
            found.append(f"{self.divergences} divergent transition{plural}")
        return found


def failures(diagnostics: Mapping[str, Any]) -> list[str]:
    """Each convergence test the fit with these diagnostics failed, in plain words
    ("tail ESS 80 is below 400"); empty when it converged."""
    return Convergence.of(diagnostics).failures()


def converged(diagnostics: Mapping[str, Any]) -> bool:
    """Whether the fit with these diagnostics passes the bar, and so may be used."""
    return not failures(diagnostics)


def failed_fit(run_id: int | None, diagnostics: Mapping[str, Any]) -> str:
    """One clause on a stored fit that failed the bar: which, and why."""
    why = "; ".join(failures(diagnostics)) or "by the rule in force when it was stored"
    return f"model run {run_id} did not converge ({why})"


def no_usable_fit(run_id: int | None, diagnostics: Mapping[str, Any]) -> str:
    """Why there is no model estimate when every fit failed, naming the newest: the words
    the command line, the API, the pages and the report all use."""
    return (
        f"no usable model fit in this store: {failed_fit(run_id, diagnostics)}, so it is "
        f"not used; fit again with `borderflow model fit`: {REMEDY}"
    )


def newer_fit_failed(run_id: int | None, diagnostics: Mapping[str, Any], in_use: int | None) -> str:
    """A note beside the fit in use when a newer fit failed and so is not used."""
    return (
        f"a newer fit, {failed_fit(run_id, diagnostics)}, so it is not used: the estimates "
        f"are those of model run {in_use}, the newest fit that converged"
    )


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _worst(parameter: str) -> str:
    return f" (worst: {parameter})" if parameter else ""


def _above(value: float, limit: float) -> str:
    """The value with as many decimals as it takes to read above `limit` (1.0104 is
    "1.0104", never "1.010 is above 1.01")."""
    return _shown(value, range(3, 7), lambda shown: shown > limit)


def _below(value: float, limit: float) -> str:
    """An effective sample size as a whole number, with decimals only where rounding
    would reach `limit` (399.6 is "399.6", never "400 is below 400")."""
    return _shown(value, range(0, 4), lambda shown: shown < limit)


def _shown(value: float, places: range, reads_right: Callable[[float], bool]) -> str:
    for n in places:
        text = f"{value:.{n}f}"
        if reads_right(float(text)):
            return text
    return repr(value)
