"""Scale (issue 16): ingest, check, incremental check and exports at growing corpus sizes,
on SQLite and PostgreSQL, each operation a `borderflow` command in its own process with
its time and peak memory; then each operation's growth exponent between sizes.

Targets: every exponent <= 1.1; peak memory of check and export < 500 MB at every size;
an incremental check after 1% new articles < 5% of a full check.

Run: `.venv/bin/python benchmarks/scale.py [SIZES...] [--backend sqlite|postgresql]
[--keep] [--repeat K]` (default 1000 10000, both backends; PostgreSQL at
BORDERFLOW_TEST_PG). Synthetic articles from the seeds (`_common.write_corpus`): about 17
claims each. `--keep` keeps each store (SQLite in benchmarks/.work/, PostgreSQL as its
database) and prints where, for `web_scale.py --store` (building one of 200,000 articles
takes over an hour).

`--repeat K` times each operation that leaves the store as it found it (`check --all` and
the exports) K times and keeps the fastest. On a shared 2-core machine one run of the same
export on the same store varies by about 15%, which is as large as the margin the
exponent target allows; the fastest of several is the least disturbed, so exponents
between sizes measured with the same K compare like with like.

The machine's own speed is measured beside every operation: the yardstick is the time a
fixed piece of pure-Python work takes (the fastest of three tries), just before and just
after the operation. The same code has run twice as slow from one session to the next
on this shared machine, and 25% slower from one minute to the next, so each growth
exponent is given twice: from the seconds as measured, and from the seconds divided by
the yardstick (at the same machine speed). Where the two differ, the machine changed
speed between the sizes.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, WORK, record, table, write_corpus
from borderflow.datasets.bundle import reference_files
from concurrency import _drop, _pg_database

BIN = ROOT / ".venv" / "bin" / "borderflow"
# (label, command arguments after --db URL); `ingest +1%` and its check run in between.
EXPORTS = (
    ("claims --format jsonl", ["claims", "--format", "jsonl"]),
    ("documents --format csv", ["documents", "--format", "csv"]),
    ("check --format jsonl (nothing new)", ["check", "--format", "jsonl"]),
)


@dataclass(frozen=True, slots=True)
class Timing:
    """One operation: seconds, peak resident memory (MB), and the machine's yardstick
    (seconds of the fixed work, the mean of its measure before and after)."""

    seconds: float
    mb: float
    yardstick: float

    @property
    def steady(self) -> float:
        """The seconds at the machine speed of a one-second yardstick."""
        return self.seconds / self.yardstick


def _yardstick() -> float:
    """Seconds this machine takes, now, for a fixed piece of single-core Python work
    (arithmetic in a loop, no memory to speak of): the fastest of three tries."""
    best = math.inf
    for _ in range(3):
        started = time.perf_counter()
        sum(i * i for i in range(2_000_000))
        best = min(best, time.perf_counter() - started)
    return best


def _run(url: str, *args: str) -> Timing:
    """One command's time and peak memory, its output discarded, with the machine's
    speed measured just before and just after it.

    Each result is printed as it comes: a size of 200,000 runs for hours, and a run
    stopped part-way still leaves what it measured."""
    before = _yardstick()
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
    timing = Timing(seconds, mb, (before + _yardstick()) / 2)
    print(
        f"  {' '.join(args[:3])}: {seconds:.1f} s, {mb:.0f} MB, yardstick {timing.yardstick:.3f} s",
        flush=True,
    )
    return timing


def _fastest(url: str, repeat: int, *args: str) -> Timing:
    """The fastest of `repeat` runs of a command that leaves the store unchanged, each
    run's seconds taken at the machine's speed of its own time (the run least slowed by
    the machine, given with its own seconds and yardstick), with the largest peak memory
    of them (memory is not disturbed by load, so the worst is kept)."""
    runs = [_run(url, *args) for _ in range(repeat)]
    best = min(runs, key=lambda t: t.steady)
    return Timing(best.seconds, max(t.mb for t in runs), best.yardstick)


def _one_size(url: str, n: int, tmp: Path, repeat: int) -> dict[str, Timing]:
    articles = tmp / f"articles-{n}"
    write_corpus(articles, n)
    extra = tmp / f"extra-{n}"
    write_corpus(extra, max(1, n // 100), start=n)
    out: dict[str, Timing] = {}
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
    out["check --all"] = _fastest(url, repeat, "check", "--all")
    for label, args in EXPORTS:
        out[label] = _fastest(url, repeat, *args)
    return out


HEADER = [
    "backend", "articles", "operation", "seconds (or exponent)", "peak MB (or exponent)",
    "yardstick s (or exponent at the same machine speed)",
]  # fmt: skip


def _rows(backend: str, sizes: list[int], results: dict[int, dict[str, Timing]]) -> list[list[str]]:
    """The table's rows of one backend: each size's operations, then the growth exponents
    between sizes, then the ratios the targets name."""
    rows = []
    for n in sizes:
        for label, t in results[n].items():
            rows.append([backend, f"{n:,}", label, f"{t.seconds:.1f}", f"{t.mb:.0f}",
                         f"{t.yardstick:.3f}"])  # fmt: skip
    for first, second in itertools.pairwise(sizes):
        for label in results[first]:
            a, b = results[first][label], results[second][label]
            rows.append([
                backend, f"{first:,} -> {second:,}", f"exponent: {label}",
                _exponent(a.seconds, b.seconds, first, second),
                _exponent(a.mb, b.mb, first, second),
                _exponent(a.steady, b.steady, first, second),
            ])  # fmt: skip
    for n in sizes:
        full = results[n]["check --all"].seconds
        incremental = results[n]["check after +1%"].seconds
        release = results[n]["data import (a new CBP release, with its re-check)"].seconds
        rows.append([backend, f"{n:,}", "incremental check / full check",
                     f"{incremental / full:.0%}", "target < 5%", "-"])  # fmt: skip
        rows.append([backend, f"{n:,}", "new CBP release (import and re-check) / full check",
                     f"{release / full:.0%}", "-", "-"])  # fmt: skip
    return rows


def _exponent(a: float, b: float, n1: int, n2: int) -> str:
    return f"{math.log(b / a) / math.log(n2 / n1):.2f}" if a > 0 and b > 0 else "-"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "sizes",
        type=int,
        nargs="*",
        default=[1_000, 10_000],
        help="numbers of articles, smallest first (default 1000 10000)",
    )
    parser.add_argument(
        "--backend", choices=("sqlite", "postgresql"), help="one backend only (default both)"
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep each store and print where it is, for web_scale.py --store",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="time check --all and the exports this many times, keep the fastest",
    )
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error(f"--repeat must be at least 1, not {args.repeat}")
    if any(n < 1 for n in args.sizes) or any(a >= b for a, b in itertools.pairwise(args.sizes)):
        parser.error(
            f"sizes must be positive and increasing (a growth needs two), not {args.sizes}"
        )
    return args


def _keep_sqlite(url: str, n: int) -> None:
    """Move a finished SQLite store out of the temporary directory before it is removed."""
    kept = WORK / f"scale-sqlite-{n}.db"
    kept.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(url.removeprefix("sqlite:///"), kept)
    print(f"  kept: {kept}", flush=True)


def main() -> None:
    args = _arguments()
    sizes: list[int] = args.sizes
    backends = [args.backend] if args.backend else ["sqlite", "postgresql"]
    rows = []
    for backend in backends:
        results: dict[int, dict[str, Timing]] = {}
        for n in sizes:
            with tempfile.TemporaryDirectory() as tmp:
                url = f"sqlite:///{Path(tmp) / 'scale.db'}"
                if backend == "postgresql":
                    url = _pg_database()
                try:
                    results[n] = _one_size(url, n, Path(tmp), args.repeat)
                finally:
                    if backend == "postgresql" and not args.keep:
                        _drop(url)
                    elif backend == "postgresql":
                        print(f"  kept: {url}", flush=True)
                if backend == "sqlite" and args.keep:
                    _keep_sqlite(url, n)
            for row in _rows(backend, [n], results):  # as each size ends: a run may stop
                print("  " + " | ".join(row), flush=True)
        rows += _rows(backend, sizes, results)
    repeated = f", fastest of {args.repeat} for check --all and exports" if args.repeat > 1 else ""
    record(
        f"Scale: ingest, check, incremental check and exports (benchmarks/scale.py{repeated})",
        table(HEADER, rows),
    )


if __name__ == "__main__":
    main()
