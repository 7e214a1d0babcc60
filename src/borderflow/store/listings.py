"""Paged listings of documents and claims, filtered and sorted in SQL, so a store of
200,000 documents answers a page as fast as a store of ten: each page is a range of an
index, deep pages go by cursor, totals are counted up to a cap (store.paging) and
documents are searched through a full-text index (store.text_search). The web app and
its API read the store through these functions only."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, and_, func, select
from sqlalchemy.sql import Select

from borderflow.errors import NotFoundError
from borderflow.records.verdicts import UNCHECKED
from borderflow.store import Store, paired
from borderflow.store.checks import CHECKS, stored_checks
from borderflow.store.claims import claims_query, stored_claim
from borderflow.store.document_listing import DOCUMENT_ORDER, document_titles, documents
from borderflow.store.documents import (
    CLAIMS,
    DOCUMENTS,
    VERSIONS,
    current_versions,
)
from borderflow.store.facets import FOLDED, facets
from borderflow.store.listing_rows import (
    CLAIM_EXPORT_FIELDS,
    DOCUMENT_EXPORT_FIELDS,
    ClaimView,
    DocumentRow,
)
from borderflow.store.paging import (
    COUNT_CAP,
    Order,
    Page,
    count_capped,
    labelled,
    read_cursor,
    read_page,
)
from borderflow.store.revisions import revision
from borderflow.store.schema import FACETED
from borderflow.store.text_search import (
    SEARCH_SAMPLE,
    claims_matching,
    escape_like,
    in_many_documents,
)
from borderflow.store.totals import kept_totals

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


def _titled(store: Store, views: list[ClaimView]) -> list[ClaimView]:
    """The views with their documents' titles to show."""
    titles = document_titles(store, {v.claim.document_id for v in views})
    return [replace(v, document_title=titles.get(v.claim.document_id)) for v in views]


def _views_query(*checks_where: Any) -> Select[Any]:
    """Claims of current versions with their document's date and headline verdict. The
    verdict is a LEFT JOIN on the checks table itself (indexed by claim), not on a
    subquery, so a page of 50 reads 50 claims' checks rather than every verdict.
    `checks_where`: conditions on the verdicts' side of the join that the claims' own
    imply, for a planner that does not carry a range across a join."""
    return (
        select(*claims_query().selected_columns)
        .select_from(CLAIMS)
        .join(VERSIONS, and_(VERSIONS.c.id == CLAIMS.c.version_id, current_versions()))
        .join(DOCUMENTS, DOCUMENTS.c.id == CLAIMS.c.document_id)
        .add_columns(
            DOCUMENTS.c.published,
            CHECKS.c.verdict,
            CHECKS.c.check.label("verdict_check"),
            CHECKS.c.explanation,
        )
        .outerjoin(CHECKS, and_(CHECKS.c.claim_id == CLAIMS.c.id, CHECKS.c.headline, *checks_where))
    )


def _view(row: Any) -> ClaimView:
    m = row._mapping
    return ClaimView(
        stored_claim(m), m["published"], m["verdict"], m["verdict_check"], m["explanation"]
    )


def _conditions(
    conn: Connection,
    filters: dict[str, Any],
    *,
    common: bool = False,
    many: bool = False,
    sample: int | None = None,
    by_claim: bool = False,
    on_verdicts: bool = False,
) -> tuple[list[Any], bool]:
    """WHERE clauses for the claim filters, and whether they need the verdicts joined.
    Values are taken as the claims spell them: callers resolve what a reader typed first
    (claim_filters.resolve_filters), so a value in another case is not a silent zero.
    `common`: the filters match more claims than a listing counts, so a page is found
    fastest by reading the sort's index and skipping the others; the menu filters are
    then written so that no engine reads their index instead (and sorts every match).
    `many`: as many claims match, whatever the sort: a word search then asks the index
    about each claim read in order, rather than read every match and sort them.
    `sample`: a word search looks among the first so many documents the index gives.
    `by_claim`: each claim's verdict is found by the claim id, not the verdicts' index
    by kind (see `claims`). `on_verdicts`: the menu filters are read from the headline
    verdict's copy of its claim's values, with its kind one range of an index (see
    store.paired)."""
    conditions: list[Any] = []
    verdicts = False
    for key, value in filters.items():
        if value in (None, ""):
            continue
        if key == "verdict":
            verdicts = True
            kind = CHECKS.c.verdict.concat("") if by_claim else CHECKS.c.verdict
            conditions.append(CHECKS.c.verdict.is_(None) if value == UNCHECKED else kind == value)
        elif key == "document_id":
            conditions.append(CLAIMS.c.document_id == int(value))
        elif key == "q":
            searched = claims_matching(
                conn, str(value), CLAIMS.c.document_id, CLAIMS.c.sentence, common=many,
                first=sample,
            )  # fmt: skip
            conditions.extend(() if searched is None else (searched,))
        elif key in FOLDED:
            conditions.append(CLAIMS.c[key].ilike(escape_like(str(value)), escape="\\"))
        elif key in FACETED:
            column = CHECKS.c[f"claim_{key}"] if on_verdicts else CLAIMS.c[key]
            conditions.append((column.concat("") if common else column) == value)
    return conditions, verdicts


def claims(
    store: Store,
    *,
    filters: dict[str, Any] | None = None,
    sort: str = "id",
    descending: bool = False,
    page: int = 1,
    per_page: int = 50,
    after: str | None = None,
    count_cap: int | None = None,
) -> Page[ClaimView]:
    """Claims of current document versions with their headline verdict, sorted (NULLs
    last, ties by id in the same direction), from `page` or after the cursor `after`.
    Totals are counted up to `count_cap`: by default COUNT_CAP, and SEARCH_SAMPLE for
    words in so many documents that they are counted among a sample of them (the total
    is then a bound whatever the cap, and each claim counted is a sentence searched)."""
    sort = sort if sort in CLAIM_SORTS else "id"
    with_kind = paired.with_kind(filters or {})
    # Claims with a verdict are read from the verdicts' (verdict, claim id) index; a menu
    # filter with a kind by id, from the (value, kind, claim id) index.
    same_id = CHECKS.c.claim_id if sort == "verdict" else None
    order = Order(sort, CLAIM_SORTS[sort], CLAIMS.c.id, descending, same_id)
    if with_kind and sort == "id":
        order = Order(sort, CHECKS.c.claim_id, CHECKS.c.claim_id, descending)
    cursor = read_cursor(after, sort, descending, order.column) if after else None
    with store.engine.connect() as conn:
        total, exact = _claims_total(conn, filters or {}, with_kind, count_cap)
        asked = {k for k, v in (filters or {}).items() if v not in (None, "")}
        # Seizures by value, the listing readers ask for most, has an index of its own.
        by_value = asked == {"measure"} and sort == "value"
        common = not (exact or by_value or sort == "id")
        # After a cursor, with a claim filter and a verdict kind, each claim's verdict is
        # found by its id: SQLite carried the cursor over to the verdicts and read every
        # verdict of the kind past it for each claim (3.5 s for a page of deaths at
        # 10,000 articles). A first page still starts from the kind's index (it is
        # faster there: 190 against 890 ms for seizures of a rare kind).
        # A menu filter with a kind is read from the verdicts' copies where they give the
        # page: by id, or when the pair's matches are few enough to sort (`exact`).
        # Otherwise the sort's own index is read and each claim's verdict tested.
        on_verdicts = with_kind and (sort == "id" or exact)
        by_claim = cursor is not None and "verdict" in asked and len(asked) > 1
        conditions = _conditions(
            conn, filters or {}, common=common, many=not exact,
            by_claim=by_claim and not on_verdicts, on_verdicts=on_verdicts,
        )[0]  # fmt: skip
        # By id after a cursor, the verdicts too start at the cursor: PostgreSQL merged
        # the claims with every verdict from the first (170 ms at row 400,000).
        past = (order.past(CHECKS.c.claim_id, cursor.last_id),) if cursor and sort == "id" else ()
        rows, following = read_page(
            conn, labelled(_views_query(*past).where(*conditions), order), order, per_page,
            offset=0 if cursor else (page - 1) * per_page, after=cursor,
        )  # fmt: skip
    items = _titled(store, [_view(r) for r in rows])
    token = following.token() if following else None
    return Page(items, None if cursor else page, per_page, total, exact, token)


def _claims_total(
    conn: Connection, filters: dict[str, Any], with_kind: bool, count_cap: int | None
) -> tuple[int, bool]:
    """The claims listing's total and whether it is exact (see `claims`)."""
    if not any(v not in (None, "") for v in filters.values()):
        return current_claims(conn), True
    # Words in a great many documents: counted among a sample of them, as at least so
    # many (taking every match from the index took 0.6 s at 200,000 articles for
    # "fentanyl").
    sample = SEARCH_SAMPLE if in_many_documents(conn, filters.get("q"), SEARCH_SAMPLE) else None
    cap = count_cap or (SEARCH_SAMPLE if sample else COUNT_CAP)
    counted = None
    if with_kind:
        counted = paired.count_of_kind(conn, filters, str(filters["verdict"]), True, cap)
    if counted is None:
        matching = matching_claims(conn, CLAIMS.c.id, filters, sample, on_verdicts=with_kind)
        counted = count_capped(conn, matching, cap)
    return counted[0], counted[1] and sample is None


def current_claims(conn: Connection) -> int:
    """How many claims current versions hold, as the store keeps it (store.totals)."""
    return kept_totals(conn).claims


def store_totals(store: Store) -> dict[str, int]:
    """The documents and the claims of their current versions, as the overview shows
    them: one row the store keeps up to date (store.totals)."""
    with store.engine.connect() as conn:
        totals = kept_totals(conn)
    return {"documents": totals.documents, "claims": totals.claims}


def verdicts_generation(store: Store) -> tuple[int, int]:
    """What changes whenever any verdict does (the largest verdict id and the verdicts'
    revision): the key for answers that read only verdicts, which an ingest of new
    documents leaves as they were."""
    with store.engine.connect() as conn:
        largest = conn.scalar(select(func.max(CHECKS.c.id)))
        return int(largest or 0), revision(conn, "checks")


def matching_claims(
    conn: Connection,
    column: Any,
    filters: dict[str, Any],
    sample: int | None = None,
    *,
    many: bool = False,
    on_verdicts: bool = False,
) -> Select[Any]:
    """`column` over the current claims the filters match. It joins only what the
    filters read: documents and verdicts cost nothing here unless a filter needs them.
    `sample`, `many` and `on_verdicts` as `_conditions` takes them."""
    conditions, needs_verdicts = _conditions(
        conn, filters, sample=sample, many=many, on_verdicts=on_verdicts
    )
    query = (
        select(column)
        .select_from(CLAIMS)
        .join(VERSIONS, and_(VERSIONS.c.id == CLAIMS.c.version_id, current_versions()))
    )
    if needs_verdicts:
        query = query.outerjoin(CHECKS, and_(CHECKS.c.claim_id == CLAIMS.c.id, CHECKS.c.headline))
    return query.where(*conditions)


def claim_ids_query(store: Store, filters: dict[str, Any]) -> Select[Any]:
    """The ids of the current claims the filters match, as a query that narrows another
    one (the verdicts) inside the database."""
    with store.engine.connect() as conn:
        return matching_claims(conn, CLAIMS.c.id, filters)


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
    """Headline verdicts on the most recently published documents' claims (newest
    document first, then its last claims first). The newest documents are read fifty at
    a time by their index, up to a thousand: a sort of every verdict by date is what
    made the overview slow on a large store."""
    found: list[Any] = []
    cursor = None
    with store.engine.connect() as conn:
        for _ in range(20):
            newest, cursor = read_page(
                conn, labelled(select(DOCUMENTS.c.id), DOCUMENT_ORDER), DOCUMENT_ORDER, 50,
                after=cursor,
            )  # fmt: skip
            rank = {r.id: n for n, r in enumerate(newest)}
            # The ids on both sides of the join: PostgreSQL carries an equality across a
            # join, not a list, and would walk every document to merge (40 ms at 200,000).
            rows = conn.execute(
                _views_query().where(
                    CHECKS.c.verdict.is_not(None),
                    CLAIMS.c.document_id.in_(rank),
                    DOCUMENTS.c.id.in_(rank),
                )
            )
            found += sorted(rows, key=lambda r: (rank[r.document_id], -r.id))
            if len(found) >= limit or cursor is None:
                break
    return _titled(store, [_view(r) for r in found[:limit]])


__all__ = [
    "CLAIM_EXPORT_FIELDS", "DOCUMENT_EXPORT_FIELDS", "DOCUMENT_ORDER", "FACETED", "FOLDED",
    "SEARCH_SAMPLE", "ClaimView", "DocumentRow", "Page", "document_titles", "documents",
    "facets",
]  # fmt: skip
