"""Extraction against labels written by reading the five seed articles
(tests/labels/seed_claims.yaml): recall of value+unit+normalised value, and accuracy of the
context fields on mass claims. Failure messages list every miss."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from borderflow.extract import Claim, DocumentMeta, extract_claims
from borderflow.ingest.readers import read_document

LABELS = Path(__file__).resolve().parents[1] / "labels" / "seed_claims.yaml"
CONTEXT_FIELDS = ("measure", "substance", "agency", "corridor", "period")
RECALL_TARGET = 0.95
FIELD_TARGET = 0.85


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def _locate(text: str, quote: str, occurrence: int) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence):
        start = text.find(quote, start + 1)
        if start < 0:
            raise AssertionError(f"label quote {quote!r} (occurrence {occurrence}) not in text")
    return start, start + len(quote)


def _seed_claims(seeds_dir: Path) -> dict[str, tuple[str, list[Claim]]]:
    out = {}
    for path in sorted(seeds_dir.glob("*.txt")):
        doc = read_document(path, path.name, max_bytes=10_000_000)
        meta = DocumentMeta(published=doc.published, title=doc.title, author=doc.author)
        out[path.name] = (doc.text, extract_claims(doc.text, meta))
    return out


def _matches(label: dict[str, Any], claim: Claim) -> bool:
    return (
        _close(claim.value, float(label["value"]))
        and claim.unit == label["unit"]
        and _close(claim.normalized_value, float(label["normalized_value"]))
        and claim.normalized_unit == label["normalized_unit"]
        and _close(claim.value_max, label.get("value_max"))
    )


def _period_ok(label: dict[str, Any], claim: Claim) -> bool:
    expected = label["period"]
    if expected is None:
        return claim.period_start is None
    start, end = (date.fromisoformat(str(d)) for d in expected)
    readings = [(p.start, p.end) for p in claim.period_candidates]
    return (claim.period_start, claim.period_end) == (start, end) or (start, end) in readings


@pytest.fixture(scope="module")
def evaluation(seeds_dir: Path) -> list[tuple[str, dict[str, Any], Claim | None]]:
    labels = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    extracted = _seed_claims(seeds_dir)
    assert set(labels) == set(extracted), "labels must cover exactly the seed files"
    rows = []
    for name, expected in labels.items():
        text, claims = extracted[name]
        for label in expected:
            start, end = _locate(text, label["quote"], int(label.get("occurrence", 1)))
            found = next(
                (c for c in claims if c.start < end and start < c.end and _matches(label, c)), None
            )
            rows.append((name, label, found))
    return rows


def test_recall_of_value_unit_and_normalised_value(evaluation: list[Any]) -> None:
    misses = [
        f"{name}: {label['quote']!r} expected {label['value']} {label['unit']}"
        for name, label, found in evaluation
        if found is None
    ]
    recall = 1 - len(misses) / len(evaluation)
    assert recall >= RECALL_TARGET, (
        f"recall {recall:.3f} < {RECALL_TARGET} on {len(evaluation)} labelled claims; misses:\n"
        + "\n".join(misses)
    )


def test_qualifiers_where_labelled(evaluation: list[Any]) -> None:
    wrong = [
        f"{name}: {label['quote']!r} expected {label['qualifier']}, got {found.qualifier}"
        for name, label, found in evaluation
        if found is not None and "qualifier" in label and found.qualifier != label["qualifier"]
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("field", CONTEXT_FIELDS)
def test_context_accuracy_on_mass_claims(evaluation: list[Any], field: str) -> None:
    mass = [(n, label, c) for n, label, c in evaluation if "measure" in label]
    assert len(mass) >= 15, "labels should hold every mass claim of the seeds"
    wrong = []
    for name, label, claim in mass:
        if claim is None:
            wrong.append(f"{name}: {label['quote']!r} not extracted")
            continue
        ok = (
            _period_ok(label, claim) if field == "period" else getattr(claim, field) == label[field]
        )
        if not ok:
            got = (
                f"{claim.period_start}..{claim.period_end} {claim.period_basis}"
                if field == "period"
                else getattr(claim, field)
            )
            wrong.append(f"{name}: {label['quote']!r} expected {label[field]!r}, got {got!r}")
    accuracy = 1 - len(wrong) / len(mass)
    assert accuracy >= FIELD_TARGET, (
        f"{field} accuracy {accuracy:.3f} < {FIELD_TARGET} on {len(mass)} mass claims:\n"
        + "\n".join(wrong)
    )
