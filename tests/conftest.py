"""Shared fixtures: paths to ../shared material, stores on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from borderflow.store import Store

# The browser fixtures (a served app over one store per test process, chromium, pages that
# fail on policy violations), for every module under tests/web that drives a browser.
pytest_plugins = ["tests.web.browser"]

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
PG_ADMIN_URL = os.environ.get(
    "BORDERFLOW_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


DATA = SHARED / "data"

# Model fits compile the same programs in every worker process; one compile cache for the
# test run lets the tens of fits below share them (the workers read this from the
# environment they inherit). A user's fits get theirs from Settings.compile_cache.
os.environ.setdefault("JAX_COMPILATION_CACHE_DIR", str(ROOT / "test-output" / "jax-cache"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The modules marked `long` first, each module's tests kept in order. pytest-xdist
    hands out whole modules in this order; with a long module last, one process ran
    alone for its final three minutes while the other sat idle (840 s against 663 s,
    measured 2026-12-01)."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


def _shared_missing(reason: str) -> None:
    """Without ../shared a test cannot run: a skip on a developer's machine, a failure
    under CI=true, where a skipped test would pass for nothing."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; under CI=true the tests that need ../shared must run")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    if not (DATA / "cbp").is_dir():
        _shared_missing(f"official data files not found at {DATA} (../shared/data is absent)")
    return DATA


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir() or not any(SEEDS.glob("*.txt")):
        _shared_missing(f"seed articles not found at {SEEDS} (../shared/seeds is absent)")
    return SEEDS


@pytest.fixture(scope="session")
def fitted_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store file with the bundled official series and one converged fit,
    made once for the whole run (tests/fits.py); copy it, never write to it."""
    from tests.fits import build_fitted_data, built_once

    return built_once(tmp_path_factory, "fitted-data", build_fitted_data)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


def _pg_unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL is required under CI=true: {reason}")
    pytest.skip(f"no PostgreSQL server for the store tests: {reason}")


# How many databases may wait to be dropped before a test waits for the oldest.
_DROPS_BEHIND = 4


@dataclass
class _Drops:
    """The databases this test process dropped in the background, each with its drop."""

    pool: ThreadPoolExecutor
    done: list[tuple[str, Future[None]]] = field(default_factory=list)

    def drop(self, admin: str, name: str, *, behind: int = _DROPS_BEHIND) -> None:
        """Drop `name` once those before it are dropped, first waiting (for the oldest)
        while `behind` or more wait: a run of quick tests would otherwise hold tens of
        databases at once. A test that drops many at its end passes a larger `behind`."""
        waiting = [done for _, done in self.done if not done.done()]
        if len(waiting) >= behind:
            waiting[0].exception()  # waits for it
        self.done.append((name, self.pool.submit(_drop_database, admin, name)))


@pytest.fixture(scope="session")
def _pg_drops() -> Iterator[_Drops]:
    """Drops the tests' databases in the background. A DROP DATABASE waits for the
    server to flush (2-2.7 s each, measured 2026-12-02, more than most store tests take),
    so the next test runs meanwhile; the run waits for the last drop before it ends,
    and a drop that failed fails the run there."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pg-drop") as pool:
        drops = _Drops(pool)
        yield drops
    failed = [f"{name}: {done.exception()}" for name, done in drops.done if done.exception()]
    if failed:
        pytest.fail("databases not dropped: " + "; ".join(failed))


@pytest.fixture
def postgres_url(_pg_drops: _Drops) -> Iterator[str]:
    """A fresh database on the local server, dropped afterwards."""
    yield from _postgres_database(_pg_drops)


@pytest.fixture(scope="module")
def module_postgres_url(_pg_drops: _Drops) -> Iterator[str]:
    """Like postgres_url, shared by the tests of one module (for expensive set-ups)."""
    yield from _postgres_database(_pg_drops)


def _postgres_database(drops: _Drops) -> Iterator[str]:
    import psycopg

    admin = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    name = f"borderflow_test_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        _pg_unavailable(str(exc).strip().splitlines()[0])
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        drops.drop(admin, name)


def _drop_database(admin: str, name: str) -> None:
    import psycopg

    # Bounded, so that a drop that hangs fails the run rather than stalling its end.
    with psycopg.connect(
        admin, autocommit=True, connect_timeout=10, options="-c statement_timeout=120000"
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest) -> str:
    """Each store test runs once on SQLite and once on PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(name))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_store_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """A store URL shared by one module's tests, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('store') / 'module.db'}"
    return str(request.getfixturevalue("module_postgres_url"))


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened
