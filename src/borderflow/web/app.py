"""The FastAPI application: pages, the JSON API, static assets and one error shape.

State (the store, caches) hangs off `app.state`, built by `create_app`, so two apps in
one process never share anything."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from borderflow import __version__
from borderflow.errors import BorderflowError, NotFoundError
from borderflow.store import Store
from borderflow.web.cache import ResponseCache
from borderflow.web.config import WebConfig
from borderflow.web.state import AppState

API_PREFIX = "/api/v1"
_HERE = Path(str(files("borderflow.web")))

# Third-party scripts come from the installed packages that ship them, never a CDN.
VENDOR_SCRIPTS = {
    "plotly.min.js": ("plotly", "package_data/plotly.min.js"),
    "htmx.min.js": ("js_lib_htmx", "static/htmx/htmx.min.js"),
}


def vendor_script(name: str) -> Path:
    package, inner = VENDOR_SCRIPTS[name]
    return Path(str(files(package))) / inner


def templates() -> Jinja2Templates:
    """Templates with autoescaping on for every file: document text and metadata are
    untrusted and must never reach the page as markup."""
    env = Environment(
        loader=FileSystemLoader(_HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    return Jinja2Templates(env=env)


def _error(status: int, code: str, message: str, details: Any = None) -> JSONResponse:
    body: dict[str, Any] = {"error": {"status": status, "code": code, "message": message}}
    if details is not None:
        body["error"]["details"] = details
    return JSONResponse(body, status_code=status)


_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 409: "conflict", 413: "too_large",
          415: "unsupported_type", 422: "invalid", 500: "internal"}  # fmt: skip


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX) or "text/html" not in request.headers.get(
        "accept", ""
    )


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
    app.mount("/static", StaticFiles(directory=_HERE / "static"), name="static")

    @app.get("/vendor/{name}", include_in_schema=False)
    def vendor(name: str) -> Response:
        if name not in VENDOR_SCRIPTS:
            raise NotFoundError(f"no script {name!r}")
        return FileResponse(
            vendor_script(name),
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = _CODES.get(exc.status_code, "error")
        response: Response
        if _wants_json(request):
            response = _error(exc.status_code, code, str(exc.detail))
        else:
            response = _page_error(request, exc.status_code, str(exc.detail))
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        details = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
            for e in exc.errors()
        ]
        message = "; ".join(f"{d['where']}: {d['message']}" for d in details)
        if _wants_json(request):
            return _error(422, "invalid", message, details)
        return _page_error(request, 422, message)

    @app.exception_handler(NotFoundError)
    async def missing(request: Request, exc: NotFoundError) -> Response:
        if _wants_json(request):
            return _error(404, "not_found", str(exc))
        return _page_error(request, 404, str(exc))

    @app.exception_handler(BorderflowError)
    async def refused(request: Request, exc: BorderflowError) -> Response:
        if _wants_json(request):
            return _error(400, "bad_request", str(exc))
        return _page_error(request, 400, str(exc))

    app.include_router(api.router, prefix=API_PREFIX)
    app.include_router(pages.router)
    return app


def _page_error(request: Request, status: int, message: str) -> HTMLResponse:
    state: AppState = request.app.state.borderflow
    return state.templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message}, status_code=status
    )
