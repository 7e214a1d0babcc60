"""Bounds on what one request may send and one answer may weigh, from the settings.

`BodyLimits` refuses a body before it is read when its Content-Length is over what any
request may send, and otherwise follows it as it streams in: a multipart upload is
parsed alongside the app's own parser, so a file over `max_file_bytes` or one file more
than `max_upload_files` is refused at that byte, not after gigabytes are spooled to disk.
`ResponseLimit` refuses an answer over `max_response_bytes` (which points at paging)
instead of sending it."""

from __future__ import annotations

from fastapi import HTTPException
from python_multipart import MultipartParser
from python_multipart.multipart import parse_options_header
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from borderflow.web.config import WebConfig
from borderflow.web.errors import respond
from borderflow.web.uploads import clean_name

# The largest form field (not file) the form parser takes, and what a part's headers and
# boundaries may add to a file.
FIELD_BYTES = 1024 * 1024
_PART_OVERHEAD = 16 * 1024
_HEADER_BYTES = 8 * 1024
# Never checked: files served from disk, not built in memory.
_FILE_PREFIXES = ("/vendor/", "/static/")


class _RefusedError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _PartWatcher:
    """Counts the files of a multipart body and the bytes of each part as they arrive."""

    def __init__(self, boundary: bytes, config: WebConfig) -> None:
        self.config = config
        self.files = 0
        self.size = 0
        self.limit = FIELD_BYTES
        self.name = ""
        self._field = b""
        self._value = b""
        self._disposition = b""
        self.parser = MultipartParser(
            boundary,
            {
                "on_part_begin": self._begin,
                "on_header_field": self._header_field,
                "on_header_value": self._header_value,
                "on_header_end": self._header_end,
                "on_headers_finished": self._headers_done,
                "on_part_data": self._data,
            },
        )

    def feed(self, chunk: bytes) -> None:
        self.parser.write(chunk)

    def _begin(self) -> None:
        self.size, self._disposition = 0, b""

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._field = (self._field + data[start:end])[:_HEADER_BYTES]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._value = (self._value + data[start:end])[:_HEADER_BYTES]

    def _header_end(self) -> None:
        if self._field.lower() == b"content-disposition":
            self._disposition = self._value
        self._field, self._value = b"", b""

    def _headers_done(self) -> None:
        _, options = parse_options_header(self._disposition)
        if b"filename" in options:
            self.files += 1
            most = self.config.max_upload_files
            if self.files > most:
                raise _RefusedError(f"more than {most} files in one upload; send at most {most}")
            self.name = clean_name(options[b"filename"].decode("utf-8", "replace"))
            self.limit = self.config.max_upload_bytes
        else:
            self.name = clean_name(options.get(b"name", b"").decode("utf-8", "replace"), "field")
            self.limit = FIELD_BYTES

    def _data(self, data: bytes, start: int, end: int) -> None:
        self.size += end - start
        if self.size > self.limit:
            if self.limit == FIELD_BYTES:
                raise _RefusedError(
                    f"form field {self.name!r} is over {FIELD_BYTES:,} bytes; send a long "
                    "text as a file"
                )
            raise _RefusedError(f"{self.name}: over the limit of {self.limit:,} bytes")


class BodyLimits:
    """ASGI middleware bounding request bodies (see the module's docstring)."""

    def __init__(self, app: ASGIApp, config: WebConfig) -> None:
        self.app = app
        self.config = config

    def most_bytes(self, multipart: bool) -> int:
        """The largest body a request may send: every file at its limit plus the form's
        fields, for an upload; a few form fields for anything else."""
        if multipart:
            files = self.config.max_upload_files * (self.config.max_upload_bytes + _PART_OVERHEAD)
            return files + 8 * FIELD_BYTES
        return 3 * FIELD_BYTES + 64 * 1024  # a field percent-encoded takes up to 3 bytes a byte

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        kind, options = parse_options_header(headers.get("content-type", ""))
        boundary = options.get(b"boundary") if kind == b"multipart/form-data" else None
        most = self.most_bytes(boundary is not None)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > most:
            takes = (
                f"at most {self.config.max_upload_files} files of "
                f"{self.config.max_upload_bytes:,} bytes each"
                if boundary is not None
                else "files go in a multipart upload"
            )
            message = (
                f"the request is {int(declared):,} bytes, over this server's limit of "
                f"{most:,} ({takes})"
            )
            await respond(Request(scope, receive), 413, message)(scope, receive, send)
            return
        watcher = _PartWatcher(boundary, self.config) if boundary else None
        seen = 0

        async def limited() -> Message:
            nonlocal seen, watcher
            message: Message = await receive()
            if message["type"] != "http.request":
                return message
            chunk = message.get("body", b"")
            seen += len(chunk)
            try:
                if seen > most:
                    raise _RefusedError(
                        f"the request is over this server's limit of {most:,} bytes"
                    )
                if watcher is not None:
                    watcher.feed(chunk)
            except _RefusedError as refused:
                raise HTTPException(413, refused.message) from None
            except Exception:  # malformed multipart: the app's own parser reports it
                watcher = None
            return message

        await self.app(scope, limited, send)


class ResponseLimit:
    """ASGI middleware refusing an answer heavier than `max_response_bytes`."""

    def __init__(self, app: ASGIApp, config: WebConfig) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(_FILE_PREFIXES):
            await self.app(scope, receive, send)
            return
        most = self.config.max_response_bytes
        dropped = False

        async def bounded(message: Message) -> None:
            nonlocal dropped
            if message["type"] == "http.response.start":
                length = Headers(raw=message.get("headers", [])).get("content-length", "")
                if length.isdigit() and int(length) > most:
                    dropped = True
                    response = respond(
                        Request(scope, receive), 422,
                        f"the answer would be {int(length):,} bytes, over this server's limit "
                        f"of {most:,}: ask for less (a smaller per_page, a page, filters; a "
                        "document's claims are paged at /api/v1/claims?document_id=ID)",
                    )  # fmt: skip
                    await response(scope, receive, send)
                    return
            elif dropped:
                return
            await send(message)

        await self.app(scope, receive, bounded)
