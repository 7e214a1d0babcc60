"""Repair + extraction throughput and recall, side by side with quantulum3.

The seed articles are replicated to about 10 MB; borderflow runs on all of it on one core,
quantulum3 (much slower) on a time-boxed prefix of the same documents, and both are scored
for recall against tests/labels/seed_claims.yaml. Target: >= 20x quantulum3's throughput and
higher recall. Run: `make bench` or `.venv/bin/python benchmarks/extract.py`.
"""

from __future__ import annotations

import math
import sys
import time
import warnings
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, record, seed_paths, table
from borderflow.extract import DocumentMeta, extract_claims
from borderflow.ingest.readers import read_document
from borderflow.ingest.repair import repair_text

TARGET_BYTES = 10_000_000
QUANTULUM_SECONDS = 60.0
LABELS = ROOT / "tests" / "labels" / "seed_claims.yaml"


def _corpus() -> list[str]:
    raw = [p.read_text(encoding="utf-8") for p in seed_paths()]
    size = sum(len(t.encode()) for t in raw)
    copies = max(1, TARGET_BYTES // size)
    # Vary each copy slightly so nothing can be cached by content.
    return [f"{text}\nCopy {i}.\n" for i in range(copies) for text in raw]


def _ours(docs: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    n = 0
    for text in docs:
        repaired, _ = repair_text(text)
        n += len(extract_claims(repaired))
    return time.perf_counter() - start, n


def _quantulum(docs: list[str]) -> tuple[float, int, int]:
    from quantulum3 import parser

    parser.parse("warm-up: 5 kg")
    start = time.perf_counter()
    done = n = 0
    for text in docs:
        n += len(parser.parse(text))
        done += 1
        if time.perf_counter() - start > QUANTULUM_SECONDS:
            break
    return time.perf_counter() - start, done, n


def _recall() -> tuple[float, float, int]:
    """Recall of borderflow (value, unit and normalised value must match) and of quantulum3
    (its value must equal the labelled value, unit not compared) on the labelled seeds."""
    from quantulum3 import parser

    labels = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    ours_hit = q_hit = total = 0
    for path in seed_paths():
        doc = read_document(path, path.name, max_bytes=10_000_000)
        claims = extract_claims(doc.text, DocumentMeta(published=doc.published))
        quantities = parser.parse(doc.text)
        for label in labels[path.name]:
            start = -1
            for _ in range(int(label.get("occurrence", 1))):
                start = doc.text.find(label["quote"], start + 1)
            end = start + len(label["quote"])
            total += 1
            value = float(label["value"])
            ours_hit += any(
                c.start < end
                and start < c.end
                and math.isclose(c.value, value)
                and c.unit == label["unit"]
                and math.isclose(
                    c.normalized_value or 0, float(label["normalized_value"]), rel_tol=1e-6
                )
                for c in claims
            )
            q_hit += any(
                q.span[0] < end
                and start < q.span[1]
                and math.isclose(float(q.value), value, rel_tol=1e-6)
                for q in quantities
            )
    return ours_hit / total, q_hit / total, total


def main() -> None:
    warnings.filterwarnings("ignore")
    docs = _corpus()
    mb = sum(len(t.encode()) for t in docs) / 1e6
    ours_s, ours_n = _ours(docs)
    q_s, q_docs, q_n = _quantulum(docs)
    q_mb = sum(len(t.encode()) for t in docs[:q_docs]) / 1e6
    ours_recall, q_recall, labelled = _recall()
    rows: list[list[str]] = [
        [
            "borderflow (repair + extract)",
            f"{len(docs):,}",
            f"{mb:.2f}",
            f"{ours_s:.1f}",
            f"{len(docs) / ours_s:,.1f}",
            f"{mb / ours_s:.3f}",
            f"{ours_n:,}",
            f"{ours_recall:.3f}",
        ],
        [
            "quantulum3 (parse)",
            f"{q_docs:,}",
            f"{q_mb:.2f}",
            f"{q_s:.1f}",
            f"{q_docs / q_s:,.2f}",
            f"{q_mb / q_s:.4f}",
            f"{q_n:,}",
            f"{q_recall:.3f}",
        ],
    ]
    speedup = (mb / ours_s) / (q_mb / q_s)
    body = table(
        [
            "extractor",
            "docs",
            "MB",
            "seconds",
            "docs/s/core",
            "MB/s/core",
            "quantities",
            f"recall ({labelled} labels)",
        ],
        rows,
    )
    body += (
        f"\n\nThroughput ratio: {speedup:,.0f}x quantulum3 (target >= 20x). "
        f"quantulum3 ran on the first {q_docs} of the same documents "
        f"(time-boxed at {QUANTULUM_SECONDS:.0f} s). One process, one core each."
    )
    record("Extraction throughput and recall (benchmarks/extract.py)", body)


if __name__ == "__main__":
    main()
