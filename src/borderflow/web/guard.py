"""Who may talk to this server, and what every answer tells the browser.

- Host: a request whose Host header does not name this server is refused (400) before
  anything else runs or any cached page is replayed. A site whose name an attacker made
  resolve to 127.0.0.1 (DNS rebinding) would otherwise read and write the local app as if
  it were its own.
- Origin: a request that can change something (any method but GET and HEAD) from a
  browser says which page sent it (Origin, else Referer); one from another site is
  refused (403). Clients that send neither are not browsers, which always send Origin on
  cross-site posts.
- Headers: every answer carries a Content-Security-Policy (scripts and styles only from
  this server, no inline script or style text, no framing), nosniff, DENY framing and a same-origin
  referrer policy; an answer that sets its own policy (the API docs page) keeps it."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from borderflow.web.config import WebConfig
from borderflow.web.errors import respond

# An inline style element with no text: Plotly creates one and fills it through the
# CSSOM (which the policy does not govern); any style text written inline is refused.
EMPTY_STYLE = "'sha256-" + base64.b64encode(hashlib.sha256(b"").digest()).decode() + "'"
CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        f"style-src 'self' {EMPTY_STYLE}",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = (
    ("content-security-policy", CSP),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "same-origin"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
)
_SAFE_METHODS = ("GET", "HEAD")
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def _site(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of a URL or Origin, the port made explicit; None when it
    names no site ("null", garbage)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if not parts.hostname or scheme not in _DEFAULT_PORTS:
        return None
    return scheme, parts.hostname.lower().rstrip("."), port or _DEFAULT_PORTS[scheme]


def _shown(value: str) -> str:
    return repr(value[:100] + ("…" if len(value) > 100 else ""))


class RequestGuard:
    """ASGI middleware, outermost: the Host and Origin checks, then the security
    headers on whatever answers (its own refusals included)."""

    def __init__(self, app: ASGIApp, config: WebConfig) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                given = {k.lower() for k, _ in message.get("headers", [])}
                extra = [
                    (name.encode(), value.encode())
                    for name, value in SECURITY_HEADERS
                    if name.encode() not in given
                ]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        refusal = self.refusal(scope)
        if refusal is None:
            await self.app(scope, receive, secured)
            return
        response = respond(Request(scope, receive), *refusal)
        await response(scope, receive, secured)

    def refusal(self, scope: Scope) -> tuple[int, str] | None:
        """(status, message) when the request must not reach the app."""
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if not self.config.allows_host(host):
            return 400, (
                f"unknown Host {_shown(host)}: this server answers to the address it "
                "listens on, loopback, and the names in BORDERFLOW_WEB_ALLOWED_HOSTS"
            )
        if scope["method"] in _SAFE_METHODS:
            return None
        own = _site(f"{scope.get('scheme', 'http')}://{host}")
        for header in ("origin", "referer"):
            sender = headers.get(header)
            if sender is None:
                continue
            if _site(sender) != own:
                return 403, (
                    f"cross-site request refused: its {header.title()} {_shown(sender)} is "
                    "not this server; send it from this server's own pages"
                )
            return None
        return None
