"""Reading accuracy: extraction and checks against the labelled passages in
tests/labels/reading/ (issue 13).

Reports per-field accuracy (value and unit over every label; context fields over the figures
found), figures invented where there are none, per-verdict precision and recall (abstain =
unverifiable or no verdict), and a calibration table of headline confidence against how often
verdicts in that bin are right. Targets: value and unit >= 0.97; each context field >= 0.90;
precision of contradicted, misleading, conflict and supported >= 0.95.

Run: `.venv/bin/python benchmarks/reading.py` (appends to RESULTS.md);
`--misses FIELD...` lists each wrong reading of those fields (or `all`); `--no-record`.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.labels.reading_score import ABSTAIN, ALL_FIELDS, Report, official_data, score
from tests.labels.reading_set import load_all

from _common import record, table

FIELD_TARGETS = {"value": 0.97, "unit": 0.97} | dict.fromkeys(
    ("measure", "substance", "agency", "scope", "period", "currency", "speaker"), 0.9
)
PRECISION_TARGETS = {"contradicted": 0.95, "misleading": 0.95, "conflict": 0.95,
                     "supported": 0.95}  # fmt: skip
KINDS = ("supported", "supported-with-caveat", "misleading", "contradicted", "conflict", ABSTAIN)


def _pct(x: float) -> str:
    return "n/a" if x != x else f"{x:.3f}"


def render(report: Report, passages: int, seconds: float) -> str:
    fields = [
        [name, str(report.fields[name][1]), _pct(report.accuracy(name)),
         f"{FIELD_TARGETS[name]:.2f}" if name in FIELD_TARGETS else "",
         ("ok" if report.accuracy(name) >= FIELD_TARGETS[name] else "BELOW")
         if name in FIELD_TARGETS else ""]
        for name in ALL_FIELDS
    ]  # fmt: skip
    verdicts = []
    for kind in KINDS:
        precision, got = report.precision(kind)
        recall, expected = report.recall(kind)
        target = PRECISION_TARGETS.get(kind)
        status = "" if target is None else ("ok" if got == 0 or precision >= target else "BELOW")
        verdicts.append([kind, str(expected), str(got), _pct(precision), _pct(recall),
                         f"{target:.2f}" if target else "", status])  # fmt: skip
    calibration = [
        [label, str(n), f"{mid:.2f}", f"{accuracy:.3f}"]
        for label, n, mid, accuracy in report.calibration
    ]
    labels = len(report.rows)
    found = sum(1 for r in report.rows if r.claim is not None)
    return "\n\n".join(
        [
            f"{passages} passages, {labels} labelled figures ({found} found, "
            f"{len(report.spurious)} figures read where none is labelled, "
            f"{len(report.traps_hit)} of them in a labelled non-quantity); {seconds:.1f} s.",
            "Per-field accuracy (context fields over the figures found):\n\n"
            + table(["field", "labels", "accuracy", "target", ""], fields),
            "Headline verdicts (abstain = unverifiable or no verdict):\n\n"
            + table(
                ["verdict", "expected", "given", "precision", "recall", "target", ""], verdicts
            ),
            "Calibration (headline confidence against observed accuracy):\n\n"
            + table(["confidence", "verdicts", "bin middle", "observed accuracy"], calibration),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", nargs="*", default=[], help="fields to list misses of")
    parser.add_argument("--no-record", action="store_true", help="print only")
    parser.add_argument("--only", help="score only passages whose id starts with this")
    args = parser.parse_args()
    passages = [p for p in load_all() if not args.only or p.id.startswith(args.only)]
    data = official_data()
    start = time.perf_counter()
    report = score(passages, data)
    seconds = time.perf_counter() - start
    names = list(report.misses) if "all" in args.misses else args.misses
    for name in names:
        print(f"\n### misses: {name} ({len(report.misses.get(name, []))})")
        print("\n".join(report.misses.get(name, [])))
    if "spurious" in names or "all" in args.misses:
        print("\n### spurious")
        print("\n".join(f"{p.id} {c.text!r}" for p, c, _ in report.spurious))
    body = render(report, len(passages), seconds)
    if args.no_record:
        print(body)
    else:
        record("Reading accuracy (labelled passages, issue 13)", body)


if __name__ == "__main__":
    main()
