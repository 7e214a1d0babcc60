"""Scale (issue 16): ingest, check, incremental check and exports at growing corpus sizes,
on SQLite and PostgreSQL, each operation a `borderflow` command in its own process with
its time and peak memory; then each operation's growth exponent between sizes.

Targets: every exponent <= 1.1; peak memory of check and export < 500 MB at every size;
an incremental check after 1% new articles < 5% of a full check.

Run: `.venv/bin/python benchmarks/scale.py [SIZES...] [--backend sqlite|postgresql]
[--keep]` (default 1000 10000, both backends; PostgreSQL at BORDERFLOW_TEST_PG). Synthetic
articles from the seeds (`_common.write_corpus`): about 17 claims each. `--keep` keeps
each PostgreSQL store and prints its URL, for `web_scale.py --store` (building one of
200,000 articles takes over an hour).
"""

from __future__ import annotations

import itertools
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, record, table, write_corpus
from borderflow.datasets.bundle import reference_files
from concurrency import _drop, _pg_database

BIN = ROOT / ".venv" / "bin" / "borderflow"
# (label, command arguments after --db URL); `ingest +1%` and its check run in between.
EXPORTS = (
    ("claims --format jsonl", ["claims", "--format", "jsonl"]),
    ("documents --format csv", ["documents", "--format", "csv"]),
    ("check --format jsonl (nothing new)", ["check", "--format", "jsonl"]),
)


def _run(url: str, *args: str) -> tuple[float, float]:
    """Seconds and peak resident memory (MB) of one command, its output discarded.

    Each result is printed as it comes: a size of 200,000 runs for hours, and a run
    stopped part-way still leaves what it measured."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(BIN), "--db", url, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"borderflow {' '.join(args)} failed: {err.decode()[-2000:]}")
    seconds, mb = time.perf_counter() - started, usage.ru_maxrss / 1024
    print(f"  {' '.join(args[:3])}: {seconds:.1f} s, {mb:.0f} MB", flush=True)
    return seconds, mb


def _one_size(url: str, n: int, tmp: Path) -> dict[str, tuple[float, float]]:
    articles = tmp / f"articles-{n}"
    write_corpus(articles, n)
    extra = tmp / f"extra-{n}"
    write_corpus(extra, max(1, n // 100), start=n)
    out: dict[str, tuple[float, float]] = {}
    out["ingest"] = _run(url, "ingest", str(articles))
    # The newest CBP file comes later, as a new release would.
    *held, newest_cbp = sorted(str(p) for p in reference_files() if p.name.startswith("cbp--"))
    others = [str(p) for p in reference_files() if not p.name.startswith("cbp--")]
    _run(url, "data", "import", *held, *others)  # not yet checked: no re-check
    out["check (first)"] = _run(url, "check")
    out["check (nothing new)"] = _run(url, "check")
    out["ingest +1%"] = _run(url, "ingest", str(extra))
    out["check after +1%"] = _run(url, "check")
    out["data import (a new CBP release, with its re-check)"] = _run(
        url, "data", "import", newest_cbp
    )
    out["check --all"] = _run(url, "check", "--all")
    for label, args in EXPORTS:
        out[label] = _run(url, *args)
    return out


def _exponent(a: float, b: float, n1: int, n2: int) -> str:
    return f"{math.log(b / a) / math.log(n2 / n1):.2f}" if a > 0 and b > 0 else "-"


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:] if a.isdigit()] or [1_000, 10_000]
    backends = ["sqlite", "postgresql"]
    if "--backend" in sys.argv:
        backends = [sys.argv[sys.argv.index("--backend") + 1]]
    rows = []
    for backend in backends:
        results: dict[int, dict[str, tuple[float, float]]] = {}
        for n in sizes:
            with tempfile.TemporaryDirectory() as tmp:
                url = f"sqlite:///{Path(tmp) / 'scale.db'}"
                if backend == "postgresql":
                    url = _pg_database()
                try:
                    results[n] = _one_size(url, n, Path(tmp))
                finally:
                    if backend == "postgresql" and "--keep" not in sys.argv:
                        _drop(url)
                    elif backend == "postgresql":
                        print(f"  kept: {url}", flush=True)
            for label, (seconds, mb) in results[n].items():
                rows.append([backend, f"{n:,}", label, f"{seconds:.1f}", f"{mb:.0f}"])
            print(rows[-len(results[n]) :], flush=True)
        for first, second in itertools.pairwise(sizes):
            for label in results[first]:
                (t1, m1), (t2, m2) = results[first][label], results[second][label]
                growth = (_exponent(t1, t2, first, second), _exponent(m1, m2, first, second))
                rows.append([backend, f"{first:,} -> {second:,}", f"exponent: {label}", *growth])
        for n in sizes:
            full = results[n]["check --all"][0]
            incremental = results[n]["check after +1%"][0]
            rows.append([backend, f"{n:,}", "incremental check / full check",
                         f"{incremental / full:.0%}", "target < 5%"])  # fmt: skip
            release = results[n]["data import (a new CBP release, with its re-check)"][0]
            rows.append([backend, f"{n:,}", "new CBP release (import and re-check) / full check",
                         f"{release / full:.0%}", "-"])  # fmt: skip
    record(
        "Scale: ingest, check, incremental check and exports (benchmarks/scale.py)",
        table(["backend", "articles", "operation", "seconds (or exponent)", "peak MB"], rows),
    )


if __name__ == "__main__":
    main()
