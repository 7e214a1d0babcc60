"""`borderflow model`: fit the flow model, show the last fit, run scenarios and sweeps."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from borderflow.cli.common import FormatOption, State, opened_store, reporting, state_of
from borderflow.output import Format, emit
from borderflow.records.estimates import Estimate, ModelRun, ScenarioOutcome

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
SEED = Annotated[int, typer.Option("--seed", help="Random seed; same seed, same draws.")]
CHAINS = Annotated[int, typer.Option("--chains", min=1, help="NUTS chains per fit.")]
WARMUP = Annotated[int, typer.Option("--warmup", min=10, help="Warm-up draws per chain.")]
DRAWS = Annotated[int, typer.Option("--draws", min=10, help="Kept draws per chain.")]
SPEC = Annotated[
    Path | None, typer.Option("--spec", help="Network spec YAML (default: the bundled one).")
]
YEARS = Annotated[str | None, typer.Option("--years", help="U.S. fiscal years, e.g. 2019-2025.")]


def parse_years(text: str | None) -> tuple[int, int] | None:
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


def for_table(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Floats to three significant figures for the eye; json and csv keep full precision."""
    return [
        {k: (float(f"{v:.3g}") if isinstance(v, float) else v) for k, v in row.items()}
        for row in rows
    ]


def print_diagnostics(console: Console, diagnostics: dict[str, Any], seconds: float) -> None:
    from borderflow.records.convergence import failures

    failed = failures(diagnostics)
    verdict = f"FAIL ({'; '.join(failed)})" if failed else "pass"
    console.print(
        f"diagnostics: R-hat max {diagnostics['max_rhat']:.3f}, ESS bulk min "
        f"{diagnostics['min_ess_bulk']:.0f}, tail min {diagnostics['min_ess_tail']:.0f}, "
        f"divergences {diagnostics['divergences']}, E-BFMI min {diagnostics['min_bfmi']:.2f}, "
        f"{seconds:.1f} s: {verdict}",
        highlight=False,
        soft_wrap=True,
    )


def _emit_fit(
    console: Console,
    estimates: list[Estimate],
    fmt: Format,
    quantity: str | None,
    *,
    failed: bool = False,
) -> None:
    rows = [e.as_record() for e in estimates if not quantity or e.quantity == quantity]
    if fmt is Format.table:
        rows = [{**r, "fy": r.get("fy") or "all"} for r in for_table(rows)]
    title = "Flow model: posterior median and 90% interval, prior 90% interval, contraction"
    if failed:
        title = "FAILED FIT, NOT USED (it did not converge). " + title
    emit(console, rows, fmt, _FIT_FIELDS, _FIT_COLUMNS, title)


# `model fit`'s exit code when the fit is saved but failed its convergence checks (1 is an
# error with nothing saved, 2 a wrong option).
FIT_FAILED = 3


@model_app.command("fit")
def fit_cmd(
    ctx: typer.Context,
    spec: SPEC = None,
    years: YEARS = None,
    fit_through: Annotated[
        int | None,
        typer.Option(
            "--fit-through",
            help="Fit only through this fiscal year and forecast the rest (a held-out check).",
        ),
    ] = None,
    seed: SEED = 0,
    chains: CHAINS = 4,
    warmup: WARMUP = 1000,
    draws: DRAWS = 1000,
    quantity: Annotated[
        str | None,
        typer.Option(
            "--quantity",
            help="Show one quantity: flow, detection, canada_share, consumption or purity.",
        ),
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Calibrate the network to the CBP seizures and the U.S. and Canadian deaths in the
    store, save the posterior with the spec and releases it used, and print per fiscal year
    the median and 90% interval of each edge's flow, detection rates and Canada's share of
    the fentanyl reaching the U.S.

    A fit must converge to be used: R-hat at most 1.01, bulk and tail ESS at least 400,
    no divergent transitions. A fit that fails is saved for the record but not used by
    the claim checks, the web app or the report; its estimates are not printed, the
    failures and what to try are, on stderr.

    Exit codes: 0 the fit converged and is in use; 3 the fit failed its convergence
    checks (saved, not used); 1 an error, nothing saved; 2 a wrong option."""
    from borderflow.model.api import fit_model
    from borderflow.model.fit import FitSettings, summary_rows
    from borderflow.records.convergence import converged
    from borderflow.store.model_runs import latest_run
    from borderflow.workflows import refresh_stale_checks

    state = state_of(ctx)
    settings = FitSettings(
        chains=chains, warmup=warmup, draws=draws, seed=seed,
        compile_cache=state.settings.resolved_compile_cache(),
    )  # fmt: skip
    with (
        opened_store(ctx) as store,
        state.err.status("fitting (NUTS chains in worker processes)..."),
    ):
        run_id, posterior = fit_model(
            store, spec_path=spec, years=parse_years(years), fit_through=fit_through,
            settings=settings,
        )  # fmt: skip
        in_use = latest_run(store, with_posterior=False)
        rechecked = refresh_stale_checks(store)
    if not converged(posterior.diagnostics):
        print_diagnostics(state.err, posterior.diagnostics, posterior.seconds)
        _report_failed_fit(state, run_id, posterior.diagnostics, in_use)
        raise typer.Exit(FIT_FAILED)
    _emit_fit(state.out, summary_rows(posterior), fmt, quantity)
    print_diagnostics(state.err, posterior.diagnostics, posterior.seconds)
    state.err.print(f"saved as model run {run_id}, now the fit in use", highlight=False)
    _print_anchors(state, posterior)
    if rechecked:
        state.err.print("claim checks recomputed with the new fit", highlight=False)


def _print_anchors(state: State, posterior: Any) -> None:
    """One line on how the fit compares with the published anchors."""
    from borderflow.model.anchors import check

    results = check(posterior)
    failed = [r.anchor.id for r in results if r.passed is False]
    passed = sum(1 for r in results if r.passed)
    state.err.print(
        f"published anchors: {passed} pass, {len(failed)} fail"
        + (f" ({', '.join(failed)})" if failed else "")
        + "; `borderflow model anchors` shows each with its source",
        highlight=False,
        soft_wrap=True,
    )


def _report_failed_fit(
    state: State, run_id: int, diagnostics: dict[str, Any], in_use: ModelRun | None
) -> None:
    """What a failed fit means and what to do, on stderr."""
    from borderflow.records.convergence import REMEDY, failures

    lines = ["error: the fit did not converge, so it is not used:"]
    lines += [f"  - {failure}" for failure in failures(diagnostics)]
    used = (
        f"they keep using model run {in_use.id}"
        if in_use is not None
        else "they have no model estimate until a fit converges"
    )
    lines += [
        f"It is stored as model run {run_id} for the record, but NOT used by the claim "
        f"checks, the web app or the report: {used}.",
        f"To fix it, fit again: {REMEDY}.",
        f"`borderflow model show --run {run_id}` shows its estimates.",
    ]
    for line in lines:
        state.say(line, err=True)


@model_app.command("show")
def show_cmd(
    ctx: typer.Context,
    quantity: Annotated[str | None, typer.Option("--quantity", help="Show one quantity.")] = None,
    run_id: Annotated[
        int | None,
        typer.Option(
            "--run", min=1, help="Show this model run, also one that failed (marked as such)."
        ),
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Repeat the estimates and diagnostics of the fit in use (the newest one that
    converged) without refitting, and say when a newer fit failed; --run shows any run."""
    from borderflow.errors import ModelError
    from borderflow.records.convergence import failed_fit
    from borderflow.store.model_runs import fit_in_use, run_by_id

    state = state_of(ctx)
    with opened_store(ctx) as store:
        in_use = fit_in_use(store)
        run = run_by_id(store, run_id) if run_id is not None else in_use.run
        if run is None:
            raise ModelError(in_use.missing())
    _emit_fit(state.out, list(run.estimates), fmt, quantity, failed=not run.converged)
    print_diagnostics(state.err, run.diagnostics, run.seconds)
    if not run.converged:
        state.say(
            f"{failed_fit(run.id, run.diagnostics)}: stored for the record, NOT used by the "
            "claim checks, the web app or the report",
            err=True,
        )
    elif in_use.run is not None and in_use.run.id == run.id:
        state.say(f"model run {run.id}, the fit in use", err=True)
    else:
        state.say(f"model run {run.id} converged; the fit in use is a newer one", err=True)
    note, failed = in_use.note(), in_use.failed
    if run_id is None and note is not None and failed is not None:
        state.say(f"note: {note} (`borderflow model show --run {failed.id}` shows it)", err=True)


@model_app.command("spec")
def spec_cmd(
    ctx: typer.Context,
    out: Annotated[Path | None, typer.Option("--out", help="Write the spec to this file.")] = None,
    check: Annotated[
        Path | None, typer.Option("--check", help="Validate this spec file and say what is wrong.")
    ] = None,
) -> None:
    """Print (or save) the bundled network spec to copy and edit, or check an edited one."""
    from borderflow.errors import BorderflowError
    from borderflow.model.spec import default_spec_text, load_spec

    state = state_of(ctx)
    if check is not None:
        with reporting(state):
            spec = load_spec(check)
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
    with reporting(state):
        if out.exists():
            raise BorderflowError(f"{out}: already exists; choose another name")
    out.write_text(text, encoding="utf-8")
    state.err.print(f"wrote {out}", highlight=False)


_SCEN_FIELDS = (
    "scenario", "quantity", "item", "median", "low", "high", "change_median", "change_low",
    "change_high", "route_share",
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
    ("route_share", "from route choice"),
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
    fmt: FormatOption = Format.table,
) -> None:
    """Run policy scenarios against the fit in use (the newest one that converged):
    flows, seizures, deaths and Canada's share, each with its 90% interval and its paired
    change from the baseline."""
    from borderflow.model.api import run_scenario_files
    from borderflow.model.scenario import bundled_scenarios
    from borderflow.store.model_runs import latest_run

    state = state_of(ctx)
    with opened_store(ctx) as store:
        outcomes = run_scenario_files(store, list(files or bundled_scenarios()), draws=draws)
        run = latest_run(store, with_posterior=False)
    if fmt is not Format.table or run is None:
        rows = [o.as_record() for o in outcomes]
        emit(state.out, rows, fmt, _SCEN_FIELDS, _SCEN_COLUMNS, "Scenarios (median, 90% interval)")
        return
    _emit_scenario_table(state.out, outcomes, run)


_SCEN_TABLE = (
    ("scenario", "scenario"), ("outcome", "outcome"), ("where", "where"),
    ("baseline", "baseline"), ("result", "scenario"), ("change", "change (90%)"),
    ("change_percent", "change, %"), ("route_share", "from route choice"),
)  # fmt: skip


def _emit_scenario_table(console: Console, outcomes: list[ScenarioOutcome], run: ModelRun) -> None:
    """The scenarios as the model page shows them: units, words, no e-notation, and the
    fiscal year they describe (json and csv keep the model's full precision)."""
    from borderflow.model.spec import spec_from_text
    from borderflow.presentation.quantities import ROUTE_SHARE_NOTE, period_label, scenario_rows

    fy = max(run.fit_years)  # the baseline is the last fitted year (model.baseline)
    spec = spec_from_text(run.spec_text, run.spec_name)
    rows = []
    for row in scenario_rows(outcomes, spec, fy):
        c = row.cells()
        unit = f" ({c['unit']})" if c["unit"] else ""
        change = f"{c['change']} ({c['change_interval']})" if c["change"] else ""
        rows.append({
            "scenario": row.scenario, "outcome": c["outcome"] + unit, "where": c["where"],
            "baseline": c["baseline"], "result": c["scenario"],
            "change": change + c["change_mark"], "change_percent": c["change_percent"],
            "route_share": c["route_share"],
        })  # fmt: skip
    fields = tuple(f for f, _ in _SCEN_TABLE)
    emit(console, rows, Format.table, fields, _SCEN_TABLE,
         f"Scenarios against the baseline, {period_label(fy)}: medians")  # fmt: skip
    console.print(f"from route choice: {ROUTE_SHARE_NOTE}.", highlight=False, soft_wrap=False)


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
    fmt: FormatOption = Format.table,
) -> None:
    """Sensitivity of a scenario's outcomes to its lever ranges and the traffickers'
    route-choice parameters (Sobol indices, or correlations for a Latin hypercube)."""
    from borderflow.model.api import last_fit
    from borderflow.model.scenario import baseline_from, load_scenario
    from borderflow.model.sweep import sweep

    state = state_of(ctx)
    with opened_store(ctx) as store:
        posterior = last_fit(store)
    with reporting(state), state.err.status("sweeping on Dask..."):
        scenario = load_scenario(file, posterior.spec)
        result = sweep(
            baseline_from(posterior, draws=draws), scenario, method=method,
            samples=samples, scheduler=scheduler,
        )  # fmt: skip
    fields = ("outcome", "parameter", "S1", "ST", "S1_conf", "ST_conf") if method == "sobol" else (
        "outcome", "parameter", "correlation")  # fmt: skip
    rows = result.indices
    if fmt is Format.table:
        rows = for_table(rows)
    emit(
        state.out, rows, fmt, fields, [(f, f) for f in fields], f"{method} sweep of {scenario.name}"
    )
    state.err.print(f"{len(result.design)} design rows x {draws} draws", highlight=False)
