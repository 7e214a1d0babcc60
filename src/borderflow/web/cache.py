"""A response cache for GET requests, keyed by the store's generation.

Pages and API reads change only when the store does (a document, verdict, release or
model run added), so a rendered answer can be replayed until then. The generation is
read at most once a second per process: a write made through this app is seen at once
(it resets the clock), one made by the command line within a second. Pure ASGI, so a
hit costs no thread, no template and no SQL.

The cache is bounded twice, least recently used dropped first: by entries and by bytes.
A request's key holds only the query parameters the app reads, in one order; a request
with any other parameter (junk a crawler or an attacker appends) is answered but never
stored, so random query strings cannot grow the cache. Answers marked no-store (pages
with a form token) or setting a cookie are never stored either.

The cache sits outside the gzip middleware, so it keeps compressed answers for clients
that accept gzip (a hit costs no compression) and plain ones for those that do not: the
key says which."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Collection
from typing import Any
from urllib.parse import parse_qsl

Message = dict[str, Any]
Receive = Callable[[], Any]
Send = Callable[[Message], Any]

MAX_BODY = 2_000_000
GENERATION_TTL = 1.0
# Never cached: the stylesheet and scripts (served with their own cache headers, the
# large ones compressed once by `borderflow.web.static`).
_SKIP_PREFIXES = ("/vendor/", "/static/", "/assets/")


class ResponseCache:
    """ASGI middleware; `generation()` returns a value that changes with the store."""

    def __init__(
        self,
        app: Any,
        generation: Callable[[], Any],
        *,
        entries: int,
        max_bytes: int,
        known_params: Collection[str],
    ) -> None:
        self.app = app
        self.generation = generation
        self.max_entries = entries
        self.max_bytes = max_bytes
        self.max_body = min(MAX_BODY, max_bytes)
        self.known_params = frozenset(known_params)
        self._entries: OrderedDict[tuple[Any, ...], tuple[Any, Message, bytes]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._known: tuple[float, Any] = (0.0, None)
        # Misses being answered, per key: concurrent requests for the same page wait for
        # the one already rendering it instead of all running the same queries at once.
        self._inflight: dict[tuple[Any, ...], asyncio.Event] = {}

    def current(self) -> Any:
        checked, value = self._known
        now = time.monotonic()
        if now - checked > GENERATION_TTL:
            value = self.generation()
            self._known = (now, value)
        return value

    def invalidate(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            self._known = (0.0, None)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size(self) -> int:
        """Bytes of the stored answers' bodies."""
        return self._bytes

    def _query_key(self, raw: bytes) -> tuple[tuple[str, str], ...] | None:
        """The query's known parameters in one order; None when it has any other."""
        pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
        if any(name not in self.known_params for name, _ in pairs):
            return None
        return tuple(sorted(pairs))

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(_SKIP_PREFIXES):
            await self.app(scope, receive, send)
            return
        if scope["method"] != "GET":
            # A write may change what every page shows.
            await self.app(scope, receive, send)
            if scope["method"] in ("POST", "PUT", "PATCH", "DELETE"):
                self.invalidate()
            return
        query = self._query_key(scope.get("query_string", b""))
        if query is None:
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        key = (
            scope["path"],
            query,
            headers.get(b"accept", b"")[:64],
            headers.get(b"hx-request", b""),
            headers.get(b"authorization", b""),
            b"gzip" in headers.get(b"accept-encoding", b""),
        )
        generation = self.current()
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
        if hit is not None and hit[0] == generation:
            await self._replay(hit, send)
            return
        pending = self._inflight.get(key)
        if pending is not None:
            await pending.wait()
            with self._lock:
                hit = self._entries.get(key)
            if hit is not None and hit[0] == generation:
                await self._replay(hit, send)
                return
        done = asyncio.Event()
        self._inflight[key] = done
        try:
            await self._answer(key, generation, scope, receive, send)
        finally:
            self._inflight.pop(key, None)
            done.set()

    @staticmethod
    async def _replay(hit: tuple[Any, Message, bytes], send: Send) -> None:
        await send(hit[1])
        await send({"type": "http.response.body", "body": hit[2]})

    async def _answer(
        self,
        key: tuple[Any, ...],
        generation: Any,
        scope: dict[str, Any],
        receive: Receive,
        send: Send,
    ) -> None:
        start: Message = {}
        chunks: list[bytes] = []
        cacheable = True

        async def capture(message: Message) -> None:
            nonlocal cacheable
            if message["type"] == "http.response.start":
                start.update(message)
                cacheable = message["status"] == 200 and _storable(message)
            elif message["type"] == "http.response.body" and cacheable:
                chunks.append(message.get("body", b""))
                if sum(map(len, chunks)) > self.max_body:
                    cacheable = False
                    chunks.clear()
            await send(message)

        await self.app(scope, receive, capture)
        if cacheable and start:
            self._store(key, (generation, start, b"".join(chunks)))

    def _store(self, key: tuple[Any, ...], entry: tuple[Any, Message, bytes]) -> None:
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old[2])
            self._entries[key] = entry
            self._bytes += len(entry[2])
            while self._entries and (
                len(self._entries) > self.max_entries or self._bytes > self.max_bytes
            ):
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped[2])


def _storable(start: Message) -> bool:
    """Whether an answer may be replayed to anyone: not marked no-store or private, and
    setting no cookie."""
    for name, value in start.get("headers", []):
        if name.lower() == b"set-cookie":
            return False
        if name.lower() == b"cache-control" and (b"no-store" in value or b"private" in value):
            return False
    return True
