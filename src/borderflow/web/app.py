"""The FastAPI application: pages, the JSON API, static assets and one error shape.

State (the store, caches) hangs off `app.state`, built by `create_app`, so two apps in
one process never share anything."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from borderflow import __version__
from borderflow.errors import NotFoundError
from borderflow.presentation.assets import STATIC_DIR, VENDOR_SCRIPTS, vendor_script, verdict_css
from borderflow.records.verdicts import KINDS
from borderflow.store import Store
from borderflow.web import errors
from borderflow.web.cache import ResponseCache
from borderflow.web.config import WebConfig
from borderflow.web.errors import API_PREFIX
from borderflow.web.state import AppState

_HERE = Path(str(files("borderflow.web")))


def templates() -> Jinja2Templates:
    """Templates with autoescaping on for every file: document text and metadata are
    untrusted and must never reach the page as markup. The verdict kinds and their
    colours are globals, so legends and badges come from the one table."""
    env = Environment(
        loader=FileSystemLoader(_HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    env.globals.update(verdict_kinds=KINDS, verdict_css=verdict_css())
    return Jinja2Templates(env=env)


def create_app(config: WebConfig) -> FastAPI:
    """A ready application over the store at `config.database_url`."""
    from borderflow.web import api, pages

    store = Store.open(config.database_url)

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
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    state = AppState(config, store, templates())
    app.state.borderflow = state
    app.add_middleware(ResponseCache, generation=state.generation)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/vendor/{name}", include_in_schema=False)
    def vendor(name: str) -> Response:
        if name not in VENDOR_SCRIPTS:
            raise NotFoundError(f"no script {name!r}")
        return FileResponse(
            vendor_script(name),
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    errors.install(app)
    app.include_router(api.router, prefix=API_PREFIX)
    app.include_router(pages.router)
    return app
