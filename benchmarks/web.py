"""Web benchmark: p50/p95 latency and requests per second of the overview page, the claims
table and a series API call, with 50 concurrent clients on loopback, against a store of
10,000 documents (their claims checked, a model fitted).

Target (issue 6): p95 under 100 ms. Usage: python benchmarks/web.py [N_DOCUMENTS]

The load comes from ApacheBench (`ab`, Debian's apache2-utils) when it is installed: a
C client leaves the two cores to the server. Without it, a Python asyncio client (httpx)
does the same job, but on this machine it is the bottleneck (it cannot send much more
than 500 requests a second), so its latencies measure the client as much as the server.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

from _common import record, served, table, write_corpus
from borderflow.checks.runner import run_and_store
from borderflow.datasets.bundle import reference_files
from borderflow.datasets.importer import import_files
from borderflow.ingest.pipeline import ingest_paths
from borderflow.model.api import fit_model
from borderflow.model.fit import FitSettings
from borderflow.store import Store

CLIENTS = 50
REQUESTS_PER_CLIENT = 20
AB_REQUESTS = 5000
ENDPOINTS = {
    "overview page (/)": "/",
    "claims table (/claims, first page)": "/claims",
    "claims table, filtered and sorted": "/claims?measure=seizure&sort=value&order=desc",
    "series API (/api/v1/series/cbp, northern land)": (
        "/api/v1/series/cbp?region=Northern%20Border&land_only=true"
    ),
    "data page (/data, the registry's series explorer)": "/data?source=phac&by=quarter",
}


async def _load(base: str, path: str) -> tuple[list[float], float, int, float]:
    """(latencies in s, wall seconds, failures, first request in s) for CLIENTS clients
    each sending REQUESTS_PER_CLIENT requests one after another. The first request finds
    the response cache cold (it runs the queries and renders); the rest are what a
    running server answers until the store changes."""
    latencies: list[float] = []
    failures = 0
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

        async def one_client() -> None:
            nonlocal failures
            for _ in range(REQUESTS_PER_CLIENT):
                started = time.perf_counter()
                response = await client.get(path, headers={"accept": "text/html"})
                latencies.append(time.perf_counter() - started)
                failures += response.status_code != 200

        started = time.perf_counter()
        await client.get(path, headers={"accept": "text/html"})
        cold = time.perf_counter() - started
        started = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(CLIENTS)))
        return latencies, time.perf_counter() - started, failures, cold


def _ab(base: str, path: str) -> tuple[float, float, float, int]:
    """(p50 ms, p95 ms, requests/s, failures) from ApacheBench, 50 concurrent keep-alive
    clients; a small run first warms every server worker."""
    url = base + path
    command = ["ab", "-q", "-k", "-H", "Accept: text/html"]
    subprocess.run([*command, "-c", "4", "-n", "200", url], capture_output=True, check=True)
    out = subprocess.run(
        [*command, "-c", str(CLIENTS), "-n", str(AB_REQUESTS), url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip

    def number(pattern: str) -> float:
        found = re.search(pattern, out, re.MULTILINE)
        return float(found.group(1)) if found else 0.0

    failed = number(r"^Failed requests:\s+(\d+)") + number(r"^Non-2xx responses:\s+(\d+)")
    return (
        number(r"^\s+50%\s+(\d+)"), number(r"^\s+95%\s+(\d+)"),
        number(r"^Requests per second:\s+([\d.]+)"), int(failed),
    )  # fmt: skip


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        write_corpus(folder, n)
        url = f"sqlite:///{Path(tmp) / 'web.db'}"
        with Store.open(url) as store:
            ingest_paths([folder], store, max_bytes=10_000_000)
            import_files(store, reference_files())
            run_and_store(store)
            fit_model(store, settings=FitSettings(chains=4, warmup=400, draws=400, seed=1))
            counts = store.counts()
        workers = os.cpu_count() or 1
        with served(url, workers=workers) as base:
            rows = []
            client = "ApacheBench (ab -k)" if shutil.which("ab") else "httpx asyncio"
            for label, path in ENDPOINTS.items():
                started = time.perf_counter()
                first = httpx.get(base + path, headers={"accept": "text/html"}, timeout=60)
                cold = (time.perf_counter() - started) * 1000
                assert first.status_code == 200, (path, first.status_code)
                if shutil.which("ab"):
                    p50, p95, per_second, failures = _ab(base, path)
                else:
                    latencies, wall, failures, _ = asyncio.run(_load(base, path))
                    ms = np.array(latencies) * 1000
                    p50, p95 = float(np.percentile(ms, 50)), float(np.percentile(ms, 95))
                    per_second = len(ms) / wall
                rows.append([
                    label, f"{p50:.0f}", f"{p95:.0f}", f"{per_second:,.0f}", str(failures),
                    f"{cold:.0f}", "pass" if p95 < 100 and failures == 0 else "FAIL",
                ])  # fmt: skip
    body = table(
        ["endpoint", "p50 ms", "p95 ms", "requests/s", "failed", "first request ms (cold)",
         "p95 < 100 ms"],
        rows,
    )  # fmt: skip
    body += (
        f"\n\n{counts['documents']:,} documents, {counts['claims']:,} claims in SQLite; "
        f"{CLIENTS} concurrent clients on loopback, load from {client} on the same 2-core "
        f"machine; uvicorn (uvloop, httptools) with {workers} worker processes. The first "
        "request of each endpoint meets a cold response cache (its queries and rendering); "
        "the rest are answered from the cache until the store changes."
    )
    record("Web app (benchmarks/web.py)", body)


if __name__ == "__main__":
    main()
