"""One settings object for the whole program, read from the environment (prefix BORDERFLOW_).

Every setting is declared once here with its default and help text; nothing else reads the
environment, so tests and the CLI pass a Settings object around instead of touching globals.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


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
    compile_cache: str | None = Field(
        default=None,
        description="Folder where model fits keep the programs XLA compiles, so a later "
        "fit of the same model starts in about half the time. Defaults to jax-cache in "
        "`home`; set to an empty value to keep none.",
    )
    max_file_bytes: int = Field(
        default=20_000_000,
        gt=0,
        description="Files larger than this many bytes are refused by `ingest` and "
        "`data import` (before they are read).",
    )
    max_text_chars: int = Field(
        default=5_000_000,
        gt=0,
        description="Documents whose text is longer than this many characters are refused.",
    )
    max_claims_per_document: int = Field(
        default=20_000,
        gt=0,
        description="A document yielding more claims than this is refused (a table dump, "
        "not an article).",
    )
    max_decompressed_bytes: int = Field(
        default=200_000_000,
        gt=0,
        description="Compressed files (xlsx, docx) whose contents would unpack to more than "
        "this many bytes are refused before they are opened.",
    )
    max_pdf_pages: int = Field(
        default=2_000,
        gt=0,
        description="PDFs with more pages than this are refused by `ingest` before their "
        "text is read.",
    )
    max_rows: int = Field(
        default=2_000_000,
        gt=0,
        description="Official data files with more rows than this are refused.",
    )
    max_cells: int = Field(
        default=20_000_000,
        gt=0,
        description="Workbooks whose sheets declare more cells than this are refused.",
    )
    max_field_chars: int = Field(
        default=131_072,
        gt=0,
        description="A single cell of an official data file longer than this is refused.",
    )
    max_upload_files: int = Field(
        default=50,
        gt=0,
        description="Files the web app accepts in one upload request.",
    )
    max_page_size: int = Field(
        default=1_000,
        gt=0,
        description="Most rows one page of a web or API listing returns.",
    )
    max_response_bytes: int = Field(
        default=20_000_000,
        gt=0,
        description="Largest web response built in memory; larger answers are refused with "
        "a pointer to paging or the streaming export.",
    )
    cache_entries: int = Field(
        default=256,
        gt=0,
        description="Answers the web app keeps in its response cache (least recently used "
        "are dropped first).",
    )
    cache_bytes: int = Field(
        default=64_000_000,
        gt=0,
        description="Bytes of answers the web app's response cache holds at most (least "
        "recently used are dropped first).",
    )
    store_busy_seconds: float = Field(
        default=60.0,
        gt=0,
        description="How long a writer waits for another borderflow process to finish "
        "writing the store before giving up with a clear message.",
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
    web_allowed_hosts: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(),
        description="Host names the web app answers to besides the address it listens on "
        "and loopback (comma-separated, e.g. borderflow.example.org); any other Host header "
        "is refused, which stops DNS rebinding.",
    )

    @field_validator("web_allowed_hosts", mode="before")
    @classmethod
    def _host_list(cls, value: Any) -> Any:
        """The environment gives one string: names separated by commas or spaces."""
        if isinstance(value, str):
            return tuple(name for name in value.replace(",", " ").split() if name)
        return value

    def resolved_compile_cache(self) -> str:
        """The folder model fits keep compiled programs in ("" when switched off)."""
        if self.compile_cache is None:
            return str(self.home / "jax-cache")
        return self.compile_cache.strip()

    def resolved_database_url(self) -> str:
        """The URL to connect to: the explicit one, or the SQLite file under `home`."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home / 'borderflow.db'}"


def declared_default(name: str) -> Any:
    """A setting's default as declared above, not as the environment overrides it: what
    library callers given no Settings object get (the environment is read only where a
    Settings object is made)."""
    return Settings.model_fields[name].default
