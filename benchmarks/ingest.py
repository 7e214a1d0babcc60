"""Bulk ingest: 10,000 articles (the seeds, varied) into a fresh SQLite store.

Target on this 2-core machine: under 60 s, peak memory under 500 MB (the main process and
each worker). Run: `make bench` or `.venv/bin/python benchmarks/ingest.py [N]`.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import record, table, write_corpus
from borderflow.config import Settings
from borderflow.ingest.pipeline import ingest_paths
from borderflow.store import Store

DEFAULT_N = 10_000


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_N
    workers = Settings().ingest_workers
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        size = write_corpus(folder, n)
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        with Store.open(url) as store:
            start = time.perf_counter()
            report = ingest_paths([folder], store, max_bytes=10_000_000, workers=workers)
            elapsed = time.perf_counter() - start
            counts = store.counts()
        db_mb = (Path(tmp) / "bench.db").stat().st_size / 1e6
    main_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    rows = [
        [
            f"{n:,}",
            f"{size / 1e6:.1f}",
            f"{elapsed:.1f}",
            f"{n / elapsed:,.0f}",
            f"{counts['claims']:,}",
            f"{len(report.errors)}",
            f"{main_mb:.0f}",
            f"{child_mb:.0f}",
            f"{db_mb:.0f}",
        ]
    ]
    body = table(
        [
            "articles",
            "MB of text",
            "seconds",
            "articles/s",
            "claims",
            "errors",
            "peak RSS main (MB)",
            "peak RSS worker (MB)",
            "store (MB)",
        ],
        rows,
    )
    body += (
        "\n\nTarget: 10,000 articles in under 60 s with peak memory under 500 MB; "
        f"workers: {workers or 'one per core'}; store: SQLite (WAL)."
    )
    record("Bulk ingest into SQLite (benchmarks/ingest.py)", body)


if __name__ == "__main__":
    main()
