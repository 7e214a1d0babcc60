"""The library twin of the faces: the multi-step jobs the command line and the web app both
run, written once. A face parses its input, calls one of these, and shows the outcome.

- `add_document`: store an uploaded file or pasted text and check its claims.
- `import_and_recheck`: import statistics files, then bring stored verdicts up to date.
- `refresh_stale_checks`: redo the verdicts if the data changed since they were made.
- `ingest_and_check`: ingest files and folders, then check every claim.
- `run_demo`: the sample corpus and reference data in a fresh store, checked and reported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib.resources import files
from pathlib import Path

from borderflow.checks.runner import check_document, run_and_store
from borderflow.config import Settings
from borderflow.datasets.bundle import reference_files
from borderflow.datasets.importer import FileResult, import_files
from borderflow.datasets.limits import ImportLimits
from borderflow.datasets.series import official_headlines
from borderflow.errors import ImportFormatError
from borderflow.ingest.limits import IngestLimits
from borderflow.ingest.pipeline import IngestReport, ingest_paths, ingest_upload
from borderflow.records.claims import StoredClaim
from borderflow.report.build import write_report
from borderflow.store import SaveResult, Store
from borderflow.store.checks import checks_stale
from borderflow.store.verdict_counts import verdict_counts

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class UploadOutcome:
    document_id: int
    status: str
    claims: int


def add_document(
    store: Store,
    name: str,
    data: bytes,
    *,
    max_bytes: int,
    limits: IngestLimits | None = None,
    published: date | None = None,
    outlet: str | None = None,
) -> UploadOutcome:
    """Ingest one uploaded file (or pasted text) as `ingest` reads files, then check its
    claims. Bytes already stored are the existing document, not checked again. Raises
    IngestError for what `ingest` would refuse."""
    result: SaveResult = ingest_upload(
        store, name, data, max_bytes=max_bytes, limits=limits, published=published,
        outlet=outlet,
    )  # fmt: skip
    if result.status != "duplicate":
        check_document(store, result.document_id)
    return UploadOutcome(result.document_id, result.status, result.claims)


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What each file became, which files were refused, and whether verdicts were redone."""

    results: list[FileResult]
    errors: list[ImportFormatError]
    rechecked: bool


def import_and_recheck(
    store: Store,
    paths: Sequence[Path],
    *,
    source: str = "auto",
    skip_bad_rows: bool = False,
    always_recheck: bool = False,
    limits: ImportLimits | None = None,
    on_file: Callable[[Path], None] | None = None,
) -> ImportOutcome:
    """Import statistics files, each on its own; then recompute the stored verdicts if
    any was computed from other data than the store now holds, so none cites older data,
    even when an earlier import was stopped before its re-check. Without
    `always_recheck`, a store that was never checked stays unchecked."""
    results, errors = import_files(
        store, paths, source=source, skip_bad_rows=skip_bad_rows, limits=limits,
        on_file=on_file,
    )  # fmt: skip
    imported = any(r.result.status == "imported" for r in results)
    rechecked = refresh_stale_checks(store, force=always_recheck and imported)
    return ImportOutcome(results, errors, rechecked)


def refresh_stale_checks(store: Store, *, force: bool = False) -> bool:
    """Recompute the stored verdicts if any was made from other data than the store now
    holds (or if `force`); whether they were recomputed. A store never checked stays so."""
    if force or checks_stale(store):
        run_and_store(store)
        return True
    return False


@dataclass(frozen=True, slots=True)
class CheckedIngest:
    report: IngestReport
    verdicts: Counter[str]


def ingest_and_check(
    store: Store,
    paths: Sequence[Path],
    settings: Settings,
    *,
    published: date | None = None,
    outlet: str | None = None,
    on_total: Callable[[int], None] | None = None,
    on_file: Progress | None = None,
) -> CheckedIngest:
    """Ingest files and folders, then check what needs it (the new documents, and any
    whose agreement with other sources they change)."""
    report = ingest_paths(
        paths, store, max_bytes=settings.max_file_bytes,
        limits=IngestLimits.from_settings(settings), published=published, outlet=outlet,
        workers=settings.ingest_workers, on_total=on_total, on_file=on_file,
    )  # fmt: skip
    run_and_store(store)
    return CheckedIngest(report, Counter(verdict_counts(store)))


@dataclass(frozen=True, slots=True)
class DemoOutcome:
    """Everything the demo's summary shows."""

    url: str
    ingest: IngestReport
    documents: int
    claims: list[StoredClaim]
    verdicts: Counter[str]
    headlines: list[str]
    report: Path
    data_errors: list[ImportFormatError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.ingest.ok and not self.data_errors


def demo_settings(settings: Settings, *, keep: bool = False) -> Settings:
    """The demo's store: demo.db under `home` (emptied first unless `keep`), or the store
    the settings name. Every other setting carries over."""
    if settings.database_url is not None:
        return settings
    db_path = settings.home / "demo.db"
    if not keep:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    return settings.model_copy(update={"database_url": f"sqlite:///{db_path}"})


def sample_corpus() -> Path:
    """The documents written for the demo, shipped inside the package."""
    return Path(str(files("borderflow") / "samples"))


def run_demo(
    settings: Settings,
    *,
    on_total: Callable[[int], None] | None = None,
    on_file: Progress | None = None,
) -> DemoOutcome:
    """Ingest the sample corpus, import the bundled reference series, check every claim,
    and write the self-contained report beside the store."""
    url = settings.resolved_database_url()
    with Store.open(url, busy_seconds=settings.store_busy_seconds) as store:
        _, data_errors = import_files(store, reference_files())
        checked = ingest_and_check(
            store, [sample_corpus()], settings, on_total=on_total, on_file=on_file
        )
        return DemoOutcome(
            url=url,
            ingest=checked.report,
            documents=len(store.documents()),
            claims=store.claims(),
            verdicts=checked.verdicts,
            headlines=official_headlines(store),
            report=write_report(store, settings.home / "report.html"),
            data_errors=data_errors,
        )
