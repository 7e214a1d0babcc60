"""Reference series shipped with borderflow, so a fresh install has real data offline.

`bundle` copies, from the agencies' files, only the rows the project needs out of the box
(each source's `bundle` rule in the registry says which), in each file's own layout and
with its own lines, so that importing the bundle gives the same observations (same natural
keys) as importing the full file. PROVENANCE.yaml names each source file, its hash and
what was kept.

A few reference files are not copied from an agency's file but written for borderflow
from publications (`cdc-annual`: each row names its publication). Their PROVENANCE entry
says how they were `written`; `bundle` cannot remake them, so it keeps their entries when
it bundles into the folder that holds them.
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

from borderflow import yamltext
from borderflow.datasets.importer import detect, parse
from borderflow.datasets.tabular import read_text
from borderflow.errors import ImportFormatError

REFERENCE_DIR_NAME = "reference"
PROVENANCE = "PROVENANCE.yaml"


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
    by_hand = [e for e in _written_entries(out) if e["file"] not in {b.name for b in written}]
    provenance = {
        "note": "Rows copied unchanged from the agencies' files named here, and files "
        "written for borderflow whose rows name their publication ('written'); see "
        "borderflow/datasets/bundle.py.",
        "made": datetime.now(UTC).date().isoformat(),
        "files": [*(vars_of(b) for b in written), *by_hand],
    }
    (out / PROVENANCE).write_text(yaml.safe_dump(provenance, sort_keys=False), encoding="utf-8")
    return written


def _written_entries(folder: Path) -> list[dict[str, object]]:
    """PROVENANCE entries of the files in `folder` written for borderflow (not copied)."""
    path = folder / PROVENANCE
    if not path.is_file():
        return []
    data = yamltext.load(path.read_text(encoding="utf-8")) or {}
    return [
        entry
        for entry in data.get("files") or []
        if isinstance(entry, dict)
        and "written" in entry
        and (folder / str(entry.get("file"))).is_file()
    ]


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


def written_files() -> list[Path]:
    """The reference files written for borderflow from publications: no agency file
    holds their rows, so they are their sources' only files."""
    return sorted(reference_dir() / str(e["file"]) for e in _written_entries(reference_dir()))
