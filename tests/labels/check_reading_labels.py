"""Validate reading label files: `python tests/labels/check_reading_labels.py FILE...`."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.labels.reading_set import LabelError, load_file


def main(paths: list[str]) -> int:
    status = 0
    for name in paths:
        try:
            passages = load_file(Path(name))
        except (LabelError, KeyError, TypeError, ValueError, OSError, yaml.YAMLError) as exc:
            print(f"{name}: {type(exc).__name__}: {exc}")
            status = 1
            continue
        claims = sum(len(p.labels) for p in passages)
        verdicts = sum(1 for p in passages for c in p.labels if c.verdict)
        print(f"{name}: {len(passages)} passages, {claims} figures, {verdicts} verdicts: valid")
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
