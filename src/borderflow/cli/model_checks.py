"""`borderflow model check`, `validate` and `sensitivity`: how far to trust a fit."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from borderflow.cli.common import FormatOption, opened_store, state_of
from borderflow.cli.model import (
    CHAINS,
    DRAWS,
    SEED,
    SPEC,
    WARMUP,
    YEARS,
    for_table,
    parse_years,
    print_diagnostics,
)
from borderflow.output import Format, emit


def register(app: typer.Typer) -> None:
    """Add these commands to the `model` group."""
    app.command("check")(check_cmd)
    app.command("validate")(validate_cmd)
    app.command("sensitivity")(sensitivity_cmd)


def check_cmd(ctx: typer.Context, fmt: FormatOption = Format.table) -> None:
    """Posterior predictive 90% intervals of every CBP cell-year against the observed
    pounds; for a fit made with --fit-through, the held-out years show how well the model
    forecasts."""
    from borderflow.model.api import last_fit
    from borderflow.model.fit import seizure_predictions

    state = state_of(ctx)
    with opened_store(ctx) as store:
        rows = seizure_predictions(last_fit(store))
    fields = ("cell", "fy", "held_out", "observed_lb", "low_lb", "high_lb", "inside")
    shown = rows
    if fmt is Format.table:
        shown = for_table(rows)
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
    span = parse_years(text)
    assert span is not None
    return tuple(range(span[0], span[1] + 1))


def validate_cmd(
    ctx: typer.Context,
    spec: SPEC = None,
    years: YEARS = None,
    leave_out: Annotated[
        str | None,
        typer.Option(
            "--leave-out",
            help="Also hold out each of these fiscal years on its own, e.g. 2020-2024.",
        ),
    ] = None,
    steps_ahead: Annotated[
        str | None,
        typer.Option(
            "--steps-ahead",
            help="Also forecast each of these fiscal years one step ahead, from a fit of "
            "the years before it only, e.g. 2022-2024.",
        ),
    ] = None,
    no_forecast: Annotated[
        bool, typer.Option("--no-forecast", help="Skip the forecast of the last year.")
    ] = False,
    seed: SEED = 0,
    chains: CHAINS = 4,
    warmup: WARMUP = 1000,
    draws: DRAWS = 1000,
    fmt: FormatOption = Format.table,
) -> None:
    """Refit with years held out and score the forecasts: the last year (fit on the
    years before it), with --steps-ahead each listed year from the years before it only,
    and with --leave-out each listed year on its own. Each held-out observation gets its
    90% predictive interval and its log predictive density; forecasts (not left-out
    middle years, which the model interpolates) are set beside a persistence forecast
    (last year seen, spread of the series' own changes). One fit per held-out year;
    nothing is saved."""
    from borderflow.model.api import validate_model
    from borderflow.model.fit import FitSettings

    state = state_of(ctx)
    settings = FitSettings(
        chains=chains, warmup=warmup, draws=draws, seed=seed,
        compile_cache=state.settings.resolved_compile_cache(),
    )  # fmt: skip
    out_years, ahead = _year_list(leave_out), _year_list(steps_ahead)
    # One fit per held-out year; the last year (unless --no-forecast) may also be listed.
    from borderflow.model.spec import load_spec

    last = (parse_years(years) or (0, load_spec(spec).last_year))[1]
    total = len(out_years) + len(set(ahead) | (set() if no_forecast else {last}))
    if total == 0:
        raise typer.BadParameter(
            "nothing to hold out: drop --no-forecast or add --leave-out or --steps-ahead"
        )
    with opened_store(ctx) as store, _FitProgress(state.err, total) as progress:
        result = validate_model(
            store, spec_path=spec, years=parse_years(years), forecast=not no_forecast,
            steps_ahead=ahead, leave_out=out_years, settings=settings, progress=progress,
        )  # fmt: skip
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
    emit(state.out, for_table(rows) if fmt is Format.table else rows, fmt, fields, columns,
         "Held-out forecasts (seizures in lb)")  # fmt: skip
    model, persistence, scored = result.log_density()
    state.err.print(
        f"{result.inside} of {len(result.forecasts)} inside the 90% interval; log predictive "
        f"density over {scored} observations: model {model:.1f}, persistence {persistence:.1f}",
        highlight=False,
    )
    for label, diagnostics in result.fits:
        print_diagnostics(state.err, diagnostics, diagnostics.get("sampling_seconds", 0.0))
        state.err.print(f"  ({label})", highlight=False)


def sensitivity_cmd(
    ctx: typer.Context,
    spec: SPEC = None,
    years: YEARS = None,
    seed: SEED = 0,
    chains: CHAINS = 4,
    warmup: WARMUP = 1000,
    draws: DRAWS = 1000,
    fmt: FormatOption = Format.table,
) -> None:
    """How much the headlines (Canada's share, U.S. and Canadian consumption, last fitted
    year) depend on the purity and detection priors: refit with each prior's sd halved
    and doubled. `shift` is the median's move in units of the unchanged fit's 90%
    interval (log scale): near 0 the data decide, near 1 or more the prior does. Five
    fits; nothing is saved."""
    from borderflow.model.api import prior_sensitivity
    from borderflow.model.fit import FitSettings

    state = state_of(ctx)
    settings = FitSettings(
        chains=chains, warmup=warmup, draws=draws, seed=seed,
        compile_cache=state.settings.resolved_compile_cache(),
    )  # fmt: skip
    with opened_store(ctx) as store, _FitProgress(state.err, 5) as progress:
        shifts = prior_sensitivity(
            store, spec_path=spec, years=parse_years(years), settings=settings, progress=progress
        )
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
    emit(state.out, for_table(rows) if fmt is Format.table else rows, fmt, fields, columns,
         "Prior sensitivity of the headlines")  # fmt: skip
