"""Worker processes never outlive `ingest` (issue 12, item 13), SIGTERM stops it cleanly,
and a worker that dies costs only the file it was reading."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from borderflow.ingest import pipeline
from borderflow.ingest.pipeline import ingest_paths
from borderflow.store import Store

pytestmark = [
    pytest.mark.skipif(
        not sys.platform.startswith("linux"), reason="reads worker processes from /proc"
    ),
    pytest.mark.long,  # scheduled first (tests/conftest.py)
]
LIMIT = 1_000_000
BORDERFLOW = Path(sys.executable).with_name("borderflow")


def _corpus(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"{i:05d}.txt").write_text(
            f"Report {i}. Border agents seized {i % 97 + 1} kg of fentanyl near Detroit in "
            f"{2015 + i % 10}, and {i % 13 + 2} people died of overdoses that week, officials "
            "said. The CBSA said seizures at the northern border rose 12% from last year.\n",
            encoding="utf-8",
        )
    return folder


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def _start_ingest(url: str, folder: Path) -> tuple[subprocess.Popen[str], list[int]]:
    """`borderflow ingest` with two workers, once both workers are running."""
    env = {**os.environ, "BORDERFLOW_INGEST_WORKERS": "2"}
    process = subprocess.Popen(
        [str(BORDERFLOW), "--db", url, "ingest", str(folder)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while len(workers := _children(process.pid)) < 2:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"ingest ended before its workers were seen: {process.communicate()}")
        time.sleep(0.05)
    time.sleep(0.3)
    return process, workers


def _gone_within(pids: list[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while any(_alive(pid) for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_workers_die_when_ingest_is_killed(tmp_path: Path) -> None:
    folder = _corpus(tmp_path / "corpus", 1500)
    process, workers = _start_ingest(f"sqlite:///{tmp_path / 'x.db'}", folder)
    process.kill()
    process.communicate(timeout=30)
    try:
        assert _gone_within(workers, 5), "workers outlived a killed ingest"
    finally:
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def _contents(url: str) -> tuple[list[tuple[str, str]], list[tuple[str, int, int, str]]]:
    with Store.open(url) as store:
        documents = sorted((d.source, d.title or "") for d in store.documents())
        claims = sorted((c.document, c.start, c.end, c.text) for c in store.claims())
    return documents, claims


def test_sigterm_stops_cleanly_and_running_again_finishes(store_url: str, tmp_path: Path) -> None:
    folder = _corpus(tmp_path / "corpus", 1500)
    process, workers = _start_ingest(store_url, folder)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 143, err
    assert err.splitlines()[-1] == (
        "error: ingest stopped by SIGTERM; the documents stored before it are complete (none "
        "is half-written); run the same command again to add the rest"
    )
    assert "Traceback" not in err and "ingest:" not in out
    assert _gone_within(workers, 5), "workers outlived a stopped ingest"
    again = subprocess.run(
        [str(BORDERFLOW), "--db", store_url, "ingest", str(folder)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    clean = f"sqlite:///{tmp_path / 'clean.db'}"
    with Store.open(clean) as store:
        assert ingest_paths([folder], store, max_bytes=LIMIT, workers=1).ok
    assert _contents(store_url) == _contents(clean)


def _crash_on(name: str) -> None:
    """Make the worker that prepares `name` die as if killed by the out-of-memory killer.
    Worker processes are forked, so they inherit the patched function."""
    real = pipeline.prepare

    def prepare(job: pipeline._Job) -> pipeline.Prepared:
        if job.task.path.name == name:
            os._exit(9)
        return real(job)

    pipeline.prepare = prepare  # type: ignore[assignment]


def test_a_worker_that_dies_costs_only_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _corpus(tmp_path / "corpus", 400)
    monkeypatch.setattr(pipeline, "prepare", pipeline.prepare)  # restored afterwards
    _crash_on("00077.txt")
    with Store.open(f"sqlite:///{tmp_path / 'x.db'}") as store:
        report = ingest_paths([folder], store, max_bytes=LIMIT, workers=2)
        stored = {d.source for d in store.documents()}
    assert [str(e) for e in report.errors] == [
        f"{folder / '00077.txt'}: the process reading it died (out of memory?); nothing was stored"
    ]
    assert report.count("added") == 399 and len(stored) == 399
