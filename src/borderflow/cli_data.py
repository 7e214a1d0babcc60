"""`borderflow data`: import official statistics files and query them as series."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from borderflow.cli_common import fail, state_of
from borderflow.datasets.importer import FORMATS, import_files
from borderflow.datasets.series import BY_CHOICES, cbp_seizures, us_overdose_deaths
from borderflow.errors import BorderflowError
from borderflow.output import Format, emit
from borderflow.store.observations import releases

data_app = typer.Typer(
    help="Official statistics: import the agencies' files, query them as series.",
    no_args_is_help=True,
)
_SERIES_FIELDS = (
    "period",
    "start",
    "end",
    "basis",
    "value",
    "unit",
    "value_kg",
    "events",
    "months",
    "expected_months",
    "partial",
)
_SOURCES = ", ".join(["auto", *FORMATS])


@data_app.command("import")
def import_(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Statistics files as downloaded from the agencies.", show_default=False
        ),
    ],
    source: Annotated[
        str,
        typer.Option(
            "--source", help=f"Publisher layout: {_SOURCES}. auto detects it from the header."
        ),
    ] = "auto",
    skip_bad_rows: Annotated[
        bool,
        typer.Option(
            "--skip-bad-rows",
            help="Import a file's good rows and list the bad ones, instead of "
            "refusing the whole file.",
        ),
    ] = False,
) -> None:
    """Import statistics files; each becomes a release. The same file again changes nothing;
    an overlapping newer release revises the figures it covers and history is kept."""
    state = state_of(ctx)
    try:
        with state.open_store() as store:
            results, errors = import_files(store, files, source=source, skip_bad_rows=skip_bad_rows)
    except BorderflowError as exc:
        raise fail(state, exc) from exc
    for error in errors:
        for line in str(error).splitlines():
            state.err.print(f"error: {line}", markup=False, highlight=False, soft_wrap=True)
    for r in results:
        for problem in r.skipped:
            state.err.print(f"skipped: {problem}", markup=False, highlight=False, soft_wrap=True)
        state.out.print(
            f"{r.file}: {r.source}, {r.result.status}, {r.result.observations} "
            f"observations ({r.result.added} new, {r.result.revised} revised)",
            highlight=False,
            soft_wrap=True,
        )
    if errors:
        raise typer.Exit(1)


@data_app.command("series")
def series(
    ctx: typer.Context,
    source: Annotated[
        str,
        typer.Option(
            "--source", help="cbp, cbp-amo (seizures) or cdc-vsrr (U.S. overdose deaths)."
        ),
    ] = "cbp",
    substance: Annotated[str, typer.Option("--substance", help="e.g. fentanyl.")] = "fentanyl",
    region: Annotated[
        str | None,
        typer.Option("--region", help="Northern Border, Southwest Border or Coastal/Interior."),
    ] = None,
    land_only: Annotated[
        bool,
        typer.Option(
            "--land-only", help="Only Land Filter = Land Only (CBP's 'Land Border' figures)."
        ),
    ] = False,
    component: Annotated[
        str | None,
        typer.Option("--component", help="Office of Field Operations or U.S. Border Patrol."),
    ] = None,
    jurisdiction: Annotated[
        str,
        typer.Option(
            "--jurisdiction", help="cdc-vsrr: US (national), a state code, or YC (New York City)."
        ),
    ] = "US",
    by: Annotated[
        str,
        typer.Option(
            "--by", help=f"Period: {', '.join(BY_CHOICES)} (cdc-vsrr: calendar-year or month)."
        ),
    ] = "fy",
    fmt: Annotated[
        Format, typer.Option("--format", help="table, json, jsonl or csv.")
    ] = Format.table,
) -> None:
    """A series by period, with the data's coverage: partly covered periods say so."""
    state = state_of(ctx)
    if by not in BY_CHOICES:
        raise typer.BadParameter(f"--by must be one of {', '.join(BY_CHOICES)}")
    if source not in ("cbp", "cbp-amo", "cdc-vsrr"):
        raise typer.BadParameter("--source: series exist for cbp, cbp-amo and cdc-vsrr so far")
    if source == "cdc-vsrr":
        _deaths_series(
            ctx,
            jurisdiction,
            "calendar-year" if by == "fy" else by,
            fmt,
            "synthetic opioids" if substance == "fentanyl" else substance,
        )
        return
    try:
        with state.open_store() as store:
            points = cbp_seizures(
                store,
                substance=substance,
                region=region,
                land_only=land_only,
                component=component,
                by=by,
                source=source,
            )
    except BorderflowError as exc:
        raise fail(state, exc) from exc
    records = [p.as_record() for p in points]
    emit(
        state.out,
        records,
        fmt,
        _SERIES_FIELDS,
        (
            ("period", "period"),
            ("value", "lb"),
            ("value_kg", "kg"),
            ("events", "events"),
            ("months", "months"),
            ("partial", "partial"),
        ),
    )


def _deaths_series(
    ctx: typer.Context, jurisdiction: str, by: str, fmt: Format, substance: str
) -> None:
    state = state_of(ctx)
    if by not in ("calendar-year", "month"):
        raise typer.BadParameter("--by for cdc-vsrr: calendar-year or month (12-month-ending)")
    try:
        with state.open_store() as store:
            points = us_overdose_deaths(
                store, substance=substance, jurisdiction=jurisdiction, by=by
            )
    except BorderflowError as exc:
        raise fail(state, exc) from exc
    fields = ("period", "start", "end", "basis", "deaths", "predicted", "suppressed", "state")
    emit(
        state.out,
        [p.as_record() for p in points],
        fmt,
        fields,
        (
            ("period", "period"),
            ("start", "from"),
            ("end", "to"),
            ("deaths", "deaths"),
            ("predicted", "predicted"),
            ("suppressed", "suppressed"),
        ),
    )


@data_app.command("releases")
def releases_(
    ctx: typer.Context,
    fmt: Annotated[
        Format, typer.Option("--format", help="table, json, jsonl or csv.")
    ] = Format.table,
) -> None:
    """List imported releases: source, file, coverage, rows, when imported."""
    state = state_of(ctx)
    try:
        with state.open_store() as store:
            records = releases(store)
    except BorderflowError as exc:
        raise fail(state, exc) from exc
    fields = (
        "id",
        "source",
        "file_name",
        "coverage_start",
        "coverage_end",
        "rows",
        "observations",
        "skipped_rows",
        "imported_at",
        "content_hash",
    )
    emit(
        state.out,
        records,
        fmt,
        fields,
        (
            ("id", "id"),
            ("source", "source"),
            ("file_name", "file"),
            ("coverage_start", "from"),
            ("coverage_end", "to"),
            ("rows", "rows"),
        ),
    )
