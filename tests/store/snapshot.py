"""What a store holds, in a form two stores can be compared by: no ids, no timestamps, no
paths (which copy of the same content was stored first is a race, not a difference), and
documents known by their content.

Shared by the concurrency and fault-injection tests, which compare a store written under
stress with one written calmly, and by the CLI runner those tests use.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from borderflow.datasets.bundle import reference_files

SAMPLES = Path(__file__).resolve().parents[2] / "src" / "borderflow" / "samples"
_QUERIES = {
    "documents": """
        SELECT v.content_hash, v.version, v.is_current, v.format, v.size, d.published
        FROM document_versions v JOIN documents d ON d.id = v.document_id""",
    "claims": """
        SELECT v.content_hash, c.start_offset, c.end_offset, c.text, c.value,
               c.normalized_value, c.measure, c.substance, c.agency, c.period_start
        FROM claims c JOIN document_versions v ON v.id = c.version_id""",
    "releases": """
        SELECT source, content_hash, rows, observations, skipped_rows, rank FROM releases""",
    "observations": """
        SELECT o.source, o.measure, o.key, o.value, o.suppressed, r.content_hash, o.line
        FROM observations o JOIN releases r ON r.id = o.release_id""",
    "history": """
        SELECT o.source, o.measure, o.key, ov.value, r.content_hash
        FROM observation_values ov JOIN observations o ON o.id = ov.observation_id
        JOIN releases r ON r.id = ov.release_id""",
    "checks": """
        SELECT v.content_hash, c.start_offset, k."check", k.verdict, k.headline,
               k.confidence, k.explanation, k.expected, v.checked_generation
        FROM checks k JOIN claims c ON c.id = k.claim_id
        JOIN document_versions v ON v.id = c.version_id""",
}


def snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's content as sorted tuples (values rounded so that SQLite and
    PostgreSQL floats compare equal)."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            return {
                name: sorted(
                    (tuple(_plain(v) for v in row) for row in conn.execute(text(sql))), key=repr
                )
                for name, sql in _QUERIES.items()
            }
    finally:
        engine.dispose()


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return value if value is None or isinstance(value, bool | str) else str(value)


def build_corpus(folder: Path, copies: int) -> list[Path]:
    """`copies` distinct articles made from the bundled samples (each copy ends with a line
    of its own, so every file has its own content), text files only."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = [p for p in sorted(SAMPLES.iterdir()) if p.suffix in (".txt", ".md")]
    made = []
    for i in range(copies):
        source = sources[i % len(sources)]
        path = folder / f"{i:04d}-{source.name}"
        path.write_text(source.read_text(encoding="utf-8") + f"\n\nFiled as note {i}.\n")
        made.append(path)
    return made


def data_files() -> list[Path]:
    """The bundled official series: small, and enough for every kind of check."""
    return list(reference_files())


def cli(*args: str, url: str) -> list[str]:
    """The command line that runs borderflow on `url` in its own process."""
    script = Path(sys.executable).with_name("borderflow")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "borderflow.cli"]
    return [*command, "--db", url, *args]


def run_cli(*args: str, url: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BORDERFLOW_INGEST_WORKERS": "1"}
    return subprocess.run(
        cli(*args, url=url), capture_output=True, text=True, timeout=timeout, env=env, check=False
    )
