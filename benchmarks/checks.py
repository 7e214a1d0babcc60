"""Check every claim of 10,000 ingested articles against the full official data.
Target: under 30 s on this machine. Run: `make bench` or `.venv/bin/python benchmarks/checks.py`.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, record, table, write_corpus
from borderflow.checks.runner import run_and_store
from borderflow.datasets.importer import import_files
from borderflow.ingest.pipeline import ingest_paths
from borderflow.store import Store

DATA = ROOT.parent / "shared" / "data"


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        write_corpus(folder, n)
        with Store.open(f"sqlite:///{Path(tmp) / 'checks.db'}") as store:
            ingest_paths([folder], store, max_bytes=10_000_000)
            files = sorted(p for p in DATA.rglob("*") if p.suffix in (".csv", ".xlsx"))
            import_files(store, files)
            claims = store.counts()["claims"]
            start = time.perf_counter()
            verdicts = run_and_store(store)
            seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    body = table(
        ["articles", "claims", "verdicts", "seconds", "claims/s", "peak RSS MB"],
        [
            [
                f"{n:,}",
                f"{claims:,}",
                f"{len(verdicts):,}",
                f"{seconds:.1f}",
                f"{claims / seconds:,.0f}",
                f"{peak:.0f}",
            ]
        ],
    )
    body += (
        "\n\nTarget: all claims of 10,000 articles checked against the full official "
        "data (every file in ../shared/data) in under 30 s, verdicts stored."
    )
    record("Claim checks (benchmarks/checks.py)", body)


if __name__ == "__main__":
    main()
