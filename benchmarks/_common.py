"""Helpers shared by the benchmark scripts: the seed corpus, machine facts, RESULTS.md."""

from __future__ import annotations

import os
import platform
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
WORK = Path(__file__).resolve().parent / ".work"


def seed_paths() -> list[Path]:
    paths = sorted(SEEDS.glob("*.txt"))
    if not paths:
        raise SystemExit(f"benchmark needs the seed articles in {SEEDS}")
    return paths


def machine() -> str:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {commit or '?'}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}"
    )


def table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def record(title: str, body: str) -> None:
    """Print a result and append it to benchmarks/RESULTS.md."""
    block = f"\n## {title}\n\n{machine()}\n\n{body}\n"
    print(block)
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write(block)


def write_corpus(folder: Path, n: int, start: int = 0) -> int:
    """`n` distinct articles made from the seeds (each ends with a figure of its own), in
    folders of 1,000, numbered from `start`; returns their size in bytes."""
    seeds = [p.read_text(encoding="utf-8") for p in seed_paths()]
    size = 0
    for i in range(start, start + n):
        extra = f"Article {i}: officers seized {i % 97 + 1} kg in {2015 + i % 10}."
        text = f"{seeds[i % len(seeds)]}\n{extra}\n"
        path = folder / f"{i // 1000:02d}" / f"article-{i:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        size += len(text.encode())
    return size


def fuzz_runs(examples: int) -> Any:
    """Hypothesis settings for the fuzz benchmarks: `examples` generated inputs, every one
    run (no shrinking towards one crash, no example database), whatever their speed."""
    from hypothesis import HealthCheck, Phase, settings

    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


@contextmanager
def served(url: str, *, workers: int = 1, stderr: int | None = subprocess.DEVNULL) -> Iterator[str]:
    """`borderflow serve` over the store at `url` on a free loopback port, as a user runs
    it; yields its base address once it answers, and stops it afterwards."""
    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = str(Path(sys.executable).parent / "borderflow")
    server = subprocess.Popen(
        [command, "--db", url, "serve", "--port", str(port), "--workers", str(workers)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/api/v1/openapi.json", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(10)
