"""The borderflow command line. Each command parses options, calls one library function
and prints; library errors become one `error:` line and a non-zero exit code."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime
from enum import StrEnum
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from borderflow import __version__
from borderflow.checks.claimreview import claim_review
from borderflow.checks.model import VERDICTS
from borderflow.checks.runner import run_and_store
from borderflow.cli_common import State, fail, state_of
from borderflow.cli_data import data_app
from borderflow.cli_model import model_app
from borderflow.cli_web import report, serve
from borderflow.config import Settings
from borderflow.datasets.bundle import reference_files
from borderflow.datasets.importer import import_files
from borderflow.datasets.series import official_headlines
from borderflow.errors import BorderflowError
from borderflow.extract import CLAIM_FIELDS
from borderflow.ingest.pipeline import IngestReport, ingest_paths
from borderflow.output import Format, emit
from borderflow.report.build import write_report
from borderflow.store import Store
from borderflow.store.checks import stored_checks

app = typer.Typer(
    name="borderflow",
    help="Evidence-grounded figures on the illicit fentanyl supply: ingest documents, extract "
    "every quantitative claim with its provenance, and explore them.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Manage the store (SQLite file or PostgreSQL).", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(data_app, name="data")
app.add_typer(model_app, name="model")
app.command("serve")(serve)
app.command("report")(report)

_PROGRESS_MIN_FILES = 4
_CLAIM_COLUMNS = (
    ("id", "id"),
    ("document_id", "doc"),
    ("text", "text"),
    ("normalized_value", "value"),
    ("normalized_unit", "unit"),
    ("qualifier", "qualifier"),
    ("measure", "measure"),
    ("substance", "substance"),
    ("agency", "agency"),
    ("corridor", "corridor"),
    ("period", "period"),
    ("speaker", "speaker"),
)
_DOCUMENT_FIELDS = (
    "id",
    "document",
    "title",
    "outlet",
    "author",
    "published",
    "version",
    "format",
    "claims",
    "repaired",
)
_MEASURE_STYLE = {
    "seizure": "bold red",
    "deaths": "bold magenta",
    "doses": "bold yellow",
    "share": "bold cyan",
    "change": "bold blue",
    "funding": "bold green",
    "tariff": "bold green",
    "personnel": "bold white",
    "production": "bold red",
    "organizations": "bold white",
}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"borderflow {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Store URL (overrides BORDERFLOW_DATABASE_URL), e.g. sqlite:///claims.db "
            "or postgresql+psycopg://user@host/dbname.",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Global options."""
    settings = Settings() if db is None else Settings(database_url=db)
    ctx.obj = State(settings)


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from exc


@app.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
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
) -> None:
    """Read documents, repair broken text, extract every quantitative claim and store them.

    The same content ingested again changes nothing; a changed file becomes a new version.
    A file that cannot be read is reported on one line and the others are still ingested;
    the exit code is 1 if any file failed."""
    state = state_of(ctx)
    published = _parse_date(date_)
    try:
        with state.open_store() as store:
            report = _run_ingest(state, store, paths, published, outlet)
    except BorderflowError as exc:
        raise fail(state, exc) from exc
    for error in report.errors:
        state.err.print(f"error: {error}", markup=False, highlight=False, soft_wrap=True)
    _print_ingest_summary(state.out, report)
    if not report.ok:
        raise typer.Exit(1)


def _run_ingest(
    state: State, store: Store, paths: list[Path], published: date | None, outlet: str | None
) -> IngestReport:
    settings = state.settings
    progress = Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=state.err,
        transient=True,
    )
    task_id = progress.add_task("ingesting", total=None)
    started = False

    def on_total(total: int) -> None:
        nonlocal started
        progress.update(task_id, total=total)
        if total >= _PROGRESS_MIN_FILES and state.err.is_terminal:
            progress.start()
            started = True

    def on_file(_source: str) -> None:
        progress.advance(task_id)

    try:
        return ingest_paths(
            paths,
            store,
            max_bytes=settings.max_file_bytes,
            published=published,
            outlet=outlet,
            workers=settings.ingest_workers,
            on_total=on_total,
            on_file=on_file,
        )
    finally:
        if started:
            progress.stop()


def _print_ingest_summary(console: Console, report: IngestReport) -> None:
    parts = [
        f"{report.count('added')} added",
        f"{report.count('new-version')} new versions",
        f"{report.count('unchanged')} unchanged",
        f"{report.count('duplicate')} duplicates",
        f"{len(report.errors)} failed",
        f"{report.claims} claims extracted",
    ]
    console.print("ingest: " + ", ".join(parts), highlight=False, soft_wrap=True)


@app.command()
def documents(
    ctx: typer.Context,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
) -> None:
    """List stored documents (current version of each)."""
    state = state_of(ctx)
    try:
        with state.open_store() as store:
            records = [d.as_record() for d in store.documents()]
    except BorderflowError as exc:
        raise fail(state, exc) from exc
    columns = (
        ("id", "id"),
        ("document", "document"),
        ("title", "title"),
        ("published", "published"),
        ("outlet", "outlet"),
        ("version", "ver"),
        ("claims", "claims"),
        ("repaired", "repaired"),
    )
    emit(state.out, records, fmt, _DOCUMENT_FIELDS, columns)


@app.command()
def claims(
    ctx: typer.Context,
    document: Annotated[
        str | None,
        typer.Option("--document", help="Only this document (id or source as given to ingest)."),
    ] = None,
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
    state = state_of(ctx)
    try:
        with state.open_store() as store:
            doc_id = store.document(document).summary.id if document else None
            records = store.claims(document_id=doc_id, measure=measure, substance=substance)
    except BorderflowError as exc:
        raise fail(state, exc) from exc
    if fmt is Format.table:
        records = [{**r, "period": _period_label(r)} for r in records]
    emit(state.out, records, fmt, CLAIM_FIELDS, _CLAIM_COLUMNS)


def _period_label(record: dict[str, Any]) -> str | None:
    if record.get("period_start") is None:
        return record.get("period_text")
    label = f"{record['period_start']}..{record['period_end']} {record.get('period_basis') or ''}"
    others = [c["basis"] for c in record.get("period_candidates") or []][1:]
    return label + (f" (or {', '.join(others)})" if others else "")


@app.command()
def show(
    ctx: typer.Context,
    document: Annotated[str, typer.Argument(help="Document id or source as given to ingest.")],
) -> None:
    """Print a document's text with every claim highlighted, then its claims with offsets."""
    state = state_of(ctx)
    try:
        with state.open_store() as store:
            stored = store.document(document)
            records = store.claims(document_id=stored.summary.id)
    except BorderflowError as exc:
        raise fail(state, exc) from exc
    summary = stored.summary
    out = state.out
    out.print(Text(summary.title or summary.source, style="bold"), soft_wrap=True)
    out.print(
        Text(
            f"{summary.source} · published {summary.published or 'undated'} · "
            f"version {summary.version} · {summary.claims} claims",
            style="dim",
        ),
        soft_wrap=True,
    )
    for repair in stored.repairs:
        out.print(
            Text(
                f"repaired: {repair.get('kind')} ({repair.get('count', '')})".rstrip(), style="dim"
            ),
            soft_wrap=True,
        )
    text = Text(stored.text)
    for record in records:
        text.stylize(
            _MEASURE_STYLE.get(record["measure"], "bold underline"), record["start"], record["end"]
        )
    out.print()
    out.print(text, soft_wrap=True)
    out.print()
    emit(
        out,
        [{**r, "span": f"{r['start']}:{r['end']}", "period": _period_label(r)} for r in records],
        Format.table,
        CLAIM_FIELDS,
        (
            ("id", "id"),
            ("span", "start:end"),
            ("text", "text"),
            ("measure", "measure"),
            ("substance", "substance"),
            ("agency", "agency"),
            ("period", "period"),
        ),
    )


@app.command()
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
    state = state_of(ctx)
    settings = state.settings
    if settings.database_url is None:
        db_path = settings.home / "demo.db"
        if not keep:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        settings = Settings(
            home=settings.home,
            database_url=f"sqlite:///{db_path}",
            max_file_bytes=settings.max_file_bytes,
            ingest_workers=settings.ingest_workers,
        )
        state.settings = settings
    corpus = Path(str(files("borderflow") / "samples"))
    try:
        with state.open_store() as store:
            report = _run_ingest(state, store, [corpus], None, None)
            records = store.claims()
            docs = store.documents()
            _, data_errors = import_files(store, reference_files())
            headline = official_headlines(store)
            run_and_store(store)
            verdicts = Counter(r["verdict"] for r in stored_checks(store))
            report_path = write_report(store, settings.home / "report.html")
    except BorderflowError as exc:
        raise fail(state, exc) from exc
    for data_error in data_errors:
        state.err.print(f"error: {data_error}", markup=False, highlight=False, soft_wrap=True)
    for error in report.errors:
        state.err.print(f"error: {error}", markup=False, highlight=False, soft_wrap=True)
    out = state.out
    out.print(
        f"borderflow demo: {len(docs)} sample documents in {settings.resolved_database_url()}",
        highlight=False,
        soft_wrap=True,
    )
    _print_ingest_summary(out, report)
    by_measure = Counter(r["measure"] for r in records)
    out.print(
        "claims by measure: " + ", ".join(f"{m} {n}" for m, n in by_measure.most_common()),
        highlight=False,
        soft_wrap=True,
    )
    masses = [{**r, "period": _period_label(r)} for r in records if r["dimension"] == "mass"]
    columns = (
        ("text", "text"),
        ("normalized_value", "kg"),
        ("measure", "measure"),
        ("agency", "agency"),
        ("corridor", "corridor"),
        ("period", "period"),
    )
    emit(
        out,
        masses,
        Format.table,
        CLAIM_FIELDS,
        columns,
        title="Masses in the sample documents (normalised to kg)",
    )
    out.print(
        "claim checks: " + (", ".join(f"{v} {n}" for v, n in verdicts.most_common()) or "none"),
        highlight=False,
        soft_wrap=True,
    )
    out.print(
        "Official data bundled with borderflow (borderflow data releases lists them):",
        highlight=False,
        soft_wrap=True,
    )
    for line in headline:
        out.print(f"  {line}", highlight=False, soft_wrap=True)
    out.print(
        f"Report (one self-contained HTML file, opens offline): {report_path.resolve()}",
        highlight=False,
        soft_wrap=True,
    )
    out.print(
        f"Next: borderflow --db {settings.resolved_database_url()} claims --format json, "
        f"or browse it: borderflow --db {settings.resolved_database_url()} serve",
        highlight=False,
        soft_wrap=True,
    )
    if not report.ok or data_errors:
        raise typer.Exit(1)


class CheckFormat(StrEnum):
    table = "table"
    json = "json"
    claimreview = "claimreview"


@app.command()
def check(
    ctx: typer.Context,
    document: Annotated[
        str | None,
        typer.Option("--document", help="Only this document (id or source as given to ingest)."),
    ] = None,
    verdict: Annotated[
        str | None, typer.Option("--verdict", help=f"Only this verdict: {', '.join(VERDICTS)}.")
    ] = None,
    all_checks: Annotated[
        bool,
        typer.Option("--all", help="Every check's verdict, not only each claim's headline one."),
    ] = False,
    fmt: Annotated[
        CheckFormat,
        typer.Option(
            "--format", help="table; json (every field); claimreview (schema.org JSON-LD)."
        ),
    ] = CheckFormat.table,
) -> None:
    """Judge every claim against official data, its own arithmetic and other sources.

    Verdicts are recomputed and stored with the claims and the data releases they used;
    each names its evidence (document spans, official series and releases)."""
    state = state_of(ctx)
    if verdict is not None and verdict not in VERDICTS:
        raise typer.BadParameter(f"--verdict must be one of {', '.join(VERDICTS)}")
    try:
        with state.open_store() as store:
            doc_id = store.document(document).summary.id if document else None
            run_and_store(store)
            records = stored_checks(
                store, document_id=doc_id, verdict=verdict, headline_only=not all_checks
            )
    except BorderflowError as exc:
        raise fail(state, exc) from exc
    if fmt is CheckFormat.claimreview:
        state.out.file.write(
            json.dumps([claim_review(r) for r in records], indent=2, ensure_ascii=False) + "\n"
        )
    elif fmt is CheckFormat.json:
        state.out.file.write(json.dumps(records, indent=2, ensure_ascii=False, default=str) + "\n")
    else:
        emit(
            state.out,
            records,
            Format.table,
            tuple(records[0]) if records else (),
            (
                ("claim_id", "claim"),
                ("document_id", "doc"),
                ("claim", "text"),
                ("check", "check"),
                ("verdict", "verdict"),
                ("explanation", "explanation"),
            ),
        )


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Create the store or migrate it to the newest schema."""
    state = state_of(ctx)
    try:
        with state.open_store() as store:
            counts = store.counts()
    except BorderflowError as exc:
        raise fail(state, exc) from exc
    state.out.print(
        f"store at {state.settings.resolved_database_url()} is up to date: "
        f"{counts['documents']} documents, {counts['claims']} claims",
        highlight=False,
        soft_wrap=True,
    )


def main() -> None:
    """Console-script entry point."""
    app()
