"""`borderflow model`: fit the flow model, show the last fit, run scenarios and sweeps."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from borderflow.cli_common import fail, state_of
from borderflow.errors import BorderflowError
from borderflow.output import Format, emit

model_app = typer.Typer(
    help="The calibrated flow model: fit it to the official series, show estimates, "
    "run policy scenarios and sensitivity sweeps.",
    no_args_is_help=True,
)

_FIT_FIELDS = (
    "quantity", "item", "fy", "median", "low", "high", "unit", "fitted", "prior_low",
    "prior_high", "contraction",
)  # fmt: skip
_FIT_COLUMNS = (
    ("fy", "FY"),
    ("quantity", "quantity"),
    ("item", "edge / item"),
    ("median", "median"),
    ("low", "5%"),
    ("high", "95%"),
    ("unit", "unit"),
    ("prior_low", "prior 5%"),
    ("prior_high", "prior 95%"),
    ("contraction", "contraction"),
)
_FORMAT = Annotated[Format, typer.Option("--format", help="table, json, jsonl or csv.")]
_SEED = Annotated[int, typer.Option("--seed", help="Random seed; same seed, same draws.")]
_CHAINS = Annotated[int, typer.Option("--chains", min=1, help="NUTS chains per fit.")]
_WARMUP = Annotated[int, typer.Option("--warmup", min=10, help="Warm-up draws per chain.")]
_DRAWS = Annotated[int, typer.Option("--draws", min=10, help="Kept draws per chain.")]
_SPEC = Annotated[
    Path | None, typer.Option("--spec", help="Network spec YAML (default: the bundled one).")
]
_YEARS = Annotated[str | None, typer.Option("--years", help="U.S. fiscal years, e.g. 2019-2025.")]


def _years(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    try:
        first, _, last = text.partition("-")
        span = (int(first), int(last or first))
    except ValueError:
        raise typer.BadParameter("expected YEAR or FIRST-LAST, e.g. 2019-2025") from None
    if span[0] > span[1]:
        raise typer.BadParameter("the first year comes before the last")
    return span


def _for_table(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Floats to three significant figures for the eye; json and csv keep full precision."""
    return [
        {k: (float(f"{v:.3g}") if isinstance(v, float) else v) for k, v in row.items()}
        for row in rows
    ]


def _print_diagnostics(console: Console, diagnostics: dict[str, Any], seconds: float) -> None:
    from borderflow.model.fit import passes

    verdict = "pass" if passes(diagnostics) else "FAIL (see R-hat, ESS and divergences)"
    console.print(
        f"diagnostics: R-hat max {diagnostics['max_rhat']:.3f}, ESS bulk min "
        f"{diagnostics['min_ess_bulk']:.0f}, tail min {diagnostics['min_ess_tail']:.0f}, "
        f"divergences {diagnostics['divergences']}, E-BFMI min {diagnostics['min_bfmi']:.2f}, "
        f"{seconds:.1f} s: {verdict}",
        highlight=False,
        soft_wrap=True,
    )


def _emit_fit(
    console: Console, rows: list[dict[str, Any]], fmt: Format, quantity: str | None
) -> None:
    if quantity:
        rows = [r for r in rows if r["quantity"] == quantity]
    if fmt is Format.table:
        rows = [{**r, "fy": r.get("fy") or "all"} for r in _for_table(rows)]
    emit(
        console,
        rows,
        fmt,
        _FIT_FIELDS,
        _FIT_COLUMNS,
        "Flow model: posterior median and 90% interval, prior 90% interval, contraction",
    )


@model_app.command("fit")
def fit_cmd(
    ctx: typer.Context,
    spec: _SPEC = None,
    years: _YEARS = None,
    fit_through: Annotated[
        int | None,
        typer.Option(
            "--fit-through",
            help="Fit only through this fiscal year and forecast the rest (a held-out check).",
        ),
    ] = None,
    seed: _SEED = 0,
    chains: _CHAINS = 4,
    warmup: _WARMUP = 1000,
    draws: _DRAWS = 1000,
    quantity: Annotated[
        str | None,
        typer.Option(
            "--quantity",
            help="Show one quantity: flow, detection, canada_share, consumption or purity.",
        ),
    ] = None,
    fmt: _FORMAT = Format.table,
) -> None:
    """Calibrate the network to the CBP seizures and the U.S. and Canadian deaths in the
    store, save the posterior with the spec and releases it used, and print per fiscal year
    the median and 90% interval of each edge's flow, detection rates and Canada's share of
    the fentanyl reaching the U.S."""
    from borderflow.model.api import fit_model
    from borderflow.model.fit import FitSettings, summary_rows

    state = state_of(ctx)
    settings = FitSettings(chains=chains, warmup=warmup, draws=draws, seed=seed)
    try:
        with (
            state.open_store() as store,
            state.err.status("fitting (NUTS chains in worker processes)..."),
        ):
            run_id, posterior = fit_model(
                store, spec_path=spec, years=_years(years), fit_through=fit_through,
                settings=settings,
            )  # fmt: skip
    except BorderflowError as exc:
        raise fail(state, exc) from exc
    _emit_fit(state.out, summary_rows(posterior), fmt, quantity)
    _print_diagnostics(state.err, posterior.diagnostics, posterior.seconds)
    state.err.print(f"saved as model run {run_id}", highlight=False)


@model_app.command("show")
def show_cmd(
    ctx: typer.Context,
    quantity: Annotated[str | None, typer.Option("--quantity", help="Show one quantity.")] = None,
    fmt: _FORMAT = Format.table,
) -> None:
    """Repeat the last fit's estimates and diagnostics without refitting."""
    from borderflow.errors import ModelError
    from borderflow.store.model_runs import latest_run

    state = state_of(ctx)
    with state.open_store() as store:
        run = latest_run(store, with_posterior=False)
    if run is None:
        raise fail(state, ModelError("no model fit in this store yet; run `borderflow model fit`"))
    _emit_fit(state.out, run["summary"], fmt, quantity)
    _print_diagnostics(state.err, run["diagnostics"], run["seconds"])


@model_app.command("spec")
def spec_cmd(
    ctx: typer.Context,
    out: Annotated[Path | None, typer.Option("--out", help="Write the spec to this file.")] = None,
    check: Annotated[
        Path | None, typer.Option("--check", help="Validate this spec file and say what is wrong.")
    ] = None,
) -> None:
    """Print (or save) the bundled network spec to copy and edit, or check an edited one."""
    from borderflow.model.spec import default_spec_text, load_spec

    state = state_of(ctx)
    if check is not None:
        try:
            spec = load_spec(check)
        except BorderflowError as exc:
            raise fail(state, exc) from exc
        state.out.print(
            f"{check}: ok ({len(spec.edges)} edges, {len(spec.cells)} CBP cells, "
            f"{len(spec.priors())} priors)",
            highlight=False,
        )
        return
    text = default_spec_text()
    if out is None:
        state.out.file.write(text)
        return
    if out.exists():
        raise fail(state, BorderflowError(f"{out}: already exists; choose another name"))
    out.write_text(text, encoding="utf-8")
    state.err.print(f"wrote {out}", highlight=False)


_SCEN_FIELDS = (
    "scenario", "quantity", "item", "median", "low", "high", "change_median", "change_low",
    "change_high",
)  # fmt: skip
_SCEN_COLUMNS = (
    ("scenario", "scenario"),
    ("quantity", "quantity"),
    ("item", "item"),
    ("median", "median"),
    ("low", "5%"),
    ("high", "95%"),
    ("change_median", "change vs baseline"),
    ("change_low", "5%"),
    ("change_high", "95%"),
)


@model_app.command("scenario")
def scenario_cmd(
    ctx: typer.Context,
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Scenario YAML files (default: every bundled scenario).", show_default=False
        ),
    ] = None,
    draws: Annotated[int, typer.Option("--draws", min=10, help="Posterior draws to use.")] = 1000,
    fmt: _FORMAT = Format.table,
) -> None:
    """Run policy scenarios against the last fit: flows, seizures, deaths and Canada's
    share, each with its 90% interval and its paired change from the baseline."""
    from borderflow.model.api import run_scenario_files
    from borderflow.model.scenario import bundled_scenarios

    state = state_of(ctx)
    try:
        with state.open_store() as store:
            rows = run_scenario_files(store, list(files or bundled_scenarios()), draws=draws)
    except BorderflowError as exc:
        raise fail(state, exc) from exc
    if fmt is Format.table:
        rows = _for_table(rows)
    emit(state.out, rows, fmt, _SCEN_FIELDS, _SCEN_COLUMNS, "Scenarios (median, 90% interval)")


@model_app.command("sweep")
def sweep_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A scenario file with `sweep` ranges.")],
    method: Annotated[str, typer.Option("--method", help="sobol or lhs.")] = "sobol",
    samples: Annotated[
        int, typer.Option("--samples", min=4, help="Base samples (Sobol: x(k+2) rows).")
    ] = 64,
    draws: Annotated[int, typer.Option("--draws", min=10, help="Posterior draws per row.")] = 400,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Dask scheduler tcp://HOST:PORT; default: local cores."),
    ] = None,
    fmt: _FORMAT = Format.table,
) -> None:
    """Sensitivity of a scenario's outcomes to its lever ranges and the traffickers'
    route-choice parameters (Sobol indices, or correlations for a Latin hypercube)."""
    from borderflow.model.api import last_fit
    from borderflow.model.scenario import baseline_from, load_scenario
    from borderflow.model.sweep import sweep

    state = state_of(ctx)
    try:
        with state.open_store() as store:
            posterior = last_fit(store)
        scenario = load_scenario(file, posterior.spec)
        with state.err.status("sweeping on Dask..."):
            result = sweep(
                baseline_from(posterior, draws=draws), scenario, method=method,
                samples=samples, scheduler=scheduler,
            )  # fmt: skip
    except BorderflowError as exc:
        raise fail(state, exc) from exc
    fields = ("outcome", "parameter", "S1", "ST", "S1_conf", "ST_conf") if method == "sobol" else (
        "outcome", "parameter", "correlation")  # fmt: skip
    rows = result.indices
    if fmt is Format.table:
        rows = _for_table(rows)
    emit(
        state.out, rows, fmt, fields, [(f, f) for f in fields], f"{method} sweep of {scenario.name}"
    )
    state.err.print(f"{len(result.design)} design rows x {draws} draws", highlight=False)


@model_app.command("check")
def check_cmd(ctx: typer.Context, fmt: _FORMAT = Format.table) -> None:
    """Posterior predictive 90% intervals of every CBP cell-year against the observed
    pounds; for a fit made with --fit-through, the held-out years show how well the model
    forecasts."""
    from borderflow.model.api import last_fit
    from borderflow.model.fit import seizure_predictions

    state = state_of(ctx)
    try:
        with state.open_store() as store:
            rows = seizure_predictions(last_fit(store))
    except BorderflowError as exc:
        raise fail(state, exc) from exc
    fields = ("cell", "fy", "held_out", "observed_lb", "low_lb", "high_lb", "inside")
    shown = rows
    if fmt is Format.table:
        shown = _for_table(rows)
    emit(
        state.out,
        shown,
        fmt,
        fields,
        [(f, f) for f in fields],
        "Seizures: observed vs predicted (lb)",
    )
    for label, subset in (("fitted", [r for r in rows if not r["held_out"]]),
                          ("held-out", [r for r in rows if r["held_out"]])):  # fmt: skip
        scored = [r for r in subset if r["inside"] is not None]
        if scored:
            inside = sum(r["inside"] for r in scored)
            state.err.print(
                f"{label}: {inside} of {len(scored)} inside the 90% interval", highlight=False
            )


class _FitProgress:
    """A progress bar over a run of refits; each call names the fit starting next."""

    def __init__(self, console: Console, total: int) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.progress = Progress(
            TextColumn("[progress.description]{task.description}"), BarColumn(),
            MofNCompleteColumn(), TimeElapsedColumn(), console=console, transient=True,
        )  # fmt: skip
        self.task = self.progress.add_task("fitting", total=total)
        self.started = False

    def __call__(self, label: str) -> None:
        if self.started:
            self.progress.advance(self.task)
        self.started = True
        self.progress.update(self.task, description=f"fitting: {label}")

    def __enter__(self) -> _FitProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()


def _year_list(text: str | None) -> tuple[int, ...]:
    if not text:
        return ()
    span = _years(text)
    assert span is not None
    return tuple(range(span[0], span[1] + 1))


@model_app.command("validate")
def validate_cmd(
    ctx: typer.Context,
    spec: _SPEC = None,
    years: _YEARS = None,
    leave_out: Annotated[
        str | None,
        typer.Option(
            "--leave-out",
            help="Also hold out each of these fiscal years on its own, e.g. 2020-2024.",
        ),
    ] = None,
    no_forecast: Annotated[
        bool, typer.Option("--no-forecast", help="Skip the forecast of the last year.")
    ] = False,
    seed: _SEED = 0,
    chains: _CHAINS = 4,
    warmup: _WARMUP = 1000,
    draws: _DRAWS = 1000,
    fmt: _FORMAT = Format.table,
) -> None:
    """Refit with years held out and score the forecasts: the last year (fit on the
    years before it), and with --leave-out each listed year on its own. Each held-out
    observation gets its 90% predictive interval and its log predictive density, next to
    a persistence forecast (last year seen, spread of the series' own changes). One fit
    per held-out year; nothing is saved."""
    from borderflow.model.api import validate_model
    from borderflow.model.fit import FitSettings

    state = state_of(ctx)
    settings = FitSettings(chains=chains, warmup=warmup, draws=draws, seed=seed)
    out_years = _year_list(leave_out)
    try:
        total = len(out_years) + (0 if no_forecast else 1)
        if total == 0:
            raise typer.BadParameter("nothing to hold out: drop --no-forecast or add --leave-out")
        with state.open_store() as store, _FitProgress(state.err, total) as progress:
            result = validate_model(
                store, spec_path=spec, years=_years(years), forecast=not no_forecast,
                leave_out=out_years, settings=settings, progress=progress,
            )  # fmt: skip
    except BorderflowError as exc:
        raise fail(state, exc) from exc
    rows = [f.row() for f in result.forecasts]
    fields = (
        "series", "fy", "observed", "median", "low", "high", "inside", "log_density",
        "persistence_log_density",
    )  # fmt: skip
    columns = [
        ("fy", "FY"), ("series", "series"), ("observed", "observed"), ("median", "median"),
        ("low", "5%"), ("high", "95%"), ("inside", "inside"), ("log_density", "log dens."),
        ("persistence_log_density", "persistence"),
    ]  # fmt: skip
    emit(state.out, _for_table(rows) if fmt is Format.table else rows, fmt, fields, columns,
         "Held-out forecasts (seizures in lb)")  # fmt: skip
    model, persistence, scored = result.log_density()
    state.err.print(
        f"{result.inside} of {len(result.forecasts)} inside the 90% interval; log predictive "
        f"density over {scored} observations: model {model:.1f}, persistence {persistence:.1f}",
        highlight=False,
    )
    for label, diagnostics in result.fits:
        _print_diagnostics(state.err, diagnostics, diagnostics.get("sampling_seconds", 0.0))
        state.err.print(f"  ({label})", highlight=False)


@model_app.command("sensitivity")
def sensitivity_cmd(
    ctx: typer.Context,
    spec: _SPEC = None,
    years: _YEARS = None,
    seed: _SEED = 0,
    chains: _CHAINS = 4,
    warmup: _WARMUP = 1000,
    draws: _DRAWS = 1000,
    fmt: _FORMAT = Format.table,
) -> None:
    """How much the headlines (Canada's share, U.S. and Canadian consumption, last fitted
    year) depend on the purity and detection priors: refit with each prior's sd halved
    and doubled. `shift` is the median's move in units of the unchanged fit's 90%
    interval (log scale): near 0 the data decide, near 1 or more the prior does. Five
    fits; nothing is saved."""
    from borderflow.model.api import prior_sensitivity
    from borderflow.model.fit import FitSettings

    state = state_of(ctx)
    settings = FitSettings(chains=chains, warmup=warmup, draws=draws, seed=seed)
    try:
        with state.open_store() as store, _FitProgress(state.err, 5) as progress:
            shifts = prior_sensitivity(
                store, spec_path=spec, years=_years(years), settings=settings, progress=progress
            )
    except BorderflowError as exc:
        raise fail(state, exc) from exc
    rows = [s.row() for s in shifts]
    fields = (
        "prior", "sd_factor", "quantity", "item", "fy", "median", "low", "high", "base_median",
        "base_low", "base_high", "shift",
    )  # fmt: skip
    columns = [
        ("prior", "prior"), ("sd_factor", "sd x"), ("quantity", "quantity"), ("item", "item"),
        ("fy", "FY"), ("median", "median"), ("low", "5%"), ("high", "95%"),
        ("base_median", "unchanged median"), ("shift", "shift"),
    ]  # fmt: skip
    emit(state.out, _for_table(rows) if fmt is Format.table else rows, fmt, fields, columns,
         "Prior sensitivity of the headlines")  # fmt: skip
