"""One error shape for the whole app: `{"error": {status, code, message[, details]}}` for
the API (and any client that does not ask for HTML), an HTML error page otherwise. Every
exception the app can raise comes through `install`'s handlers."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from borderflow.errors import BorderflowError, NotFoundError, QueryError, StoreBusyError
from borderflow.web.state import AppState

API_PREFIX = "/api/v1"
# Seconds a client is asked to wait when another writer holds the store.
RETRY_AFTER = "5"
_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 409: "conflict", 413: "too_large",
          415: "unsupported_type", 422: "invalid", 500: "internal", 503: "busy"}  # fmt: skip


def code_of(status: int) -> str:
    """The error code that goes with an HTTP status in the one error shape."""
    return _CODES.get(status, "error")


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return request.url.path.startswith(API_PREFIX) or "text/html" not in accept


def respond(request: Request, status: int, message: str, details: Any = None) -> Response:
    """The error as JSON or as a page, whichever the client reads."""
    if not _wants_json(request):
        state: AppState = request.app.state.borderflow
        return state.templates.TemplateResponse(
            request, "error.html", {"status": status, "message": message}, status_code=status
        )
    body: dict[str, Any] = {
        "error": {"status": status, "code": code_of(status), "message": message}
    }
    if details is not None:
        body["error"]["details"] = details
    return JSONResponse(body, status_code=status)


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    response = respond(request, exc.status_code, str(exc.detail))
    for key, value in (exc.headers or {}).items():
        response.headers[key] = value
    return response


async def _invalid(request: Request, exc: RequestValidationError) -> Response:
    details = [
        {"where": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
        for e in exc.errors()
    ]
    return respond(
        request, 422, "; ".join(f"{d['where']}: {d['message']}" for d in details), details
    )


async def _invalid_query(request: Request, exc: QueryError) -> Response:
    details = [{"where": exc.parameter or "", "message": str(exc), "valid": list(exc.valid)}]
    return respond(request, 422, str(exc), details)


async def _missing(request: Request, exc: NotFoundError) -> Response:
    return respond(request, 404, str(exc))


async def _busy(request: Request, exc: StoreBusyError) -> Response:
    response = respond(request, 503, str(exc))
    response.headers["Retry-After"] = RETRY_AFTER
    return response


async def _refused(request: Request, exc: BorderflowError) -> Response:
    return respond(request, 400, str(exc))


def install(app: FastAPI) -> None:
    """Route every error to `respond`: HTTP errors keep their status (and headers, such
    as WWW-Authenticate), invalid requests and queries are 422, what is not there 404,
    a store held by another writer 503 with Retry-After, and any other refusal by the
    library 400."""
    app.exception_handler(StarletteHTTPException)(_http_error)
    app.exception_handler(RequestValidationError)(_invalid)
    app.exception_handler(QueryError)(_invalid_query)
    app.exception_handler(NotFoundError)(_missing)
    app.exception_handler(StoreBusyError)(_busy)
    app.exception_handler(BorderflowError)(_refused)
