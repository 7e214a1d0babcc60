"""Dask (issue 16, part 4): ingest and check of N synthetic articles on PostgreSQL, on this
machine alone (`ingest` with one process per core, `check` in one process) and through a
local Dask cluster of 1 and of 2 workers (`--scheduler`), each a `borderflow` command in
its own process: seconds, documents and claims per second, and the client's peak memory
(the workers' is not counted: on a real cluster they run elsewhere).

On one 2-core machine the workers share the cores with the client, PostgreSQL and
whatever else runs, so this shows how the work spreads, not what a cluster of machines
gains; the load average before each run is printed with the table.

Run: `.venv/bin/python benchmarks/cluster.py [SIZES...] [--record]` (default 2000;
PostgreSQL at BORDERFLOW_TEST_PG). `--record` appends the table to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, record, table, write_corpus
from borderflow.datasets.bundle import reference_files
from concurrency import _drop, _pg_database

BIN = ROOT / ".venv" / "bin"
# (label, Dask workers: 0 runs on this machine alone)
CONFIGS = (("this machine, 2 processes", 0), ("Dask, 1 worker", 1), ("Dask, 2 workers", 2))
_CLAIMS = re.compile(r"([\d,]+) claims extracted")
_CHECKED = re.compile(r"checked ([\d,]+) claims in ([\d,]+) documents")


def _run(url: str, *args: str) -> tuple[float, float, str]:
    """Seconds, peak resident memory (MB) and output (stdout and stderr) of one command."""
    env = {**os.environ, "BORDERFLOW_INGEST_WORKERS": str(os.cpu_count() or 1)}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(BIN / "borderflow"), "--db", url, *args],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
    )  # fmt: skip
    assert proc.stdout is not None
    out = proc.stdout.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"borderflow {' '.join(args)} failed: {out[-2000:]}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024, out


@contextmanager
def _cluster(workers: int, folder: Path) -> Iterator[str | None]:
    """A scheduler with `workers` one-thread workers, as a user starts them; None for 0."""
    if not workers:
        yield None
        return
    from distributed import Client

    file = folder / f"scheduler-{workers}.json"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    scheduler = subprocess.Popen(
        [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
         "--no-dashboard", "--scheduler-file", str(file)], **quiet,
    )  # fmt: skip
    started = [scheduler]
    try:
        deadline = time.monotonic() + 60
        while not file.is_file():
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.1)
        address = json.loads(file.read_text())["address"]
        for i in range(workers):
            started.append(subprocess.Popen(
                [str(BIN / "dask"), "worker", address, "--nthreads", "1", "--no-dashboard",
                 "--name", f"bench-{i}"], **quiet,
            ))  # fmt: skip
        with Client(address, timeout="30s", set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=60)
        yield address
    finally:
        for process in reversed(started):
            process.terminate()
            process.wait(30)


def _one(n: int, articles: Path, workers: int, tmp: Path) -> dict[str, float]:
    url = _pg_database()
    try:
        _run(url, "data", "import", *map(str, reference_files()))
        with _cluster(workers, tmp) as address:
            on = ["--scheduler", address] if address else []
            load = os.getloadavg()[0]
            ingest_s, ingest_mb, out = _run(url, "ingest", str(articles), *on)
            found = _CLAIMS.search(out)
            claims = int(found.group(1).replace(",", "")) if found else 0
            check_s, check_mb, out = _run(url, "check", "--limit", "0", *on)
            checked = _CHECKED.search(out)
            assert checked and int(checked.group(2).replace(",", "")) == n, out[-500:]
    finally:
        _drop(url)
    return {"ingest_s": ingest_s, "ingest_mb": ingest_mb, "claims": claims,
            "check_s": check_s, "check_mb": check_mb, "load": load}  # fmt: skip


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:] if a.isdigit()] or [2_000]
    rows = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as folder:
            tmp = Path(folder)
            write_corpus(tmp / "articles", n)
            base: dict[str, float] = {}
            for label, workers in CONFIGS:
                got = _one(n, tmp / "articles", workers, tmp)
                base = base or got
                rows.append([
                    f"{n:,}", label, f"{got['load']:.1f}",
                    f"{got['ingest_s']:.1f}", f"{n / got['ingest_s']:.0f}",
                    f"{got['claims'] / got['ingest_s']:,.0f}", f"{got['ingest_mb']:.0f}",
                    f"{got['check_s']:.1f}", f"{got['claims'] / got['check_s']:,.0f}",
                    f"{got['check_mb']:.0f}",
                    f"{base['ingest_s'] / got['ingest_s']:.2f} / "
                    f"{base['check_s'] / got['check_s']:.2f}",
                ])  # fmt: skip
                print(" | ".join(rows[-1]), flush=True)
    body = table(
        ["articles", "configuration", "load before", "ingest s", "docs/s", "claims/s",
         "client MB", "check s", "claims/s checked", "client MB",
         "speed vs. local (ingest / check)"],
        rows,
    )  # fmt: skip
    if "--record" in sys.argv:
        record("Dask: ingest and check on a local cluster (benchmarks/cluster.py)", body)
    else:
        print(body)


if __name__ == "__main__":
    main()
