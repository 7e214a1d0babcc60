"""The model's Python API, mirroring `borderflow model ...`: fit and store, load the fit in
use (the newest converged one), run scenario files, validate on held-out years, check
prior sensitivity."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from borderflow.errors import ModelError
from borderflow.model.baseline import baseline_from
from borderflow.model.data import load_model_data
from borderflow.model.fit import FitSettings, Posterior, fit, summary_rows
from borderflow.model.scenario import run_scenarios
from borderflow.model.scenario_files import load_scenario
from borderflow.model.scenario_summary import summarise
from borderflow.model.sensitivity import Shift, sensitivity
from borderflow.model.spec import Spec, load_spec, spec_from_text
from borderflow.model.validation import Validation, validate
from borderflow.records.convergence import converged
from borderflow.records.estimates import ModelRun, ScenarioOutcome
from borderflow.store import Store
from borderflow.store.model_runs import fit_in_use, latest_run, save_run


def fit_model(
    store: Store,
    *,
    spec_path: Path | None = None,
    years: tuple[int, int] | None = None,
    fit_through: int | None = None,
    settings: FitSettings | None = None,
) -> tuple[int, Posterior]:
    """Fit the spec to the store's official series and save the run; returns its id.
    A fit that fails its convergence checks is saved too, marked as such, and is never
    the fit in use (`ModelRun.converged`)."""
    spec = load_spec(spec_path)
    span = years or (spec.first_year, spec.last_year)
    data = load_model_data(store, spec, span, fit_through)
    posterior = fit(spec, data, settings or FitSettings())
    run = ModelRun(
        spec_name=spec.source_name, spec_sha256=spec.sha256, spec_text=spec.text,
        years=posterior.years, fit_years=posterior.fit_years,
        settings=posterior.settings.record(), releases=tuple(posterior.releases),
        diagnostics=posterior.diagnostics, estimates=tuple(summary_rows(posterior)),
        observed=posterior.observed, seconds=posterior.seconds,
        converged=converged(posterior.diagnostics), posterior=posterior.to_bytes(),
    )  # fmt: skip
    return save_run(store, run), posterior


def last_fit(store: Store) -> Posterior:
    """The fit in use (the newest converged one), rebuilt with its own spec; a store whose
    fits all failed has none, and the error says which failed and what to do."""
    run = latest_run(store)
    if run is None or run.posterior is None:
        raise ModelError(fit_in_use(store).missing())
    spec: Spec = spec_from_text(run.spec_text, run.spec_name)
    return Posterior(
        spec=spec,
        years=run.years,
        fit_years=run.fit_years,
        draws=Posterior.draws_from_bytes(run.posterior),
        settings=FitSettings(**run.settings),
        diagnostics=run.diagnostics,
        releases=run.releases,
        seconds=run.seconds,
        observed=run.observed,
    )


def run_scenario_files(
    store: Store, paths: list[Path], *, draws: int | None = 1000
) -> list[ScenarioOutcome]:
    """Outcome rows (baseline first) for scenario files against the fit in use."""
    posterior = last_fit(store)
    base = baseline_from(posterior, draws=draws)
    scenarios = [load_scenario(p, posterior.spec) for p in paths]
    # A scenario without changes is the baseline itself, which always comes first.
    scenarios = [s for s in scenarios if s.changes]
    return summarise(run_scenarios(base, scenarios), posterior.spec)


def validate_model(
    store: Store,
    *,
    spec_path: Path | None = None,
    years: tuple[int, int] | None = None,
    forecast: bool = True,
    steps_ahead: tuple[int, ...] = (),
    leave_out: tuple[int, ...] = (),
    settings: FitSettings | None = None,
    progress: Callable[[str], None] | None = None,
) -> Validation:
    """Held-out forecasts: the last year, each year in `steps_ahead` from the years
    before it only, and each year in `leave_out` on its own."""
    spec = load_spec(spec_path)
    data = load_model_data(store, spec, years or (spec.first_year, spec.last_year))
    return validate(
        spec, data, settings or FitSettings(), forecast=forecast, steps_ahead=steps_ahead,
        leave_out=leave_out, progress=progress,
    )  # fmt: skip


def prior_sensitivity(
    store: Store,
    *,
    spec_path: Path | None = None,
    years: tuple[int, int] | None = None,
    settings: FitSettings | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Shift]:
    """Headlines refitted with the purity and detection prior sds halved and doubled."""
    spec = load_spec(spec_path)
    data = load_model_data(store, spec, years or (spec.first_year, spec.last_year))
    return sensitivity(spec, data, settings or FitSettings(), progress=progress)
