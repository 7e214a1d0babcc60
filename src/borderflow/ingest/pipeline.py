"""ingest_paths: files and folders in, documents and claims stored, a report out.

Reading, repair and extraction are pure and run in worker processes; the store is written
from this process only, one transaction per document, so a failure never leaves half a
document or half its claims behind.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from borderflow import __version__
from borderflow.errors import IngestError
from borderflow.extract import DocumentMeta, extract_claims
from borderflow.ingest.readers import SUPPORTED_SUFFIXES, ParsedDocument, read_document
from borderflow.records.claims import Claim
from borderflow.store import NewDocument, SaveResult, SaveStatus, Store

_PARALLEL_THRESHOLD = 16
_HASH_BATCH = 256
EXTRACTOR_VERSION = __version__


@dataclass(frozen=True, slots=True)
class FileTask:
    path: Path
    source: str


@dataclass(slots=True)
class IngestReport:
    """What happened to each file."""

    results: list[tuple[str, SaveResult]] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)
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
    """Files named and files under folders named (recursively, supported types only,
    hidden files skipped), in a stable order."""
    tasks: list[FileTask] = []
    errors: list[IngestError] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in SUPPORTED_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            for p in found:
                if p.resolve() not in seen:
                    seen.add(p.resolve())
                    tasks.append(FileTask(p, str(p)))
        elif path.exists():
            if path.resolve() not in seen:
                seen.add(path.resolve())
                tasks.append(FileTask(path, str(raw)))
        else:
            errors.append(IngestError(str(raw), "no such file or folder"))
    return tasks, errors


def prepare(
    task: FileTask, max_bytes: int, published: date | None, outlet: str | None
) -> NewDocument:
    """Read and extract one file (pure; runs in a worker process)."""
    doc = read_document(
        task.path, task.source, max_bytes=max_bytes, published=published, outlet=outlet
    )
    meta = DocumentMeta(
        published=doc.published, outlet=doc.outlet, title=doc.title, author=doc.author
    )
    return _new_document(doc, extract_claims(doc.text, meta))


def _new_document(doc: ParsedDocument, claims: list[Claim]) -> NewDocument:
    return NewDocument(
        source=doc.source, source_key=doc.source_key, content_hash=doc.content_hash,
        fmt=doc.format, size=doc.size, text=doc.text, title=doc.title, outlet=doc.outlet,
        author=doc.author, published=doc.published, extractor_version=EXTRACTOR_VERSION,
        claims=claims, metadata=doc.metadata, repairs=doc.repairs,
    )  # fmt: skip


def _prepare_safely(
    args: tuple[FileTask, int, date | None, str | None],
) -> tuple[FileTask, NewDocument | IngestError]:
    task = args[0]
    try:
        return task, prepare(*args)
    except IngestError as exc:
        return task, exc
    except Exception as exc:  # a bug must not stop the other files; report it as such
        return task, IngestError(task.source, f"internal error: {type(exc).__name__}: {exc}")


def _file_hash(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def ingest_paths(
    paths: Iterable[str | Path],
    store: Store,
    *,
    max_bytes: int,
    published: date | None = None,
    outlet: str | None = None,
    workers: int = 0,
    on_total: Callable[[int], None] | None = None,
    on_file: Callable[[str], None] | None = None,
) -> IngestReport:
    """Ingest files and folders into `store`. `workers` 0 means one process per core."""
    tasks, errors = collect_files(paths)
    report = IngestReport(errors=errors)
    if on_total:
        on_total(len(tasks))
    todo: list[FileTask] = []
    for batch_start in range(0, len(tasks), _HASH_BATCH):
        batch = tasks[batch_start : batch_start + _HASH_BATCH]
        digests = [_file_hash(task.path) for task in batch]
        known = store.known_contents(d for d in digests if d)
        for task, digest in zip(batch, digests, strict=True):
            hit = known.get(digest) if digest else None
            if hit is None:
                todo.append(task)
                continue
            status: SaveStatus = "unchanged" if hit[1] == str(task.path.resolve()) else "duplicate"
            report.results.append((task.source, SaveResult(status, hit[0], 0, 0)))
            if on_file:
                on_file(task.source)
    with store.writer() as writer:
        for task, outcome in _prepared(todo, max_bytes, published, outlet, workers):
            if isinstance(outcome, IngestError):
                report.errors.append(outcome)
            else:
                try:
                    report.results.append((task.source, writer.save_document(outcome)))
                except SQLAlchemyError as exc:  # this document only; its savepoint is undone
                    reason = getattr(exc, "orig", None) or exc
                    report.errors.append(IngestError(task.source, f"cannot store: {reason}"))
            if on_file:
                on_file(task.source)
    return report


def _prepared(
    tasks: list[FileTask], max_bytes: int, published: date | None, outlet: str | None, workers: int
) -> Iterator[tuple[FileTask, NewDocument | IngestError]]:
    args = [(task, max_bytes, published, outlet) for task in tasks]
    n = workers or os.cpu_count() or 1
    if n <= 1 or len(tasks) < _PARALLEL_THRESHOLD:
        yield from map(_prepare_safely, args)
        return
    with ProcessPoolExecutor(max_workers=n) as pool:
        yield from pool.map(_prepare_safely, args, chunksize=32)


def ingest_upload(
    store: Store,
    name: str,
    data: bytes,
    *,
    max_bytes: int,
    published: date | None = None,
    outlet: str | None = None,
) -> SaveResult:
    """Ingest one uploaded file (or pasted text) the way `ingest` reads a file: same
    readers, repairs and extraction. `name` supplies the type (its suffix) and the title
    of last resort; the source is recorded as upload:NAME. Bytes already stored return the
    existing document. Raises IngestError for anything `ingest` would refuse."""
    safe = Path(name.replace("\\", "/")).name.strip() or "upload.txt"
    source = f"upload:{safe}"
    if len(data) > max_bytes:
        raise IngestError(source, f"file is {len(data):,} bytes, over the limit of {max_bytes:,}")
    digest = hashlib.sha256(data).hexdigest()
    known = store.find_content(digest)
    if known is not None:
        return SaveResult("duplicate", known[0], 0, 0)
    with tempfile.TemporaryDirectory(prefix="borderflow-upload-") as folder:
        path = Path(folder) / safe
        path.write_bytes(data)
        document = prepare(FileTask(path, source), max_bytes, published, outlet)
    return store.save_document(replace(document, source_key=f"{source}#{digest[:16]}"))
