"""The store: documents, their versions and claims, official releases, verdicts and model
fits, in SQLite or PostgreSQL.

The store owns all SQL. It takes and gives typed records (`borderflow.records`, and the
document records in `store.documents`), so the layers above never see a table or a row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date

from sqlalchemy import Connection, Engine, delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from borderflow import __version__
from borderflow.errors import NotFoundError
from borderflow.records.claims import StoredClaim
from borderflow.store.claims import (
    CHUNK,
    claims_between,
    document_ranges,
    published_dates,
    read_claims,
    stream_claims,
)
from borderflow.store.database import create_store_engine, upgrade, write_transaction
from borderflow.store.documents import (
    CURRENT_CLAIMS,
    DOCUMENTS,
    VERSIONS,
    DocumentSummary,
    NewDocument,
    Saved,
    SaveResult,
    SaveStatus,
    StoredDocument,
    Writer,
    save,
    summary_from,
    summary_of,
)
from borderflow.store.revisions import bump, revision
from borderflow.store.schema import CheckRow, ClaimRow, Document, DocumentVersion, ModelRun, Release
from borderflow.store.statistics import refresh_after_write
from borderflow.store.totals import add_to_totals, kept_totals


class Store:
    """Documents and claims. Open with `Store.open(url)`; every write is one transaction."""

    def __init__(self, engine: Engine, *, busy_seconds: float = 60.0) -> None:
        self.engine = engine
        self.busy_seconds = busy_seconds
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str, *, busy_seconds: float = 60.0, must_exist: bool = False) -> Store:
        """Connect and migrate to the newest schema. `busy_seconds` is how long a write
        waits for another process's; with `must_exist` a missing SQLite file is an error
        (read-only commands), not a new empty store."""
        engine = create_store_engine(url, busy_seconds=busy_seconds, must_exist=must_exist)
        upgrade(engine, busy_seconds)
        return cls(engine, busy_seconds=busy_seconds)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A read session (for the store's own query modules)."""
        with self._sessions() as session:
            yield session

    # -- writing ------------------------------------------------------------------------
    def known_contents(self, hashes: Iterable[str]) -> dict[str, tuple[int, str]]:
        """For each of `hashes` already stored: (document id, source key)."""
        wanted = list(set(hashes))
        found: dict[str, tuple[int, str]] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(wanted), 500):
                rows = conn.execute(
                    select(VERSIONS.c.content_hash, DOCUMENTS.c.id, DOCUMENTS.c.source_key)
                    .join(DOCUMENTS, DOCUMENTS.c.id == VERSIONS.c.document_id)
                    .where(VERSIONS.c.content_hash.in_(wanted[i : i + 500]))
                )
                for content_hash, doc_id, key in rows:
                    found.setdefault(content_hash, (doc_id, key))
        return found

    def find_content(self, content_hash: str) -> tuple[int, str] | None:
        """(document id, source key) of a version with these exact bytes, if any."""
        return self.known_contents([content_hash]).get(content_hash)

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A transaction holding the store's write lock; every change to the store goes
        through one, so concurrent writers wait for each other instead of racing."""
        with write_transaction(self.engine, self.busy_seconds) as conn:
            yield conn
        refresh_after_write(self.engine)  # after the commit: its rows are counted

    def save_document(self, document: NewDocument) -> SaveResult:
        """Store a document's content and its claims, all or nothing, in its own
        transaction."""
        with self.write() as conn:
            return save(conn, document)

    @contextmanager
    def writer(self, on_saved: Callable[[Saved], None], batch_size: int = 200) -> Iterator[Writer]:
        """A writer for many documents (see `Writer`); `on_saved` hears how each ended."""
        writer = Writer(self.write, on_saved, batch_size)
        yield writer
        writer.flush()

    def delete_document(self, document_id: int) -> None:
        """Delete a document with its versions, claims and verdicts; the verdicts'
        revision moves, so cached answers that showed them are dropped."""
        with self.write() as conn:
            claims = int(conn.scalar(CURRENT_CLAIMS, {"d": document_id}) or 0)
            gone = conn.execute(delete(DOCUMENTS).where(DOCUMENTS.c.id == document_id)).rowcount
            add_to_totals(conn, documents=-gone, claims=-claims if gone else 0)
            bump(conn, "checks")
            bump(conn, "deletions")  # ids may be reused after (see store.seizure_groups)

    # -- reading ------------------------------------------------------------------------
    def documents(self) -> list[DocumentSummary]:
        return list(self.iter_documents())

    def iter_documents(self) -> Iterator[DocumentSummary]:
        """Every document's current version with its claim count, in id order, read a
        chunk at a time. Only the columns a summary needs are read: the text stays in
        the database."""
        counts = (
            select(ClaimRow.version_id, func.count().label("n"))
            .group_by(ClaimRow.version_id)
            .subquery()
        )
        version = DocumentVersion
        query = (
            select(
                Document,
                version.version,
                version.format,
                version.repairs,
                func.coalesce(counts.c.n, 0),
            )
            .join(
                DocumentVersion,
                (DocumentVersion.document_id == Document.id) & DocumentVersion.is_current,
            )
            .outerjoin(counts, counts.c.version_id == DocumentVersion.id)
            .order_by(Document.id)
            .execution_options(yield_per=CHUNK)
        )
        with self._sessions() as session:
            for d, number, fmt, repairs, n in session.execute(query):
                yield summary_from(d, number, fmt, bool(repairs), n)

    def document(self, ref: int | str) -> StoredDocument:
        """A document by id, or by its source as given to ingest."""
        with self._sessions() as session:
            query = select(Document, DocumentVersion).join(
                DocumentVersion,
                (DocumentVersion.document_id == Document.id) & DocumentVersion.is_current,
            )
            if isinstance(ref, int) or ref.isdigit():
                query = query.where(Document.id == int(ref))
            else:
                query = query.where((Document.source == ref) | (Document.source_key == ref))
            row = session.execute(query.limit(1)).first()
            if row is None:
                raise NotFoundError(f"no document {ref!r} (see `borderflow documents`)")
            document, version = row
            n = session.scalar(select(func.count()).where(ClaimRow.version_id == version.id)) or 0
            return StoredDocument(
                summary_of(document, version, n),
                version.text,
                version.meta,
                version.repairs,
                version.content_hash,
            )

    def claims(
        self,
        *,
        document_id: int | None = None,
        measure: str | None = None,
        substance: str | None = None,
    ) -> list[StoredClaim]:
        """Claims of the current version of each document, with every field."""
        with self.engine.connect() as conn:
            return read_claims(conn, document_id=document_id, measure=measure, substance=substance)

    def iter_claims(
        self,
        *,
        document_id: int | None = None,
        measure: str | None = None,
        substance: str | None = None,
    ) -> Iterator[StoredClaim]:
        """`claims`, streamed: for exports of any size. The connection stays open until
        the iteration ends."""
        with self.engine.connect() as conn:
            yield from stream_claims(
                conn, document_id=document_id, measure=measure, substance=substance
            )

    def document_ranges(
        self, documents: int, unchecked_for: str | None = None
    ) -> list[tuple[int, int]]:
        """The batches of a check run (see `store.claims.document_ranges`)."""
        with self.engine.connect() as conn:
            return list(document_ranges(conn, documents, unchecked_for))

    def claims_between(
        self, first: int, last: int, unchecked_for: str | None = None
    ) -> list[StoredClaim]:
        """The claims of one batch of a check run (see `store.claims.claims_between`)."""
        with self.engine.connect() as conn:
            return claims_between(conn, first, last, unchecked_for)

    def published_dates(self, document_ids: list[int]) -> dict[int, date | None]:
        with self.engine.connect() as conn:
            return published_dates(conn, document_ids)

    def counts(self) -> dict[str, int]:
        """Documents, versions, and the claims of current versions (the documents and
        claims as kept by store.totals: counting the claims themselves reads every one)."""
        with self.engine.connect() as conn:
            totals = kept_totals(conn)
            return {
                "documents": totals.documents,
                "versions": conn.scalar(select(func.count(DocumentVersion.id))) or 0,
                "claims": totals.claims,
            }

    def generation(self) -> tuple[object, ...]:
        """Changes whenever documents, verdicts, releases or model runs change: the key
        under which cached answers stay valid. Primary-key max() lookups, each a single
        index probe, and the verdicts' revision (they are updated in place, so their ids
        do not show a re-check; every write that changes one bumps the revision)."""
        with self.engine.connect() as conn:
            maxima = tuple(
                conn.execute(select(func.max(column))).scalar()
                for column in (DocumentVersion.id, CheckRow.id, Release.id, ModelRun.id)
            )
            return (*maxima, revision(conn, "checks"))

    def data_generation(self, upto_release: int | None = None) -> str:
        """A fingerprint of everything verdicts are computed from besides the claims: the
        official releases held and the model fit in use (the newest converged one; a fit
        that failed is never used, so it changes nothing). Verdicts record it, so verdicts
        made before a change of data are known to be stale even if the re-check that
        should have followed never ran; a new borderflow version re-checks everything once.
        `upto_release`: as it was when the newest release was that one (with today's fit
        and version), to tell data added since from data replaced."""
        hashes = select(Release.content_hash)
        if upto_release is not None:
            hashes = hashes.where(Release.id <= upto_release)
        with self.engine.connect() as conn:
            held = sorted(conn.scalars(hashes))
            fit = conn.scalar(select(func.max(ModelRun.id)).where(ModelRun.converged.is_(True)))
        # The version too: another borderflow may judge differently, so an upgrade
        # re-checks every document once.
        digest = hashlib.sha256("\n".join([*held, f"fit:{fit}", __version__]).encode())
        return digest.hexdigest()


__all__ = [
    "DocumentSummary",
    "NewDocument",
    "SaveResult",
    "SaveStatus",
    "Saved",
    "Store",
    "StoredDocument",
    "Writer",
]
