"""`ingest --scheduler`: files read, extracted and stored by a Dask cluster's workers.

The client does what needs the files: it finds them, skips contents the store holds
already (as a local ingest does), and sends the rest in batches with their bytes, so the
workers need no shared file system. The bytes travel inside each task rather than being
scattered ahead: the scheduler keeps a task's arguments, so the batch of a worker that died
is run again elsewhere, where scattered data would have died with the worker. A batch run
twice writes nothing twice: the store keeps one version per content, and the second run
finds every document of the batch stored and reports it unchanged.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from distributed import Client, Future, KilledWorker

from borderflow.cluster.client import connected, finished, outcome
from borderflow.errors import IngestError
from borderflow.ingest.files import FileTask, read_regular
from borderflow.ingest.limits import IngestLimits
from borderflow.ingest.pipeline import (
    FileWarning,
    IngestReport,
    Prepared,
    collect_files,
    prepare_bytes,
    skip_known,
)
from borderflow.store import Saved, SaveResult, Store

# A batch is at most this many files and bytes: big enough that opening the store and one
# write transaction per batch cost little, small enough that a retried batch redoes little
# and a task's bytes stay far below what the scheduler warns about.
BATCH_FILES = 32
BATCH_BYTES = 8_000_000
# A batch that failed for other reasons than a dead worker is tried this many times more.
RETRIES = 2


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """What every worker needs besides the files (picklable; the settings stay here)."""

    database_url: str
    max_bytes: int
    limits: IngestLimits = field(default_factory=IngestLimits)
    published: date | None = None
    outlet: str | None = None
    busy_seconds: float = 60.0


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """How one file ended on a worker: stored (`result`) or not (`error`, the reason), with
    what the readers warned about. Small, so results cost the client little memory."""

    source: str
    result: SaveResult | None = None
    error: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Batch:
    order: tuple[int, int]  # its place in the files' order, for a report in that order
    tasks: tuple[FileTask, ...]


def ingest_batch(options: IngestOptions, files: list[tuple[FileTask, bytes]]) -> list[FileOutcome]:
    """Runs on a worker: read and extract each file from its bytes, then store the batch
    in one write transaction, each document in a savepoint of its own (all of it or none).
    Opens the store for this batch alone; nothing is kept for the next task."""
    outcomes: list[FileOutcome | None] = [None] * len(files)
    prepared: list[tuple[int, Prepared]] = []
    for i, (task, data) in enumerate(files):
        got = prepare_bytes(
            task, data, max_bytes=options.max_bytes, limits=options.limits,
            published=options.published, outlet=options.outlet,
        )  # fmt: skip
        if isinstance(got, IngestError):
            outcomes[i] = FileOutcome(task.source, error=got.reason)
        else:
            prepared.append((i, got))
    if prepared:
        saved: list[Saved] = []
        url, busy = options.database_url, options.busy_seconds
        with (
            Store.open(url, busy_seconds=busy) as store,
            store.writer(saved.append, batch_size=len(prepared)) as writer,
        ):
            for _, ready in prepared:
                writer.save_document(ready.document)
        for (i, ready), done in zip(prepared, saved, strict=True):
            error = None if done.result else f"cannot store: {done.error}"
            outcomes[i] = FileOutcome(files[i][0].source, done.result, error, ready.warnings)
    return [o for o in outcomes if o is not None]


def ingest_on_cluster(
    paths: Iterable[str | Path],
    store: Store,
    scheduler: str,
    options: IngestOptions,
    *,
    on_total: Callable[[int], None] | None = None,
    on_file: Callable[[str], None] | None = None,
) -> IngestReport:
    """Ingest files and folders through the Dask scheduler at `scheduler` into `store`
    (PostgreSQL, at `options.database_url`, which every worker must reach): the same
    report as `ingest_paths`, its files in the same order."""
    with connected(scheduler, options.database_url) as client:
        tasks, errors = collect_files(paths)
        report = IngestReport(errors=errors)
        if on_total:
            on_total(len(tasks))
        todo = skip_known(tasks, store, options.max_bytes, report, on_file)
        ended = _run(client, options, deque(_batches(todo)), on_file)
    for order in sorted(ended):
        for one in ended[order]:
            _add(report, one)
    return report


def _run(
    client: Client,
    options: IngestOptions,
    work: deque[_Batch],
    on_file: Callable[[str], None] | None,
) -> dict[tuple[int, int], list[FileOutcome]]:
    """Every batch's outcomes, by its place in the files' order. A batch that killed its
    workers (the scheduler gives up after a few) is split into single files, so only the
    file that kills a worker is lost, as with a local ingest."""
    ended: dict[tuple[int, int], list[FileOutcome]] = {}

    def submit(client: Client, batch: _Batch) -> Future[list[FileOutcome]]:
        files, unread = _load(batch.tasks, options.max_bytes)
        ended[batch.order] = unread
        return client.submit(ingest_batch, options, files, retries=RETRIES, pure=False)

    for batch, future in finished(client, submit, work):
        got = outcome(future)
        if isinstance(got, KilledWorker) and len(batch.tasks) > 1:
            number = batch.order[0]
            work.extend(_Batch((number, i), (t,)) for i, t in enumerate(batch.tasks))
            del ended[batch.order]
            continue
        if isinstance(got, BaseException):
            got = [FileOutcome(t.source, error=_failure(got)) for t in batch.tasks]
        place = {t.source: i for i, t in enumerate(batch.tasks)}
        ended[batch.order] = sorted(ended[batch.order] + got, key=lambda o: place[o.source])
        if on_file:
            for task in batch.tasks:
                on_file(task.source)
    return ended


def _batches(tasks: list[FileTask]) -> Iterator[_Batch]:
    """The files in order, in batches of at most BATCH_FILES files and BATCH_BYTES bytes
    (a larger file goes alone)."""
    current: list[FileTask] = []
    size, number = 0, 0
    for task in tasks:
        try:
            bytes_ = task.path.stat().st_size
        except OSError:  # reading it reports why
            bytes_ = 0
        if current and (len(current) >= BATCH_FILES or size + bytes_ > BATCH_BYTES):
            yield _Batch((number, 0), tuple(current))
            current, size, number = [], 0, number + 1
        current.append(task)
        size += bytes_
    if current:
        yield _Batch((number, 0), tuple(current))


def _load(
    tasks: Iterable[FileTask], max_bytes: int
) -> tuple[list[tuple[FileTask, bytes]], list[FileOutcome]]:
    """The files' bytes, read here where the files are; and why each unreadable one
    could not be read (the same message a local ingest gives)."""
    files: list[tuple[FileTask, bytes]] = []
    unread: list[FileOutcome] = []
    for task in tasks:
        try:
            files.append((task, read_regular(task.path, task.source, max_bytes)))
        except IngestError as exc:
            unread.append(FileOutcome(task.source, error=exc.reason))
    return files, unread


def _failure(exc: BaseException) -> str:
    if isinstance(exc, KilledWorker):
        return "the Dask worker reading it died (out of memory?)"
    return f"the cluster could not ingest it ({type(exc).__name__}: {exc})"


def _add(report: IngestReport, one: FileOutcome) -> None:
    report.warnings += [FileWarning(one.source, w) for w in one.warnings]
    if one.result is not None:
        report.results.append((one.source, one.result))
    else:
        report.errors.append(IngestError(one.source, one.error or "not stored"))
