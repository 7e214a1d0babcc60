"""ingest_paths: files and folders in, documents and claims stored, a report out.

Reading, repair and extraction are pure and run in worker processes; the store is written
from this process only, one transaction per document, so a failure never leaves half a
document or half its claims behind. A worker that dies (out of memory) costs only the file
it was reading: the files queued with it are read again one at a time.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Generator, Iterable
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from borderflow import __version__
from borderflow.errors import IngestError
from borderflow.extract import DocumentMeta, extract_claims
from borderflow.ingest import files
from borderflow.ingest.files import FileTask, read_regular
from borderflow.ingest.limits import IngestLimits, setting_hint
from borderflow.ingest.readers import SUPPORTED_SUFFIXES, ParsedDocument, read_document
from borderflow.ingest.workers import worker_pool
from borderflow.records.claims import Claim
from borderflow.store import NewDocument, Saved, SaveResult, SaveStatus, Store
from borderflow.text_safety import printable

_PARALLEL_THRESHOLD = 16
_HASH_BATCH = 256
_CHUNK = 32
EXTRACTOR_VERSION = __version__


@dataclass(frozen=True, slots=True)
class FileWarning:
    """Something a reading library noted about a file that was still ingested."""

    source: str
    message: str

    def __str__(self) -> str:
        return f"{printable(self.source)}: {printable(self.message)}"


@dataclass(frozen=True, slots=True)
class Prepared:
    """A document read and extracted in a worker, with what the readers warned about."""

    document: NewDocument
    warnings: tuple[str, ...] = ()


@dataclass(slots=True)
class IngestReport:
    """What happened to each file."""

    results: list[tuple[str, SaveResult]] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)
    warnings: list[FileWarning] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for _source, result in self.results if result.status == status)

    @property
    def claims(self) -> int:
        return sum(result.claims for _source, result in self.results)

    @property
    def ok(self) -> bool:
        return not self.errors


def collect_files(paths: Iterable[str | Path]) -> tuple[list[FileTask], list[IngestError]]:
    """Files named and files under folders named (supported types only); see
    `files.collect_files`."""
    return files.collect_files(paths, SUPPORTED_SUFFIXES)


@dataclass(frozen=True, slots=True)
class _Job:
    """What a worker needs to prepare one file (picklable)."""

    task: FileTask
    max_bytes: int
    limits: IngestLimits
    published: date | None
    outlet: str | None
    title: str | None = None


def prepare(job: _Job) -> Prepared:
    """Read and extract one file (pure; runs in a worker process)."""
    doc = read_document(
        job.task.path, job.task.source, max_bytes=job.max_bytes, limits=job.limits,
        published=job.published, outlet=job.outlet, title=job.title,
    )  # fmt: skip
    meta = DocumentMeta(
        published=doc.published, outlet=doc.outlet, title=doc.title, author=doc.author
    )
    claims = extract_claims(doc.text, meta)
    most = job.limits.max_claims_per_document
    if len(claims) > most:
        raise IngestError(
            job.task.source,
            f"{len(claims):,} claims found, over the limit of {most:,} per document (a table "
            "dump, not an article?) " + setting_hint("max_claims_per_document"),
        )
    return Prepared(_new_document(doc, claims), tuple(doc.warnings))


def _new_document(doc: ParsedDocument, claims: list[Claim]) -> NewDocument:
    return NewDocument(
        source=doc.source, source_key=doc.source_key, content_hash=doc.content_hash,
        fmt=doc.format, size=doc.size, text=doc.text, title=doc.title, outlet=doc.outlet,
        author=doc.author, published=doc.published, extractor_version=EXTRACTOR_VERSION,
        claims=claims, metadata=doc.metadata, repairs=doc.repairs,
    )  # fmt: skip


def _prepare_safely(job: _Job) -> tuple[FileTask, Prepared | IngestError]:
    try:
        return job.task, prepare(job)
    except IngestError as exc:
        return job.task, exc
    except Exception as exc:  # a bug must not stop the other files; report it as such
        reason = f"internal error: {type(exc).__name__}: {exc}"
        return job.task, IngestError(job.task.source, reason)


def _file_hash(task: FileTask, max_bytes: int) -> str | None:
    """The content hash, if the file can be read (if not, reading it again reports why)."""
    try:
        return hashlib.sha256(read_regular(task.path, task.source, max_bytes)).hexdigest()
    except IngestError:
        return None


def skip_known(
    tasks: list[FileTask],
    store: Store,
    max_bytes: int,
    report: IngestReport,
    on_file: Callable[[str], None] | None = None,
) -> list[FileTask]:
    """The files still to read. Files whose exact bytes are stored already go into `report`
    as unchanged (same file) or duplicate (another file) without being read and extracted
    again, which is what makes ingesting the same folder twice cheap."""
    todo: list[FileTask] = []
    for batch_start in range(0, len(tasks), _HASH_BATCH):
        batch = tasks[batch_start : batch_start + _HASH_BATCH]
        digests = [_file_hash(task, max_bytes) for task in batch]
        known = store.known_contents(d for d in digests if d)
        for task, digest in zip(batch, digests, strict=True):
            hit = known.get(digest) if digest else None
            if hit is None:
                todo.append(task)
                continue
            status: SaveStatus = "unchanged" if hit[1] == task.key else "duplicate"
            report.results.append((task.source, SaveResult(status, hit[0], 0, 0)))
            if on_file:
                on_file(task.source)
    return todo


def ingest_paths(
    paths: Iterable[str | Path],
    store: Store,
    *,
    max_bytes: int,
    limits: IngestLimits | None = None,
    published: date | None = None,
    outlet: str | None = None,
    workers: int = 0,
    on_total: Callable[[int], None] | None = None,
    on_file: Callable[[str], None] | None = None,
) -> IngestReport:
    """Ingest files and folders into `store`. `workers` 0 means one process per core;
    `limits` default to the settings' declared defaults."""
    tasks, errors = collect_files(paths)
    report = IngestReport(errors=errors)
    if on_total:
        on_total(len(tasks))
    todo = skip_known(tasks, store, max_bytes, report, on_file)

    def saved(outcome: Saved) -> None:
        source = outcome.document.source
        if outcome.result is not None:
            report.results.append((source, outcome.result))
        else:  # this document only; its savepoint was undone
            report.errors.append(IngestError(source, f"cannot store: {outcome.error}"))

    jobs = [_Job(task, max_bytes, limits or IngestLimits(), published, outlet) for task in todo]
    with store.writer(saved) as writer, closing(_prepared(jobs, workers)) as outcomes:
        for task, outcome in outcomes:
            if isinstance(outcome, IngestError):
                report.errors.append(outcome)
            else:
                report.warnings += [FileWarning(task.source, w) for w in outcome.warnings]
                writer.save_document(outcome.document)
            if on_file:
                on_file(task.source)
    return report


Outcomes = Generator[tuple[FileTask, Prepared | IngestError], None, None]


def _prepared(jobs: list[_Job], workers: int) -> Outcomes:
    """Each job's outcome, in order: in this process for a few files, else in a pool."""
    n = workers or os.cpu_count() or 1
    if n <= 1 or len(jobs) < _PARALLEL_THRESHOLD:
        yield from map(_prepare_safely, jobs)
        return
    done = 0
    try:
        with worker_pool(n) as pool:
            for outcome in pool.map(_prepare_safely, jobs, chunksize=_CHUNK):
                yield outcome
                done += 1
    except BrokenProcessPool:
        # The files that were queued when a worker died are read again one by one, to
        # find the one that kills its worker; then the rest go on in parallel.
        suspects = jobs[done : done + (n + 1) * _CHUNK]
        yield from _one_at_a_time(suspects)
        yield from _prepared(jobs[done + len(suspects) :], workers)


def _one_at_a_time(jobs: list[_Job]) -> Outcomes:
    """Each file in a worker of its own, so the one that kills its worker is named and
    every other file is still read."""
    remaining = list(jobs)
    while remaining:
        try:
            with worker_pool(1) as pool:
                while remaining:
                    outcome = pool.submit(_prepare_safely, remaining[0]).result()
                    remaining.pop(0)
                    yield outcome
        except BrokenProcessPool:
            task = remaining.pop(0).task
            reason = "the process reading it died (out of memory?); nothing was stored"
            yield task, IngestError(task.source, reason)


def ingest_upload(
    store: Store,
    name: str,
    data: bytes,
    *,
    max_bytes: int,
    limits: IngestLimits | None = None,
    published: date | None = None,
    outlet: str | None = None,
) -> SaveResult:
    """Ingest one uploaded file (or pasted text) the way `ingest` reads a file: same
    readers, repairs and extraction. `name` supplies the type (its suffix) and the title
    of last resort; the source is recorded as upload:NAME. Bytes already stored return the
    existing document. Raises IngestError for anything `ingest` would refuse; its message
    never shows the temporary file the bytes were read from."""
    safe = printable(Path(name.replace("\\", "/").replace("\0", "")).name.strip()) or "upload.txt"
    source = f"upload:{safe}"
    if len(data) > max_bytes:
        raise IngestError(
            source,
            f"file is {len(data):,} bytes, over the limit of {max_bytes:,} "
            + setting_hint("max_file_bytes"),
        )
    digest = hashlib.sha256(data).hexdigest()
    known = store.find_content(digest)
    if known is not None:
        return SaveResult("duplicate", known[0], 0, 0)
    task = FileTask(Path(safe), source, f"{source}#{digest[:16]}")
    outcome = prepare_bytes(
        task, data, max_bytes=max_bytes, limits=limits, published=published, outlet=outlet
    )
    if isinstance(outcome, IngestError):
        raise outcome
    return store.save_document(outcome.document)


def prepare_bytes(
    task: FileTask,
    data: bytes,
    *,
    max_bytes: int,
    limits: IngestLimits | None = None,
    published: date | None = None,
    outlet: str | None = None,
) -> Prepared | IngestError:
    """Read and extract a file from its bytes as `prepare` reads it from disk, for a
    process that never sees the file (a web upload, a cluster worker). The readers take a
    path, so the bytes go to a temporary folder first; the document keeps the task's
    source, identity (`key`) and name (its title of last resort, and its type), and an
    error never shows the temporary folder."""
    with tempfile.TemporaryDirectory(prefix="borderflow-upload-") as folder:
        path = Path(folder) / f"upload{_suffix(task.path.name)}"
        path.write_bytes(data)
        copy = FileTask(path, task.source, task.key)
        title = printable(task.path.stem)
        job = _Job(copy, max_bytes, limits or IngestLimits(), published, outlet, title)
        _, outcome = _prepare_safely(job)
    if isinstance(outcome, IngestError):
        return IngestError(task.source, outcome.reason.replace(folder, "(upload)"))
    return replace(outcome, document=replace(outcome.document, source_key=task.key))


def _suffix(name: str) -> str:
    """The name's suffix if it is one the readers know (else none: the reader refuses)."""
    suffix = Path(name).suffix.lower()
    return suffix if suffix in SUPPORTED_SUFFIXES else suffix[:16].replace("/", "")
