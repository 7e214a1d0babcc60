"""Uploads from the API and the "Add a document" page: size and type limits with clear
HTTP errors, then the library's `add_document` workflow (the same ingest, extraction and
checks as the command line)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fastapi import HTTPException, UploadFile

from borderflow.errors import IngestError
from borderflow.ingest.readers import SUPPORTED_SUFFIXES
from borderflow.web.state import AppState
from borderflow.workflows import UploadOutcome, add_document


def accept_upload(
    state: AppState,
    file: UploadFile | None,
    text: str | None,
    published: date | None,
    outlet: str | None,
) -> UploadOutcome:
    """Store an uploaded file or pasted text and check its claims; raises HTTP 400, 413 or
    415 with a message saying what was wrong."""
    limit = state.config.max_upload_bytes
    if file is not None and file.filename:
        name = Path(file.filename.replace("\\", "/")).name
        suffix = Path(name).suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            raise HTTPException(
                415,
                f"{name}: unsupported file type '{suffix or '(none)'}' "
                f"(supported: {', '.join(sorted(SUPPORTED_SUFFIXES))})",
            )
        data = file.file.read(limit + 1)
    elif text and text.strip():
        name, data = "pasted.txt", text.encode("utf-8")
    else:
        raise HTTPException(400, "send a file or some text")
    if len(data) > limit:
        raise HTTPException(413, f"{name}: over the limit of {limit:,} bytes")
    try:
        return add_document(
            state.store, name, data, max_bytes=limit, published=published, outlet=outlet
        )
    except IngestError as exc:
        raise HTTPException(400, str(exc)) from exc
