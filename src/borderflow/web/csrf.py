"""The form token that proves a form post came from one of this server's own pages
(double-submit): a random value in a SameSite=Strict cookie, repeated in a hidden field
of every form the pages render. A page on another site can neither read the cookie nor
make the browser send it, so it cannot repeat the value.

Clients other than a browser form (scripts, API callers) send `Authorization: Bearer ...`
instead: no page on another site can add that header to a request, so its presence
proves the same. JSON bodies never need the token (a cross-site form cannot send JSON)."""

from __future__ import annotations

import hmac
import re
import secrets

from fastapi import HTTPException, Request
from fastapi.responses import Response

COOKIE = "borderflow_form"
FIELD = "csrf_token"
HEADER = "x-csrf-token"
_SHAPE = re.compile(r"[A-Za-z0-9_-]{32,64}")


def form_token(request: Request) -> str:
    """The browser's token: the one its cookie holds, else a new one (which
    `remember_token` then sets)."""
    held = request.cookies.get(COOKIE, "")
    return held if _SHAPE.fullmatch(held) else secrets.token_urlsafe(32)


def remember_token(request: Request, response: Response, token: str) -> None:
    """Set the cookie when the browser does not hold this token yet; the page itself
    carries the token, so it must never be replayed to another browser from a cache."""
    response.headers["Cache-Control"] = "no-store"
    if request.cookies.get(COOKIE) != token:
        response.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/")


def check_form(request: Request, offered: str | None) -> None:
    """Refuse a form post that neither repeats the cookie's token (field or header) nor
    carries an Authorization header."""
    if request.headers.get("authorization"):
        return
    held = request.cookies.get(COOKIE, "")
    given = offered or request.headers.get(HEADER, "")
    if held and given and hmac.compare_digest(held.encode(), given.encode()):
        return
    raise HTTPException(
        403,
        "this form post lacks the form token of this server's pages (reload the page and "
        f"send it again); scripts send Authorization: Bearer TOKEN, or the {FIELD} field "
        f"or {HEADER.title()} header with the {COOKIE} cookie",
    )
