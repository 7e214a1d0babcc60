"""What every command shares: per-invocation state and the one-line error exit."""

from __future__ import annotations

import typer
from rich.console import Console

from borderflow.config import Settings
from borderflow.errors import BorderflowError
from borderflow.store import Store


class State:
    """Per-invocation state handed from the callback to commands (no module globals)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.out = Console()
        self.err = Console(stderr=True)

    def open_store(self) -> Store:
        return Store.open(self.settings.resolved_database_url())


def state_of(ctx: typer.Context) -> State:
    state = ctx.obj
    if not isinstance(state, State):
        state = State(Settings())
        ctx.obj = state
    return state


def fail(state: State, exc: BorderflowError, code: int = 1) -> typer.Exit:
    state.err.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(code)
