"""The app as uvicorn starts it in each worker process: configured from the environment
that `borderflow serve` set, through the one settings object."""

from __future__ import annotations

from fastapi import FastAPI

from borderflow.config import Settings
from borderflow.web.app import create_app
from borderflow.web.config import WebConfig


def app_from_environment() -> FastAPI:
    settings = Settings()
    return create_app(
        WebConfig(
            settings.resolved_database_url(),
            host=settings.web_host,
            token=settings.web_token,
            max_upload_bytes=settings.max_file_bytes,
        )
    )
