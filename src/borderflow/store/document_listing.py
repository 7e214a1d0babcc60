"""The documents' listing, a page at a time (newest first, by the (published, id)
index, deep pages by cursor), and the title every face shows a document by."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, and_, func, select

from borderflow.records.documents import (
    HEAD_CHARS,
    DisplayTitle,
    display_title,
    original_url,
)
from borderflow.store import Store
from borderflow.store.documents import DOCUMENTS, VERSIONS, DocumentListing, current_versions
from borderflow.store.listing_rows import DocumentRow
from borderflow.store.paging import (
    COUNT_CAP,
    Order,
    Page,
    count_capped,
    labelled,
    read_cursor,
    read_page,
)
from borderflow.store.text_search import SEARCH_SAMPLE, documents_matching, has_index, indexed_ids
from borderflow.store.totals import kept_totals


def _current_version() -> Any:
    """Joins a document to its current version."""
    return and_(VERSIONS.c.document_id == DOCUMENTS.c.id, current_versions())


# Documents are listed newest first (undated last), ties by id.
DOCUMENT_ORDER = Order("published", DOCUMENTS.c.published, DOCUMENTS.c.id, descending=True)


def documents(
    store: Store,
    *,
    q: str | None = None,
    page: int = 1,
    per_page: int = 50,
    after: str | None = None,
    count_cap: int | None = None,
) -> Page[DocumentRow]:
    """Documents (current versions), newest first, from `page` or after the cursor
    `after`; `q` keeps those whose title or text holds every word of it, in any order
    (see text_search). Totals are counted up to `count_cap`: by default COUNT_CAP, and
    SEARCH_SAMPLE for a search (each match counted is a document's indexed words read
    back: 100 ms for 10,000 on PostgreSQL at 200,000 articles, for words in every one)."""
    cap = count_cap or (SEARCH_SAMPLE if q and q.strip() else COUNT_CAP)
    cursor = read_cursor(after, "published", True, DOCUMENTS.c.published) if after else None
    # The page's ids are found in the documents alone, by their (published, id) index;
    # the versions are read for those ids only.
    ids = select(DOCUMENTS.c.id)
    with store.engine.connect() as conn:
        searched = documents_matching(conn, q, DOCUMENTS.c.id, DOCUMENTS.c.title, VERSIONS.c.text)
        if searched is not None and not has_index(conn):  # the texts are scanned
            ids = ids.join(VERSIONS, _current_version())
        if searched is not None:
            counted = indexed_ids(conn, q)
            counted = ids.where(searched) if counted is None else counted
            total, exact = count_capped(conn, counted, cap)
            if not exact and has_index(conn):  # many match: read the newest, look each up
                each = documents_matching(conn, q, DOCUMENTS.c.id, common=True)
                searched = searched if each is None else each
            ids = ids.where(searched)
        else:
            total, exact = kept_totals(conn).documents, True
        rows, following = read_page(
            conn, labelled(ids, DOCUMENT_ORDER), DOCUMENT_ORDER, per_page,
            offset=0 if cursor else (page - 1) * per_page, after=cursor,
        )  # fmt: skip
        found = {m["id"]: m for m in _document_rows(conn, [r.id for r in rows])}
    items = [_document_row(found[r.id]) for r in rows]
    token = following.token() if following else None
    return Page(items, None if cursor else page, per_page, total, exact, token)


def _document_rows(conn: Connection, ids: list[int]) -> list[Any]:
    """What a listing shows of these documents and their current versions."""
    query = select(
        DOCUMENTS.c.id, DOCUMENTS.c.source, DOCUMENTS.c.title, DOCUMENTS.c.outlet,
        DOCUMENTS.c.author, DOCUMENTS.c.published, VERSIONS.c.version, VERSIONS.c.format,
        VERSIONS.c.claim_count.label("claims"), VERSIONS.c["metadata"].label("meta"),
        func.substr(VERSIONS.c.text, 1, HEAD_CHARS).label("head"),
    ).join(VERSIONS, _current_version())  # fmt: skip
    return [
        r._mapping
        for i in range(0, len(ids), 500)
        for r in conn.execute(query.where(DOCUMENTS.c.id.in_(ids[i : i + 500])))
    ]


def _document_row(m: Any) -> DocumentRow:
    listing = DocumentListing(**{k: m[k] for k in DocumentListing.__dataclass_fields__})
    shown = display_title(m["title"], m["source"], m["head"] or "")
    return DocumentRow(listing, shown, original_url(m["source"], m["meta"]))


def document_titles(store: Store, document_ids: Iterable[int]) -> dict[int, DisplayTitle]:
    """The title to show for each of these documents (see records.documents): what
    every face names a document by."""
    wanted = sorted({int(i) for i in document_ids})
    out: dict[int, DisplayTitle] = {}
    with store.engine.connect() as conn:
        for i in range(0, len(wanted), 500):
            rows = conn.execute(
                select(
                    DOCUMENTS.c.id, DOCUMENTS.c.title, DOCUMENTS.c.source,
                    func.substr(VERSIONS.c.text, 1, HEAD_CHARS).label("head"),
                )
                .join(VERSIONS, _current_version())
                .where(DOCUMENTS.c.id.in_(wanted[i : i + 500]))
            )  # fmt: skip
            out.update({r.id: display_title(r.title, r.source, r.head or "") for r in rows})
    return out
