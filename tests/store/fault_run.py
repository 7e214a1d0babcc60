"""The fault-injection run (issue 12) shared by the SQLite and PostgreSQL test files, which
are separate so that the two backends' runs (a few minutes each) go to different test
workers: `kill -9` during an ingest, an import or a re-check, then the same command run
again, must leave the store, verdicts included, equal to a run that was never interrupted.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from tests.conftest import PG_ADMIN_URL, _Drops
from tests.store.snapshot import build_corpus, cli, data_files, run_cli, snapshot

KILLS = 20


def _steps(corpus: Path) -> list[list[str]]:
    return [["ingest", str(corpus)], ["data", "import", *map(str, data_files())], ["check"]]


class SqliteStores:
    """Stores as files: a copy of the file is a copy of the store (no process has it
    open when it is copied, so the write-ahead log is already folded in)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def new(self, name: str, like: str | None = None) -> str:
        path = self.folder / f"{name}.db"
        if like is not None:
            shutil.copyfile(like.removeprefix("sqlite:///"), path)
        return f"sqlite:///{path}"


class PostgresStores:
    """Stores as databases copied with CREATE DATABASE ... TEMPLATE; all dropped at the end
    (in the background)."""

    def __init__(self) -> None:
        import psycopg

        self._admin = psycopg.connect(
            PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://"), autocommit=True
        )
        self._base = PG_ADMIN_URL.rsplit("/", 1)[0]
        self.names: list[str] = []

    def new(self, name: str, like: str | None = None) -> str:
        db = f"borderflow_fault_{uuid.uuid4().hex[:10]}"
        template = f' TEMPLATE "{like.rsplit("/", 1)[1]}"' if like else ""
        self._admin.execute(f'CREATE DATABASE "{db}"{template}')
        self.names.append(db)
        return f"{self._base}/{db}"

    def close(self, drops: _Drops) -> None:
        """Hand every database made to the test run's background drops (each drop
        waits for the server to flush: a minute for these, one after another)."""
        self._admin.close()
        admin = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
        for db in self.names:
            drops.drop(admin, db, behind=len(self.names) + 1)


def killed_and_rerun(stores: Callable[..., str], tmp_path: Path) -> None:
    """KILLS kills spread over the three steps, each followed by the same command run
    again, each compared with the clean run's store."""
    steps = _steps(tmp_path / "corpus")
    build_corpus(tmp_path / "corpus", 40)
    # The clean run: the store before each step, after it, and how long the step took;
    # kills fall between the end of start-up (timed on a command that only reads) and
    # the end of the step, where the writes are.
    before, after, seconds = [], [], []
    url = stores("clean")
    assert run_cli("db", "upgrade", url=url).returncode == 0
    assert run_cli("documents", url=url).returncode == 0  # the first run compiles
    started = time.monotonic()
    assert run_cli("documents", url=url).returncode == 0
    startup = time.monotonic() - started
    for i, step in enumerate(steps):
        before.append(stores(f"before{i}", like=url))
        started = time.monotonic()
        done = run_cli(*step, url=url)
        assert done.returncode == 0, done.stderr
        seconds.append(time.monotonic() - started)
        after.append(snapshot(url))

    floor = [0.8 * startup] * len(steps)
    rng = random.Random(12)
    interrupted = attempts = 0
    while interrupted < KILLS:
        attempts += 1
        assert attempts <= 5 * KILLS, f"only {interrupted} kills landed while a step ran"
        i = interrupted % len(steps)
        victim = stores(f"kill{attempts}", like=before[i])
        proc = subprocess.Popen(
            cli(*steps[i], url=victim), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        delay = rng.uniform(floor[i], seconds[i])
        time.sleep(delay)
        if proc.poll() is not None:
            # Finished before the kill (the clean run was slower, e.g. while Python
            # compiled the package for the first time, or the machine was busier then):
            # aim earlier, lowering the floor too once the window has closed on it.
            seconds[i] = max(floor[i] + 0.05, 0.9 * delay)
            floor[i] = min(floor[i], 0.7 * delay)
            continue
        proc.kill()
        proc.wait()
        interrupted += 1
        rerun = run_cli(*steps[i], url=victim)
        assert rerun.returncode == 0, (attempts, steps[i][0], rerun.stderr)
        assert snapshot(victim) == after[i], (attempts, steps[i][0])
