"""The verdicts' listings, a page at a time: the claims that have a headline verdict (of
a kind, if asked), by claim; and every verdict, by claim then verdict. Each gives the
ids of one page and its total; the API reads that page's rows by their keys
(store.checks.stored_checks)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.sql import Select

from borderflow.store import Store, paired
from borderflow.store.checks import CHECKS, superseded_verdicts
from borderflow.store.documents import CLAIMS
from borderflow.store.listings import matching_claims
from borderflow.store.paging import (
    COUNT_CAP,
    Order,
    Page,
    count_capped,
    labelled,
    read_cursor,
    read_page,
)
from borderflow.store.schema import FACETED
from borderflow.store.text_search import SEARCH_SAMPLE, in_many_documents
from borderflow.store.verdict_counts import verdict_counts

# Both listings page by claim, in the order claims were read (a version's in text order),
# and every verdict then by its own id. The claim id is read from the verdicts' indexes
# when a verdict kind leads (`_from_verdicts`), and from the claims' when their filters
# do (a filter's own index then gives them in order): the same order and cursors, two
# ways to read it.
HEADLINE_ORDER = Order("headline", CHECKS.c.claim_id, CHECKS.c.claim_id, descending=False)
_HEADLINE_BY_CLAIMS = Order("headline", CLAIMS.c.id, CLAIMS.c.id, descending=False)
EVERY_CHECK_ORDER = Order("every-check", CHECKS.c.claim_id, CHECKS.c.id, descending=False)
_BY_CLAIMS = Order("every-check", CLAIMS.c.id, CHECKS.c.id, descending=False)
# A verdict kind with no more verdicts than this is read from its own index even with
# words to search: each of its verdicts' claims is then tested against the words.
RARE_KIND = 5_000


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
    the verdict), by claim, from `page` or after the cursor `after`: what the verdicts'
    listing reads one page of (store.checks.stored_checks)."""
    cursor = read_cursor(after, "headline", False, CLAIMS.c.id) if after else None
    wanted = paired.given(filters)
    kind = _Kind(wanted.pop("verdict", None), headline_only=True, claim_id=None)
    with store.engine.connect() as conn:
        if conn.scalar(select(CHECKS.c.id).limit(1)) is None:  # nothing checked yet: the
            return Page([], None if cursor else page, per_page, 0)  # walk would read all
        if kind.verdict and _from_verdicts(conn, wanted, kind):
            order, query = HEADLINE_ORDER, _of_kind(conn, wanted, kind, CHECKS.c.claim_id)
        else:
            # A test for each claim in order, not a join: an engine would start from the
            # verdicts (most are headlines) and sort them all, rather than read claims in
            # order. The kind is matched by claim id, not from the verdicts' index by kind
            # (SQLite read every headline verdict of the kind for each claim).
            checked = select(CHECKS.c.id).where(CHECKS.c.claim_id == CLAIMS.c.id, CHECKS.c.headline)
            if kind.verdict:
                checked = checked.where(CHECKS.c.verdict.concat("") == kind.verdict)
            order = _HEADLINE_BY_CLAIMS
            query = matching_claims(conn, CLAIMS.c.id, wanted).where(checked.exists())
        if not wanted and not superseded_verdicts(conn):
            # Every headline verdict (of the kind) is listed: the store keeps their counts
            # (store.verdict_counts), where a count of each claim took 90 ms on PostgreSQL.
            counts = verdict_counts(store)
            total = counts.get(kind.verdict, 0) if kind.verdict else sum(counts.values())
            exact = True
        else:
            total, exact = _total(conn, wanted, kind, query, count_cap)
        rows, following = read_page(
            conn, labelled(query, order), order, per_page,
            offset=0 if cursor else (page - 1) * per_page, after=cursor,
        )  # fmt: skip
    token = following.token() if following else None
    return Page([r.row_id for r in rows], None if cursor else page, per_page, total, exact, token)


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
    read from an index, a page at a time."""
    cursor = read_cursor(after, "every-check", False, CHECKS.c.claim_id) if after else None
    wanted = paired.given(filters)
    kind = _Kind(wanted.pop("verdict", None), headline_only, claim_id)
    with store.engine.connect() as conn:
        # Words in a great many documents are counted among a sample of them and found
        # on a page by reading sentences in order (as the claims' listing does).
        words = wanted.get("q")
        many = bool(words) and in_many_documents(conn, words, SEARCH_SAMPLE)
        if kind.verdict and claim_id is None and _from_verdicts(conn, wanted, kind):
            order = EVERY_CHECK_ORDER
            query = _of_kind(conn, wanted, kind, CHECKS.c.id, many=many)
            total, exact = _total(conn, wanted, kind, query, count_cap)
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


def _from_verdicts(conn: Connection, wanted: dict[str, Any], kind: _Kind) -> bool:
    """Whether a page of verdicts of a kind is read from the verdicts' own indexes: one
    on (kind, claim id), and one per menu filter on (its value, kind, claim id) from the
    copy of the claim's values each verdict keeps (schema.FACETED), so a filter and a
    kind that seldom meet are one short range, not a walk through either side (13 s at
    200,000 articles). One document's claims are few: they are read from the claims'
    index. Words to search are tested on each verdict's claim only for a kind with few
    verdicts (RARE_KIND); otherwise the claims the words find are read in order."""
    if "document_id" in wanted:
        return False
    if "q" in wanted:
        of_kind = kind.narrowed(select(CHECKS.c.id).where(CHECKS.c.verdict == kind.verdict))
        return count_capped(conn, of_kind, RARE_KIND)[1]
    return True


def _total(
    conn: Connection, wanted: dict[str, Any], kind: _Kind, query: Select[Any], cap: int
) -> tuple[int, bool]:
    """The listing's total, from the verdicts' index alone where that answers it."""
    counted = None
    if kind.verdict and kind.claim_id is None:
        counted = paired.count_of_kind(conn, wanted, kind.verdict, kind.headline_only, cap)
    return counted if counted is not None else count_capped(conn, query, cap)


def _of_kind(
    conn: Connection, wanted: dict[str, Any], kind: _Kind, column: Any, *, many: bool = False
) -> Select[Any]:
    """`column` over the verdicts of a kind on current claims the filters keep, with the
    menu filters read from the verdicts' copies of their claim's values."""
    rest = {k: v for k, v in wanted.items() if k not in FACETED}
    query = matching_claims(conn, column, rest, many=many).join(
        CHECKS, CHECKS.c.claim_id == CLAIMS.c.id
    )
    return kind.narrowed(query.where(CHECKS.c.verdict == kind.verdict, *paired.copied(wanted)))


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
