"""A converged fit for the tests that need one.

A fixed seed gives the same draws on one machine, but the arithmetic XLA compiles can
differ with the processor and with the builds of unpinned libraries, so a short fit that
passes the bar on one machine can end with one divergent transition on another (seed 3
of the model tests did on 2026-12-01, with the code that passed the day before). The
tests then do what the CLI tells a user: fit again with another seed. A fit that fails
with each seed tried is a real failure, reported with every reason."""

from __future__ import annotations

from dataclasses import replace

import pytest

from borderflow.model.api import fit_model
from borderflow.model.fit import FitSettings, Posterior
from borderflow.records.convergence import failures
from borderflow.store import Store

TRIES = 2


def converged_fit(
    store: Store,
    settings: FitSettings,
    *,
    years: tuple[int, int],
    fit_through: int | None = None,
    where: str,
) -> tuple[int, Posterior]:
    """The first of `TRIES` fits (seeds `settings.seed`, then the next) that converges;
    `where` names the settings to change when none does. Two tries, not more: settings
    that fail two seeds in a row are a regression to see, not to retry past."""
    reasons = []
    for seed in range(settings.seed, settings.seed + TRIES):
        tried = replace(settings, seed=seed)
        run_id, posterior = fit_model(store, years=years, fit_through=fit_through, settings=tried)
        failed = failures(posterior.diagnostics)
        if not failed:
            return run_id, posterior
        reasons.append(f"seed {seed}: {'; '.join(failed)}")
    pytest.fail(
        f"no fit converged with {settings} and seeds {settings.seed}-{settings.seed + TRIES - 1} "
        f"({' | '.join(reasons)}); change the settings in {where}"
    )
