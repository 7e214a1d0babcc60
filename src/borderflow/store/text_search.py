"""Word searches in SQL: every word asked for must appear, in any order, so "Trump Canada"
finds a text that names both in separate sentences. A part in double quotes is one phrase
("northern border"). Matching is case-insensitive and literal (LIKE wildcards in what a
reader types are escaped), and the number of terms is bounded, so a long query costs a
few LIKE clauses, never hundreds."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import and_, or_

# The most terms one search uses; words past them are ignored (a query string is at most
# a few hundred characters anyway).
MAX_TERMS = 8
_TERM = re.compile(r'"([^"]*)"|(\S+)')


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
