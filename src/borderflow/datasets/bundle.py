"""Reference series shipped with borderflow, so a fresh install has real data offline.

`bundle` copies, from the agencies' files, only the rows the project needs out of the box,
in each file's own layout and with its own lines, so that importing the bundle gives the
same observations (same natural keys) as importing the full file: CBP fentanyl rows, CDC
VSRR national rows, and PHAC's Canadian opioid-death rows. PROVENANCE.yaml names each
source file, its hash and what was kept.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

import yaml

from borderflow.datasets.importer import detect
from borderflow.datasets.tabular import read_text

REFERENCE_DIR_NAME = "reference"

# Which rows each source keeps, as a test on the row's cells by column name.
_KEEP: dict[str, tuple[str, Callable[[dict[str, str]], bool]]] = {
    "cbp": ("Drug Type = Fentanyl", lambda r: r.get("Drug Type", "").strip() == "Fentanyl"),
    "cdc-vsrr": ("state = US (national)", lambda r: r.get("state", "").strip() == "US"),
    "phac": (
        "Region = Canada, Substance = Opioids, Source = Deaths, overall numbers and type of "
        "opioids",
        lambda r: (
            r.get("Region") == "Canada"
            and r.get("Substance") == "Opioids"
            and r.get("Source") == "Deaths"
            and r.get("Specific_Measure") in ("Overall numbers", "Type of opioids")
        ),
    ),
}


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
        text = read_text(data, str(path))
        fmt, skip = detect(text, str(path))
        if fmt.name not in _KEEP:
            continue
        description, keep = _KEEP[fmt.name]
        lines = text.splitlines()
        header = lines[skip]
        columns = next(csv.reader([header]))
        kept = [
            line
            for line in lines[skip + 1 :]
            if line.strip() and keep(dict(zip(columns, next(csv.reader([line])), strict=False)))
        ]
        name = f"{fmt.name}--{path.name}"
        (out / name).write_text("\n".join([*lines[: skip + 1], *kept]) + "\n", encoding="utf-8")
        written.append(
            BundledFile(
                name, fmt.name, path.name, hashlib.sha256(data).hexdigest(), len(kept), description
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
