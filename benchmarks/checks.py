"""Check every claim of 10,000 ingested articles against the full official data.
Target: under 30 s on this machine. Run: `make bench` or `.venv/bin/python benchmarks/checks.py`.

`benchmarks/checks.py sources [N...]` times the cross-source comparison alone on synthetic
seizure claims (10,000, 50,000 and 200,000 by default) and gives the growth exponent
between sizes. Target: exponent at most 1.1 (the comparison grows linearly).
"""

from __future__ import annotations

import math
import random
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, record, table, write_corpus
from borderflow.checks.runner import run_and_store
from borderflow.checks.sources import across_sources
from borderflow.datasets.importer import import_files
from borderflow.ingest.pipeline import ingest_paths
from borderflow.records.claims import PeriodReading, StoredClaim
from borderflow.store import Store

DATA = ROOT.parent / "shared" / "data"


def main() -> None:
    if sys.argv[1:2] == ["sources"]:
        sizes = [int(a) for a in sys.argv[2:]] or [10_000, 50_000, 200_000]
        record("Cross-source comparison (benchmarks/checks.py sources)", sources_scaling(sizes))
        return
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
            done = run_and_store(store)
            seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    body = table(
        ["articles", "claims", "headline verdicts", "seconds", "claims/s", "peak RSS MB"],
        [
            [
                f"{n:,}",
                f"{claims:,}",
                f"{sum(done.headlines.values()):,}",
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


LB = 0.45359237
_BORDERS = ("northern border", "southwest border", None)
_AGENCIES = ("CBP", "CBSA", "RCMP")
_WRITTEN = {False: ("{:g} kg", "{:g} kilograms", "about {:g} kilograms"),
            True: ("{:g} pounds", "about {:g} pounds")}  # fmt: skip


def _years(year: int) -> list[list[PeriodReading]]:
    """The readings a year may have: fiscal, calendar, or "last year" (either)."""
    fiscal = PeriodReading("us_fiscal", date(year - 1, 10, 1), date(year, 9, 30))
    calendar = PeriodReading("calendar", date(year, 1, 1), date(year, 12, 31))
    return [[fiscal], [calendar], [calendar, fiscal]]


def _seizure(rng: random.Random, i: int, doc: int, tail: bool) -> StoredClaim:
    """One seizure claim: a figure written as reporters write it, in kg or pounds."""
    if tail:  # a figure of its own (few other documents give it), in one of 25 years
        value, year = round(rng.uniform(1, 2_000), rng.choice((0, 1, 2))), 2000 + i % 25
    else:  # one of the few figures of the wire stories
        value, year = rng.choice((4.9, 5, 7.5, 43, 34.82, 120, 2_300)), rng.randrange(2019, 2025)
    pounds = rng.random() < 0.4
    text = rng.choice(_WRITTEN[pounds]).format(value)
    readings = rng.choice(_years(year))
    sentence = f"Officers seized {text} of fentanyl."
    return StoredClaim(
        start=16, end=16 + len(text), text=text, sentence=sentence, value=value,
        value_max=None, qualifier="approx" if "about" in text else "exact",
        unit="lb" if pounds else "kg", dimension="mass",
        normalized_value=value * LB if pounds else float(value), normalized_unit="kg",
        measure="seizure", substance="fentanyl", agency=rng.choice(_AGENCIES),
        corridor=rng.choice(_BORDERS), period_start=readings[0].start,
        period_end=readings[0].end, period_basis=readings[0].basis,
        period_candidates=readings, id=i, document_id=doc, document=f"article-{doc}",
    )  # fmt: skip


def synthetic_claims(n: int, seed: int = 0) -> list[StoredClaim]:
    """`n` seizure claims, five per document: four in five repeat one of a few hundred
    statements (wire stories copied by many outlets), the rest each give a figure of their
    own (the long tail)."""
    rng = random.Random(seed)
    return [_seizure(rng, i, i // 5, rng.random() < 0.2) for i in range(n)]


def sources_scaling(sizes: list[int]) -> str:
    """`across_sources` alone on synthetic claim lists of each size: seconds (the best of
    three runs), and the growth exponent from the size before (1 is linear, 2 quadratic)."""
    rows, before = [], None
    for n in sizes:
        claims = synthetic_claims(n)
        seconds = math.inf
        for _ in range(3):  # the fastest of three: the least disturbed by other work
            start = time.perf_counter()
            verdicts = across_sources(claims)
            seconds = min(seconds, time.perf_counter() - start)
        exponent = (
            f"{math.log(seconds / before[1]) / math.log(n / before[0]):.2f}" if before else "-"
        )
        rows.append([f"{n:,}", f"{len(verdicts):,}", f"{seconds:.2f}", exponent])
        before = (n, seconds)
    body = table(["claims", "verdicts", "seconds", "growth exponent"], rows)
    return body + "\n\nTarget: growth exponent at most 1.1 (linear in the number of claims)."


if __name__ == "__main__":
    main()
