"""`ingest --scheduler` and `check --scheduler` on a real Dask cluster writing to PostgreSQL
(issue 16, part 4): the store ends as a local run leaves it, a batch run twice (its worker
died after storing it) stores nothing twice, and a cluster that cannot be used is refused
with a message that says why."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from borderflow.checks.runner import run_and_store
from borderflow.cluster import client as cluster_client
from borderflow.cluster.checks import check_on_cluster
from borderflow.cluster.ingest import IngestOptions, ingest_batch
from borderflow.datasets.importer import import_files
from borderflow.ingest.files import FileTask
from borderflow.store import Store
from tests.cluster.conftest import DYING_WORKER, Cluster
from tests.conftest import _Drops, _postgres_database
from tests.store.snapshot import data_files, snapshot

pytestmark = pytest.mark.long  # scheduled first (tests/conftest.py)

runner = CliRunner()
GENERATED = 120
# 5 seeds, the generated articles and one HTML page are stored; the empty file is refused.
STORED = 5 + GENERATED + 1
LIMIT = 10_000_000


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str


def _cli(url: str, *args: str) -> Ran:
    env = {"COLUMNS": "250", "BORDERFLOW_INGEST_WORKERS": "1"}
    result = runner.invoke(_app(), ["--db", url, *args], env=env)
    return Ran(result.exit_code, result.stdout, result.stderr)


def _app() -> object:
    from borderflow.cli import app

    return app


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    """The seed articles, articles made from them (each with a figure of its own), a web
    page, and an empty file that every ingest refuses."""
    folder = tmp_path_factory.mktemp("corpus")
    seeds = sorted(seeds_dir.glob("*.txt"))
    for seed in seeds:
        shutil.copy(seed, folder / seed.name)
    for i in range(GENERATED):
        body = seeds[i % len(seeds)].read_text(encoding="utf-8")
        extra = f"Officers seized {i + 1} kilograms of fentanyl at Nogales in March 2024."
        (folder / "made" / f"{i // 50}").mkdir(parents=True, exist_ok=True)
        (folder / "made" / f"{i // 50}" / f"made-{i:03d}.txt").write_text(f"{body}\n{extra}\n")
    (folder / "page.html").write_text(
        "<html><head><title>Port report</title></head><body><p>Published 2024-05-02.</p>"
        "<p>CBP officers seized 1,200 pounds of fentanyl in April 2024.</p></body></html>"
    )
    (folder / "empty.txt").write_text("")
    return folder


def _with_data(url: str) -> None:
    with Store.open(url) as store:
        _, errors = import_files(store, data_files())
    assert not errors


@pytest.fixture(scope="module")
def local(module_postgres_url: str, corpus: Path) -> tuple[str, Ran]:
    """The reference: the corpus ingested and checked on this machine alone."""
    _with_data(module_postgres_url)
    ran = _cli(module_postgres_url, "ingest", str(corpus))
    with Store.open(module_postgres_url) as store:
        run_and_store(store)
    return module_postgres_url, ran


@pytest.fixture(scope="module")
def clustered_url(_pg_drops: _Drops) -> Iterator[str]:
    yield from _postgres_database(_pg_drops)


@pytest.fixture(scope="module")
def clustered(clustered_url: str, corpus: Path, cluster: Cluster) -> Ran:
    """The same corpus ingested through the cluster."""
    _with_data(clustered_url)
    return _cli(clustered_url, "ingest", str(corpus), "--scheduler", cluster.address)


def _stored(url: str) -> dict[str, list[tuple[object, ...]]]:
    found = snapshot(url)
    return {"documents": found["documents"], "claims": found["claims"]}


def _counts(url: str) -> tuple[int, int, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return tuple(  # type: ignore[return-value]
                conn.scalar(text(f"SELECT count(*) FROM {table}"))
                for table in ("documents", "document_versions", "claims")
            )
    finally:
        engine.dispose()


def test_the_cluster_stores_what_a_local_ingest_stores(
    local: tuple[str, Ran], clustered: Ran, clustered_url: str
) -> None:
    reference_url, alone = local
    assert clustered.code == alone.code == 1  # the empty file
    assert clustered.out.startswith(f"ingest: {STORED} added, 0 new versions, 0 unchanged, ")
    assert clustered.out == alone.out and clustered.err == alone.err
    assert clustered.err.strip().endswith("empty.txt: file is empty")
    assert _stored(clustered_url) == _stored(reference_url)
    assert _counts(clustered_url)[:2] == (STORED, STORED)


def test_ingesting_again_on_the_cluster_changes_nothing(
    clustered: Ran, clustered_url: str, corpus: Path, cluster: Cluster
) -> None:
    before = _stored(clustered_url)
    again = _cli(clustered_url, "ingest", str(corpus), "--scheduler", cluster.address)
    assert again.code == 1, again.err
    assert again.out.strip() == (
        f"ingest: 0 added, 0 new versions, {STORED} unchanged, 0 duplicates, 1 failed, "
        "0 claims extracted"
    )
    assert _stored(clustered_url) == before


def test_a_batch_run_twice_stores_it_once(postgres_url: str, corpus: Path) -> None:
    files = [(FileTask(p, str(p), str(p.resolve())), p.read_bytes())
             for p in sorted(corpus.glob("*.txt"))]  # fmt: skip
    assert len(files) == 6  # the five seeds and the empty file
    options = IngestOptions(postgres_url, LIMIT)
    first = ingest_batch(options, files[:3])
    assert [o.result.status for o in first if o.result] == ["added"] * 3
    after_first = _counts(postgres_url)
    assert after_first[:2] == (3, 3) and after_first[2] == sum(
        o.result.claims for o in first if o.result
    )
    # The whole batch, as the scheduler reruns it: the three stored are found, not added.
    whole = ingest_batch(options, files)
    statuses = [(o.result.status if o.result else o.error) for o in whole]
    assert statuses == ["unchanged"] * 3 + ["added", "added", "file is empty"]
    assert [o.result.document_id for o in whole[:3] if o.result] == [
        o.result.document_id for o in first if o.result
    ]
    once = _counts(postgres_url)
    again = ingest_batch(options, files)
    assert [o.result.status for o in again if o.result] == ["unchanged"] * 5
    assert _counts(postgres_url) == once and once[:2] == (5, 5)


def test_a_worker_that_dies_after_storing_its_batch_loses_nothing(
    postgres_url: str, corpus: Path, cluster: Cluster, local: tuple[str, Ran]
) -> None:
    _with_data(postgres_url)
    dying = cluster.add_worker("dying", "--no-nanny", "--preload", str(DYING_WORKER))
    cluster.wait_for_workers(3)
    ran = _cli(postgres_url, "ingest", str(corpus), "--scheduler", cluster.address)
    try:
        assert dying.wait(timeout=30) == 9
    except subprocess.TimeoutExpired:
        pytest.fail("the dying worker was given no batch, so nothing was retried")
    assert ran.code == 1 and ran.err.strip().endswith("empty.txt: file is empty"), ran.err
    parts = dict(reversed(p.split(" ", 1)) for p in ran.out.strip()[8:].split(", "))
    # Its batch was stored, then run again elsewhere: those files come back unchanged.
    assert int(parts["unchanged"]) > 0
    assert int(parts["added"]) + int(parts["unchanged"]) == STORED and parts["failed"] == "1"
    assert _stored(postgres_url) == _stored(local[0])
    assert _counts(postgres_url) == _counts(local[0])


def test_the_cluster_check_stores_the_verdicts_a_local_check_stores(
    clustered: Ran, clustered_url: str, cluster: Cluster, local: tuple[str, Ran]
) -> None:
    with Store.open(clustered_url) as store:
        done = check_on_cluster(store, cluster.address, clustered_url, batch_documents=10)
    assert done.documents == STORED and done.written > 0
    assert _alike(snapshot(clustered_url)["checks"]) == _alike(snapshot(local[0])["checks"])
    # Everything again, through the command line: every verdict is as it was.
    alone = _cli(local[0], "check", "--all", "--format", "jsonl", "--every-check")
    ran = _cli(clustered_url, "check", "--all", "--format", "jsonl", "--every-check",
               "--scheduler", cluster.address)  # fmt: skip
    assert ran.code == alone.code == 0, ran.err
    assert ran.err == alone.err and "; 0 stored verdicts added, changed or deleted" in ran.err
    assert _without_ids(ran.out) == _without_ids(alone.out) and ran.out.count("\n") > STORED


def _alike(checks: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """Stored verdicts as two stores agree on them. A conflict between sources quotes the
    first of the documents that disagree, and the cluster numbers documents in the order its
    batches finish, so it may quote another of them: its words are left out, its verdict,
    confidence and headline kept (every other check's words are compared)."""
    return sorted(
        ((*row[:6], None, *row[7:]) if row[2] == "sources" else row for row in checks), key=repr
    )


def _without_ids(jsonl: str) -> list[str]:
    """Verdicts as two stores can be compared: the cluster numbers documents in the order
    its batches finish, so ids (the claim's, its document's, and those its citations
    point at) differ from a local run's, and so may the document a conflict quotes
    (`_alike`); everything else must not."""
    records = []
    for line in jsonl.splitlines():
        record = json.loads(line)
        del record["claim_id"], record["document_id"]
        if record["check"] == "sources":  # which disagreeing document is quoted: `_alike`
            del record["explanation"], record["citations"]
        for citation in record.get("citations", []):
            citation.pop("document_id", None)
        records.append(json.dumps(record, sort_keys=True))
    return sorted(records)


@pytest.mark.parametrize("command", ["ingest", "check"])
def test_a_sqlite_store_is_refused(
    command: str, tmp_path: Path, corpus: Path, cluster: Cluster
) -> None:
    store = tmp_path / "local.db"
    args = ["ingest", str(corpus)] if command == "ingest" else ["check"]
    ran = _cli(f"sqlite:///{store}", *args, "--scheduler", cluster.address)
    assert ran.code == 1
    assert ran.err.startswith(f"error: --scheduler needs a PostgreSQL store, not sqlite:///{store}")
    assert "a cluster writes to PostgreSQL; set BORDERFLOW_DATABASE_URL or --db" in ran.err
    assert not store.exists()


def test_an_unreachable_scheduler_is_an_error(
    postgres_url: str, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cluster_client, "CONNECT_SECONDS", 1.0)
    with socket.socket() as free:  # a port nothing listens on once it is closed
        free.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{free.getsockname()[1]}"
    for args in (["ingest", str(corpus)], ["check"]):
        ran = _cli(postgres_url, *args, "--scheduler", address)
        assert ran.code == 1 and "Traceback" not in ran.err
        assert ran.err.startswith(f"error: cannot reach the Dask scheduler at '{address}' ")
    assert _counts(postgres_url) == (0, 0, 0)


def test_a_scheduler_without_workers_is_an_error(
    postgres_url: str, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cluster_client, "WORKER_WAIT_SECONDS", 1.0)
    empty = Cluster(tmp_path)
    try:
        ran = _cli(postgres_url, "ingest", str(corpus), "--scheduler", empty.address)
    finally:
        empty.close()
    assert ran.code == 1
    assert ran.err.startswith(f"error: the Dask scheduler at {empty.address} has no workers")
    assert f"start some with `dask worker {empty.address}`" in ran.err


def test_a_cluster_whose_workers_all_died_stops_with_an_error(
    postgres_url: str, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its only worker dies after its first batch: the client does not wait for ever for a
    worker to come back, it says what happened and that what finished is stored."""
    monkeypatch.setattr(cluster_client, "LOST_WORKERS_SECONDS", 2.0)
    _with_data(postgres_url)
    alone = Cluster(tmp_path)
    try:
        dying = alone.add_worker("dying", "--no-nanny", "--preload", str(DYING_WORKER))
        alone.wait_for_workers(1)
        started = time.monotonic()
        ran = _cli(postgres_url, "ingest", str(corpus), "--scheduler", alone.address)
        assert dying.wait(timeout=30) == 9
    finally:
        alone.close()
    assert time.monotonic() - started < 60
    assert ran.code == 1 and "Traceback" not in ran.err
    assert "every Dask worker has left the scheduler and none joined within 2 s" in ran.err
    assert "What finished is stored" in ran.err
    assert _counts(postgres_url)[0] > 0  # the batch stored before its worker died stays


def test_the_client_keeps_few_of_the_batches_it_sent(
    postgres_url: str, corpus: Path, cluster: Cluster
) -> None:
    """Dask's client keeps a log of the messages it sent, each batch of files' bytes
    included (1,000 by default: the client grew with the corpus); borderflow's keeps
    `SENT_MESSAGES_KEPT`, and leaves Dask's setting as it found it."""
    import dask

    before = dask.config.get("distributed.admin.low-level-log-length")
    files = sorted(corpus.glob("*.txt"))[:3]
    options = IngestOptions(postgres_url, LIMIT)
    with cluster_client.connected(cluster.address, postgres_url) as client:
        for path in files:  # one batch per file: more messages than the log keeps
            for _ in range(cluster_client.SENT_MESSAGES_KEPT // len(files) + 2):
                task = FileTask(path, str(path), str(path))
                client.submit(
                    ingest_batch, options, [(task, path.read_bytes())], pure=False
                ).result()
        log = client.scheduler_comm.recent_message_log
        assert log.maxlen == cluster_client.SENT_MESSAGES_KEPT == len(log)
    assert dask.config.get("distributed.admin.low-level-log-length") == before
