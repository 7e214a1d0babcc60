"""Import every official data file in ../shared/data into SQLite and PostgreSQL, and time the
series queries. Targets: all files in under 30 s; a series query under 50 ms.
Run: `make bench` or `.venv/bin/python benchmarks/datasets.py`.
"""

from __future__ import annotations

import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, record, table
from borderflow.datasets.importer import import_files
from borderflow.datasets.series import (
    canada_opioid_deaths,
    cbp_seizures,
    series_table,
    us_overdose_deaths,
    wonder_deaths,
)
from borderflow.store import Store

DATA = ROOT.parent / "shared" / "data"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def _files() -> list[Path]:
    files = sorted(p for p in DATA.rglob("*") if p.suffix in (".csv", ".xlsx"))
    if not files:
        raise SystemExit(f"benchmark needs the official data files in {DATA}")
    return files


def _median_ms(fn: Callable[[], object], runs: int = 20) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _run(url: str, label: str) -> list[list[str]]:
    files = _files()
    with Store.open(url) as store:
        start = time.perf_counter()
        results, errors = import_files(store, files)
        seconds = time.perf_counter() - start
        observations = sum(r.result.observations for r in results)
        queries = {
            "CBP northern land border by FY": lambda: cbp_seizures(
                store, region="Northern Border", land_only=True
            ),
            "CBP southwest border by month": lambda: cbp_seizures(
                store, region="Southwest Border", by="month"
            ),
            "U.S. deaths by year (VSRR)": lambda: us_overdose_deaths(store),
            "U.S. deaths by year (WONDER)": lambda: wonder_deaths(store),
            "Canadian deaths by year (PHAC)": lambda: canada_opioid_deaths(store),
            # The same request as the first, through the registry with its filter values
            # checked against the data (what `data series` and the API do).
            "CBP northern land border by FY, checked (series_table)": lambda: series_table(
                store, "cbp", {"region": "northern border", "land_only": True}
            ),
            "WONDER deaths of one state by name, checked (series_table)": lambda: series_table(
                store, "cdc-wonder", {"jurisdiction": "california"}
            ),
        }
        latencies = {name: _median_ms(fn) for name, fn in queries.items()}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = [
        [
            label,
            f"{len(files)} files, {observations:,} observations",
            f"{seconds:.1f}",
            f"{len(errors)}",
            f"{peak:.0f}",
            "import",
            "",
        ]
    ]
    rows += [[label, name, "", "", "", "query", f"{ms:.1f}"] for name, ms in latencies.items()]
    return rows


def main() -> None:
    rows: list[list[str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        rows += _run(f"sqlite:///{Path(tmp) / 'data.db'}", "SQLite")
    try:
        import psycopg

        name = f"borderflow_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            rows += _run(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", "PostgreSQL")
        finally:
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL skipped: {exc}")
    body = table(["store", "what", "import s", "errors", "peak RSS MB", "kind", "median ms"], rows)
    body += (
        "\n\nTargets: every file of ../shared/data imported in under 30 s; a series "
        "query under 50 ms. Peak RSS is the process's running maximum."
    )
    record("Official data import and series queries (benchmarks/datasets.py)", body)


if __name__ == "__main__":
    main()
