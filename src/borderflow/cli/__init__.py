"""The borderflow command line: one module per command group, each command a thin layer
over one library call (`borderflow.workflows` for the multi-step jobs). Library errors
become one `error:` line and a non-zero exit code (`common.reporting`)."""

from __future__ import annotations

from typing import Annotated

import typer

from borderflow import __version__
from borderflow.cli import (
    checks,
    data,
    db,
    demo,
    documents,
    model,
    model_checks,
    model_trust,
    web,
)
from borderflow.cli.common import State
from borderflow.config import Settings

app = typer.Typer(
    name="borderflow",
    help="Evidence-grounded figures on the illicit fentanyl supply: ingest documents, extract "
    "every quantitative claim with its provenance, and explore them.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
for command in (
    documents.ingest,
    documents.documents,
    documents.claims,
    documents.show,
    demo.demo,
    checks.check,
    web.serve,
    web.report,
):
    app.command()(command)
app.add_typer(db.db_app, name="db")
app.add_typer(data.data_app, name="data")
model_checks.register(model.model_app)
model_trust.register(model.model_app)
app.add_typer(model.model_app, name="model")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"borderflow {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    ctx: typer.Context,
    db_url: Annotated[
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
    settings = Settings() if db_url is None else Settings(database_url=db_url)
    ctx.obj = State(settings)


def main() -> None:
    """Console-script entry point."""
    app()
