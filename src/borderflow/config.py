"""One settings object for the whole program, read from the environment (prefix BORDERFLOW_).

Every setting is declared once here with its default and help text; nothing else reads the
environment, so tests and the CLI pass a Settings object around instead of touching globals.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_home() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "borderflow"


class Settings(BaseSettings):
    """borderflow's configuration; override any field with BORDERFLOW_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="BORDERFLOW_", frozen=True)

    home: Path = Field(
        default_factory=_default_home,
        description="Folder for the default SQLite store and other local state.",
    )
    database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy URL of the store, e.g. postgresql+psycopg://user@host/db. "
            "Defaults to a SQLite file borderflow.db in `home`."
        ),
    )
    max_file_bytes: int = Field(
        default=20_000_000,
        gt=0,
        description="Files larger than this many bytes are refused by `ingest`.",
    )
    ingest_workers: int = Field(
        default=0,
        ge=0,
        description="Processes used to extract claims during ingest; 0 means one per core.",
    )

    web_host: str = Field(
        default="127.0.0.1",
        description="Address `serve` listens on (set by `serve --host` for its workers).",
    )
    web_token: str | None = Field(
        default=None,
        description="Token that uploads, imports and scenario runs need when the web app "
        "listens beyond loopback (Authorization: Bearer TOKEN).",
    )

    def resolved_database_url(self) -> str:
        """The URL to connect to: the explicit one, or the SQLite file under `home`."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home / 'borderflow.db'}"
