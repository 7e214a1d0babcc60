"""The verdicts' listings, a page at a time: the claims that have a headline verdict (of
a kind, if asked), by document then claim; and every verdict, by claim. Each gives the
ids of one page and its total; the API reads that page's rows by their keys
(store.checks.stored_checks)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.sql import Select

from borderflow.store import Store
from borderflow.store.checks import CHECKS, superseded_verdicts
from borderflow.store.documents import CLAIMS
from borderflow.store.listings import SEARCH_SAMPLE, matching_claims
from borderflow.store.paging import (
    COUNT_CAP,
    Order,
    Page,
    count_capped,
    labelled,
    read_cursor,
    read_page,
)
from borderflow.store.text_search import in_many_documents
from borderflow.store.verdict_counts import verdict_counts

# The headline verdicts' listing pages by document, then claim.
CHECKED_ORDER = Order("checks", CLAIMS.c.document_id, CLAIMS.c.id, descending=False)
# Every verdict pages by claim, in the order claims were read (a version's in text order),
# then by verdict. The claim id is read from the verdicts' claim id index when only the
# verdicts are narrowed, and from the claims' when their filters are (a filter's own
# index then gives them in order): the same order and cursors, two ways to read it.
EVERY_CHECK_ORDER = Order("every-check", CHECKS.c.claim_id, CHECKS.c.id, descending=False)
_BY_CLAIMS = Order("every-check", CLAIMS.c.id, CHECKS.c.id, descending=False)


def checked_claims(
    store: Store,
    filters: dict[str, Any],
    *,
    page: int = 1,
    per_page: int = 50,
    after: str | None = None,
    count_cap: int = COUNT_CAP,
) -> Page[int]:
    """The ids of a page of current claims with a headline verdict (`filters` may name
    the verdict), by document then claim, from `page` or after the cursor `after`: what
    the verdicts' listing reads one page of (store.checks.stored_checks)."""
    cursor = read_cursor(after, "checks", False, CLAIMS.c.document_id) if after else None
    wanted = dict(filters)
    verdict = wanted.pop("verdict", None)
    # A test for each claim in order, not a join: an engine would start from the
    # verdicts (most are headlines) and sort them all, rather than read claims in order.
    checked = select(CHECKS.c.id).where(CHECKS.c.claim_id == CLAIMS.c.id, CHECKS.c.headline)
    if verdict:
        checked = checked.where(CHECKS.c.verdict == verdict)
    with store.engine.connect() as conn:
        query = matching_claims(conn, CLAIMS.c.id, wanted).where(checked.exists())
        if conn.scalar(select(CHECKS.c.id).limit(1)) is None:  # nothing checked yet: the
            return Page([], None if cursor else page, per_page, 0)  # walk would read all
        if _all_headlines(conn, wanted):  # every headline verdict is listed: counted already
            counts = verdict_counts(store)
            total, exact = (counts.get(verdict, 0) if verdict else sum(counts.values())), True
        else:
            total, exact = count_capped(conn, query, count_cap)
        rows, following = read_page(
            conn, labelled(query, CHECKED_ORDER), CHECKED_ORDER, per_page,
            offset=0 if cursor else (page - 1) * per_page, after=cursor,
        )  # fmt: skip
    token = following.token() if following else None
    return Page([r.id for r in rows], None if cursor else page, per_page, total, exact, token)


def _all_headlines(conn: Connection, filters: dict[str, Any]) -> bool:
    """Whether the headline verdicts' listing holds every headline verdict (of the kind
    asked for): no claim filter, and no verdict left of a superseded version. Its total
    is then the headline verdicts' counts the store keeps (store.verdict_counts), not a
    count of each claim (90 ms for the 10,000 a count stops at, on PostgreSQL)."""
    return not any(v not in (None, "") for v in filters.values()) and not superseded_verdicts(conn)


def every_check(
    store: Store,
    filters: dict[str, Any],
    *,
    claim_id: int | None = None,
    headline_only: bool = False,
    page: int = 1,
    per_page: int = 50,
    after: str | None = None,
    count_cap: int = COUNT_CAP,
) -> Page[int]:
    """The ids of a page of the verdicts of current claims (every verdict, or with
    `headline_only` the headlines), by claim then verdict, from `page` or after the
    cursor `after`, and their total counted to `count_cap`. `filters` are the claims'
    (the listing's `verdict` is each verdict's own kind). Sorting every verdict by
    document and text to page by number took seconds at 200,000 articles; this order is
    read from the verdicts' claim id index, a page at a time."""
    cursor = read_cursor(after, "every-check", False, CHECKS.c.claim_id) if after else None
    wanted = {k: v for k, v in filters.items() if v not in (None, "")}
    verdict = wanted.pop("verdict", None)
    order = _BY_CLAIMS if wanted else EVERY_CHECK_ORDER
    with store.engine.connect() as conn:
        # Words in a great many documents are counted among a sample of them and found
        # on a page by reading sentences in order (as the claims' listing does).
        words = wanted.get("q")
        many = bool(words) and in_many_documents(conn, words, SEARCH_SAMPLE)

        def verdicts_of(claims: Select[Any]) -> Select[Any]:
            query = claims.join(CHECKS, CHECKS.c.claim_id == CLAIMS.c.id)
            if verdict:
                # Read in the claims' order, each claim's verdicts are found by the claim
                # id; given the verdict's index, SQLite walked its whole range for every
                # claim (4 s for a page at 10,000 articles).
                kind = CHECKS.c.verdict.concat("") if order is _BY_CLAIMS else CHECKS.c.verdict
                query = query.where(kind == verdict)
            if headline_only:
                query = query.where(CHECKS.c.headline)
            if claim_id is not None:
                query = query.where(CHECKS.c.claim_id == claim_id)
            return query

        sample = SEARCH_SAMPLE if many else None
        counted = verdicts_of(matching_claims(conn, CHECKS.c.id, wanted, sample))
        total, exact = count_capped(conn, counted, SEARCH_SAMPLE if many else count_cap)
        query = verdicts_of(matching_claims(conn, CHECKS.c.id, wanted, many=many))
        rows, following = read_page(
            conn, labelled(query, order), order, per_page,
            offset=0 if cursor else (page - 1) * per_page, after=cursor,
        )  # fmt: skip
    token = following.token() if following else None
    page_no = None if cursor else page
    return Page([r.id for r in rows], page_no, per_page, total, exact and not many, token)
