"""The verdicts' listings, a page at a time: the claims that have a headline verdict (of
a kind, if asked), by document then claim; and every verdict, by claim. Each gives the
ids of one page and its total; the API reads that page's rows by their keys
(store.checks.stored_checks)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.sql import Select

from borderflow.store import Store
from borderflow.store.checks import CHECKS, superseded_verdicts
from borderflow.store.documents import CLAIMS
from borderflow.store.listings import SEARCH_SAMPLE, matching_claims
from borderflow.store.paging import (
    COUNT_CAP,
    Cursor,
    Order,
    Page,
    count_capped,
    labelled,
    read_cursor,
    read_page,
    refuse_deep_offset,
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
# How many rows the verdicts' listings read on one side to count the verdicts of a kind
# on the claims a filter keeps: a kind with no more verdicts than this is counted exactly
# from its own index; otherwise the count reads this many of the filter's claims.
JOINED_READS = 5_000


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
        # Each claim's verdicts found by its claim id: from the verdicts' index by kind,
        # SQLite read every headline verdict of the kind for each claim (276 s for one
        # count of seizures at 10,000 articles).
        checked = checked.where(CHECKS.c.verdict.concat("") == verdict)
    with store.engine.connect() as conn:
        query = matching_claims(conn, CLAIMS.c.id, wanted).where(checked.exists())
        if conn.scalar(select(CHECKS.c.id).limit(1)) is None:  # nothing checked yet: the
            return Page([], None if cursor else page, per_page, 0)  # walk would read all
        if _all_headlines(conn, wanted):  # every headline verdict is listed: counted already
            counts = verdict_counts(store)
            total, exact = (counts.get(verdict, 0) if verdict else sum(counts.values())), True
        elif verdict and not wanted.get("q"):
            kind = _Kind(verdict, headline_only=True, claim_id=None)
            total, exact, rare = joined_total(conn, wanted, kind, False, count_cap)
            if rare:
                ids, following = _rare_page(conn, wanted, verdict, page, per_page, cursor)
                token = following.token() if following else None
                return Page(ids, None if cursor else page, per_page, total, exact, token)
        else:
            total, exact = count_capped(conn, query, count_cap)
        rows, following = read_page(
            conn, labelled(query, CHECKED_ORDER), CHECKED_ORDER, per_page,
            offset=0 if cursor else (page - 1) * per_page, after=cursor,
        )  # fmt: skip
    token = following.token() if following else None
    return Page([r.id for r in rows], None if cursor else page, per_page, total, exact, token)


def _rare_page(
    conn: Connection,
    wanted: dict[str, Any],
    verdict: str,
    page: int,
    per_page: int,
    cursor: Cursor | None,
) -> tuple[list[int], Cursor | None]:
    """A page of the claims a filter keeps whose headline verdict is of a rare kind (at
    most JOINED_READS in the store), by document then claim: the kind's verdicts are read
    from their index and sorted here. Read in document order, a kind the filter's claims
    never get meant reading every claim in the store for one page (330 ms at 10,000
    articles), and an engine given the filter's index sorted all its claims."""
    document = matching_claims(conn, CLAIMS.c.document_id, wanted)
    of_claim = document.where(CLAIMS.c.id == CHECKS.c.claim_id).limit(1).scalar_subquery()
    found = conn.execute(
        select(of_claim, CHECKS.c.claim_id).where(CHECKS.c.verdict == verdict, CHECKS.c.headline)
    )
    pairs = sorted({(int(doc), int(claim)) for doc, claim in found if doc is not None})
    start = (page - 1) * per_page
    if cursor is None:
        refuse_deep_offset(start)
    else:
        mark = (cursor.value, cursor.last_id)
        start = next((n for n, pair in enumerate(pairs) if pair > mark), len(pairs))
    shown = pairs[start : start + per_page]
    more = start + per_page < len(pairs)
    following = Cursor("checks", False, shown[-1][0], shown[-1][1]) if more else None
    return [claim for _, claim in shown], following


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
    kind = _Kind(wanted.pop("verdict", None), headline_only, claim_id)
    with store.engine.connect() as conn:
        # Words in a great many documents are counted among a sample of them and found
        # on a page by reading sentences in order (as the claims' listing does).
        words = wanted.get("q")
        many = bool(words) and in_many_documents(conn, words, SEARCH_SAMPLE)
        if kind.verdict and wanted and claim_id is None:
            order, query, (total, exact) = _both_narrowed(conn, wanted, kind, many, count_cap)
        else:
            order = _BY_CLAIMS if wanted else EVERY_CHECK_ORDER
            sample = SEARCH_SAMPLE if many else None
            counted = kind.of(matching_claims(conn, CHECKS.c.id, wanted, sample), order)
            total, exact = count_capped(conn, counted, SEARCH_SAMPLE if many else count_cap)
            exact = exact and not many
            query = kind.of(matching_claims(conn, CHECKS.c.id, wanted, many=many), order)
        rows, following = read_page(
            conn, labelled(query, order), order, per_page,
            offset=0 if cursor else (page - 1) * per_page, after=cursor,
        )  # fmt: skip
    token = following.token() if following else None
    return Page([r.id for r in rows], None if cursor else page, per_page, total, exact, token)


@dataclass(frozen=True, slots=True)
class _Kind:
    """What the every-check listing asks of the verdicts themselves: their kind, only
    the headlines, one claim's."""

    verdict: str | None
    headline_only: bool
    claim_id: int | None

    def of(self, claims: Select[Any], order: Order) -> Select[Any]:
        """`claims` joined to their verdicts of this kind."""
        query = claims.join(CHECKS, CHECKS.c.claim_id == CLAIMS.c.id)
        if self.verdict:
            # Read in the claims' order, each claim's verdicts are found by the claim
            # id; given the verdict's index, SQLite walked its whole range for every
            # claim (4 s for a page at 10,000 articles).
            column = CHECKS.c.verdict.concat("") if order is _BY_CLAIMS else CHECKS.c.verdict
            query = query.where(column == self.verdict)
        return self.narrowed(query)

    def narrowed(self, query: Select[Any]) -> Select[Any]:
        """`query` over the verdicts, kept to the headlines or one claim as asked."""
        if self.headline_only:
            query = query.where(CHECKS.c.headline)
        if self.claim_id is not None:
            query = query.where(CHECKS.c.claim_id == self.claim_id)
        return query


def _both_narrowed(
    conn: Connection, wanted: dict[str, Any], kind: _Kind, many: bool, count_cap: int
) -> tuple[Order, Select[Any], tuple[int, bool]]:
    """The order, query and total of verdicts of one kind on the claims a filter keeps.
    No index holds both, so a page is found by reading one side in order and testing the
    other: a kind with at most JOINED_READS verdicts from the verdicts' (verdict, claim
    id) index, each verdict's claim tested; otherwise the claims from the filter's index,
    each claim's verdicts found by its id."""
    total, exact, rare = joined_total(conn, wanted, kind, many, count_cap)
    if rare:
        return EVERY_CHECK_ORDER, _of_kind_on(conn, wanted, kind, many), (total, exact)
    query = kind.of(matching_claims(conn, CHECKS.c.id, wanted, many=many), _BY_CLAIMS)
    return _BY_CLAIMS, query, (total, exact)


def joined_total(
    conn: Connection, wanted: dict[str, Any], kind: _Kind, many: bool, count_cap: int
) -> tuple[int, bool, bool]:
    """How many verdicts of one kind the claims a filter keeps have, whether that is
    exact, and whether the kind is rare (at most JOINED_READS verdicts in the store).
    A rare kind is counted exactly, each of its verdicts' claims tested. Otherwise the
    count reads the first JOINED_READS claims the filter keeps and says "at least": a
    count of every claim of a common filter for a kind it seldom gets read them all
    (259 ms at 10,000 articles, and more with every article added)."""
    of_kind = kind.narrowed(select(CHECKS.c.id).where(CHECKS.c.verdict == kind.verdict))
    _, rare = count_capped(conn, of_kind, JOINED_READS)
    if rare:
        total, exact = count_capped(conn, _of_kind_on(conn, wanted, kind, many), count_cap)
        return total, exact and not many, True
    sample = SEARCH_SAMPLE if many else None
    first = matching_claims(conn, CLAIMS.c.id, wanted, sample).order_by(CLAIMS.c.id)
    first_ids = first.limit(JOINED_READS).subquery()
    among = kind.narrowed(
        select(CHECKS.c.id)
        .join(first_ids, first_ids.c.id == CHECKS.c.claim_id)
        .where(CHECKS.c.verdict.concat("") == kind.verdict)
    )
    found, within_cap = count_capped(conn, among, count_cap)
    _, all_read = count_capped(conn, first, JOINED_READS)
    return found, all_read and within_cap and not many, False


def _of_kind_on(conn: Connection, wanted: dict[str, Any], kind: _Kind, many: bool) -> Select[Any]:
    """The verdicts of a kind read from their (verdict, claim id) index, each kept if the
    filter keeps its claim."""
    kept = matching_claims(conn, CLAIMS.c.id, wanted, many=many)
    of_kind = kind.narrowed(select(CHECKS.c.id).where(CHECKS.c.verdict == kind.verdict))
    return of_kind.where(kept.where(CLAIMS.c.id == CHECKS.c.claim_id).exists())
