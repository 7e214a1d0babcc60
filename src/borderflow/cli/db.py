"""`borderflow db`: the store itself."""

from __future__ import annotations

import typer

from borderflow.cli.common import opened_store, state_of

db_app = typer.Typer(help="Manage the store (SQLite file or PostgreSQL).", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Create the store or migrate it to the newest schema."""
    with opened_store(ctx, create=True) as store:
        counts = store.counts()
    state = state_of(ctx)
    state.say(
        f"store at {state.settings.resolved_database_url()} is up to date: "
        f"{counts['documents']} documents, {counts['claims']} claims"
    )
