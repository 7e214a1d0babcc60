"""The store: documents, their versions and claims, in SQLite or PostgreSQL.

The store knows nothing about how documents are read or claims found; it takes plain
records, so the layers above can change without touching persistence.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal, cast

from sqlalchemy import (
    Connection,
    Engine,
    String,
    Table,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session, sessionmaker

from borderflow.errors import NotFoundError
from borderflow.store.database import create_store_engine, upgrade
from borderflow.store.schema import ClaimRow, Document, DocumentVersion

SaveStatus = Literal["added", "new-version", "unchanged", "duplicate"]
_DOCUMENTS = cast(Table, Document.__table__)
_VERSIONS = cast(Table, DocumentVersion.__table__)
_CLAIMS = cast(Table, ClaimRow.__table__)
_COLUMN_OF = {"start": "start_offset", "end": "end_offset"}
_FIND_CONTENT = (
    select(_VERSIONS.c.document_id, _VERSIONS.c.version)
    .where(_VERSIONS.c.content_hash == bindparam("h"))
    .limit(1)
)
_FIND_SOURCE = select(_DOCUMENTS.c.id).where(_DOCUMENTS.c.source_key == bindparam("k"))
_LAST_VERSION = select(func.max(_VERSIONS.c.version)).where(
    _VERSIONS.c.document_id == bindparam("d")
)
_RETIRE_VERSIONS = (
    update(_VERSIONS).where(_VERSIONS.c.document_id == bindparam("d")).values(is_current=False)
)
_UPDATE_DOCUMENT = update(_DOCUMENTS).where(_DOCUMENTS.c.id == bindparam("d"))
_INSERT_DOCUMENT = insert(_DOCUMENTS)
_INSERT_VERSION = insert(_VERSIONS)
_INSERT_CLAIMS = insert(_CLAIMS)
# Text columns with a length limit: longer values are cut rather than refused.
_BOUNDED_CLAIM_COLUMNS = tuple(
    (c.name, int(c.type.length))
    for c in _CLAIMS.columns
    if isinstance(c.type, String) and c.type.length
)
_CLAIM_COLUMNS = tuple(
    c.key
    for c in ClaimRow.__mapper__.column_attrs
    if c.key not in ("id", "version_id", "document_id")
)


@dataclass(frozen=True, slots=True)
class SaveResult:
    status: SaveStatus
    document_id: int
    version: int
    claims: int


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    id: int
    source: str
    title: str | None
    outlet: str | None
    author: str | None
    published: date | None
    version: int
    format: str
    claims: int
    repaired: bool

    def as_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "document": self.source,
            "title": self.title,
            "outlet": self.outlet,
            "author": self.author,
            "published": self.published.isoformat() if self.published else None,
            "version": self.version,
            "format": self.format,
            "claims": self.claims,
            "repaired": self.repaired,
        }


@dataclass(frozen=True, slots=True)
class StoredDocument:
    summary: DocumentSummary
    text: str
    metadata: dict[str, Any]
    repairs: list[dict[str, Any]]
    content_hash: str


class Store:
    """Documents and claims. Open with `Store.open(url)`; every write is one transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str) -> Store:
        """Connect and migrate to the newest schema."""
        engine = create_store_engine(url)
        upgrade(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    # -- writing ------------------------------------------------------------------------
    def known_contents(self, hashes: Iterable[str]) -> dict[str, tuple[int, str]]:
        """For each of `hashes` already stored: (document id, source key)."""
        wanted = list(set(hashes))
        found: dict[str, tuple[int, str]] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(wanted), 500):
                rows = conn.execute(
                    select(_VERSIONS.c.content_hash, _DOCUMENTS.c.id, _DOCUMENTS.c.source_key)
                    .join(_DOCUMENTS, _DOCUMENTS.c.id == _VERSIONS.c.document_id)
                    .where(_VERSIONS.c.content_hash.in_(wanted[i : i + 500]))
                )
                for content_hash, doc_id, key in rows:
                    found.setdefault(content_hash, (doc_id, key))
        return found

    def find_content(self, content_hash: str) -> tuple[int, str] | None:
        """(document id, source key) of a version with these exact bytes, if any."""
        with self._sessions() as session:
            row = session.execute(
                select(Document.id, Document.source_key)
                .join(DocumentVersion)
                .where(DocumentVersion.content_hash == content_hash)
                .limit(1)
            ).first()
            return (row[0], row[1]) if row else None

    def save_document(self, **document: Any) -> SaveResult:
        """Store a document's content and its claims, all or nothing, in its own transaction
        (see `_save` for the arguments)."""
        with self.engine.begin() as conn:
            return _save(conn, **document)

    @contextmanager
    def writer(self, batch_size: int = 200) -> Iterator[Writer]:
        """A writer for many documents: each in its own SAVEPOINT (all or nothing), committed
        every `batch_size` documents and at the end, which makes bulk ingest several times
        cheaper per document than a commit each."""
        writer = Writer(self.engine, batch_size)
        try:
            yield writer
        finally:
            writer.close()

    def delete_document(self, document_id: int) -> None:
        with self._transaction() as session:
            session.execute(delete(Document).where(Document.id == document_id))

    # -- reading ------------------------------------------------------------------------
    def documents(self) -> list[DocumentSummary]:
        with self._sessions() as session:
            counts = (
                select(ClaimRow.version_id, func.count().label("n"))
                .group_by(ClaimRow.version_id)
                .subquery()
            )
            rows = session.execute(
                select(Document, DocumentVersion, func.coalesce(counts.c.n, 0))
                .join(
                    DocumentVersion,
                    (DocumentVersion.document_id == Document.id) & DocumentVersion.is_current,
                )
                .outerjoin(counts, counts.c.version_id == DocumentVersion.id)
                .order_by(Document.id)
            ).all()
            return [_summary(d, v, n) for d, v, n in rows]

    def document(self, ref: int | str) -> StoredDocument:
        """A document by id, or by its source as given to ingest."""
        with self._sessions() as session:
            query = select(Document, DocumentVersion).join(
                DocumentVersion,
                (DocumentVersion.document_id == Document.id) & DocumentVersion.is_current,
            )
            if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
                query = query.where(Document.id == int(ref))
            else:
                query = query.where((Document.source == ref) | (Document.source_key == ref))
            row = session.execute(query.limit(1)).first()
            if row is None:
                raise NotFoundError(f"no document {ref!r} (see `borderflow documents`)")
            document, version = row
            n = session.scalar(select(func.count()).where(ClaimRow.version_id == version.id)) or 0
            return StoredDocument(
                _summary(document, version, n),
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
    ) -> list[dict[str, Any]]:
        """Claims of the current version of each document, as records with every field."""
        columns = [
            _CLAIMS.c.id,
            _CLAIMS.c.document_id,
            _DOCUMENTS.c.source.label("document"),
            _DOCUMENTS.c.title,
            *(_CLAIMS.c[_COLUMN_OF.get(k, k)].label(k) for k in _CLAIM_COLUMNS),
        ]
        query = (
            select(*columns)
            .join(_VERSIONS, _VERSIONS.c.id == _CLAIMS.c.version_id)
            .join(_DOCUMENTS, _DOCUMENTS.c.id == _CLAIMS.c.document_id)
            .where(_VERSIONS.c.is_current)
        )
        if document_id is not None:
            query = query.where(_CLAIMS.c.document_id == document_id)
        if measure:
            query = query.where(_CLAIMS.c.measure == measure)
        if substance:
            query = query.where(_CLAIMS.c.substance == substance)
        query = query.order_by(_CLAIMS.c.document_id, _CLAIMS.c.start_offset)
        with self.engine.connect() as conn:
            records = [dict(row._mapping) for row in conn.execute(query)]
        for record in records:
            for key in ("period_start", "period_end"):
                if record[key] is not None:
                    record[key] = record[key].isoformat()
        return records

    def counts(self) -> dict[str, int]:
        with self._sessions() as session:
            return {
                "documents": session.scalar(select(func.count(Document.id))) or 0,
                "versions": session.scalar(select(func.count(DocumentVersion.id))) or 0,
                "claims": session.scalar(
                    select(func.count(ClaimRow.id))
                    .join(DocumentVersion, DocumentVersion.id == ClaimRow.version_id)
                    .where(DocumentVersion.is_current)
                )
                or 0,
            }


def _save(
    conn: Connection,
    *,
    source: str,
    source_key: str,
    content_hash: str,
    fmt: str,
    size: int,
    text: str,
    title: str | None,
    outlet: str | None,
    author: str | None,
    published: date | None,
    metadata: dict[str, Any],
    repairs: list[dict[str, Any]],
    extractor_version: str,
    claims: Iterable[dict[str, Any]],
) -> SaveResult:
    """Store a document's content and its claims, all or nothing.

    The same bytes again change nothing; new bytes for a known source become its next
    version, and the claims of earlier versions are kept but no longer current."""
    now = datetime.now(UTC)
    fields = {
        "source": source,
        "title": title,
        "outlet": outlet,
        "author": author,
        "published": published,
    }
    # Prepared Core statements, not the ORM unit of work: bulk ingest spends its time here.
    with conn.begin_nested():
        known = conn.execute(_FIND_CONTENT, {"h": content_hash}).first()
        document_id = conn.scalar(_FIND_SOURCE, {"k": source_key})
        if known is not None:
            status: SaveStatus = "unchanged" if document_id == known[0] else "duplicate"
            return SaveResult(status, known[0], known[1], 0)
        if document_id is None:
            inserted = conn.execute(
                _INSERT_DOCUMENT, {"source_key": source_key, "created_at": now, **fields}
            )
            document_id = int(inserted.inserted_primary_key[0])  # type: ignore[index]
            status, version = "added", 1
        else:
            status = "new-version"
            version = 1 + (conn.scalar(_LAST_VERSION, {"d": document_id}) or 0)
            conn.execute(_RETIRE_VERSIONS, {"d": document_id})
            conn.execute(_UPDATE_DOCUMENT, {"d": document_id, **fields})
        inserted = conn.execute(
            _INSERT_VERSION,
            {
                "document_id": document_id,
                "version": version,
                "is_current": True,
                "content_hash": content_hash,
                "format": fmt,
                "size": size,
                "text": text,
                "metadata": metadata,
                "repairs": repairs,
                "extractor_version": extractor_version,
                "ingested_at": now,
            },
        )
        version_id = int(inserted.inserted_primary_key[0])  # type: ignore[index]
        rows = [_claim_row(c, version_id, document_id) for c in claims]
        if rows:
            conn.execute(_INSERT_CLAIMS, rows)
        return SaveResult(status, document_id, version, len(rows))


class Writer:
    """Writes documents on one connection; see Store.writer."""

    def __init__(self, engine: Engine, batch_size: int) -> None:
        self._conn = engine.connect()
        self._transaction = self._conn.begin()
        self._batch_size = batch_size
        self._pending = 0

    def save_document(self, **document: Any) -> SaveResult:
        result = _save(self._conn, **document)
        self._pending += 1
        if self._pending >= self._batch_size:
            self.commit()
        return result

    def commit(self) -> None:
        self._transaction.commit()
        self._transaction = self._conn.begin()
        self._pending = 0

    def close(self) -> None:
        try:
            if self._transaction.is_active:
                self._transaction.commit()
        finally:
            self._conn.close()


def _claim_row(record: dict[str, Any], version_id: int, document_id: int) -> dict[str, Any]:
    """A claim record as a row for the claims table (column names as keys)."""
    row = {key: record.get(key) for key in _CLAIM_COLUMNS}
    row["start_offset"], row["end_offset"] = row.pop("start"), row.pop("end")
    for key in ("period_start", "period_end"):
        value = row[key]
        if isinstance(value, str):
            row[key] = date.fromisoformat(value)
    row["period_candidates"] = row.get("period_candidates") or []
    for column, limit in _BOUNDED_CLAIM_COLUMNS:
        value = row[column]
        if value is not None and len(value) > limit:
            row[column] = value[: limit - 1] + "…"
    row["version_id"], row["document_id"] = version_id, document_id
    return row


def _summary(d: Document, v: DocumentVersion, claims: int) -> DocumentSummary:
    return DocumentSummary(
        d.id,
        d.source,
        d.title,
        d.outlet,
        d.author,
        d.published,
        v.version,
        v.format,
        claims,
        bool(v.repairs),
    )


__all__ = ["DocumentSummary", "SaveResult", "SaveStatus", "Store", "StoredDocument", "Writer"]
