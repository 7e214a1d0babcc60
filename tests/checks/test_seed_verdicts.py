"""Verdicts on the seed articles against labels written by reading them and the data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from borderflow.checks.runner import headline, run
from borderflow.datasets.bundle import reference_files
from borderflow.datasets.importer import import_files
from borderflow.ingest.pipeline import ingest_paths
from borderflow.store import Store

LABELS = Path(__file__).resolve().parents[1] / "labels" / "seed_verdicts.yaml"
AGREEMENT_TARGET = 0.9


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> list[Any]:
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('checks') / 'checks.db'}")
    ingest_paths([seeds_dir], store, max_bytes=10_000_000, workers=1)
    _, errors = import_files(store, reference_files())
    assert not errors
    best = headline(run(store))
    rows = []
    labels = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    claims = store.claims()
    for section, expected in labels.items():
        name = section.removesuffix(".magnitudes")
        mine = [c for c in claims if c.document.endswith(name)]
        for label in expected:
            found = [
                c
                for c in mine
                if label["quote"] in c.sentence
                and (c.text in label["quote"] or label["quote"] in c.text)
            ]
            verdict = best.get(found[0].id) if found else None
            rows.append((name, label, verdict))
    store.close()
    return rows


def test_at_least_25_labelled_claims(verdicts: list[Any]) -> None:
    assert len(verdicts) >= 25


def test_verdicts_agree_with_labels(verdicts: list[Any]) -> None:
    wrong = [
        f"{name}: {label['quote']!r} expected {label['verdict']} ({label['reason']}), got "
        f"{v.verdict if v else 'no verdict'}: {v.explanation if v else ''}"
        for name, label, v in verdicts
        if v is None or v.verdict != label["verdict"]
    ]
    agreement = 1 - len(wrong) / len(verdicts)
    print("\n".join(wrong))
    assert agreement >= AGREEMENT_TARGET, (
        f"{agreement:.2f} of {len(verdicts)} labelled verdicts agree:\n" + "\n".join(wrong)
    )
