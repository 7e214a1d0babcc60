"""Several writers on one store at once, on SQLite and PostgreSQL (issue 12).

The probe that found the race: two `borderflow ingest` processes given the same 2,000
articles under different paths, at the same time, while a third imports official data.
Each store must end with the articles once (as a serial ingest stores them), every process
exiting 0. Prints and records documents, claims, exit codes and wall time per backend.

Run: `.venv/bin/python benchmarks/concurrency.py [N]` (PostgreSQL at
BORDERFLOW_TEST_PG, default postgresql+psycopg://postgres@127.0.0.1:5432/postgres).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, record, table, write_corpus
from borderflow.datasets.bundle import reference_files
from borderflow.store import Store

DEFAULT_N = 2_000
PG_ADMIN = os.environ.get(
    "BORDERFLOW_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def _cli(url: str, *args: str) -> list[str]:
    return [str(ROOT / ".venv" / "bin" / "borderflow"), "--db", url, *args]


def _counts(url: str) -> tuple[int, int]:
    with Store.open(url) as store:
        counts = store.counts()
    return counts["documents"], counts["claims"]


def _run_at_once(url: str, commands: list[list[str]]) -> tuple[list[int], float]:
    started = time.perf_counter()
    procs = [
        subprocess.Popen(_cli(url, *c), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for c in commands
    ]
    for proc in procs:
        _, err = proc.communicate()
        if proc.returncode:
            print(err.decode(errors="replace")[-2000:], file=sys.stderr)
    return [p.returncode for p in procs], time.perf_counter() - started


def _pg_database() -> str:
    import psycopg

    name = f"borderflow_bench_{uuid.uuid4().hex[:10]}"
    admin = PG_ADMIN.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}"


def _drop(url: str) -> None:
    import psycopg

    admin = PG_ADMIN.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_N
    data = [str(p) for p in reference_files()]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        first, second = Path(tmp) / "a", Path(tmp) / "b"
        write_corpus(first, n)
        shutil.copytree(first, second)
        serial = f"sqlite:///{Path(tmp) / 'serial.db'}"
        subprocess.run(_cli(serial, "ingest", str(first)), check=True, capture_output=True)
        want = _counts(serial)
        commands = [["ingest", str(first)], ["ingest", str(second)], ["data", "import", *data]]
        for backend in ("sqlite", "postgresql"):
            url = f"sqlite:///{Path(tmp) / 'shared.db'}" if backend == "sqlite" else _pg_database()
            try:
                subprocess.run(_cli(url, "db", "upgrade"), check=True, capture_output=True)
                codes, seconds = _run_at_once(url, commands)
                got = _counts(url)
            finally:
                if backend == "postgresql":
                    _drop(url)
            rows.append(
                [
                    backend, f"{n:,}", " ".join(map(str, codes)), f"{got[0]:,}", f"{got[1]:,}",
                    f"{want[0]:,} / {want[1]:,}", "yes" if got == want else "**no**",
                    f"{seconds:.1f}",
                ]
            )  # fmt: skip
    headers = [
        "backend", "articles", "exit codes (ingest, ingest, import)", "documents", "claims",
        "serial run", "equal", "wall s",
    ]  # fmt: skip
    record(
        "Concurrent writers (benchmarks/concurrency.py)",
        table(headers, rows)
        + "\n\nTwo ingests of the same articles under different paths and an import, all at"
        " once. Before issue 12 PostgreSQL stored 3,914 documents and 71,567 claims for"
        " 2,000 articles, and SQLite failed every document of the second ingest.",
    )


if __name__ == "__main__":
    main()
