"""Word searches: every word asked for must appear, in any order, so "Trump Canada" finds
a text that names both in separate sentences. A part in double quotes is one phrase
("northern border"). The number of terms is bounded, so a long query costs a few terms,
never hundreds.

Documents are searched through a full-text index of their title and current text
(migration 0009): SQLite's FTS5 and PostgreSQL's tsvector with a GIN index, so a search
reads the index, not every text. What an index matches differs from a substring scan:

- whole words only: "fent" does not find "fentanyl" (a substring scan did);
- words are cut at punctuation and matched without case or accents (FTS5's unicode61
  tokenizer; PostgreSQL's 'simple' configuration): "U.S." is the phrase "u s" in SQLite,
  a term of punctuation alone ("-", "%_%") is no word, so nothing matches it;
- no stemming on either engine: "seizure" does not find "seizures";
- PostgreSQL indexes the first million characters of a text, and positions past 16,383
  words are merged, so a phrase that late in a very long text may be missed.

Claims are found through the same index: a claim matches when its document holds every
term (as words) and its sentence holds every term too (as text, `all_terms_in`). Scanning
every claim's sentence took 0.2-0.6 s for a rare word at 10,000 articles and grew with
the store; through the index a rare word reads only its documents' claims.

A SQLite built without FTS5 has no index (the migration logs it), and documents and
claims are then scanned with LIKE: matching there is case-insensitive and literal (LIKE
wildcards in what a reader types are escaped)."""

from __future__ import annotations

import logging
import re
from typing import Any

from sqlalchemy import (
    Connection,
    Select,
    and_,
    false,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
)
from sqlalchemy.sql.elements import ColumnElement

# The most terms one search uses; words past them are ignored (a query string is at most
# a few hundred characters anyway).
MAX_TERMS = 8
_TERM = re.compile(r'"([^"]*)"|(\S+)')
# A search the index answers with at most this many documents passes their ids to the
# listing as a list. As a subquery, PostgreSQL guessed a thousand matches where there was
# one, walked every document in the listing's order looking for it, and took 2 s at
# 200,000 articles ("article 12345"); a list is looked up by key.
FEW = 1000
# How many documents a word search must find in the index to be counted among a sample
# of them (so many, at about 17 claims each, hold more matches than a count reads).
SEARCH_SAMPLE = 1_000
# The full-text index of documents (migration 0009): rowid (SQLite) or document_id
# (PostgreSQL) is the document's id.
SEARCH_TABLE = "document_search"
log = logging.getLogger(__name__)


def escape_like(text: str) -> str:
    """`text` as a literal inside a LIKE pattern whose escape character is a backslash."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_terms(q: str | None) -> list[str]:
    """The words and quoted phrases of a search, each once (whatever its case), in the
    order given, at most MAX_TERMS of them."""
    terms: list[str] = []
    seen: set[str] = set()
    for phrase, word in _TERM.findall(q or ""):
        term = " ".join((phrase or word).split())
        if term and term.casefold() not in seen:
            seen.add(term.casefold())
            terms.append(term)
    return terms[:MAX_TERMS]


def all_terms_in(q: str | None, *columns: Any) -> Any | None:
    """A WHERE clause true when every term of `q` appears in one of `columns` (not
    necessarily all in the same one), or None when `q` holds no term."""
    terms = search_terms(q)
    if not terms:
        return None
    return and_(
        *(
            or_(*(column.ilike(f"%{escape_like(term)}%", escape="\\") for column in columns))
            for term in terms
        )
    )


def _indexable(terms: list[str]) -> bool:
    """Whether every term has a letter or digit: a term of punctuation alone is in no
    index, so nothing holds it."""
    return all(any(ch.isalnum() for ch in term) for term in terms)


def fts5_query(terms: list[str], prefix: bool = False) -> str:
    """An FTS5 MATCH expression: every term as a quoted phrase (FTS5 tokenizes it as it
    tokenized the text), all of them required; with `prefix`, each phrase's last word
    may begin a longer word ("seizure" finds "seizures")."""
    star = "*" if prefix else ""
    return " AND ".join('"' + term.replace('"', '""') + '"' + star for term in terms)


def _prefix_tsquery(term: str) -> str:
    """A PostgreSQL tsquery for `term` as a phrase whose last word may begin a longer
    one: its words (letters and digits only, so nothing needs quoting), side by side."""
    words = [w.lower() for w in re.findall(r"[^\W_]+", term)]
    return " <-> ".join(f"'{w}'" for w in words) + ":*"


def has_index(conn: Connection) -> bool:
    """Whether the store has the documents' full-text index (always on PostgreSQL; on
    SQLite unless it was built without FTS5)."""
    if conn.dialect.name == "postgresql":
        return True
    found = conn.execute(
        text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :n"),
        {"n": SEARCH_TABLE},
    ).first()
    if found is None:
        log.info("no full-text index in this store (SQLite without FTS5): scanning texts")
    return found is not None


def documents_matching(
    conn: Connection,
    q: str | None,
    document_id: Any,
    *scanned: Any,
    common: bool = False,
    prefix: bool = False,
    first: int | None = None,
) -> ColumnElement[bool] | None:
    """A WHERE clause keeping the documents (`document_id`: the documents' id column)
    whose title or current text holds every term of `q`, or None when `q` asks for
    nothing. Without an index, `scanned` (the title and text columns) are scanned.

    `common`: the search matches many documents, so a listing reads the documents in
    its own order and asks the index about each (stopping when its page is full),
    rather than take every match from the index and sort them. `prefix`: each term's
    last word may begin a longer word of the text. `first`: only the first so many
    documents the index gives (a sample that bounds a count). Up to FEW matches are read
    from the index here and given to the listing as a list of ids."""
    if not search_terms(q):
        return None
    if not has_index(conn):
        scan: ColumnElement[bool] | None = all_terms_in(q, *scanned)
        return scan
    terms = search_terms(q)
    if not _indexable(terms):
        return false()  # a term of punctuation alone is in no index: nothing has it
    ids, key = _index_query(conn, terms, prefix)
    if common:
        found: ColumnElement[bool] = ids.where(key == document_id).exists()
        return found
    if first is not None:
        ids = ids.limit(first)
    few = [row[0] for row in conn.execute(ids.limit(min(first or FEW + 1, FEW + 1)))]
    clause: ColumnElement[bool] = document_id.in_(few if len(few) <= FEW else ids.scalar_subquery())
    return clause


def claims_matching(
    conn: Connection,
    q: str | None,
    document_id: Any,
    sentence: Any,
    *,
    common: bool = False,
    first: int | None = None,
) -> ColumnElement[bool] | None:
    """A WHERE clause keeping the claims whose document holds every term of `q` (through
    the index, each term's last word at the start of a word: "seizure" is in "seizures")
    and whose `sentence` holds each too; None when `q` asks for nothing. `common`: so
    many match that the sentences alone are read. `first`: among the first so many
    documents the index gives."""
    in_sentence: ColumnElement[bool] | None = all_terms_in(q, sentence)
    if in_sentence is None or not has_index(conn) or common:
        # Words in a great many documents: the sentences alone, read in the listing's
        # order, find a page fastest; asking the index about each claim's document took
        # seconds at 200,000 articles (a prefix is looked up afresh each time).
        return in_sentence
    in_document = documents_matching(conn, q, document_id, common=common, prefix=True, first=first)
    # The sentence first: a LIKE on a row in hand is cheaper than a look in the index.
    return in_sentence if in_document is None else and_(in_sentence, in_document)


def in_many_documents(conn: Connection, q: str | None, many: int) -> bool:
    """Whether at least `many` documents hold the words of `q` (as starts of words), as
    the index says, reading no further than that."""
    terms = search_terms(q)
    if not terms or not _indexable(terms) or not has_index(conn):
        return False
    ids = _index_query(conn, terms, prefix=True)[0].limit(many).subquery()
    return int(conn.execute(select(func.count()).select_from(ids)).scalar_one()) >= many


def indexed_ids(conn: Connection, q: str | None) -> Select[Any] | None:
    """The ids of the documents matching `q` as the index alone gives them (it holds
    current documents only): a count read there stops at its cap, where one through
    `documents_matching` takes every match first. None when there is no index or `q`
    asks for no indexed word."""
    terms = search_terms(q)
    if not terms or not _indexable(terms) or not has_index(conn):
        return None
    return _index_query(conn, terms)[0]


def _index_query(
    conn: Connection, terms: list[str], prefix: bool = False
) -> tuple[Select[Any], Any]:
    """The ids matching every term, from the index, and the id column it reads."""
    index = table(SEARCH_TABLE)
    ids: Select[Any]
    key: Any
    if conn.dialect.name == "postgresql":

        def query(term: str) -> Any:
            if prefix:
                return func.to_tsquery("simple", _prefix_tsquery(term))
            return func.phraseto_tsquery("simple", term)

        wanted: Any = query(terms[0])
        for term in terms[1:]:
            wanted = wanted.op("&&")(query(term))
        key = literal_column("document_id")
        ids = select(key).select_from(index).where(literal_column("terms").op("@@")(wanted))
    else:
        key = literal_column("rowid")
        ids = (
            select(key)
            .select_from(index)
            .where(literal_column(SEARCH_TABLE).op("MATCH")(fts5_query(terms, prefix)))
        )
    return ids, key
