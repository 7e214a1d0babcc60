"""Uploads from the API and the "Add a document" page: every file of a request (and the
pasted text) on its own, each landing or refused with its own clear error, through the
library's `add_document` workflow (the same ingest, extraction and checks as the
command line). The answer is a summary with links, never the claims themselves: a
3 MB article yields tens of megabytes of claims, which are paged at their own address."""

from __future__ import annotations

import re
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import HTTPException, UploadFile

from borderflow.errors import BorderflowError, StoreBusyError
from borderflow.ingest.readers import SUPPORTED_SUFFIXES
from borderflow.store import listings
from borderflow.web.errors import API_PREFIX, RETRY_AFTER, code_of
from borderflow.web.state import AppState
from borderflow.workflows import add_document

# Longest name kept, in UTF-8 bytes: well under the 255 a file system allows, since the
# name becomes a temporary file's.
_NAME_BYTES = 200
# Control and format characters (newlines, ESC, NUL, bidirectional overrides) would
# forge lines or recolour a terminal where the name is printed.
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_TEMP = re.compile(re.escape(tempfile.gettempdir()) + r"/borderflow-[^/\s'\"]*/(?:\d+/)?")


def visible_name(raw: str | None) -> str:
    """The last path component of a sent file name, control characters replaced by "_"
    and cut to 200 bytes (its suffix kept): safe to print, show and write."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join("_" if unicodedata.category(ch) in _HIDDEN else ch for ch in name).strip()
    if len(name.encode("utf-8")) > _NAME_BYTES:
        suffix = Path(name).suffix if len(Path(name).suffix) <= 12 else ""
        room = _NAME_BYTES - len(suffix.encode("utf-8"))
        stem = name[: len(name) - len(suffix)].encode("utf-8")[:room]
        name = stem.decode("utf-8", errors="ignore") + suffix
    return name


def clean_name(raw: str | None, default: str = "upload") -> str:
    """`visible_name`, or `default` when that leaves no file name ("", ".", "..")."""
    name = visible_name(raw)
    return default if name in ("", ".", "..") else name


def without_temp_paths(message: str) -> str:
    """The message with the server's temporary folders cut from file paths, so it names
    the uploaded file as its sender called it and tells nothing of the server."""
    return _TEMP.sub("", message)


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why one uploaded file was not stored, as an HTTP status and one line."""

    status: int
    message: str

    def as_record(self) -> dict[str, Any]:
        return {"status": self.status, "code": code_of(self.status), "message": self.message}


@dataclass(frozen=True, slots=True)
class UploadResult:
    """What became of one uploaded file or the pasted text: its document, or a refusal."""

    file: str
    status: str  # added | new_version | duplicate | ... | refused
    document_id: int | None = None
    claims: int = 0
    refusal: Refusal | None = None

    def as_record(self) -> dict[str, Any]:
        if self.refusal is not None or self.document_id is None:
            error = self.refusal.as_record() if self.refusal else None
            return {"file": self.file, "status": "refused", "error": error}
        doc = self.document_id
        return {
            "file": self.file, "status": self.status, "document_id": doc,
            "claims": self.claims, "url": f"{API_PREFIX}/documents/{doc}",
            "claims_url": f"{API_PREFIX}/claims?document_id={doc}", "page": f"/documents/{doc}",
        }  # fmt: skip


def accept_uploads(
    state: AppState,
    files: list[UploadFile],
    text: str | None,
    published: date | None,
    outlet: str | None,
) -> list[UploadResult]:
    """Store each uploaded file and the pasted text, and check their claims; one result
    per item, in the order sent. Raises HTTP 400 when there is nothing to store and 413
    for more files than the server takes in one request."""
    chosen = [f for f in files if f.filename or f.size]  # an empty file input sends a blank part
    most = state.config.max_upload_files
    if len(chosen) > most:
        raise HTTPException(413, f"{len(chosen)} files in one upload; at most {most} are taken")
    results = [_one_file(state, f, published, outlet) for f in chosen]
    if text and text.strip():
        results.append(_store(state, "pasted.txt", text.encode("utf-8"), published, outlet))
    if not results:
        raise HTTPException(400, "send a file or some text")
    return results


def refused_status(results: list[UploadResult]) -> int | None:
    """The HTTP status of an upload none of whose items landed: theirs when they agree,
    else 400; None when any landed."""
    statuses = {r.refusal.status for r in results if r.refusal is not None}
    if not results or sum(r.refusal is not None for r in results) < len(results):
        return None
    return statuses.pop() if len(statuses) == 1 else 400


def refuse_if_none_stored(results: list[UploadResult]) -> None:
    """Raise the one error when no item landed: one refused file answers as it always
    did, several with each file's reason."""
    status = refused_status(results)
    if status is None:
        return
    messages = [r.refusal.message for r in results if r.refusal is not None]
    message = (
        messages[0]
        if len(messages) == 1
        else "none of the files was stored: " + ("; ".join(messages))
    )
    headers = {"Retry-After": RETRY_AFTER} if status == 503 else None
    raise HTTPException(status, message, headers=headers)


def _one_file(
    state: AppState, file: UploadFile, published: date | None, outlet: str | None
) -> UploadResult:
    name = clean_name(file.filename)
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        given = f"{name}: unsupported file type '{suffix}'" if suffix else (
            f"{name}: the file name {visible_name(file.filename)!r} has no file type"
        )  # fmt: skip
        return _refused(name, 415, f"{given} (supported: {', '.join(sorted(SUPPORTED_SUFFIXES))})")
    limit = state.config.max_upload_bytes
    data = file.file.read(limit + 1)
    if len(data) > limit:
        return _refused(name, 413, f"{name}: over the limit of {limit:,} bytes")
    return _store(state, name, data, published, outlet)


def _store(
    state: AppState, name: str, data: bytes, published: date | None, outlet: str | None
) -> UploadResult:
    limit = state.config.max_upload_bytes
    if len(data) > limit:
        return _refused(name, 413, f"{name}: over the limit of {limit:,} bytes")
    try:
        outcome = add_document(
            state.store, name, data, max_bytes=limit, limits=state.config.ingest_limits,
            published=published, outlet=outlet,
        )  # fmt: skip
    except StoreBusyError as exc:
        return _refused(name, 503, f"{name}: {without_temp_paths(str(exc))}")
    except BorderflowError as exc:
        return _refused(name, 400, without_temp_paths(str(exc)))
    except OSError as exc:  # the temporary copy could not be written
        return _refused(name, 400, f"{name}: could not be read ({exc.strerror or 'I/O error'})")
    claims = listings.claims(
        state.store, filters={"document_id": outcome.document_id}, per_page=1, count_cap=2**31
    ).total
    return UploadResult(name, outcome.status, outcome.document_id, claims)


def _refused(name: str, status: int, message: str) -> UploadResult:
    return UploadResult(name, "refused", refusal=Refusal(status, message))
