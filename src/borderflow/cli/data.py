"""`borderflow data`: import official statistics files and query them as series.

The sources, their descriptions, filters and periods come from the source registry: the
`series` command's options are built from it, so a new source's filters appear here (and
in `--help`) without editing this module.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Annotated, Any

import typer

from borderflow.cli.common import (
    FormatOption,
    State,
    opened_store,
    option_name,
    progress_bar,
    reporting,
    state_of,
)
from borderflow.datasets import registry
from borderflow.datasets.bundle import bundle
from borderflow.datasets.importer import FileResult
from borderflow.datasets.limits import ImportLimits
from borderflow.datasets.revisions import REVISION_MARGIN
from borderflow.datasets.series import series_table
from borderflow.output import Format, emit
from borderflow.store.observations import releases

data_app = typer.Typer(
    help="Official statistics: import the agencies' files, query them as series.",
    no_args_is_help=True,
)
_LAYOUTS = "; ".join(f"{s.name} ({s.description})" for s in registry.SOURCES)
_RELEASE_FIELDS = (
    "id", "source", "file_name", "coverage_start", "coverage_end", "rows", "observations",
    "skipped_rows", "imported_at", "content_hash",
)  # fmt: skip
_RELEASE_COLUMNS = (
    ("id", "id"), ("source", "source"), ("file_name", "file"), ("coverage_start", "from"),
    ("coverage_end", "to"), ("rows", "rows"),
)  # fmt: skip


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
            "--source",
            help=f"Publisher layout; auto (the default) detects it from the header. {_LAYOUTS}.",
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
    an overlapping newer release revises the figures it covers and history is kept. Stored
    verdicts are recomputed when new data come in."""
    from borderflow.workflows import import_and_recheck  # the checks load only here

    state = state_of(ctx)
    with opened_store(ctx, create=True) as store, progress_bar(state, "importing") as progress:
        task = progress.add_task("import", total=len(files), visible=len(files) > 1)
        outcome = import_and_recheck(
            store, files, source=source, skip_bad_rows=skip_bad_rows,
            limits=ImportLimits.of(state.settings), on_file=lambda _path: progress.advance(task),
        )  # fmt: skip
    for error in outcome.errors:
        for line in str(error).splitlines():
            state.say(f"error: {line}", err=True)
    for r in outcome.results:
        _say_imported(state, r)
    if outcome.rechecked:
        state.say("claim checks recomputed with the new data")
    if outcome.errors:
        raise typer.Exit(1)


def _say_imported(state: State, r: FileResult) -> None:
    """One file's outcome: rows skipped and repeats on stderr, then what it became, then
    every revision beyond the margin (never silent: a later file replaced those figures)."""
    for problem in r.skipped:
        state.say(f"skipped: {problem}", err=True)
    for note in r.notes:
        state.say(f"note: {note}", err=True)
    if r.result.status == "unchanged":
        state.say(f"{r.file}: {r.source}, unchanged (already imported)")
        return
    state.say(
        f"{r.file}: {r.source}, {r.result.status}, {r.result.observations} "
        f"observations ({r.result.added} new, {r.result.revised} revised"
        + (f", {r.skipped_rows} bad rows skipped" if r.skipped_rows else "")
        + ")"
    )
    if r.revisions:
        state.say(
            f"{r.file}: {len(r.revisions)} revisions beyond the margin "
            f"({REVISION_MARGIN.relative:.0%} and {REVISION_MARGIN.floor:g} units, or a "
            "change of sign); the history keeps the old values:"
        )
    for revision in r.revisions:
        state.say(f"revised: {revision.text()}")


def series(ctx: typer.Context, source: str, by: str | None, fmt: Format, **filters: Any) -> None:
    """A series by period, with the data's coverage: partly covered periods say so.
    Each source has its own filters and periods; a value its data do not have is refused
    with the valid ones."""
    state = state_of(ctx)
    with opened_store(ctx) as store:
        table = series_table(store, source, filters, by)
        empty = table.empty_reason(store)
    if empty:
        state.say(f"note: {empty}", err=True)
    records = table.records()
    fields = tuple(records[0]) if records else tuple(f for f, _ in table.columns)
    emit(state.out, records, fmt, fields, table.columns)


def _series_signature() -> inspect.Signature:
    """`series`'s options, from the registry: --source and --by with each source's
    choices, then one option per filter any source has, then --format."""
    keyword = inspect.Parameter.KEYWORD_ONLY
    sources = "; ".join(
        f"{s.name} ({s.title})" for s in registry.with_series() if s.series is not None
    )
    periods = "; ".join(
        f"{s.name}: {', '.join(s.series.periods)}" for s in registry.with_series() if s.series
    )
    params = [
        inspect.Parameter("ctx", keyword, annotation=typer.Context),
        inspect.Parameter(
            "source", keyword, default=registry.default_series(),
            annotation=Annotated[str, typer.Option("--source", help=f"The series: {sources}.")],
        ),
        inspect.Parameter(
            "by", keyword, default=None,
            annotation=Annotated[
                str | None,
                typer.Option("--by", help=f"Period (default: the source's first): {periods}."),
            ],
        ),
    ]  # fmt: skip
    flags = registry.flags()
    for name, meaning in registry.filters().items():
        kind: Any = bool if name in flags else str | None
        option = typer.Option(option_name(name), help=meaning)
        default = False if name in flags else None
        params.append(
            inspect.Parameter(name, keyword, default=default, annotation=Annotated[kind, option])
        )
    params.append(inspect.Parameter("fmt", keyword, default=Format.table, annotation=FormatOption))
    return inspect.Signature(params)


series.__signature__ = _series_signature()  # type: ignore[attr-defined]
data_app.command("series")(series)


@data_app.command("releases")
def releases_(ctx: typer.Context, fmt: FormatOption = Format.table) -> None:
    """List imported releases: source, file, coverage, rows, when imported."""
    with opened_store(ctx) as store:
        records = [r.as_record() for r in releases(store)]
    emit(state_of(ctx).out, records, fmt, _RELEASE_FIELDS, _RELEASE_COLUMNS)


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
    """Derive the compact reference series that ship with borderflow (the rows each
    source's bundle rule keeps: CBP fentanyl, U.S. national deaths, Canadian opioid
    deaths) with their provenance."""
    state = state_of(ctx)
    with reporting(state):
        written = bundle(files, out)
    for item in written:
        state.say(f"{out / item.name}: {item.rows} rows of {item.original}")
