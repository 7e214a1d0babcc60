"""A claim filter paired with a verdict kind, in every listing that reads both (issue 16,
part 5): the claims page (`/claims?measure=…&verdict=…`), the headline verdicts
(`/api/v1/checks?measure=…&verdict=…`) and every verdict (`…&headline=false`).

Before migration 0014 no index held a claim's filter value with its verdict's kind, so
a rare pair (a kind that one measure seldom gets) was where a listing read every claim
the filter keeps, its time growing with the store; each verdict now keeps its claim's
values, indexed with its kind. This benchmark times each pairing of every value of each
claim filter with every verdict kind the store holds, and on the claims page with the
claims no check gave a verdict (`verdict=unchecked`, which has no verdict row to index):
the first page and the page after it, called on the store functions the web app calls
(no HTTP, no response cache: every call is a cold one), and tells how many totals were
exact.

Target: the slowest pairing under 100 ms (the web's p95 target), at every store size.

Run: `.venv/bin/python benchmarks/filter_pairs.py STORE [--filters measure,agency]` with
STORE a SQLite path or a database URL (a store kept by `scale.py --keep` or built by
`web_scale.py`). Results are printed and appended to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import record, table
from borderflow.records.verdicts import UNCHECKED
from borderflow.store import Store, listings, verdict_listing
from borderflow.store.checks import CHECKS
from borderflow.store.facets import facets
from borderflow.store.paging import Page

Listing = Callable[[Store, dict[str, Any], str | None], Page[Any]]
LISTINGS: dict[str, Listing] = {
    "claims page": lambda store, filters, after: listings.claims(
        store, filters=filters, after=after
    ),
    "headline verdicts": lambda store, filters, after: verdict_listing.checked_claims(
        store, filters, after=after
    ),
    "every verdict": lambda store, filters, after: verdict_listing.every_check(
        store, filters, after=after
    ),
}


def _timed(
    listing: Listing, store: Store, filters: dict[str, Any], after: str | None
) -> tuple[float, Page[Any]]:
    started = time.perf_counter()
    page = listing(store, filters, after)
    return (time.perf_counter() - started) * 1000, page


def _pairings(store: Store, names: list[str]) -> list[dict[str, str]]:
    """Every value of each named claim filter with every verdict kind stored."""
    with store.engine.connect() as conn:
        kinds = sorted(conn.scalars(select(CHECKS.c.verdict).distinct()))
    values = facets(store)
    return [
        {name: value, "verdict": kind} for name in names for value in values[name] for kind in kinds
    ]


def _unchecked(pairings: list[dict[str, str]]) -> list[dict[str, str]]:
    """Each filter value of `pairings` once, with the claims no check gave a verdict."""
    found = {tuple((k, v) for k, v in p.items() if k != "verdict") for p in pairings}
    return [{**dict(pair), "verdict": UNCHECKED} for pair in sorted(found)]


def measure(store: Store, pairings: list[dict[str, str]]) -> list[list[str]]:
    """One row per listing: its times over every pairing, first page and the next; the
    claims page also with each filter value's claims that no check gave a verdict."""
    rows = []
    asked = [(label, listing, pairings) for label, listing in LISTINGS.items()]
    asked.insert(1, ("claims page, unchecked", LISTINGS["claims page"], _unchecked(pairings)))
    for label, listing, pairings in asked:
        first_ms, next_ms, exact, slowest = [], [], 0, (0.0, "")
        for filters in pairings:
            ms, page = _timed(listing, store, filters, None)
            first_ms.append(ms)
            exact += page.exact
            if page.after:
                later, _ = _timed(listing, store, filters, page.after)
                next_ms.append(later)
                ms = max(ms, later)
            if ms > slowest[0]:
                slowest = (ms, ", ".join(f"{k}={v}" for k, v in filters.items()))
        both = np.array(first_ms + next_ms)
        rows.append(
            [
                label,
                f"{len(pairings)}",
                f"{np.percentile(first_ms, 50):.0f}",
                f"{np.percentile(both, 95):.0f}",
                f"{both.max():.0f}",
                slowest[1],
                f"{exact}/{len(pairings)}",
                "pass" if both.max() < 100 else "FAIL",
            ]
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", help="a SQLite path or a database URL")
    parser.add_argument(
        "--filters", default="measure", help="claim filters to pair (comma-separated)"
    )
    args = parser.parse_args()
    url = args.store if "://" in args.store else f"sqlite:///{Path(args.store).resolve()}"
    with Store.open(url) as store:
        pairings = _pairings(store, args.filters.split(","))
        totals = listings.store_totals(store)
        rows = measure(store, pairings)
    backend = url.split(":")[0].split("+")[0]
    headers = [
        "listing", "pairings", "first page p50 ms", "p95 ms", "max ms", "slowest pairing",
        "exact totals", "max < 100 ms",
    ]  # fmt: skip
    record(
        f"A claim filter with a verdict kind, every pairing ({backend}, "
        "benchmarks/filter_pairs.py)",
        table(headers, rows)
        + f"\n\n{backend}: {totals['documents']:,} documents, {totals['claims']:,} claims; "
        f"filters paired: {args.filters}; each listing's first page and the page after it, "
        "called on the store's functions (no HTTP, no response cache).",
    )


if __name__ == "__main__":
    main()
