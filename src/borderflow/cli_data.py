"""`borderflow data`: import official statistics files and query them as series."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from borderflow.checks.runner import run_and_store
from borderflow.cli_common import fail, state_of
from borderflow.datasets.bundle import bundle
from borderflow.datasets.importer import FORMATS, import_files
from borderflow.datasets.series import BY_CHOICES, SERIES_SOURCES, series_table
from borderflow.errors import BorderflowError
from borderflow.output import Format, emit
from borderflow.store.checks import has_checks
from borderflow.store.observations import releases

data_app = typer.Typer(
    help="Official statistics: import the agencies' files, query them as series.",
    no_args_is_help=True,
)
_SOURCES = ", ".join(["auto", *FORMATS, "unodc"])


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
    progress = Progress(
        TextColumn("importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=state.err,
        transient=True,
        disable=len(files) < 2 or not state.err.is_terminal,
    )
    try:
        with state.open_store() as store, progress:
            task = progress.add_task("import", total=len(files))
            results, errors = import_files(
                store,
                files,
                source=source,
                skip_bad_rows=skip_bad_rows,
                on_file=lambda _path: progress.advance(task),
            )
            rechecked = has_checks(store) and any(r.result.status == "imported" for r in results)
            if rechecked:
                run_and_store(store)  # verdicts reflect the data releases now in the store
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
    if rechecked:
        state.out.print("claim checks recomputed with the new data", highlight=False)
    if errors:
        raise typer.Exit(1)


@data_app.command("series")
def series(
    ctx: typer.Context,
    source: Annotated[
        str,
        typer.Option(
            "--source",
            help="cbp or cbp-amo (seizures); cdc-vsrr, cdc-wonder, "
            "cdc-wonder-provisional (U.S. deaths); phac (Canadian deaths).",
        ),
    ] = "cbp",
    substance: Annotated[
        str,
        typer.Option(
            "--substance", help="cbp: e.g. fentanyl (default); U.S. deaths: synthetic opioids."
        ),
    ] = "fentanyl",
    region: Annotated[
        str | None,
        typer.Option(
            "--region",
            help="cbp: Northern Border, Southwest Border or Coastal/Interior; "
            "phac: Canada (default) or a province.",
        ),
    ] = None,
    land_only: Annotated[
        bool,
        typer.Option(
            "--land-only", help="cbp: only Land Filter = Land Only (CBP's 'Land Border' figures)."
        ),
    ] = False,
    component: Annotated[
        str | None,
        typer.Option("--component", help="cbp: Office of Field Operations or U.S. Border Patrol."),
    ] = None,
    jurisdiction: Annotated[
        str | None,
        typer.Option(
            "--jurisdiction",
            help="cdc-vsrr: US (default), a state code or YC (New York City); "
            "cdc-wonder: a state FIPS code such as 06 (default: all).",
        ),
    ] = None,
    by: Annotated[
        str,
        typer.Option(
            "--by",
            help=f"Period: {', '.join(BY_CHOICES)}. Deaths: calendar-year (default), "
            "month (cdc), quarter (phac).",
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
    if source not in SERIES_SOURCES:
        raise typer.BadParameter(f"--source must be one of {', '.join(SERIES_SOURCES)}")
    try:
        with state.open_store() as store:
            records, columns = series_table(
                store, source=source, substance=substance, region=region,
                land_only=land_only, component=component, jurisdiction=jurisdiction, by=by,
            )  # fmt: skip
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    except BorderflowError as exc:
        raise fail(state, exc) from exc
    fields = tuple(records[0]) if records else tuple(f for f, _ in columns)
    emit(state.out, records, fmt, fields, columns)


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


@data_app.command("bundle")
def bundle_(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(
            help="The agencies' files to derive the reference series from.", show_default=False
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out", help="Folder to write to (the package's reference folder by default)."
        ),
    ] = Path("src/borderflow/reference"),
) -> None:
    """Derive the compact reference series that ship with borderflow (CBP fentanyl rows,
    U.S. national deaths, Canadian opioid deaths) with their provenance."""
    state = state_of(ctx)
    try:
        written = bundle(files, out)
    except BorderflowError as exc:
        raise fail(state, exc) from exc
    for item in written:
        state.out.print(
            f"{out / item.name}: {item.rows} rows of {item.original}",
            highlight=False,
            soft_wrap=True,
        )
