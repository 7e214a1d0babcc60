"""Several writers at once (issue 12, items 2, 4, 10 and 11), on SQLite and PostgreSQL.

The store, not a read-then-write in Python, keeps content unique, and writers take turns:
whatever runs at the same time, the store ends equal to the same work done one after the
other.
"""

from __future__ import annotations

import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import insert, text
from sqlalchemy.exc import IntegrityError

from borderflow.checks.runner import run_and_store
from borderflow.datasets.importer import import_files
from borderflow.errors import StoreBusyError
from borderflow.store import NewDocument, Store
from borderflow.store.checks import checks_stale
from borderflow.store.database import alembic_config, create_store_engine
from borderflow.store.documents import VERSIONS
from borderflow.workflows import add_document, import_and_recheck
from tests.store.snapshot import build_corpus, cli, data_files, run_cli, snapshot

pytestmark = pytest.mark.long  # scheduled first (tests/conftest.py)


def _document(content_hash: str, key: str) -> NewDocument:
    return NewDocument(
        source=key, source_key=key, content_hash=content_hash, fmt="text", size=4, text="text",
        title=None, outlet=None, author=None, published=date(2025, 1, 1),
        extractor_version="test",
    )  # fmt: skip


def test_two_ingests_of_the_same_content_store_it_once(store_url: str, tmp_path: Path) -> None:
    first = build_corpus(tmp_path / "a", 40)
    second = build_corpus(tmp_path / "b", 40)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert run_cli("db", "upgrade", url=store_url).returncode == 0
    procs = [
        subprocess.Popen(cli("ingest", str(folder), url=store_url), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for folder in (tmp_path / "a", tmp_path / "b")
    ]  # fmt: skip
    outcomes = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outcomes
    serial = f"sqlite:///{tmp_path / 'serial.db'}"
    assert run_cli("ingest", str(tmp_path / "a"), url=serial).returncode == 0
    got, want = snapshot(store_url), snapshot(serial)
    assert len(got["documents"]) == 40
    assert got["documents"] == want["documents"]
    assert got["claims"] == want["claims"]


def test_four_writers_at_once_equal_a_serial_run(store_url: str, tmp_path: Path) -> None:
    """Two CLI ingests of the same articles under different paths, a CLI import, and web
    uploads of some of the same articles, all at once; then one check."""
    build_corpus(tmp_path / "a", 30)
    uploads = build_corpus(tmp_path / "b", 30)[:10]
    data = [str(p) for p in data_files()]
    assert run_cli("db", "upgrade", url=store_url).returncode == 0

    def upload(path: Path) -> str:
        with Store.open(store_url) as store:
            return add_document(store, path.name, path.read_bytes(), max_bytes=10**6).status

    procs = [
        subprocess.Popen(cli(*args, url=store_url), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for args in (["ingest", str(tmp_path / "a")], ["ingest", str(tmp_path / "b")],
                     ["data", "import", *data])
    ]  # fmt: skip
    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(upload, uploads))
    outcomes = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outcomes
    assert set(statuses) <= {"added", "duplicate"}
    assert run_cli("check", url=store_url).returncode == 0

    serial = f"sqlite:///{tmp_path / 'serial.db'}"
    for args in (["ingest", str(tmp_path / "a")], ["data", "import", *data], ["check"]):
        assert run_cli(*args, url=serial).returncode == 0
    got, want = snapshot(store_url), snapshot(serial)
    assert len(got["documents"]) == 30
    for table in want:
        assert got[table] == want[table], table


def test_a_writer_waits_for_another_then_gives_up_clearly(store_url: str) -> None:
    with Store.open(store_url) as holder, Store.open(store_url, busy_seconds=0.3) as waiter:
        entered, release = threading.Event(), threading.Event()

        def hold() -> None:
            with holder.write():
                entered.set()
                release.wait(10)

        thread = threading.Thread(target=hold)
        thread.start()
        assert entered.wait(10)
        try:
            with pytest.raises(StoreBusyError, match="the store is busy"):
                waiter.save_document(_document("h1", "/a.txt"))
        finally:
            release.set()
            thread.join()
        # Once the other writer is done, the same write goes through.
        assert waiter.save_document(_document("h1", "/a.txt")).status == "added"


def test_writers_take_turns_rather_than_fail(store_url: str) -> None:
    """Eight threads saving at once (what parallel web uploads do): every save lands, and
    the same bytes sent by several of them are stored once."""
    with Store.open(store_url) as store:

        def save(i: int) -> str:
            return store.save_document(_document(f"h{i % 4}", f"/doc{i}.txt")).status

        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(save, range(24)))
        assert statuses.count("added") == 4
        assert store.counts()["documents"] == 4


def test_content_is_unique_in_the_store_itself(store: Store) -> None:
    store.save_document(_document("same", "/a.txt"))
    with pytest.raises(IntegrityError), store.engine.begin() as conn:
        row = conn.execute(text("SELECT document_id FROM document_versions")).scalar_one()
        conn.execute(
            insert(VERSIONS).values(
                document_id=row, version=2, is_current=False, content_hash="same",
                format="text", size=1, text="x", metadata={}, repairs=[],
                extractor_version="t", ingested_at=date(2025, 1, 1),
            )
        )  # fmt: skip


def test_migration_removes_copies_stored_before_it(store_url: str) -> None:
    """Stores written by earlier versions may hold the same content twice (the race this
    issue fixes); upgrading keeps the first copy and builds the unique index."""
    engine = create_store_engine(store_url)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0004")
    with engine.begin() as conn:
        for doc_id, key in ((1, "/a.txt"), (2, "/b.txt")):
            conn.execute(
                text(
                    "INSERT INTO documents (id, source, source_key, created_at)"
                    " VALUES (:i, :s, :k, '2025-01-01')"
                ),
                {"i": doc_id, "s": key, "k": key},
            )
            conn.execute(
                text(
                    "INSERT INTO document_versions (id, document_id, version, is_current,"
                    " content_hash, format, size, text, metadata, repairs, extractor_version,"
                    " ingested_at) VALUES (:i, :i, 1, TRUE, 'same', 'text', 4, 'text', '{}',"
                    " '[]', 't', '2025-01-01')"
                ),
                {"i": doc_id},
            )
    engine.dispose()
    with Store.open(store_url) as store:
        assert [d.source for d in store.documents()] == ["/a.txt"]


def test_verdicts_made_before_new_data_are_redone(store_url: str, seeds_dir: Path) -> None:
    """An import stopped after saving its data but before its re-check (item 4): the stale
    verdicts are found and redone by the next import, even one that brings nothing new."""
    first, *rest = data_files()
    with Store.open(store_url) as store:
        for path in sorted(seeds_dir.iterdir())[:2]:
            add_document(store, path.name, path.read_bytes(), max_bytes=10**6)
        import_files(store, [first])
        run_and_store(store)
        assert not checks_stale(store)
        import_files(store, rest)  # the data land; the re-check never runs
        assert checks_stale(store)
        outcome = import_and_recheck(store, rest)
        assert all(r.result.status != "imported" for r in outcome.results)
        assert outcome.rechecked and not checks_stale(store)
