"""The FastAPI application: pages, the JSON API, static assets and one error shape.

State (the store, caches) hangs off `app.state`, built by `create_app`, so two apps in
one process never share anything. Every request passes, outermost first: the Host and
Origin checks with the security headers (guard), the request body limits, the response
cache, gzip (so the cache keeps compressed pages), then the answer size limit (which
weighs a page before compression)."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from openapi_ui_bundles.swagger_ui import static_path as swagger_ui_path
from starlette.routing import BaseRoute

from borderflow import __version__
from borderflow.presentation.assets import STATIC_DIR, plotly_style_ids
from borderflow.presentation.prose import prose
from borderflow.records.verdicts import KINDS
from borderflow.store import Store
from borderflow.web import errors, static
from borderflow.web.cache import ResponseCache
from borderflow.web.config import WebConfig
from borderflow.web.errors import API_PREFIX
from borderflow.web.guard import CSP, RequestGuard
from borderflow.web.limits import BodyLimits, ResponseLimit
from borderflow.web.state import AppState

_HERE = Path(str(files("borderflow.web")))


def templates(asset_urls: Mapping[str, str]) -> Jinja2Templates:
    """Templates with autoescaping on for every file: document text and metadata are
    untrusted and must never reach the page as markup. The verdict kinds and their
    colours are globals, so legends and badges come from the one table; so are the ids
    of the styles Plotly would inject, which the pages pre-empt (see `plotly_style_ids`),
    and the content-named URLs of the stylesheet and scripts (see `static`). `prose`
    shows a library message as a sentence, its `commands` as code."""
    env = Environment(
        loader=FileSystemLoader(_HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    env.globals.update(
        verdict_kinds=KINDS, plotly_style_ids=plotly_style_ids(), asset_urls=dict(asset_urls)
    )
    env.filters["prose"] = prose
    return Jinja2Templates(env=env)


def create_app(config: WebConfig) -> FastAPI:
    """A ready application over the store at `config.database_url`."""
    from borderflow.web import api, api_model, pages

    store = Store.open(config.database_url, busy_seconds=config.store_busy_seconds)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        lifespan=lifespan,
        title="borderflow",
        version=__version__,
        description="Documents, claims, verdicts, official series and the flow model of the "
        "illicit fentanyl supply across North America. Endpoints that write need a bearer "
        "token when the server listens beyond loopback.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    asset_urls = static.install(app)
    state = AppState(config, store, templates(asset_urls))
    app.state.borderflow = state
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.mount(DOCS_ASSETS, StaticFiles(directory=swagger_ui_path), name="api-docs-assets")

    @app.get(f"{API_PREFIX}/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return _docs_page()

    errors.install(app)
    app.include_router(api.router, prefix=API_PREFIX)
    app.include_router(api_model.router, prefix=API_PREFIX)
    app.include_router(pages.router)
    # Added innermost first: the guard runs before anything else. The size limit weighs
    # the answer as rendered; gzip compresses it (not the assets, compressed once by
    # `static`); the cache keeps what gzip made, per encoding asked for.
    app.add_middleware(ResponseLimit, config=config)
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=6)
    app.add_middleware(
        ResponseCache,
        generation=state.generation,
        entries=config.cache_entries,
        max_bytes=config.cache_bytes,
        known_params=_query_names(
            [*app.routes, *api.router.routes, *api_model.router.routes, *pages.router.routes]
        )
        | pages.QUERY_PARAMS,
    )
    app.add_middleware(BodyLimits, config=config)
    app.add_middleware(RequestGuard, config=config)
    return app


def _query_names(routes: list[BaseRoute]) -> frozenset[str]:
    """Every query parameter these routes declare, their dependencies' included."""

    def declared(dependant: Dependant) -> set[str]:
        names = {p.alias for p in dependant.query_params}
        for sub in dependant.dependencies:
            names |= declared(sub)
        return names

    found: set[str] = set()
    for route in routes:
        if isinstance(route, APIRoute):
            found |= declared(route.dependant)
    return frozenset(found)


# Swagger UI's scripts and styles (version 5, which reads FastAPI's OpenAPI 3.1), served from
# the installed `openapi-ui-bundles` package so the API docs work offline like every page.
DOCS_ASSETS = f"{API_PREFIX}/docs/assets"


def _docs_page() -> HTMLResponse:
    """FastAPI's Swagger UI page over the locally served assets. It starts Swagger UI with
    one inline script: the page's own policy allows exactly that script (by hash), and no
    other origin."""
    page = get_swagger_ui_html(
        openapi_url=f"{API_PREFIX}/openapi.json",
        title="borderflow API",
        swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
        swagger_favicon_url=f"{DOCS_ASSETS}/favicon-32x32.png",
    )
    body = bytes(page.body).decode("utf-8")
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode() + "'"
        for inline in re.findall(r"<script>(.*?)</script>", body, flags=re.S)
    )
    policy = CSP.replace("script-src 'self'", f"script-src 'self' {hashes}")
    return HTMLResponse(body, headers={"Content-Security-Policy": policy})
