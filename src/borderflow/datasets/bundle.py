"""Reference series shipped with borderflow, so a fresh install has real data offline.

`bundle` copies, from the agencies' files, only the rows the project needs out of the box
(each source's `bundle` rule in the registry says which), in each file's own layout and
with its own lines, so that importing the bundle gives the same observations (same natural
keys) as importing the full file. PROVENANCE.yaml names each source file, its hash and
what was kept.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

import yaml

from borderflow.datasets.importer import detect, parse
from borderflow.datasets.tabular import read_text
from borderflow.errors import ImportFormatError

REFERENCE_DIR_NAME = "reference"


@dataclass(frozen=True, slots=True)
class BundledFile:
    name: str
    source: str
    original: str
    sha256: str
    rows: int
    kept: str


def reference_dir() -> Path:
    """The bundled reference files inside the installed package."""
    return Path(str(files("borderflow") / REFERENCE_DIR_NAME))


def bundle(paths: Sequence[Path], out: Path) -> list[BundledFile]:
    """Write the kept rows of each recognised file to `out`, with PROVENANCE.yaml."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[BundledFile] = []
    for path in paths:
        data = path.read_bytes()
        if data.startswith(b"PK"):
            continue  # workbooks (UNODC) are not bundled
        checked = parse(data, str(path))
        if checked.problems:  # a row the import would refuse is never shipped
            raise ImportFormatError(str(path), checked.problems)
        text = read_text(data, str(path))
        found, _, skip = detect(text, str(path))
        if found.bundle is None:
            continue
        rule = found.bundle
        lines = text.splitlines()
        header = lines[skip]
        columns = next(csv.reader([header]))
        kept = [
            line
            for line in lines[skip + 1 :]
            if line.strip()
            and rule.keep(dict(zip(columns, next(csv.reader([line])), strict=False)))
        ]
        name = f"{found.name}--{path.name}"
        (out / name).write_text("\n".join([*lines[: skip + 1], *kept]) + "\n", encoding="utf-8")
        written.append(
            BundledFile(
                name,
                found.name,
                path.name,
                hashlib.sha256(data).hexdigest(),
                len(kept),
                rule.kept,
            )
        )
    provenance = {
        "note": "Rows copied unchanged from the agencies' files named here; see "
        "borderflow/datasets/bundle.py.",
        "made": datetime.now(UTC).date().isoformat(),
        "files": [vars_of(b) for b in written],
    }
    (out / "PROVENANCE.yaml").write_text(
        yaml.safe_dump(provenance, sort_keys=False), encoding="utf-8"
    )
    return written


def vars_of(item: BundledFile) -> dict[str, object]:
    return {
        "file": item.name,
        "source": item.source,
        "original": item.original,
        "original_sha256": item.sha256,
        "rows": item.rows,
        "kept": item.kept,
    }


def reference_files() -> list[Path]:
    return sorted(p for p in reference_dir().glob("*.csv"))
