"""What every command shares: per-invocation state, the one way library errors become a
one-line message and an exit code, shared options, and the progress bar.

A command parses its options, opens the store with `opened_store` (or wraps library calls
in `reporting`), calls one library function and prints; it never catches errors itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from borderflow.config import Settings
from borderflow.errors import BorderflowError, QueryError
from borderflow.output import Format
from borderflow.store import Store

FormatOption = Annotated[Format, typer.Option("--format", help="table, json, jsonl or csv.")]
DocumentOption = Annotated[
    str | None,
    typer.Option("--document", help="Only this document (id or source as given to ingest)."),
]


class State:
    """Per-invocation state handed from the callback to commands (no module globals)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.out = Console()
        self.err = Console(stderr=True)

    def open_store(self, *, create: bool = False) -> Store:
        """The configured store; unless `create`, a SQLite file that is not there is an
        error (a mistyped --db must not silently become an empty store)."""
        return Store.open(
            self.settings.resolved_database_url(),
            busy_seconds=self.settings.store_busy_seconds,
            must_exist=not create,
        )

    def say(self, text: str, *, err: bool = False) -> None:
        """One line as written, never read as Rich markup (text comes from documents)."""
        (self.err if err else self.out).print(text, markup=False, highlight=False, soft_wrap=True)


def state_of(ctx: typer.Context) -> State:
    state = ctx.obj
    if not isinstance(state, State):
        state = State(Settings())
        ctx.obj = state
    return state


def fail(state: State, exc: BorderflowError, code: int = 1) -> typer.Exit:
    state.say(f"error: {exc}", err=True)
    return typer.Exit(code)


def option_name(name: str) -> str:
    """The command-line option for a library parameter: land_only -> --land-only."""
    return "--" + name.replace("_", "-")


@contextmanager
def reporting(state: State) -> Iterator[None]:
    """Library errors become one `error:` line: exit 2 for a value the user can correct
    (naming the option and the valid choices), 1 for anything else."""
    try:
        yield
    except QueryError as exc:
        raise fail(state, _usage(exc), 2) from exc
    except BorderflowError as exc:
        raise fail(state, exc) from exc


def _usage(exc: QueryError) -> BorderflowError:
    """A wrong request in the command line's words: its options, not the library's names."""
    if exc.parameter is None:
        return exc
    option = option_name(exc.parameter)
    if exc.kind == "parameter":
        takes = ", ".join(option_name(v) for v in exc.valid) or "none"
        return BorderflowError(f"{option} does not apply to {exc.source} (its options: {takes})")
    if exc.valid and exc.reason:
        return BorderflowError(f"{option} must be one of {', '.join(exc.valid)} ({exc.reason})")
    return BorderflowError(f"{option}: {exc}")


@contextmanager
def opened_store(ctx: typer.Context, *, create: bool = False) -> Iterator[Store]:
    """The store named by --db or the settings, open for one command; any library error
    inside is reported as `reporting` says. Only commands that add data `create` it."""
    state = state_of(ctx)
    with reporting(state), state.open_store(create=create) as store:
        yield store


def progress_bar(state: State, label: str = "{task.description}") -> Progress:
    """A transient progress bar on stderr (not shown when stderr is not a terminal)."""
    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=state.err,
        transient=True,
        disable=not state.err.is_terminal,
    )
