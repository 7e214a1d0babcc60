"""Paged listings of documents and claims, filtered and sorted in SQL, so a store of ten
thousand documents answers a page as fast as a store of ten. The web app and its API read
the store through these functions only."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Generic, TypeVar

from sqlalchemy import and_, func, select
from sqlalchemy.sql import Select

from borderflow.errors import NotFoundError
from borderflow.records.claims import StoredClaim
from borderflow.records.documents import (
    HEAD_CHARS,
    DisplayTitle,
    display_title,
    original_url,
    site_of,
)
from borderflow.records.verdicts import UNCHECKED, VERDICTS, StoredCheck
from borderflow.store import Store
from borderflow.store.checks import CHECKS, stored_checks
from borderflow.store.claims import claims_query, stored_claim
from borderflow.store.documents import CLAIMS, DOCUMENTS, VERSIONS, DocumentListing
from borderflow.store.text_search import all_terms_in, escape_like

T = TypeVar("T")
# Columns a claims listing can be sorted by: the user-facing name and its column.
CLAIM_SORTS = {
    "id": CLAIMS.c.id,
    "value": CLAIMS.c.normalized_value,
    "measure": CLAIMS.c.measure,
    "substance": CLAIMS.c.substance,
    "agency": CLAIMS.c.agency,
    "corridor": CLAIMS.c.corridor,
    "period": CLAIMS.c.period_start,
    "verdict": CHECKS.c.verdict,
    "document": DOCUMENTS.c.title,
    "speaker": CLAIMS.c.speaker,
}
CLAIM_FILTERS = (
    "measure", "substance", "agency", "corridor", "speaker", "verdict", "document_id", "q",
)  # fmt: skip
FACETED = ("measure", "substance", "agency", "corridor")
# Matched whatever their case: "RCMP" and "rcmp", "Borderflow Sample" and "borderflow sample".
FOLDED = ("speaker",)
# The fields of a claim a listing row shows (the claim page shows every field).
_LISTING_FIELDS = (
    "id", "document_id", "title", "document", "text", "value", "unit", "normalized_value",
    "normalized_unit", "measure", "substance", "agency", "corridor", "place", "period_start",
    "period_end", "period_text", "speaker", "start", "end",
)  # fmt: skip
_DETAIL_FIELDS = (
    "sentence", "qualifier", "value_max", "dimension", "origin", "destination",
    "period_basis", "period_candidates",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of results and where it sits in the whole."""

    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def as_record(self, item: Callable[[T], Any] = lambda x: x) -> dict[str, Any]:
        return {
            "items": [item(i) for i in self.items], "page": self.page,
            "per_page": self.per_page, "total": self.total, "pages": self.pages,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class ClaimView:
    """A claim as the web shows it: the claim, its document's date and title to show,
    its headline verdict and, on the claim's own page, every check."""

    claim: StoredClaim
    published: date | None
    verdict: str | None
    verdict_check: str | None
    explanation: str | None
    checks: tuple[StoredCheck, ...] = field(default=())
    document_title: DisplayTitle | None = None

    @property
    def headline(self) -> StoredCheck | None:
        """The check whose verdict the claim carries (None when unchecked)."""
        return next((c for c in self.checks if c.headline), None)

    def as_record(self, *, detail: bool = False) -> dict[str, Any]:
        full = self.claim.as_record()
        record = {name: full[name] for name in _LISTING_FIELDS[:4]}
        shown = self.document_title or DisplayTitle(self.claim.title or self.claim.document, True)
        record["display_title"], record["title_derived"] = shown.text, shown.derived
        record["published"] = self.published.isoformat() if self.published else None
        record.update({name: full[name] for name in _LISTING_FIELDS[4:]})
        record.update(
            verdict=self.verdict, verdict_check=self.verdict_check, explanation=self.explanation
        )
        if detail:
            record.update({name: full[name] for name in _DETAIL_FIELDS})
            record["checks"] = [c.detail_record() for c in self.checks]
        return record

    def export_record(self) -> dict[str, Any]:
        """A row of a claims export: the listing's fields with the sentence and the
        reading's details (a claim's checks are exported from /api/v1/checks)."""
        full = self.claim.as_record()
        return {**self.as_record(), **{name: full[name] for name in _DETAIL_FIELDS}}


# The columns of a claims export, in order (an export with no rows still has them).
CLAIM_EXPORT_FIELDS = (
    *_LISTING_FIELDS[:4], "display_title", "title_derived", "published", *_LISTING_FIELDS[4:],
    "verdict", "verdict_check", "explanation", *_DETAIL_FIELDS,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """A document as a list shows it: its listing, the title to show (its own, or its
    first words) and the original article's address when the file named one."""

    listing: DocumentListing
    shown: DisplayTitle
    url: str | None

    @property
    def site(self) -> str | None:
        return site_of(self.url)

    def listing_record(self) -> dict[str, Any]:
        """The record the web's document lists, the API and the exports answer with."""
        return {
            **self.listing.listing_record(), "display_title": self.shown.text,
            "title_derived": self.shown.derived, "url": self.url, "site": self.site,
        }  # fmt: skip


DOCUMENT_EXPORT_FIELDS = (
    "id", "display_title", "title_derived", "title", "source", "outlet", "site", "url",
    "author", "published", "version", "format", "claims",
)  # fmt: skip


def _current_version() -> Any:
    """Joins a document to its current version."""
    return and_(VERSIONS.c.document_id == DOCUMENTS.c.id, VERSIONS.c.is_current)


def documents(
    store: Store, *, q: str | None = None, page: int = 1, per_page: int = 50
) -> Page[DocumentRow]:
    """Documents (current versions), newest first; `q` keeps those whose title or text
    holds every word of it, in any order (see text_search)."""
    counts = (
        select(CLAIMS.c.version_id, func.count().label("n"))
        .group_by(CLAIMS.c.version_id)
        .subquery()
    )
    query = (
        select(
            DOCUMENTS.c.id,
            DOCUMENTS.c.source,
            DOCUMENTS.c.title,
            DOCUMENTS.c.outlet,
            DOCUMENTS.c.author,
            DOCUMENTS.c.published,
            VERSIONS.c.version,
            VERSIONS.c.format,
            func.coalesce(counts.c.n, 0).label("claims"),
            VERSIONS.c["metadata"].label("meta"),
            func.substr(VERSIONS.c.text, 1, HEAD_CHARS).label("head"),
        )
        .join(VERSIONS, _current_version())
        .outerjoin(counts, counts.c.version_id == VERSIONS.c.id)
        .order_by(DOCUMENTS.c.published.desc().nulls_last(), DOCUMENTS.c.id.desc())
    )
    searched = all_terms_in(q, DOCUMENTS.c.title, VERSIONS.c.text)
    if searched is not None:
        query = query.where(searched)
    with store.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        rows = conn.execute(query.limit(per_page).offset((page - 1) * per_page))
        items = [_document_row(r._mapping) for r in rows]
    return Page(items, page, per_page, int(total))


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


def _titled(store: Store, views: list[ClaimView]) -> list[ClaimView]:
    """The views with their documents' titles to show."""
    titles = document_titles(store, {v.claim.document_id for v in views})
    return [replace(v, document_title=titles.get(v.claim.document_id)) for v in views]


def _views_query() -> Select[Any]:
    """Claims of current versions with their document's date and headline verdict. The
    verdict is a LEFT JOIN on the checks table itself (indexed by claim), not on a
    subquery, so a page of 50 reads 50 claims' checks rather than every verdict."""
    return (
        claims_query()
        .add_columns(
            DOCUMENTS.c.published,
            CHECKS.c.verdict,
            CHECKS.c.check.label("verdict_check"),
            CHECKS.c.explanation,
        )
        .outerjoin(CHECKS, and_(CHECKS.c.claim_id == CLAIMS.c.id, CHECKS.c.headline))
    )


def _view(row: Any) -> ClaimView:
    m = row._mapping
    return ClaimView(
        stored_claim(m), m["published"], m["verdict"], m["verdict_check"], m["explanation"]
    )


def _conditions(filters: dict[str, Any]) -> tuple[list[Any], bool]:
    """WHERE clauses for the claim filters, and whether they need the verdicts joined.
    Values are taken as the claims spell them: callers resolve what a reader typed first
    (claim_filters.resolve_filters), so a value in another case is not a silent zero."""
    conditions: list[Any] = []
    verdicts = False
    for key, value in filters.items():
        if value in (None, ""):
            continue
        if key == "verdict":
            verdicts = True
            conditions.append(
                CHECKS.c.verdict.is_(None) if value == UNCHECKED else CHECKS.c.verdict == value
            )
        elif key == "document_id":
            conditions.append(CLAIMS.c.document_id == int(value))
        elif key == "q":
            searched = all_terms_in(str(value), CLAIMS.c.sentence)
            conditions.extend(() if searched is None else (searched,))
        elif key in FOLDED:
            conditions.append(CLAIMS.c[key].ilike(escape_like(str(value)), escape="\\"))
        elif key in FACETED:
            conditions.append(CLAIMS.c[key] == value)
    return conditions, verdicts


def claims(
    store: Store,
    *,
    filters: dict[str, Any] | None = None,
    sort: str = "id",
    descending: bool = False,
    page: int = 1,
    per_page: int = 50,
) -> Page[ClaimView]:
    """Claims of current document versions with their headline verdict."""
    conditions = _conditions(filters or {})[0]
    counted = _matching(func.count(), filters or {})
    column = CLAIM_SORTS.get(sort, CLAIMS.c.id)
    order = column.desc().nulls_last() if descending else column.asc().nulls_last()
    paged = (
        _views_query()
        .where(*conditions)
        .order_by(order, CLAIMS.c.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    with store.engine.connect() as conn:
        total = int(conn.execute(counted).scalar_one())
        items = [_view(r) for r in conn.execute(paged)]
    return Page(_titled(store, items), page, per_page, total)


def _matching(column: Any, filters: dict[str, Any]) -> Select[Any]:
    """`column` over the current claims the filters match. It joins only what the
    filters read: documents and verdicts cost nothing here unless a filter needs them."""
    conditions, needs_verdicts = _conditions(filters)
    query = (
        select(column)
        .select_from(CLAIMS)
        .join(VERSIONS, and_(VERSIONS.c.id == CLAIMS.c.version_id, VERSIONS.c.is_current))
    )
    if needs_verdicts:
        query = query.outerjoin(CHECKS, and_(CHECKS.c.claim_id == CLAIMS.c.id, CHECKS.c.headline))
    return query.where(*conditions)


def claim_ids_query(filters: dict[str, Any]) -> Select[Any]:
    """The ids of the current claims the filters match, as a query that narrows another
    one (the verdicts) inside the database."""
    return _matching(CLAIMS.c.id, filters)


def facets(store: Store) -> dict[str, list[str]]:
    """The values each claim filter can take, for the filter menus."""
    out: dict[str, list[str]] = {}
    with store.engine.connect() as conn:
        for key in FACETED:
            column = CLAIMS.c[key]
            rows = conn.execute(select(column).where(column.is_not(None)).distinct())
            out[key] = sorted(str(r[0]) for r in rows)
        for key in FOLDED:
            column = CLAIMS.c[key]
            counted = conn.execute(
                select(column, func.count()).where(column.is_not(None)).group_by(column)
            )
            out[key] = _folded(counted)
    out["verdict"] = [*VERDICTS, UNCHECKED]
    return out


def _folded(counted: Any) -> list[str]:
    """One spelling per value whatever its case (the most used one), in alphabetical
    order: a filter matching case-insensitively needs no menu entry per spelling."""
    best: dict[str, tuple[int, str]] = {}
    for value, n in counted:
        text = str(value).strip()
        if text:
            key = text.casefold()
            best[key] = max(best.get(key, (0, text)), (int(n), text))
    return sorted((spelling for _, spelling in best.values()), key=str.casefold)


def claim_view(store: Store, claim_id: int) -> ClaimView:
    """One claim with every field, its document and all its checks (headline first)."""
    with store.engine.connect() as conn:
        row = conn.execute(_views_query().where(CLAIMS.c.id == claim_id)).first()
    if row is None:
        raise NotFoundError(f"no claim {claim_id}")
    checks = stored_checks(store, claim_id=claim_id, headline_only=False)
    view = _view(row)
    ordered = tuple(sorted(checks, key=lambda c: not c.headline))
    return _titled(store, [replace(view, checks=ordered)])[0]


def document_claims(store: Store, document_id: int) -> list[ClaimView]:
    """Every claim of a document's current version, in text order, with its verdict."""
    query = (
        _views_query().where(CLAIMS.c.document_id == document_id).order_by(CLAIMS.c.start_offset)
    )
    with store.engine.connect() as conn:
        views = [_view(r) for r in conn.execute(query)]
    return _titled(store, views)


def latest_verdicts(store: Store, limit: int = 10) -> list[ClaimView]:
    """Headline verdicts on the most recently published documents' claims."""
    query = (
        _views_query()
        .where(CHECKS.c.verdict.is_not(None))
        .order_by(DOCUMENTS.c.published.desc().nulls_last(), CLAIMS.c.id.desc())
        .limit(limit)
    )
    with store.engine.connect() as conn:
        views = [_view(r) for r in conn.execute(query)]
    return _titled(store, views)
