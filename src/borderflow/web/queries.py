"""Read-side queries for the web app and its API: one page at a time, filtered and sorted
in SQL, so a store of ten thousand documents answers as fast as a store of ten."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, and_, func, or_, select
from sqlalchemy.sql import Select

from borderflow.errors import NotFoundError
from borderflow.store import Store
from borderflow.store.schema import CheckRow, ClaimRow, Document, DocumentVersion

_CLAIMS = cast(Table, ClaimRow.__table__)
_CHECKS = cast(Table, CheckRow.__table__)
_DOCS = cast(Table, Document.__table__)
_VERSIONS = cast(Table, DocumentVersion.__table__)

# Columns a claims table can be sorted and filtered by: the user-facing name and its column.
CLAIM_SORTS = {
    "id": _CLAIMS.c.id,
    "value": _CLAIMS.c.normalized_value,
    "measure": _CLAIMS.c.measure,
    "substance": _CLAIMS.c.substance,
    "agency": _CLAIMS.c.agency,
    "corridor": _CLAIMS.c.corridor,
    "period": _CLAIMS.c.period_start,
    "verdict": _CHECKS.c.verdict,
    "document": _DOCS.c.title,
}
CLAIM_FILTERS = ("measure", "substance", "agency", "corridor", "verdict", "document_id", "q")
VERDICTS = (
    "supported", "supported-with-caveat", "misleading", "conflict", "contradicted",
    "unverifiable",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Page:
    """One page of results and where it sits in the whole."""

    items: list[dict[str, Any]]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def as_record(self) -> dict[str, Any]:
        return {
            "items": self.items, "page": self.page, "per_page": self.per_page,
            "total": self.total, "pages": self.pages,
        }  # fmt: skip


def _iso(record: dict[str, Any], *keys: str) -> dict[str, Any]:
    for key in keys:
        value = record.get(key)
        if value is not None and hasattr(value, "isoformat"):
            record[key] = value.isoformat()
    return record


def _page(store: Store, query: Select[Any], page: int, per_page: int) -> Page:
    with store.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        rows = conn.execute(query.limit(per_page).offset((page - 1) * per_page))
        items = [dict(r._mapping) for r in rows]
    return Page(items, page, per_page, int(total))


def documents(store: Store, *, q: str | None = None, page: int = 1, per_page: int = 50) -> Page:
    """Documents (current versions), newest first; `q` searches titles and full text,
    case-insensitively."""
    claims = (
        select(_CLAIMS.c.version_id, func.count().label("n"))
        .group_by(_CLAIMS.c.version_id)
        .subquery()
    )
    query = (
        select(
            _DOCS.c.id,
            _DOCS.c.source,
            _DOCS.c.title,
            _DOCS.c.outlet,
            _DOCS.c.author,
            _DOCS.c.published,
            _VERSIONS.c.version,
            _VERSIONS.c.format,
            func.coalesce(claims.c.n, 0).label("claims"),
        )
        .join(_VERSIONS, and_(_VERSIONS.c.document_id == _DOCS.c.id, _VERSIONS.c.is_current))
        .outerjoin(claims, claims.c.version_id == _VERSIONS.c.id)
        .order_by(_DOCS.c.published.desc().nulls_last(), _DOCS.c.id.desc())
    )
    if q:
        pattern = f"%{_escape_like(q)}%"
        query = query.where(
            or_(
                _DOCS.c.title.ilike(pattern, escape="\\"),
                _VERSIONS.c.text.ilike(pattern, escape="\\"),
            )
        )
    result = _page(store, query, page, per_page)
    for item in result.items:
        _iso(item, "published")
    return result


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _claims_query() -> tuple[Select[Any], Any]:
    """Claims of current versions with their document and headline verdict. The verdict
    is a LEFT JOIN on the checks table itself (indexed by claim), not on a subquery, so
    a page of 50 reads 50 claims' checks rather than every verdict in the store."""
    headline = _CHECKS
    query = (
        select(
            _CLAIMS.c.id,
            _CLAIMS.c.document_id,
            _DOCS.c.title,
            _DOCS.c.source.label("document"),
            _DOCS.c.published,
            _CLAIMS.c.text,
            _CLAIMS.c.value,
            _CLAIMS.c.unit,
            _CLAIMS.c.normalized_value,
            _CLAIMS.c.normalized_unit,
            _CLAIMS.c.measure,
            _CLAIMS.c.substance,
            _CLAIMS.c.agency,
            _CLAIMS.c.corridor,
            _CLAIMS.c.place,
            _CLAIMS.c.period_start,
            _CLAIMS.c.period_end,
            _CLAIMS.c.period_text,
            _CLAIMS.c.speaker,
            _CLAIMS.c.start_offset.label("start"),
            _CLAIMS.c.end_offset.label("end"),
            headline.c.verdict,
            headline.c.check.label("verdict_check"),
            headline.c.explanation,
        )
        .join(_VERSIONS, and_(_VERSIONS.c.id == _CLAIMS.c.version_id, _VERSIONS.c.is_current))
        .join(_DOCS, _DOCS.c.id == _CLAIMS.c.document_id)
        .outerjoin(headline, and_(headline.c.claim_id == _CLAIMS.c.id, headline.c.headline))
    )
    return query, headline


def _claim_conditions(filters: dict[str, Any]) -> tuple[list[Any], bool]:
    """WHERE clauses for the claim filters, and whether they need the verdicts joined."""
    conditions: list[Any] = []
    verdicts = False
    for key, value in filters.items():
        if value in (None, ""):
            continue
        if key == "verdict":
            verdicts = True
            conditions.append(
                _CHECKS.c.verdict.is_(None) if value == "unchecked" else _CHECKS.c.verdict == value
            )
        elif key == "document_id":
            conditions.append(_CLAIMS.c.document_id == int(value))
        elif key == "q":
            pattern = f"%{_escape_like(str(value))}%"
            conditions.append(_CLAIMS.c.sentence.ilike(pattern, escape="\\"))
        elif key in ("measure", "substance", "agency", "corridor"):
            conditions.append(_CLAIMS.c[key] == value)
    return conditions, verdicts


def claims(
    store: Store,
    *,
    filters: dict[str, Any] | None = None,
    sort: str = "id",
    descending: bool = False,
    page: int = 1,
    per_page: int = 50,
) -> Page:
    """Claims of current document versions with their headline verdict."""
    query, headline = _claims_query()
    conditions, needs_verdicts = _claim_conditions(filters or {})
    query = query.where(*conditions)
    # The count joins only what the filters need: documents and verdicts cost nothing
    # here unless a filter reads them.
    counted = (
        select(func.count())
        .select_from(_CLAIMS)
        .join(_VERSIONS, and_(_VERSIONS.c.id == _CLAIMS.c.version_id, _VERSIONS.c.is_current))
    )
    if needs_verdicts or sort == "verdict":
        counted = counted.outerjoin(
            _CHECKS, and_(_CHECKS.c.claim_id == _CLAIMS.c.id, _CHECKS.c.headline)
        )
    counted = counted.where(*conditions)
    column = headline.c.verdict if sort == "verdict" else CLAIM_SORTS.get(sort, _CLAIMS.c.id)
    order = column.desc().nulls_last() if descending else column.asc().nulls_last()
    paged = query.order_by(order, _CLAIMS.c.id).limit(per_page).offset((page - 1) * per_page)
    with store.engine.connect() as conn:
        total = int(conn.execute(counted).scalar_one())
        items = [dict(r._mapping) for r in conn.execute(paged)]
    for item in items:
        _iso(item, "published", "period_start", "period_end")
    return Page(items, page, per_page, total)


def facets(store: Store) -> dict[str, list[str]]:
    """The values each claim filter can take, for the filter menus."""
    out: dict[str, list[str]] = {}
    with store.engine.connect() as conn:
        for key in ("measure", "substance", "agency", "corridor"):
            column = _CLAIMS.c[key]
            rows = conn.execute(select(column).where(column.is_not(None)).distinct())
            out[key] = sorted(str(r[0]) for r in rows)
    out["verdict"] = [*VERDICTS, "unchecked"]
    return out


def claim(store: Store, claim_id: int) -> dict[str, Any]:
    """One claim with every field, its document and all its checks."""
    query, _ = _claims_query()
    query = query.add_columns(
        _CLAIMS.c.sentence, _CLAIMS.c.qualifier, _CLAIMS.c.value_max, _CLAIMS.c.dimension,
        _CLAIMS.c.origin, _CLAIMS.c.destination, _CLAIMS.c.period_basis,
        _CLAIMS.c.period_candidates,
    ).where(_CLAIMS.c.id == claim_id)  # fmt: skip
    with store.engine.connect() as conn:
        row = conn.execute(query).first()
        if row is None:
            raise NotFoundError(f"no claim {claim_id}")
        record = _iso(dict(row._mapping), "published", "period_start", "period_end")
        checks = conn.execute(
            select(
                _CHECKS.c.check,
                _CHECKS.c.verdict,
                _CHECKS.c.headline,
                _CHECKS.c.confidence,
                _CHECKS.c.explanation,
                _CHECKS.c.expected,
                _CHECKS.c.unit,
                _CHECKS.c.citations,
                _CHECKS.c.releases,
                _CHECKS.c.checked_at,
            )
            .where(_CHECKS.c.claim_id == claim_id)
            .order_by(_CHECKS.c.headline.desc(), _CHECKS.c.id)
        )
        record["checks"] = [_iso(dict(c._mapping), "checked_at") for c in checks]
    return record


def document_claims(store: Store, document_id: int) -> list[dict[str, Any]]:
    """Every claim of a document's current version, in text order, with its verdict."""
    query, _ = _claims_query()
    query = query.where(_CLAIMS.c.document_id == document_id).order_by(_CLAIMS.c.start_offset)
    with store.engine.connect() as conn:
        return [
            _iso(dict(r._mapping), "published", "period_start", "period_end")
            for r in conn.execute(query)
        ]


def latest_verdicts(store: Store, limit: int = 10) -> list[dict[str, Any]]:
    """Headline verdicts on the most recently published documents' claims."""
    query, headline = _claims_query()
    query = query.where(headline.c.verdict.is_not(None)).order_by(
        _DOCS.c.published.desc().nulls_last(), _CLAIMS.c.id.desc()
    )
    with store.engine.connect() as conn:
        return [
            _iso(dict(r._mapping), "published", "period_start", "period_end")
            for r in conn.execute(query.limit(limit))
        ]


def verdict_counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(_CHECKS.c.verdict, func.count())
            .where(_CHECKS.c.headline)
            .group_by(_CHECKS.c.verdict)
        )
        return {str(v): int(n) for v, n in rows}
