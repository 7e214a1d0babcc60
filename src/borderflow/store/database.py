"""Opening the store: engine creation, Alembic migrations to the newest schema, and the
write transaction every change to the store goes through.

Writers are serialised by the database itself, so two processes (two ingests, an import
and a web upload) never interleave their reads and writes: SQLite takes its write lock up
front (BEGIN IMMEDIATE) instead of failing when a read transaction tries to upgrade, and
PostgreSQL takes one transaction-scoped advisory lock. Either waits up to the configured
time, then raises StoreBusyError, which the faces turn into "busy, try again".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError

from borderflow.errors import StoreBusyError, StoreError, StoreMissingError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
# Migration files are named by their revision ("0010_source_group_states.py" is "0010"):
# the newest is known without Alembic, which most commands never need to load.
_REVISION_FILE = re.compile(r"^(\d{4})_\w+\.py$")
# The execution option that marks a connection as a writer (read by the SQLite begin hook).
_WRITER = "borderflow_writer"
# PostgreSQL advisory-lock key shared by every borderflow writer ("bflw" in ASCII).
_PG_WRITE_LOCK = 0x62666C77
# SQLSTATE of PostgreSQL's lock_timeout expiring.
_PG_LOCK_NOT_AVAILABLE = "55P03"


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def create_store_engine(
    url: str, *, busy_seconds: float = 60.0, must_exist: bool = False
) -> Engine:
    """An engine for `url`; SQLite files get their folder created, WAL mode, foreign keys
    and a busy timeout. With `must_exist`, a SQLite file that is not there is an error
    rather than a new empty store."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"not a database URL: {url!r}") from exc
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            path = Path(parsed.database).expanduser()
            if path.is_dir():
                raise StoreError(f"{path} is a folder, not a store file (give a file path)")
            if must_exist and not path.is_file():
                raise StoreMissingError(
                    f"no store at {path} (check --db or BORDERFLOW_DATABASE_URL; "
                    "`borderflow ingest` or `borderflow data import` creates one)"
                )
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": busy_seconds})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        return create_engine(parsed, pool_pre_ping=True)
    except (NoSuchModuleError, ImportError) as exc:
        raise StoreError(
            f"cannot use {url!r}: borderflow stores data in SQLite (sqlite:///PATH) or "
            "PostgreSQL (postgresql+psycopg://USER@HOST/DB)"
        ) from exc


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin, so that
    # SAVEPOINTs work (SQLAlchemy's documented recipe for pysqlite).
    dbapi_connection.isolation_level = None  # type: ignore[attr-defined]
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    immediate = connection.get_execution_options().get(_WRITER, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def write_transaction(engine: Engine, busy_seconds: float) -> Iterator[Connection]:
    """One transaction holding the store's write lock: committed when the block ends,
    rolled back on any error. Raises StoreBusyError when the lock is not free in time."""
    try:
        with engine.connect() as conn:
            conn.execution_options(**{_WRITER: True})
            with conn.begin():
                if engine.dialect.name == "postgresql":
                    millis = max(1, round(busy_seconds * 1000))
                    conn.exec_driver_sql(f"SET LOCAL lock_timeout = {millis}")
                    conn.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_WRITE_LOCK}
                    )
                yield conn
    except OperationalError as exc:
        if _is_busy(exc):
            raise StoreBusyError(
                f"the store is busy: another borderflow process held it for over "
                f"{busy_seconds:g} s; nothing was written, try again (or raise "
                "BORDERFLOW_STORE_BUSY_SECONDS)"
            ) from exc
        raise


def _is_busy(exc: OperationalError) -> bool:
    orig = exc.orig
    if getattr(orig, "sqlstate", None) == _PG_LOCK_NOT_AVAILABLE:
        return True
    return "database is locked" in str(orig) or "database table is locked" in str(orig)


def newest_revision() -> str:
    """The newest migration's revision, from the migration files' names."""
    found = (_REVISION_FILE.match(p.name) for p in (MIGRATIONS / "versions").iterdir())
    return max(m.group(1) for m in found if m)


def _stored_revision(connection: Connection) -> str | None:
    """The revision the store's schema is at, read without Alembic (None: a new store)."""
    if not connection.dialect.has_table(connection, "alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, busy_seconds: float = 60.0) -> None:
    """Bring the schema to the newest migration (a no-op when it is already there). Two
    processes opening a new store at once migrate it once: the second waits for the lock
    and then finds the schema current."""
    try:
        with engine.connect() as connection:
            if _stored_revision(connection) == newest_revision():
                return
        from alembic import command
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        cfg = alembic_config()
        head = ScriptDirectory.from_config(cfg).get_current_head()
        with write_transaction(engine, busy_seconds) as connection:
            if MigrationContext.configure(connection).get_current_revision() == head:
                return
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")
    except DBAPIError as exc:  # no server, no such database, not a database file...
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StoreError(
            f"cannot open the store at {engine.url.render_as_string()}: {reason}"
        ) from exc
