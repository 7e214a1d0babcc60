"""Writing documents with their claims, and the document records the store gives back.

A save is all or nothing: a document's content, its version and every claim go in one
SAVEPOINT, so a failure never leaves half a document behind. Saves run inside the store's
write transaction (`Store.write`), so the look-up of known content and the insert that
follows cannot race another writer; the unique index on content is the backstop. Prepared
Core statements, not the ORM unit of work: bulk ingest spends its time here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Literal, cast

from sqlalchemy import Connection, String, Table, bindparam, func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from borderflow.records.claims import Claim
from borderflow.store.schema import ClaimRow, Document, DocumentVersion
from borderflow.store.totals import add_to_totals

SaveStatus = Literal["added", "new-version", "unchanged", "duplicate"]
DOCUMENTS = cast(Table, Document.__table__)
VERSIONS = cast(Table, DocumentVersion.__table__)
CLAIMS = cast(Table, ClaimRow.__table__)


def current_versions() -> Any:
    """Versions that are current, written `IS NOT false` so that no engine starts from the
    is_current index: nearly every version is current, and SQLite (which keeps no
    statistics to tell) would read every current version and its claims for one page of
    a listing (and sort them all), or for each batch of a check (0.43 s a batch at 50,000
    articles, 0.12 s at 10,000: the check grew faster than the store)."""
    return VERSIONS.c.is_current.is_not(False)


# Claim fields as they are named in the claims table (offsets avoid SQL's START/END).
CLAIM_COLUMN_OF = {"start": "start_offset", "end": "end_offset"}
_FIND_CONTENT = (
    select(VERSIONS.c.document_id, VERSIONS.c.version)
    .where(VERSIONS.c.content_hash == bindparam("h"))
    .limit(1)
)
_FIND_SOURCE = select(DOCUMENTS.c.id).where(DOCUMENTS.c.source_key == bindparam("k"))
_LAST_VERSION = select(func.max(VERSIONS.c.version)).where(VERSIONS.c.document_id == bindparam("d"))
_RETIRE_VERSIONS = (
    update(VERSIONS).where(VERSIONS.c.document_id == bindparam("d")).values(is_current=False)
)
_UPDATE_DOCUMENT = update(DOCUMENTS).where(DOCUMENTS.c.id == bindparam("d"))
# The claims of a document's current version (what its retirement or deletion removes
# from the store's totals).
CURRENT_CLAIMS = select(func.coalesce(func.sum(VERSIONS.c.claim_count), 0)).where(
    VERSIONS.c.document_id == bindparam("d"), VERSIONS.c.is_current
)
# Text columns with a length limit: longer values are cut rather than refused.
_BOUNDED_CLAIM_COLUMNS = tuple(
    (c.name, int(c.type.length))
    for c in CLAIMS.columns
    if isinstance(c.type, String) and c.type.length
)
CLAIM_ATTRIBUTES = tuple(
    c.key
    for c in ClaimRow.__mapper__.column_attrs
    if c.key not in ("id", "version_id", "document_id")
)


@dataclass(frozen=True, slots=True)
class NewDocument:
    """A document as read and extracted, ready to store: its content, how it was read and
    repaired, and its claims."""

    source: str
    source_key: str
    content_hash: str
    fmt: str
    size: int
    text: str
    title: str | None
    outlet: str | None
    author: str | None
    published: date | None
    extractor_version: str
    claims: Sequence[Claim] = ()
    metadata: dict[str, Any] = field(default_factory=dict)
    repairs: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SaveResult:
    status: SaveStatus
    document_id: int
    version: int
    claims: int


@dataclass(frozen=True, slots=True)
class DocumentListing:
    """A document's current version as a list of documents shows it."""

    id: int
    source: str
    title: str | None
    outlet: str | None
    author: str | None
    published: date | None
    version: int
    format: str
    claims: int

    def listing_record(self) -> dict[str, Any]:
        """The record the web's document lists and API answer with."""
        return {
            "id": self.id, "source": self.source, "title": self.title, "outlet": self.outlet,
            "author": self.author,
            "published": self.published.isoformat() if self.published else None,
            "version": self.version, "format": self.format, "claims": self.claims,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class DocumentSummary(DocumentListing):
    """The same with whether its text was repaired (what the command line shows)."""

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


def summary_of(d: Document, v: DocumentVersion, claims: int) -> DocumentSummary:
    return summary_from(d, v.version, v.format, bool(v.repairs), claims)


def summary_from(
    d: Document, version: int, fmt: str, repaired: bool, claims: int
) -> DocumentSummary:
    """A summary from the version's few columns it needs, for listings that must not load
    every document's text."""
    return DocumentSummary(
        d.id, d.source, d.title, d.outlet, d.author, d.published, version, fmt, claims,
        repaired,
    )  # fmt: skip


def save(conn: Connection, doc: NewDocument) -> SaveResult:
    """Store a document's content and its claims, all or nothing.

    The same bytes again change nothing; new bytes for a known source become its next
    version, and the claims of earlier versions are kept but no longer current."""
    now = datetime.now(UTC)
    fields_ = {
        "source": doc.source, "title": doc.title, "outlet": doc.outlet, "author": doc.author,
        "published": doc.published,
    }  # fmt: skip
    with conn.begin_nested():
        known = conn.execute(_FIND_CONTENT, {"h": doc.content_hash}).first()
        document_id = conn.scalar(_FIND_SOURCE, {"k": doc.source_key})
        if known is not None:
            status: SaveStatus = "unchanged" if document_id == known[0] else "duplicate"
            return SaveResult(status, known[0], known[1], 0)
        retired = 0  # the claims of the version this one replaces
        if document_id is None:
            inserted = conn.execute(
                insert(DOCUMENTS), {"source_key": doc.source_key, "created_at": now, **fields_}
            )
            document_id = int(inserted.inserted_primary_key[0])  # type: ignore[index]
            status, version = "added", 1
        else:
            status = "new-version"
            version = 1 + (conn.scalar(_LAST_VERSION, {"d": document_id}) or 0)
            retired = int(conn.scalar(CURRENT_CLAIMS, {"d": document_id}) or 0)
            conn.execute(_RETIRE_VERSIONS, {"d": document_id})
            conn.execute(_UPDATE_DOCUMENT, {"d": document_id, **fields_})
        version_id = _insert_version(conn, doc, document_id, version, now)
        rows = [claim_row(c, version_id, document_id) for c in doc.claims]
        if rows:
            conn.execute(insert(CLAIMS), rows)
        add_to_totals(conn, documents=int(status == "added"), claims=len(rows) - retired)
        return SaveResult(status, document_id, version, len(rows))


def _insert_version(
    conn: Connection, doc: NewDocument, document_id: int, version: int, now: datetime
) -> int:
    inserted = conn.execute(
        insert(VERSIONS),
        {
            "document_id": document_id, "version": version, "is_current": True,
            "content_hash": doc.content_hash, "format": doc.fmt, "size": doc.size,
            "text": doc.text, "metadata": doc.metadata, "repairs": doc.repairs,
            "extractor_version": doc.extractor_version, "ingested_at": now,
            "claim_count": len(doc.claims),
        },
    )  # fmt: skip
    return int(inserted.inserted_primary_key[0])  # type: ignore[index]


def claim_row(claim: Claim, version_id: int, document_id: int) -> dict[str, Any]:
    """A claim as a row of the claims table. Values are checked here, at the edge of the
    store, because a dataclass does not enforce its annotations."""
    row = {CLAIM_COLUMN_OF.get(key, key): getattr(claim, key) for key in CLAIM_ATTRIBUTES}
    for key in ("period_start", "period_end"):
        value = row[key]
        if value is not None and not isinstance(value, date):
            raise ValueError(f"claim {claim.text!r}: {key} {value!r} is not a date")
    row["period_candidates"] = [p.as_dict() for p in claim.period_candidates]
    for column, limit in _BOUNDED_CLAIM_COLUMNS:
        value = row[column]
        if value is not None and len(value) > limit:
            row[column] = value[: limit - 1] + "…"
    row["version_id"], row["document_id"] = version_id, document_id
    return row


@dataclass(frozen=True, slots=True)
class Saved:
    """How one document given to a Writer ended: stored (`result`) or refused by the store
    (`error`, the database's reason; its savepoint was undone, nothing of it was kept)."""

    document: NewDocument
    result: SaveResult | None = None
    error: str | None = None


class Writer:
    """Writes many documents in few short transactions: documents are held until
    `batch_size` of them (or `max_bytes` of text) are waiting, then written together, each
    in its own SAVEPOINT (all or nothing), in one write transaction. The write lock is held
    only while a batch is written, never while the caller reads and extracts the next
    files, so other writers (a second ingest, a web upload) get their turn in between.

    `on_saved` hears how each document ended, after its batch is committed."""

    def __init__(
        self,
        begin: Callable[[], AbstractContextManager[Connection]],
        on_saved: Callable[[Saved], None],
        batch_size: int,
        max_bytes: int = 64_000_000,
    ) -> None:
        self._begin = begin
        self._on_saved = on_saved
        self._batch_size = batch_size
        self._max_bytes = max_bytes
        self._pending: list[NewDocument] = []
        self._bytes = 0

    def save_document(self, doc: NewDocument) -> None:
        self._pending.append(doc)
        self._bytes += len(doc.text)
        if len(self._pending) >= self._batch_size or self._bytes >= self._max_bytes:
            self.flush()

    def flush(self) -> None:
        """Write what is waiting. A StoreBusyError leaves none of it written."""
        pending, self._pending, self._bytes = self._pending, [], 0
        if not pending:
            return
        outcomes: list[Saved] = []
        with self._begin() as conn:
            for doc in pending:
                try:
                    outcomes.append(Saved(doc, result=save(conn, doc)))
                except SQLAlchemyError as exc:
                    outcomes.append(Saved(doc, error=str(getattr(exc, "orig", None) or exc)))
        for outcome in outcomes:
            self._on_saved(outcome)
