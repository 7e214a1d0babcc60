"""The web at scale (issue 16, part 5): every page and API listing, cold and warm, on a
store of N synthetic articles, SQLite or PostgreSQL.

Cold: the first request after a store change. Before each cold sample one new article
is ingested (`borderflow ingest`, another process, as a newsroom's feed would), then the
benchmark waits out the app's one-second look at the store's generation, so the
response cache and every per-generation cache are empty; the request that follows runs
the queries and renders. Warm: the same request again and again (answered from the
response cache until the store changes). Sequential requests from one httpx client on
the same machine (the two cores are shared with the server and, here, other work).

Deep pages: claims and documents by cursor (`after`) at row 400,000 (or the middle of a
smaller store), and the deepest page by number (OFFSET), at row 10,000: pages by number
stop there (store.paging), deeper pages go by cursor.

Target: p95 < 100 ms, cold and warm.

Run: `.venv/bin/python benchmarks/web_scale.py N [--backend sqlite|postgresql] [--only TEXT]
[--store PATH_OR_URL] [--cold K] [--warm K]`. With `--store`, an existing store is used
as it is (built by an earlier run: the path is printed; the articles ingested for the
cold samples are added to it); without, a store is built from N articles (ingest, the
official data, check), in benchmarks/.work/ for SQLite, a new database for PostgreSQL.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import numpy as np
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, WORK, served, table, write_corpus
from borderflow.datasets.bundle import reference_files
from borderflow.store import Store, listings
from borderflow.store.checks import CHECKS
from borderflow.store.documents import CLAIMS
from borderflow.store.paging import COUNT_CAP, Cursor
from borderflow.store.verdict_listing import EVERY_CHECK_ORDER
from concurrency import _pg_database

BIN = ROOT / ".venv" / "bin" / "borderflow"
HTML = {"accept": "text/html"}


def _cli(url: str, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([str(BIN), "--db", url, *args], check=True, capture_output=True)
    return time.perf_counter() - started


def _ingest_one(url: str, path: Path) -> None:
    """Ingest one new article: the store changes, so the next request is cold."""
    done = subprocess.run(
        [str(BIN), "--db", url, "ingest", str(path)], check=True, capture_output=True, text=True
    )
    if "1 added" not in done.stdout:
        raise SystemExit(f"{path} did not change the store: {done.stdout.strip()}")


def _build(url: str, n: int, folder: Path) -> None:
    """A store of `n` articles with the official data and every claim checked."""
    write_corpus(folder / "articles", n)
    print(f"ingest {n:,}: {_cli(url, 'ingest', str(folder / 'articles')):.0f} s", flush=True)
    _cli(url, "data", "import", *map(str, reference_files()))
    print(f"check: {_cli(url, 'check'):.0f} s", flush=True)


def _deep_cursor(url: str, sort: str, row: int) -> str:
    """The cursor a reader paging by `after` holds at `row` of the claims sorted by
    `sort` (made once, here, by OFFSET; the benchmark times what follows it)."""
    with Store.open(url) as store:
        column = listings.CLAIM_SORTS[sort]
        query = (
            select(column, CLAIMS.c.id)
            .where(column.is_not(None))
            .order_by(column, CLAIMS.c.id)
            .offset(row)
            .limit(1)
        )
        with store.engine.connect() as conn:
            value, claim_id = conn.execute(query).one()
    return Cursor(sort, False, value, claim_id).token()


def _deep_document_cursor(url: str) -> str:
    """The cursor a reader paging documents by `after` holds at the middle of them."""
    order = listings.DOCUMENT_ORDER
    with Store.open(url) as store, store.engine.connect() as conn:
        middle = listings.documents(store, per_page=1).total // 2
        query = (
            select(order.column, order.row_id)
            .order_by(order.column.desc().nulls_last(), order.row_id.desc())
            .offset(middle)
            .limit(1)
        )
        value, document_id = conn.execute(query).one()
    return Cursor(order.sort, True, value, document_id).token()


def _deep_check_cursor(url: str, row: int) -> str:
    """The cursor a reader paging every check by `after` holds at `row` of them."""
    order = EVERY_CHECK_ORDER
    with Store.open(url) as store, store.engine.connect() as conn:
        checks = int(conn.execute(select(func.count()).select_from(CHECKS)).scalar_one())
        query = select(order.column, order.row_id).order_by(order.column, order.row_id)
        value, check_id = conn.execute(query.offset(min(row, checks // 2)).limit(1)).one()
    return Cursor(order.sort, False, value, check_id).token()


def _endpoints(url: str, claims: int) -> dict[str, str]:
    deep = min(400_000, claims // 2)
    by_value = quote(_deep_cursor(url, "value", deep))
    by_id = quote(_deep_cursor(url, "id", deep))
    document_cursor = quote(_deep_document_cursor(url))
    check_cursor = quote(_deep_check_cursor(url, deep))
    return {
        "overview /": "/",
        "claims page /claims": "/claims",
        "claims page, seizures by value desc": "/claims?measure=seizure&sort=value&order=desc",
        "claims page, by period": "/claims?sort=period",
        "documents page /documents": "/documents",
        "document search, one article": "/documents?q=%22article%2012345%22",
        "document search, common words": "/documents?q=fentanyl+border",
        "API documents": "/api/v1/documents",
        "API documents, cursor at the middle": f"/api/v1/documents?after={document_cursor}",
        "API claims": "/api/v1/claims",
        "API claims by value": "/api/v1/claims?sort=value",
        f"API claims by value, cursor at row {deep:,}": (
            f"/api/v1/claims?sort=value&after={by_value}"
        ),
        f"API claims by id, cursor at row {deep:,}": f"/api/v1/claims?after={by_id}",
        # Pages by number stop at the counted rows (COUNT_CAP): the deepest one.
        f"API claims, page {COUNT_CAP // 50} by offset": f"/api/v1/claims?page={COUNT_CAP // 50}",
        "API claims, q=fentanyl": "/api/v1/claims?q=fentanyl",
        "API claims, a rare phrase (one article's)": "/api/v1/claims?q=%22article%2012345%22",
        "API checks": "/api/v1/checks",
        "API checks, page 100": "/api/v1/checks?page=100",
        "API every check (headline=false)": "/api/v1/checks?headline=false",
        f"API every check, cursor at row {deep:,}": (
            f"/api/v1/checks?headline=false&after={check_cursor}"
        ),
    }  # fmt: skip


def _get(client: httpx.Client, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path, headers=HTML)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{path}: {response.status_code} {response.text[:300]}")
    return elapsed


def _percentiles(ms: list[float]) -> tuple[str, str]:
    return f"{np.percentile(ms, 50):.0f}", f"{np.percentile(ms, 95):.0f}"


def measure(
    url: str, folder: Path, cold: int, warm: int, only: str | None = None
) -> list[list[str]]:
    with Store.open(url) as store:
        totals = listings.store_totals(store)
    endpoints = _endpoints(url, totals["claims"])
    if only:
        endpoints = {k: v for k, v in endpoints.items() if only in k}
    # Articles the store has never seen (an article already stored changes nothing).
    # Numbered from the clock: articles an earlier run ingested are duplicates, which
    # change nothing, so the request after them would not be cold.
    first = 10_000_000 + time.time_ns() // 1_000_000 % 10**9
    fresh = folder / f"fresh-{first}"
    write_corpus(fresh, cold * len(endpoints), start=first)
    files = sorted(fresh.rglob("*.txt"))
    rows = []
    with served(url, workers=2) as base, httpx.Client(base_url=base, timeout=120) as client:
        # Each worker process builds what it keeps until the data change (the charts
        # of the official data) on its first requests: a cost of starting, not of a store
        # change. Enough requests that both workers have answered every endpoint.
        for path in endpoints.values():
            for _ in range(6):
                _get(client, path)
        for label, path in endpoints.items():
            colds = []
            for _ in range(cold):
                _ingest_one(url, files.pop())
                time.sleep(1.2)  # the app looks at the store's generation once a second
                colds.append(_get(client, path))
            warms = [_get(client, path) for _ in range(warm)]
            c50, c95 = _percentiles(colds)
            w50, w95 = _percentiles(warms)
            ok = max(float(c95), float(w95)) < 100
            rows.append([label, c50, c95, w50, w95, "pass" if ok else "FAIL"])
            print(rows[-1], flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, nargs="?", default=10_000, help="articles (default 10,000)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--store", help="an existing store (SQLite path or database URL)")
    parser.add_argument("--cold", type=int, default=5, help="cold samples per endpoint")
    parser.add_argument("--warm", type=int, default=40, help="warm samples per endpoint")
    parser.add_argument("--only", help="only the endpoints whose label holds this text")
    args = parser.parse_args()
    folder = WORK / f"web-scale-{args.backend}-{args.n}"
    folder.mkdir(parents=True, exist_ok=True)
    if args.store:
        url = args.store if "://" in args.store else f"sqlite:///{Path(args.store).resolve()}"
    else:
        url = f"sqlite:///{folder / 'store.db'}" if args.backend == "sqlite" else _pg_database()
        _build(url, args.n, folder)
        print(f"store: {url} (reuse with --store)", flush=True)
    with Store.open(url) as store:
        totals = listings.store_totals(store)
    rows = measure(url, folder, args.cold, args.warm, args.only)
    backend = url.split(":")[0].split("+")[0]
    print(
        table(
            [
                "endpoint",
                "cold p50 ms",
                "cold p95 ms",
                "warm p50 ms",
                "warm p95 ms",
                "p95 < 100 ms",
            ],
            rows,
        )
        + f"\n\n{backend}: {totals['documents']:,} documents, {totals['claims']:,} claims; "
        f"{args.cold} cold samples (each after ingesting one article), {args.warm} warm, "
        "sequential, one client; uvicorn with 2 workers on the same 2-core machine."
    )


if __name__ == "__main__":
    main()
