"""The connection to a Dask cluster, refused with a message that says what to fix, and the
one way work goes to its workers: a bounded number of tasks in flight.

Before any work is handed out, every worker is asked to open the store itself: a worker
that cannot reach the database, or runs another borderflow version, would otherwise fail
every task it is given, one confusing traceback at a time.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from distributed import Client, Future, as_completed
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from borderflow import __version__
from borderflow.errors import BorderflowError
from borderflow.store import Store

# How long to try to reach the scheduler, and to wait for a first worker to join it.
CONNECT_SECONDS = 10.0
WORKER_WAIT_SECONDS = 10.0
# Tasks in flight per worker thread: one running, one waiting, so a worker never idles
# while the client sends the next batch, and the client holds few batches at a time.
IN_FLIGHT_PER_THREAD = 2

W = TypeVar("W")


def shown_url(url: str) -> str:
    """A database URL fit for a message: its password hidden."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def require_postgres(url: str) -> None:
    """Refuse a store the workers cannot share. A SQLite file lives on one machine and
    takes one writer at a time, so a cluster writes to PostgreSQL."""
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError as exc:
        raise BorderflowError(f"not a database URL: {url!r}") from exc
    if backend != "postgresql":
        raise BorderflowError(
            f"--scheduler needs a PostgreSQL store, not {shown_url(url)}: a cluster writes "
            "to PostgreSQL; set BORDERFLOW_DATABASE_URL or --db to a "
            "postgresql+psycopg://USER@HOST/DB URL that every worker can reach"
        )


@contextmanager
def connected(scheduler: str, database_url: str) -> Iterator[Client]:
    """A client of the scheduler at `scheduler` (tcp://HOST:PORT) whose every worker has
    opened the store at `database_url`; closed (its unfinished tasks cancelled) on exit."""
    require_postgres(database_url)
    try:
        client = Client(  # type: ignore[no-untyped-call]  # Dask has no annotations
            scheduler, timeout=f"{CONNECT_SECONDS}s", set_as_default=False
        )
    except (OSError, TimeoutError, ValueError) as exc:
        raise BorderflowError(
            f"cannot reach the Dask scheduler at {scheduler!r} within {CONNECT_SECONDS:g} s "
            f"({exc}); give --scheduler as tcp://HOST:PORT of a running `dask scheduler`"
        ) from exc
    try:
        _check_workers(client, scheduler, database_url)
        yield client
    finally:
        client.close()  # type: ignore[no-untyped-call]


def _check_workers(client: Client, scheduler: str, database_url: str) -> None:
    try:
        client.wait_for_workers(1, timeout=WORKER_WAIT_SECONDS)
    except TimeoutError as exc:
        raise BorderflowError(
            f"the Dask scheduler at {scheduler} has no workers (none joined within "
            f"{WORKER_WAIT_SECONDS:g} s); start some with `dask worker {scheduler}` on "
            "machines where borderflow is installed"
        ) from exc
    answers = client.run(open_store, database_url, __version__, on_error="return")
    for worker, answer in sorted(answers.items()):
        if isinstance(answer, BaseException):
            raise BorderflowError(
                f"Dask worker {worker} cannot open the store at {shown_url(database_url)} "
                f"({type(answer).__name__}: {answer}); every worker needs borderflow "
                "installed and the same database URL reachable"
            )
        if answer != __version__:
            raise BorderflowError(
                f"Dask worker {worker} runs borderflow {answer}, this machine {__version__}; "
                "install the same version everywhere, so every document is read alike"
            )


def open_store(database_url: str, version: str) -> str:
    """Runs on each worker: say which borderflow this is and, only if it is `version`
    (the client's), open and close the store. Opening upgrades the schema, so a worker
    with another version must not open it: it would migrate the shared database to a
    schema the client's code may not read."""
    if __version__ != version:
        return __version__
    Store.open(database_url).close()
    return __version__


def in_flight(client: Client) -> int:
    """How many tasks to keep submitted: enough to keep every worker thread busy."""
    workers = client.scheduler_info(n_workers=-1)["workers"].values()
    threads = sum(int(w.get("nthreads", 1)) for w in workers)
    return IN_FLIGHT_PER_THREAD * max(1, threads)


def finished(
    client: Client, submit: Callable[[Client, W], Future[Any]], work: deque[W]
) -> Iterator[tuple[W, Future[Any]]]:
    """Each item of `work` with its finished task, in the order they finish. At most
    `in_flight` tasks are out at once, so what the client holds for them (a batch's
    bytes) stays bounded whatever the corpus; the caller may add to `work` meanwhile
    (to split a batch that failed)."""
    limit = in_flight(client)
    running: dict[Future[Any], W] = {}
    done = as_completed(loop=client.loop)  # type: ignore[no-untyped-call]
    while work or running:
        while work and len(running) < limit:
            item = work.popleft()
            future = submit(client, item)
            running[future] = item
            done.add(future)  # type: ignore[no-untyped-call]
        future = next(done)
        yield running.pop(future), future


def outcome(future: Future[Any]) -> Any:
    """The task's result, or the exception that ended it (after its retries)."""
    try:
        return future.result()
    except Exception as exc:  # any failure of a task is reported per item by the caller
        return exc
    finally:
        future.release()  # type: ignore[no-untyped-call]
