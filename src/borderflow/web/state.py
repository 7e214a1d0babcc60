"""What one app instance holds between requests: its store, templates and small caches
that are rebuilt whenever the store changes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi import HTTPException, Request
from fastapi.templating import Jinja2Templates

from borderflow.records.estimates import ScenarioOutcome
from borderflow.store import Store
from borderflow.web.config import WebConfig

T = TypeVar("T")


@dataclass
class AppState:
    config: WebConfig
    store: Store
    templates: Jinja2Templates
    _cache: dict[str, tuple[tuple[Any, ...], Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def generation(self) -> tuple[Any, ...]:
        """The store's generation: the key under which cached pages stay valid."""
        return self.store.generation()

    def cached(
        self,
        key: str,
        build: Callable[[], T],
        generation: Callable[[], tuple[Any, ...]] | None = None,
    ) -> T:
        """`build()` once per store generation, or once per value of `generation` for
        an answer that reads only part of the store (and must survive other changes)."""
        now = (generation or self.generation)()
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None and hit[0] == now:
            value: T = hit[1]
            return value
        value = build()
        with self._lock:
            self._cache[key] = (now, value)
        return value

    def cached_on_data(self, key: str, build: Callable[[], T]) -> T:
        """`build()` once per state of the official data and model fit in use
        (Store.data_generation): for charts of the data, which new documents and verdicts
        leave as they were."""
        return self.cached(key, build, lambda: (self.store.data_generation(),))

    def run_scenario(self, levers: dict[str, float]) -> list[ScenarioOutcome]:
        """Outcome rows for the form's levers against the fit in use (baseline first)."""
        from borderflow.web.scenarios import evaluate, scenario_from_levers

        base, engine = self.cached(
            "scenario", lambda: _scenario_context(self.store, self.config.scenario_draws)
        )
        with self._lock:  # one compiled engine; its jit cache is not for concurrent builds
            return evaluate(engine, base, scenario_from_levers(base.spec, levers))

    def check_token(self, offered: str | None) -> None:
        """Refuse a write without the right token when the server needs one."""
        wanted = self.config.write_token
        if wanted is None:
            return
        if not offered or not _same(offered, wanted):
            raise HTTPException(
                401,
                "this server listens beyond loopback: writing needs its token "
                "(Authorization: Bearer TOKEN, or the token field of the form)",
                headers={"WWW-Authenticate": "Bearer"},
            )


def _same(a: str, b: str) -> bool:
    import hmac

    return hmac.compare_digest(a.encode(), b.encode())


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.borderflow
    return state


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return None


def _scenario_context(store: Store, draws: int) -> tuple[Any, Any]:
    """(baseline, engine) for the fit in use, the newest that converged; built once per
    fit (the engine compiles)."""
    from borderflow.model.api import last_fit
    from borderflow.model.scenario import Engine, baseline_from

    posterior = last_fit(store)
    base = baseline_from(posterior, draws=draws)
    return base, Engine(base.spec)
