"""Import robustness (issue 12): the importer properties of
tests/datasets/test_import_properties.py on 10,000+ generated inputs. Files in every
registered source's layout with hostile cells (NaN, inf, 1e400, "1_000", formulas, control
characters, far-future years, huge numbers), broken quoting, title lines, raw bytes and
UNODC workbooks with odd cell types go through `parse` one by one, then a share of them
through `import_files` into a SQLite store. A crash is anything but a parsed file whose
figures are all valid or a BorderflowError naming the file; the target is 0.

Run: `.venv/bin/python benchmarks/import_fuzz.py [INPUTS_PER_KIND]`.
"""

from __future__ import annotations

import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.datasets
sys.path.insert(0, str(Path(__file__).resolve().parent))
from tests.datasets import builders
from tests.datasets.import_strategies import (
    NAME,
    TODAY,
    any_file,
    check,
    csv_file,
    nflis_table,
    unodc_workbook,
)

from _common import fuzz_runs, record, table
from borderflow.datasets.importer import import_files
from borderflow.store import Store

DEFAULT_PER_KIND = 1_250


def _crash(kind: str) -> str:
    return f"{kind}: {traceback.format_exc(limit=-3)}"


def _fuzz(
    kind: str, strategy: st.SearchStrategy[bytes], name: str, examples: int
) -> tuple[int, list[str], dict[str, int]]:
    seen: dict[str, int] = {"clean": 0, "bad rows": 0, "refused": 0}
    crashes: list[str] = []

    @fuzz_runs(examples)
    @given(strategy)
    def run(data: bytes) -> None:
        try:
            seen[check(name, data)] += 1
        except Exception:  # a crash: what this benchmark counts
            crashes.append(_crash(kind))

    run()
    return sum(seen.values()) + len(crashes), crashes, seen


def _fuzz_store(examples: int) -> tuple[int, list[str], dict[str, int]]:
    seen: dict[str, int] = {"clean": 0, "bad rows": 0, "refused": 0}
    crashes: list[str] = []
    with tempfile.TemporaryDirectory() as tmp, Store.open(f"sqlite:///{tmp}/fuzz.db") as store:

        @fuzz_runs(examples)
        @given(any_file(), st.booleans())
        def run(case: tuple[str, bytes], skip: bool) -> None:
            name, data = case
            path = Path(tmp) / name
            path.write_bytes(data)
            try:
                results, errors = import_files(store, [path], skip_bad_rows=skip, today=TODAY)
                assert len(results) + len(errors) == 1
                assert all(p.startswith(str(path)) for e in errors for p in e.problems)
                outcome = "refused" if errors else "bad rows" if results[0].skipped else "clean"
                seen[outcome] += 1
            except Exception:  # a crash: what this benchmark counts
                crashes.append(_crash("import_files"))

        run()
    return sum(seen.values()) + len(crashes), crashes, seen


def main() -> None:
    per_kind = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PER_KIND
    kinds: list[tuple[str, Callable[[], tuple[int, list[str], dict[str, int]]]]] = [
        (f"parse, {s} layout", lambda s=s: _fuzz(s, csv_file(s), NAME, per_kind))
        for s in sorted(builders.CSV)
    ]
    kinds += [
        ("parse, nflis-table layout", lambda: _fuzz("nflis-table", nflis_table(), NAME, per_kind)),
        ("parse, unodc workbooks", lambda: _fuzz("unodc", unodc_workbook(), "f.xlsx", per_kind)),
        ("parse, raw bytes", lambda: _fuzz("bytes", st.binary(max_size=600), NAME, per_kind)),
        ("import_files into SQLite, any of the above", lambda: _fuzz_store(per_kind // 2)),
    ]
    rows, all_crashes, total, started = [], [], 0, time.perf_counter()
    for label, run in kinds:
        start = time.perf_counter()
        inputs, crashes, seen = run()
        elapsed = time.perf_counter() - start
        total += inputs
        all_crashes += crashes
        rows.append([label, f"{inputs:,}", f"{seen['clean']:,}", f"{seen['bad rows']:,}",
                     f"{seen['refused']:,}", f"{len(crashes)}", f"{elapsed:.1f}",
                     f"{inputs / elapsed:,.0f}"])  # fmt: skip
        print(f"{label}: {inputs:,} inputs, {len(crashes)} crashes, {elapsed:.1f} s", flush=True)
    for crash in all_crashes[:5]:
        print(crash, file=sys.stderr)
    body = table(
        ["what", "inputs", "clean", "bad rows", "refused", "crashes", "seconds", "inputs/s"],
        rows,
    )
    body += (
        f"\n\n{total:,} generated inputs in {time.perf_counter() - started:.0f} s, "
        f"{len(all_crashes)} crashes (target 0). Each input is a sample row of a registered "
        "source with cells replaced by hostile values (NaN, inf, 1e400, '1_000', '=1+2', "
        "'@SUM(A1)', control characters, years 0000-9999, 400-digit numbers, labels from "
        "every vocabulary), rows cut short or made longer, quoting broken, BOMs, title lines, "
        "UTF-8 or Windows-1252; UNODC workbooks with text, huge integers, floats, dates, "
        "booleans and empty cells; raw bytes, with and without a zip signature; imports with "
        "and without --skip-bad-rows. 'clean': every row read and every figure within its "
        "source's declared validity; 'bad rows': the bad ones reported FILE:LINE: COLUMN "
        "(and, importing with --skip-bad-rows, left out); 'refused': a BorderflowError "
        "naming the file. Generated by Hypothesis (generate phase only)."
    )
    record("Import robustness (benchmarks/import_fuzz.py)", body)
    if all_crashes:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
