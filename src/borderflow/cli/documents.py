"""`borderflow ingest`, `documents`, `claims` and `show`: documents in, claims out."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.text import Text

from borderflow.cli.common import (
    DocumentOption,
    State,
    opened_store,
    progress_bar,
    reporting,
    state_of,
)
from borderflow.cli.interrupts import Stopped, stop_on_signals
from borderflow.extract.model import CLAIM_FIELDS
from borderflow.ingest.limits import IngestLimits
from borderflow.output import Format, emit, write_records
from borderflow.records.documents import HEAD_CHARS, display_title
from borderflow.store import Store
from borderflow.text_safety import printable

if TYPE_CHECKING:
    from borderflow.ingest.pipeline import IngestReport

_PROGRESS_MIN_FILES = 4
_CLAIM_COLUMNS = (
    ("id", "id"), ("document_id", "doc"), ("text", "text"), ("normalized_value", "value"),
    ("normalized_unit", "unit"), ("qualifier", "qualifier"), ("measure", "measure"),
    ("substance", "substance"), ("agency", "agency"), ("corridor", "corridor"),
    ("period", "period"), ("speaker", "speaker"),
)  # fmt: skip
_DOCUMENT_FIELDS = (
    "id", "document", "title", "outlet", "author", "published", "version", "format", "claims",
    "repaired",
)  # fmt: skip
_DOCUMENT_COLUMNS = (
    ("id", "id"), ("document", "document"), ("title", "title"), ("published", "published"),
    ("outlet", "outlet"), ("version", "ver"), ("claims", "claims"), ("repaired", "repaired"),
)  # fmt: skip
_MEASURE_STYLE = {
    "seizure": "bold red", "deaths": "bold magenta", "doses": "bold yellow",
    "share": "bold cyan", "change": "bold blue", "funding": "bold green",
    "tariff": "bold green", "personnel": "bold white", "production": "bold red",
    "organizations": "bold white",
}  # fmt: skip


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from exc


def ingest(
    ctx: typer.Context,
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files (.txt, .md, .html, .htm, .pdf) or folders, searched recursively.",
            show_default=False,
        ),
    ],
    date_: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="Publication date YYYY-MM-DD for documents that do not state one "
            "(overrides dates found in the files).",
        ),
    ] = None,
    outlet: Annotated[
        str | None,
        typer.Option("--outlet", help="Name of the publication the documents come from."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Read and extract on a Dask cluster: tcp://HOST:PORT of its scheduler. "
            "Needs a PostgreSQL store (--db or BORDERFLOW_DATABASE_URL) that every worker "
            "reaches at that same URL, and workers with the same borderflow version "
            "installed (`dask worker tcp://HOST:PORT --nthreads 1`); files are sent to "
            "them, no shared folder is needed.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Read documents, repair broken text, extract every quantitative claim and store them.

    The same content ingested again changes nothing; a changed file becomes a new version.
    A file that cannot be read is reported on one line and the others are still ingested;
    the exit code is 1 if any file failed. SIGTERM or Ctrl-C stops it cleanly: documents
    already stored are complete, and running the same command again adds the rest."""
    state = state_of(ctx)
    published = _parse_date(date_)
    if scheduler is not None:  # before the store is opened: a SQLite file is refused
        from borderflow.cluster.client import require_postgres

        with reporting(state):
            require_postgres(state.settings.resolved_database_url())
    try:
        with stop_on_signals(), opened_store(ctx, create=True) as store:
            if scheduler is not None:
                report = run_cluster_ingest(
                    state, store, paths, scheduler, published=published, outlet=outlet
                )
            else:
                report = run_ingest(state, store, paths, published=published, outlet=outlet)
    except Stopped as stop:
        state.say(
            f"error: ingest stopped by {stop.signal_name}; the documents stored before it are "
            "complete (none is half-written); run the same command again to add the rest",
            err=True,
        )
        raise typer.Exit(stop.exit_code) from None
    for warning in report.warnings:
        state.say(f"warning: {warning}", err=True)
    for error in report.errors:
        state.say(f"error: {error}", err=True)
    print_ingest_summary(state, report)
    if not report.ok:
        raise typer.Exit(1)


def run_ingest(
    state: State,
    store: Store,
    paths: list[str],
    *,
    published: date | None = None,
    outlet: str | None = None,
) -> IngestReport:
    """`ingest_paths` with a progress bar once there are enough files to wait for."""
    from borderflow.ingest.pipeline import ingest_paths  # extraction loads only here

    settings = state.settings
    with progress_bar(state) as progress:
        task = progress.add_task("ingesting", total=None, visible=False)
        return ingest_paths(
            paths, store, max_bytes=settings.max_file_bytes,
            limits=IngestLimits.from_settings(settings), published=published, outlet=outlet,
            workers=settings.ingest_workers,
            on_total=lambda n: progress.update(task, total=n, visible=n >= _PROGRESS_MIN_FILES),
            on_file=lambda _source: progress.advance(task),
        )  # fmt: skip


def run_cluster_ingest(
    state: State,
    store: Store,
    paths: list[str],
    scheduler: str,
    *,
    published: date | None = None,
    outlet: str | None = None,
) -> IngestReport:
    """`run_ingest` on the Dask cluster at `scheduler` (distributed loads only here)."""
    from borderflow.cluster.ingest import IngestOptions, ingest_on_cluster

    settings = state.settings
    options = IngestOptions(
        settings.resolved_database_url(), settings.max_file_bytes,
        IngestLimits.from_settings(settings), published, outlet, settings.store_busy_seconds,
    )  # fmt: skip
    with progress_bar(state) as progress:
        task = progress.add_task("ingesting", total=None, visible=False)
        return ingest_on_cluster(
            paths, store, scheduler, options,
            on_total=lambda n: progress.update(task, total=n, visible=n >= _PROGRESS_MIN_FILES),
            on_file=lambda _source: progress.advance(task),
        )  # fmt: skip


def print_ingest_summary(state: State, report: IngestReport) -> None:
    parts = [
        f"{report.count('added')} added",
        f"{report.count('new-version')} new versions",
        f"{report.count('unchanged')} unchanged",
        f"{report.count('duplicate')} duplicates",
        f"{len(report.errors)} failed",
        f"{report.claims} claims extracted",
    ]
    state.say("ingest: " + ", ".join(parts))


def documents(
    ctx: typer.Context,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
) -> None:
    """List stored documents (current version of each)."""
    out = state_of(ctx).out
    with opened_store(ctx) as store:
        if fmt is not Format.table:  # streamed: any number of documents in bounded memory
            found = (d.as_record() for d in store.iter_documents())
            write_records(out.file, found, fmt, _DOCUMENT_FIELDS)
            return
        records = [d.as_record() for d in store.documents()]
    emit(out, records, fmt, _DOCUMENT_FIELDS, _DOCUMENT_COLUMNS)


def claims(
    ctx: typer.Context,
    document: DocumentOption = None,
    measure: Annotated[
        str | None,
        typer.Option(
            "--measure",
            help="Only this measure: seizure, deaths, doses, production, share, "
            "change, tariff, funding, personnel, organizations, other.",
        ),
    ] = None,
    substance: Annotated[
        str | None, typer.Option("--substance", help="Only this substance, e.g. fentanyl.")
    ] = None,
    fmt: Annotated[
        Format,
        typer.Option(
            "--format", help="table for reading; json (one array), jsonl or csv carry every field."
        ),
    ] = Format.table,
) -> None:
    """List extracted claims with their provenance (README documents every field)."""
    out = state_of(ctx).out
    with opened_store(ctx) as store:
        doc_id = store.document(document).summary.id if document else None
        if fmt is not Format.table:  # streamed: any number of claims in bounded memory
            streamed = store.iter_claims(document_id=doc_id, measure=measure, substance=substance)
            write_records(out.file, (c.as_record() for c in streamed), fmt, CLAIM_FIELDS)
            return
        found = store.claims(document_id=doc_id, measure=measure, substance=substance)
    records = [{**r, "period": period_label(r)} for r in (c.as_record() for c in found)]
    emit(out, records, fmt, CLAIM_FIELDS, _CLAIM_COLUMNS)


def period_label(record: dict[str, Any]) -> str | None:
    """A claim's period for a table: its dates and basis, and the other readings."""
    if record.get("period_start") is None:
        return record.get("period_text")
    label = f"{record['period_start']}..{record['period_end']} {record.get('period_basis') or ''}"
    others = [c["basis"] for c in record.get("period_candidates") or []][1:]
    return label + (f" (or {', '.join(others)})" if others else "")


def show(
    ctx: typer.Context,
    document: Annotated[str, typer.Argument(help="Document id or source as given to ingest.")],
) -> None:
    """Print a document's text with every claim highlighted, then its claims with offsets."""
    with opened_store(ctx) as store:
        stored = store.document(document)
        records = [c.as_record() for c in store.claims(document_id=stored.summary.id)]
    summary, out = stored.summary, state_of(ctx).out
    shown = display_title(summary.title, summary.source, stored.text[:HEAD_CHARS])
    out.print(Text(printable(shown.text), style="bold"), soft_wrap=True)
    out.print(
        Text(
            f"{printable(summary.source)} · published {summary.published or 'undated'} · "
            f"version {summary.version} · {summary.claims} claims",
            style="dim",
        ),
        soft_wrap=True,
    )
    for repair in stored.repairs:
        line = f"repaired: {repair.get('kind')} ({repair.get('count', '')})".rstrip()
        out.print(Text(line, style="dim"), soft_wrap=True)
    text = Text(stored.text)
    for r in records:
        text.stylize(_MEASURE_STYLE.get(r["measure"], "bold underline"), r["start"], r["end"])
    out.print()
    out.print(text, soft_wrap=True)
    out.print()
    rows = [{**r, "span": f"{r['start']}:{r['end']}", "period": period_label(r)} for r in records]
    columns = (
        ("id", "id"), ("span", "start:end"), ("text", "text"), ("measure", "measure"),
        ("substance", "substance"), ("agency", "agency"), ("period", "period"),
    )  # fmt: skip
    emit(out, rows, Format.table, CLAIM_FIELDS, columns)
