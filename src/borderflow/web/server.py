"""The app as uvicorn starts it in each worker process: configured from the environment
that `borderflow serve` set, through the one settings object."""

from __future__ import annotations

from fastapi import FastAPI

from borderflow.config import Settings
from borderflow.web.app import create_app
from borderflow.web.config import WebConfig


def app_from_environment() -> FastAPI:
    return create_app(WebConfig.from_settings(Settings()))
