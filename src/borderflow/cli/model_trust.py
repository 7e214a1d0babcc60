"""`borderflow model anchors`, `prior-check` and `prior-sense`: what the fit agrees with,
what the priors expected before the data, and how far each headline leans on them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from borderflow.cli.common import FormatOption, opened_store, reporting, state_of
from borderflow.cli.model import SEED, SPEC, YEARS, for_table, parse_years
from borderflow.output import Format, emit

ANCHORS_FILE = Annotated[
    Path | None,
    typer.Option("--anchors", help="An anchors YAML to check against (default: the bundled one)."),
]


def register(app: typer.Typer) -> None:
    """Add these commands to the `model` group."""
    app.command("anchors")(anchors_cmd)
    app.command("prior-check")(prior_check_cmd)
    app.command("prior-sense")(prior_sense_cmd)


def anchors_cmd(
    ctx: typer.Context, anchors: ANCHORS_FILE = None, fmt: FormatOption = Format.table
) -> None:
    """Check the last usable fit against published figures (CBP border shares, DEA
    findings, the Kilmer et al. bound on U.S. consumption, Canadian production and CBSA
    seizures), each with its source. A share or amount passes when the model's median
    lies in the published range; a seizure figure passes when it lies inside the model's
    90% predictive interval. Judgement anchors read a qualitative finding as a range and
    say how. Exit code 1 when any anchor fails."""
    from borderflow.model.anchors import check, load_anchors
    from borderflow.model.api import last_fit
    from borderflow.model.yamlfile import read
    from borderflow.presentation.anchors import AnchorTally

    state = state_of(ctx)
    with reporting(state):
        chosen = None
        if anchors is not None:
            text, _ = read(anchors)
            chosen = load_anchors(text, str(anchors))
        with opened_store(ctx) as store:
            results = check(last_fit(store), chosen)
    rows = [r.as_record() for r in results]
    fields = ("id", "quantity", "fy", "kind", "fitted_data", "range_low", "range_high",
              "median", "low", "high", "inside", "result", "rule", "statement", "reading",
              "source")  # fmt: skip
    columns = [("result", "result"), ("id", "anchor"), ("fy", "FY"), ("kind", "kind"),
               ("range_low", "from"), ("range_high", "to"), ("median", "model median"),
               ("low", "5%"), ("high", "95%"), ("inside", "P(in range)")]  # fmt: skip
    emit(state.out, for_table(rows) if fmt is Format.table else rows, fmt, fields, columns,
         "Published anchors against the fit in use")  # fmt: skip
    tally = AnchorTally.of(results)  # the sentence the model page and the report show
    state.err.print(tally.sentence(), highlight=False)
    if tally.failed:
        raise typer.Exit(1)


def prior_check_cmd(
    ctx: typer.Context,
    spec: SPEC = None,
    years: YEARS = None,
    draws: Annotated[int, typer.Option("--draws", min=100, help="Prior predictive draws.")] = 1000,
    seed: SEED = 0,
    fmt: FormatOption = Format.table,
) -> None:
    """Prior predictive check, no fit needed: for every observed series (CBP cell-years,
    U.S. and Canadian deaths, DEA purity, CBSA seizures) the 90% interval the priors
    expect and where the real value falls. "at odds" (outside the central 99%) marks a
    prior the data contradict before they have had a say."""
    from borderflow.model.data import load_model_data
    from borderflow.model.prior_check import AT_ODDS, INSIDE, prior_check
    from borderflow.model.spec import load_spec

    state = state_of(ctx)
    with reporting(state), opened_store(ctx) as store:
        model_spec = load_spec(spec)
        span = parse_years(years) or (model_spec.first_year, model_spec.last_year)
        data = load_model_data(store, model_spec, span)
        with state.err.status("drawing from the priors..."):
            results = prior_check(model_spec, data, draws, seed)
    rows = [r.row() for r in results]
    fields = ("series", "fy", "unit", "observed", "prior_low", "prior_median", "prior_high",
              "percentile", "verdict")  # fmt: skip
    emit(state.out, for_table(rows) if fmt is Format.table else rows, fmt, fields,
         [(f, f.replace("_", " ")) for f in fields],
         "Prior predictive check: the observed value against what the priors expect")  # fmt: skip
    conflicts = [r for r in results if r.verdict == AT_ODDS]
    state.err.print(
        f"{len(results)} observations: {sum(r.verdict == INSIDE for r in results)} inside "
        f"the prior's 90% interval, {len(conflicts)} at odds with it"
        + (": " + ", ".join(sorted({r.series for r in conflicts})) if conflicts else ""),
        highlight=False,
    )


def prior_sense_cmd(ctx: typer.Context, fmt: FormatOption = Format.table) -> None:
    """How far each headline of the last fit leans on the purity, detection and flow
    priors, from its stored draws (no refit): power-scaling sensitivity (above 0.05 is
    prior-sensitive) and the headline's median with each group's prior centres moved
    half a unit down and up (logit or log scale). Blank medians mean the draws cannot
    stand in for a refit there (Pareto k above 0.7); run `borderflow model sensitivity`."""
    from borderflow.model.api import last_fit
    from borderflow.model.prior_sense import prior_sense

    state = state_of(ctx)
    with reporting(state), opened_store(ctx) as store:
        rows = [r.row() for r in prior_sense(last_fit(store))]
    fields = ("prior", "quantity", "item", "fy", "median", "power_sensitivity",
              "prior_sensitive", "median_if_prior_lower", "median_if_prior_higher",
              "pareto_k")  # fmt: skip
    emit(state.out, for_table(rows) if fmt is Format.table else rows, fmt, fields,
         [(f, f.replace("_", " ")) for f in fields],
         "Prior sensitivity of the headlines (power-scaling and prior location)")  # fmt: skip
