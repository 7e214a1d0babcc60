"""The values each claim filter can take (the filter menus, and what a filter a reader
types is resolved against), read by skipping through each column's index: one seek per
value, where a SELECT DISTINCT reads every claim."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import Connection, select, text

from borderflow.records.verdicts import UNCHECKED, VERDICTS
from borderflow.store import Store
from borderflow.store.documents import CLAIMS
from borderflow.store.paging import count_capped
from borderflow.store.schema import FACETED

# Matched whatever their case: "RCMP" and "rcmp", "Borderflow Sample" and "borderflow sample".
FOLDED = ("speaker",)


def facets(store: Store) -> dict[str, list[str]]:
    """The values each claim filter can take, for the filter menus."""
    out: dict[str, list[str]] = {}
    with store.engine.connect() as conn:
        for key in FACETED:
            out[key] = sorted(_distinct(conn, key))
        for key in FOLDED:
            out[key] = _folded(_spellings(conn, key))
    out["verdict"] = [*VERDICTS, UNCHECKED]
    return out


def _distinct(conn: Connection, name: str) -> list[str]:
    """The values a claims column holds, read by skipping through its index (one seek a
    value: a SELECT DISTINCT reads every claim)."""
    skip = text(
        f"WITH RECURSIVE v(x) AS (SELECT min({name}) FROM claims UNION ALL"
        f" SELECT (SELECT {name} FROM claims WHERE {name} > v.x ORDER BY {name} LIMIT 1)"
        " FROM v WHERE v.x IS NOT NULL) SELECT x FROM v WHERE x IS NOT NULL"
    )
    return [str(x) for x in conn.scalars(skip)]


def _spellings(conn: Connection, name: str) -> list[tuple[str, int]]:
    """(value, how often) for a column matched whatever its case: each spelling counted
    (up to the cap) only where a value has several."""
    values = _distinct(conn, name)
    keys = Counter(v.strip().casefold() for v in values)
    column = CLAIMS.c[name]
    return [
        (v, count_capped(conn, select(column).where(column == v))[0])
        if keys[v.strip().casefold()] > 1
        else (v, 1)
        for v in values
    ]


def _folded(counted: Iterable[tuple[str, int]]) -> list[str]:
    """One spelling per value whatever its case (the most used one), in alphabetical
    order: a filter matching case-insensitively needs no menu entry per spelling."""
    best: dict[str, tuple[int, str]] = {}
    for value, n in counted:
        spelling = str(value).strip()
        if spelling:
            key = spelling.casefold()
            best[key] = max(best.get(key, (0, spelling)), (int(n), spelling))
    return sorted((spelling for _, spelling in best.values()), key=str.casefold)
