"""The connection to a Dask cluster, refused with a message that says what to fix, and the
one way work goes to its workers: a bounded number of tasks in flight.

Before any work is handed out, every worker is asked to open the store itself: a worker
that cannot reach the database, or runs another borderflow version, would otherwise fail
every task it is given, one confusing traceback at a time.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import dask
from distributed import Client, Future, wait
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from borderflow import __version__
from borderflow.errors import BorderflowError
from borderflow.store import Store

# How long to try to reach the scheduler, and to wait for a first worker to join it.
CONNECT_SECONDS = 10.0
WORKER_WAIT_SECONDS = 10.0
# How often the client looks at the cluster while it waits for tasks, and how long it
# waits once every worker has gone before it gives up.
POLL_SECONDS = 1.0
LOST_WORKERS_SECONDS = 60.0
# Tasks in flight per worker thread: one running, one waiting, so a worker never idles
# while the client sends the next batch, and the client holds few batches at a time.
IN_FLIGHT_PER_THREAD = 2

# Messages Dask's client keeps of those it sent, for its developers' debugging. It keeps
# 1,000 by default, each under 1 MB kept whole: with a batch of files' bytes in every task
# that is up to 1 GB, and the client grew by 13 KB an article until it held them all
# (benchmarks/RESULTS.md). Ten bound it to 10 MB.
SENT_MESSAGES_KEPT = 10

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
    # Dask reads its settings when it opens (or reopens) a connection: they hold for the
    # whole session, and return to what they were when it ends.
    with dask.config.set({"distributed.admin.low-level-log-length": SENT_MESSAGES_KEPT}):
        try:
            client = Client(  # type: ignore[no-untyped-call]  # Dask has no annotations
                scheduler, timeout=f"{CONNECT_SECONDS}s", set_as_default=False
            )
        except (OSError, TimeoutError, ValueError) as exc:
            raise BorderflowError(
                f"cannot reach the Dask scheduler at {scheduler!r} within "
                f"{CONNECT_SECONDS:g} s ({exc}); give --scheduler as tcp://HOST:PORT of a "
                "running `dask scheduler`"
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
    client: Client,
    submit: Callable[[Client, W], Future[Any]],
    work: deque[W],
    lost_seconds: float | None = None,
) -> Iterator[tuple[W, Future[Any]]]:
    """Each item of `work` with its finished task, in the order they finish. At most
    `in_flight` tasks are out at once (counted again as workers join or leave), so what
    the client holds for them (a batch's bytes) stays bounded whatever the corpus; the
    caller may add to `work` meanwhile (to split a batch that failed). When every worker
    has left and none joins within `lost_seconds` (default `LOST_WORKERS_SECONDS`), the run
    stops with an error instead of waiting for ever: what finished is stored."""
    running: dict[Future[Any], W] = {}
    alone_since: float | None = None
    while work or running:
        limit = in_flight(client)
        while work and len(running) < limit:
            item = work.popleft()
            running[submit(client, item)] = item
        try:
            with client.as_current():  # `wait` asks for the current client, not the futures'
                done = wait(list(running), POLL_SECONDS, "FIRST_COMPLETED").done  # type: ignore[no-untyped-call]
        except TimeoutError:
            alone_since = _still_served(client, alone_since, lost_seconds, len(running) + len(work))
            continue
        alone_since = None
        for future in done:
            yield running.pop(future), future


def _still_served(
    client: Client, alone_since: float | None, lost_seconds: float | None, left: int
) -> float | None:
    """When the scheduler has been without workers since (None: it has some), or an
    error once that has lasted `lost_seconds`."""
    if client.scheduler_info(n_workers=-1)["workers"]:
        return None
    now = time.monotonic()
    limit = LOST_WORKERS_SECONDS if lost_seconds is None else lost_seconds
    if alone_since is None:
        return now
    if now - alone_since < limit:
        return alone_since
    raise BorderflowError(
        f"every Dask worker has left the scheduler and none joined within {limit:g} s; "
        f"{left} batches were not done. What finished is stored: start workers and run "
        "the same command again to do the rest"
    )


def outcome(future: Future[Any]) -> Any:
    """The task's result, or the exception that ended it (after its retries)."""
    try:
        return future.result()
    except Exception as exc:  # any failure of a task is reported per item by the caller
        return exc
    finally:
        future.release()  # type: ignore[no-untyped-call]
