"""A real Dask cluster for the cluster tests: a scheduler and two workers started as
processes of their own, the way a user starts them (`dask scheduler`, `dask worker`), so
the workers import borderflow themselves and share nothing with the test but the
scheduler's tcp:// address and the database. Subprocesses rather than a LocalCluster,
whose workers are forked or spawned from the test process: these can also be killed one
at a time, and a worker can be started with a preload that makes it die."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

DASK = Path(sys.executable).with_name("dask")
DYING_WORKER = Path(__file__).with_name("dying_worker.py")
_START_SECONDS = 60.0


class Cluster:
    """A running scheduler and its worker processes (all ended by `close`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.processes: list[subprocess.Popen[bytes]] = []
        file = folder / "scheduler.json"
        self._start(
            "scheduler", "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
            "--scheduler-file", str(file),
        )  # fmt: skip
        _wait_until(file.is_file, "the Dask scheduler never wrote its address")
        self.address = str(json.loads(file.read_text())["address"])

    def add_worker(self, name: str, *extra: str) -> subprocess.Popen[bytes]:
        """A worker with one thread (extraction holds the GIL, so more threads in one
        process would not run faster)."""
        return self._start(
            name, "worker", self.address, "--nthreads", "1", "--no-dashboard", "--name", name,
            *extra,
        )  # fmt: skip

    def wait_for_workers(self, n: int) -> None:
        from distributed import Client

        with Client(self.address, timeout="30s", set_as_default=False) as client:
            client.wait_for_workers(n, timeout=_START_SECONDS)

    def close(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def _start(self, log: str, *args: str) -> subprocess.Popen[bytes]:
        with (self.folder / f"{log}.log").open("wb") as out:
            process = subprocess.Popen([str(DASK), *args], stdout=out, stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process


def _wait_until(done: object, failure: str) -> None:
    deadline = time.monotonic() + _START_SECONDS
    while not done():  # type: ignore[operator]
        if time.monotonic() > deadline:
            pytest.fail(failure)
        time.sleep(0.1)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """A scheduler with two workers, for one test module."""
    running = Cluster(tmp_path_factory.mktemp("dask"))
    try:
        running.add_worker("one")
        running.add_worker("two")
        running.wait_for_workers(2)
        yield running
    finally:
        running.close()
