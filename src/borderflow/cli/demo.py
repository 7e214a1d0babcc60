"""`borderflow demo`: the sample corpus, checked and reported, in a fresh store."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Annotated

import typer

from borderflow.cli.common import State, progress_bar, reporting, state_of
from borderflow.cli.documents import period_label, print_ingest_summary
from borderflow.extract.model import CLAIM_FIELDS
from borderflow.output import Format, emit

if TYPE_CHECKING:
    from borderflow.workflows import DemoOutcome

_MASS_COLUMNS = (
    ("text", "text"), ("normalized_value", "kg"), ("measure", "measure"), ("agency", "agency"),
    ("corridor", "corridor"), ("period", "period"),
)  # fmt: skip


def demo(
    ctx: typer.Context,
    keep: Annotated[
        bool, typer.Option("--keep", help="Add to the demo store instead of starting it afresh.")
    ] = False,
) -> None:
    """Ingest the sample corpus bundled with borderflow into a demo store, import the
    bundled official series, check every claim, summarise it all, and write the
    self-contained report.html under BORDERFLOW_HOME.

    The demo store is demo.db under BORDERFLOW_HOME unless --db names another."""
    from borderflow.workflows import demo_settings, run_demo  # extraction loads only here

    state = state_of(ctx)
    state.settings = demo_settings(state.settings, keep=keep)
    with reporting(state), progress_bar(state) as progress:
        task = progress.add_task("ingesting", total=None, visible=False)
        outcome = run_demo(
            state.settings,
            on_total=lambda n: progress.update(task, total=n, visible=n >= 4),
            on_file=lambda _source: progress.advance(task),
        )
    for error in [*outcome.data_errors, *outcome.ingest.errors]:
        state.say(f"error: {error}", err=True)
    _summary(state, outcome)
    if not outcome.ok:
        raise typer.Exit(1)


def _summary(state: State, outcome: DemoOutcome) -> None:
    state.say(f"borderflow demo: {outcome.documents} sample documents in {outcome.url}")
    print_ingest_summary(state, outcome.ingest)
    by_measure = Counter(c.measure for c in outcome.claims)
    state.say("claims by measure: " + ", ".join(f"{m} {n}" for m, n in by_measure.most_common()))
    masses = [c.as_record() for c in outcome.claims if c.dimension == "mass"]
    emit(
        state.out, [{**r, "period": period_label(r)} for r in masses], Format.table,
        CLAIM_FIELDS, _MASS_COLUMNS, title="Masses in the sample documents (normalised to kg)",
    )  # fmt: skip
    verdicts = ", ".join(f"{v} {n}" for v, n in outcome.verdicts.most_common()) or "none"
    state.say(f"claim checks: {verdicts}")
    state.say("Official data bundled with borderflow (borderflow data releases lists them):")
    for line in outcome.headlines:
        state.say(f"  {line}")
    state.say(f"Report (one self-contained HTML file, opens offline): {outcome.report.resolve()}")
    state.say(
        f"Next: borderflow --db {outcome.url} claims --format json, "
        f"or browse it: borderflow --db {outcome.url} serve"
    )
