"""Model runs made without sampling, for the tests of what uses a fit and what does not:
a `ModelRun` saved as `fit_model` would save it, with diagnostics that pass or fail the
convergence bar. Shared by the store, web and CLI tests."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from borderflow.records.convergence import converged
from borderflow.records.estimates import Estimate, ModelRun

PASSING: dict[str, Any] = {
    "max_rhat": 1.004, "worst_parameter": "logit_detection[1]", "min_ess_bulk": 812.0,
    "min_ess_tail": 530.0, "worst_tail_parameter": "logit_purity[1]", "divergences": 0,
    "min_bfmi": 0.83, "mean_tree_steps": 19.3, "sampling_seconds": 30.0,
}  # fmt: skip
FAILING: dict[str, Any] = {
    **PASSING, "max_rhat": 1.05, "worst_parameter": "logit_scalars[3]", "min_ess_bulk": 150.0,
    "min_ess_tail": 80.0, "worst_tail_parameter": "flow_steps[4]", "divergences": 3,
}  # fmt: skip
# What a reader is told about a FAILING run (records.convergence.failures).
FAILING_WORDS = (
    "R-hat 1.050 is above 1.01 (worst: logit_scalars[3]); bulk ESS 150 is below 400; "
    "tail ESS 80 is below 400 (worst: flow_steps[4]); 3 divergent transitions"
)


def model_run(
    diagnostics: dict[str, Any], *, share: float = 0.02, base: ModelRun | None = None
) -> ModelRun:
    """A run with these diagnostics (and `converged` as fit_model sets it), estimating
    Canada's FY2024 share at `share`; with `base`, a copy of that run (its spec, estimates
    and draws) with these diagnostics instead."""
    if base is not None:
        return replace(
            base, diagnostics=diagnostics, converged=converged(diagnostics), id=None,
            created_at=None,
        )  # fmt: skip
    estimate = Estimate(
        "canada_share", "CA of fentanyl reaching the US", 2024, share, share / 2, share * 2,
        "fraction", True,
    )  # fmt: skip
    return ModelRun(
        spec_name="network.yaml", spec_sha256="0" * 64, spec_text="name: test\n",
        years=(2023, 2024), fit_years=(2023, 2024),
        settings={"chains": 4, "warmup": 400, "draws": 400, "seed": 1}, releases=(),
        diagnostics=diagnostics, estimates=(estimate,), observed={}, seconds=40.0,
        converged=converged(diagnostics), posterior=b"",
    )  # fmt: skip
