"""Check every claim of 10,000 ingested articles against the full official data.
Target: under 30 s on this machine. Run: `make bench` or `.venv/bin/python benchmarks/checks.py`.

`benchmarks/checks.py sources [N...]` times the cross-source comparison alone on synthetic
seizure claims (10,000, 50,000 and 200,000 by default) and gives the growth exponent
between sizes, with the peak memory it allocates: over a list of claims in memory
(`across_sources`, what one document checked alone uses) and streamed group by group from
files, as from the store (`judge_groups`). Targets: exponent at most 1.1 (the comparison
grows linearly); streamed, a peak that grows by a few tens of bytes a claim, not with the
claims themselves (about 1 KB each).
"""

from __future__ import annotations

import math
import pickle
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import BinaryIO

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, record, table, write_corpus
from borderflow.checks.model import Verdict
from borderflow.checks.runner import run_and_store
from borderflow.checks.sources import GroupKey, across_sources, group_key, judge_groups
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
    return list(_synthetic(n, seed))


def _synthetic(n: int, seed: int = 0) -> Iterator[StoredClaim]:
    rng = random.Random(seed)
    return (_seizure(rng, i, i // 5, rng.random() < 0.2) for i in range(n))


class _Files:
    """The synthetic claims pickled to one file per group, read back one at a time as a
    store's reader reads rows: the comparison's memory is measured without the claims."""

    def __init__(self, folder: Path, claims: Iterable[StoredClaim]) -> None:
        self._paths: dict[GroupKey, Path] = {}
        files: dict[GroupKey, BinaryIO] = {}
        ids, places = array("q"), array("q")  # a claim's id, and its file and offset
        for claim in claims:
            key = group_key(claim)
            if key is None:
                continue
            if key not in files:
                self._paths[key] = folder / f"group-{len(files)}.pickle"
                files[key] = self._paths[key].open("wb")
            out = files[key]
            ids.append(claim.id)
            places.append(list(files).index(key) << 40 | out.tell())
            pickle.dump(claim, out)
        for out in files.values():
            out.close()
        self._ids, self._places, self._keys = ids, places, list(files)

    def groups(self) -> Iterable[GroupKey]:
        return list(self._keys)

    def claims(self, key: GroupKey) -> Iterator[StoredClaim]:
        with self._paths[key].open("rb") as source:
            while True:
                try:
                    yield pickle.load(source)
                except EOFError:
                    return

    def by_id(self, ids: Sequence[int]) -> list[StoredClaim]:
        found = []
        for i in ids:  # the synthetic ids are 0, 1, 2...: an id is its place
            place = self._places[i]
            assert self._ids[i] == i
            with self._paths[self._keys[place >> 40]].open("rb") as source:
                source.seek(place & (1 << 40) - 1)
                found.append(pickle.load(source))
        return found


def _tally(verdicts: Iterable[Verdict]) -> tuple[int, int]:
    """How many verdicts, and a digest of their claims and words that does not depend on
    their order (to check both ways give the same verdicts without holding them)."""
    count = digest = 0
    for v in verdicts:
        count += 1
        digest = (digest + hash((v.claim_id, v.explanation))) % 2**64
    return count, digest


def _measured(run: Callable[[], tuple[int, int]]) -> tuple[tuple[int, int], float, float]:
    """What `run` gives, its seconds (untraced) and the peak MB it allocates (a second,
    traced run: tracing slows it)."""
    start = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    run()
    peak = (tracemalloc.get_traced_memory()[1] - base) / 1e6
    tracemalloc.stop()
    return result, seconds, peak


def sources_scaling(sizes: list[int]) -> str:
    """The comparison on synthetic claims of each size: in memory (`across_sources` over a
    list, seconds the best of three runs) and streamed from files (`judge_groups`, one
    run); the peak memory each allocates beyond its input, and the growth exponent of the
    time from the size before (1 is linear, 2 quadratic)."""
    rows, before = [], None
    for n in sizes:
        verdicts, seconds, listed_peak = _in_memory(n)
        streamed, streamed_seconds, peak = _streamed(n)
        if streamed != verdicts:
            raise AssertionError(f"{n:,} claims: streamed verdicts differ from the listed")
        exponent = (
            f"{math.log(seconds / before[1]) / math.log(n / before[0]):.2f}" if before else "-"
        )
        rows.append([f"{n:,}", f"{verdicts[0]:,}", f"{seconds:.2f}", exponent,
                     f"{listed_peak:.0f}", f"{streamed_seconds:.2f}", f"{peak:.0f}",
                     f"{peak * 1e6 / n:.0f}"])  # fmt: skip
        before = (n, seconds)
    body = table(["claims", "verdicts", "seconds in memory", "growth exponent", "peak MB",
                  "seconds streamed", "peak MB streamed", "bytes/claim"], rows)  # fmt: skip
    return body + (
        "\n\nTarget: growth exponent at most 1.1 (linear in the number of claims); "
        "streamed, a peak of a few tens of bytes a claim (the claims are about 1 KB each). "
        "Peaks are what the comparison allocates (tracemalloc) beyond its input; in memory "
        "that includes the verdicts it returns, streamed they are counted and let go. "
        "Streamed seconds include unpickling each claim twice."
    )


def _in_memory(n: int) -> tuple[tuple[int, int], float, float]:
    claims = synthetic_claims(n)
    verdicts, seconds, peak = _measured(lambda: _tally(across_sources(claims)))
    for _ in range(2):  # the fastest of three: the least disturbed by other work
        start = time.perf_counter()
        across_sources(claims)
        seconds = min(seconds, time.perf_counter() - start)
    return verdicts, seconds, peak


def _streamed(n: int) -> tuple[tuple[int, int], float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        files = _Files(Path(tmp), _synthetic(n))
        return _measured(lambda: _tally(judge_groups(files)))


if __name__ == "__main__":
    main()
