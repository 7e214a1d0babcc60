"""The files every page loads, served compressed and cached for good.

Each one is served under a URL that names its content (`/assets/site.<digest>.css`,
`/vendor/plotly.min.<digest>.js`): a new release of a file gets a new URL, so a browser
may keep its copy for a year without asking again (Cache-Control immutable). The plain
names (`/vendor/plotly.min.js`, `/assets/site.css`) still answer, revalidated by ETag.

A browser that accepts gzip gets a copy compressed once per app, on its first request,
never per request: Plotly's bundle goes from 4.8 MB to about 1.5 MB, which is what a
phone on a slow link waits for. The gzip middleware leaves these answers alone (they
carry their own Content-Encoding); it compresses the pages and the API's JSON."""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response

from borderflow.errors import NotFoundError
from borderflow.presentation.assets import STATIC_DIR, VENDOR_SCRIPTS, stylesheet, vendor_script

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
_JS = "text/javascript; charset=utf-8"
_CSS = "text/css; charset=utf-8"


@dataclass(frozen=True)
class Asset:
    """One file the pages load: on disk (`path`) or built at start (`body`), with the
    first 16 hex digits of its SHA-256 naming it in its URL."""

    prefix: str
    name: str
    media_type: str
    digest: str
    path: Path | None = None
    body: bytes = b""

    @classmethod
    def of_file(cls, prefix: str, name: str, media_type: str, path: Path) -> Asset:
        return cls(prefix, name, media_type, _digest(path.read_bytes()), path=path)

    @classmethod
    def of_text(cls, prefix: str, name: str, media_type: str, text: str) -> Asset:
        body = text.encode("utf-8")
        return cls(prefix, name, media_type, _digest(body), body=body)

    @property
    def url(self) -> str:
        """Where the pages load it from: the name with the digest before its extension."""
        stem, dot, ext = self.name.rpartition(".")
        return f"{self.prefix}/{stem}.{self.digest}{dot}{ext}"

    @property
    def plain_url(self) -> str:
        return f"{self.prefix}/{self.name}"

    def content(self) -> bytes:
        return self.path.read_bytes() if self.path is not None else self.body


def _digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:16]


def page_assets() -> list[Asset]:
    """What the pages load: the one stylesheet (every part and the verdict colours), the
    app's script, and the scripts shipped inside installed packages."""
    return [
        Asset.of_text("/assets", "site.css", _CSS, stylesheet()),
        Asset.of_file("/assets", "app.js", _JS, STATIC_DIR / "app.js"),
        *(Asset.of_file("/vendor", name, _JS, vendor_script(name)) for name in VENDOR_SCRIPTS),
    ]


class AssetServer:
    """One app's assets by URL, and their gzip copies, made on first ask and kept."""

    def __init__(self, assets: Iterable[Asset]) -> None:
        self.assets = list(assets)
        self._by_url: dict[str, tuple[Asset, bool]] = {}
        for asset in self.assets:
            self._by_url[asset.url] = (asset, True)
            self._by_url[asset.plain_url] = (asset, False)
        self._gzipped: dict[str, bytes] = {}
        self._lock = threading.Lock()

    @property
    def urls(self) -> dict[str, str]:
        """Each asset's content-named URL by its plain name, for the templates."""
        return {asset.name: asset.url for asset in self.assets}

    def gzipped(self, asset: Asset) -> bytes:
        """The asset compressed (level 9, no timestamp, so every process makes the same
        bytes); made once, under a lock so concurrent first requests compress it once."""
        with self._lock:
            found = self._gzipped.get(asset.url)
            if found is None:
                found = gzip.compress(asset.content(), compresslevel=9, mtime=0)
                self._gzipped[asset.url] = found
            return found

    def answer(self, request: Request, url: str) -> Response:
        """The asset at `url`: gzip when the client takes it, 304 when its copy is current."""
        found = self._by_url.get(url)
        if found is None:
            raise NotFoundError(f"no asset {url!r}")
        asset, named_by_content = found
        compressed = "gzip" in request.headers.get("accept-encoding", "")
        etag = f'"{asset.digest}{"-gz" if compressed else ""}"'
        headers = {
            "Cache-Control": IMMUTABLE if named_by_content else REVALIDATE,
            "ETag": etag,
            "Vary": "Accept-Encoding",
        }
        if etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        if compressed:
            headers["Content-Encoding"] = "gzip"
            return Response(self.gzipped(asset), media_type=asset.media_type, headers=headers)
        if asset.path is not None:
            return FileResponse(asset.path, media_type=asset.media_type, headers=headers)
        return Response(asset.body, media_type=asset.media_type, headers=headers)


def install(app: FastAPI) -> dict[str, str]:
    """Serve the pages' assets from `app`; returns their URLs by plain name."""
    server = AssetServer(page_assets())

    @app.get("/assets/{name}", include_in_schema=False)
    def own_asset(request: Request, name: str) -> Response:
        return server.answer(request, f"/assets/{name}")

    @app.get("/vendor/{name}", include_in_schema=False)
    def vendor_asset(request: Request, name: str) -> Response:
        return server.answer(request, f"/vendor/{name}")

    return server.urls
