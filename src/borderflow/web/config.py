"""How one web app instance runs: its store, where it listens, what guards writes, and
the limits on what a request may send and an answer may weigh."""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass, field

from borderflow.config import Settings, declared_default
from borderflow.datasets.limits import ImportLimits
from borderflow.ingest.limits import IngestLimits

# Names that always mean this machine; a browser never resolves them through DNS, so an
# attacker's page cannot rebind them.
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
_WILDCARDS = ("", "0.0.0.0", "::")


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def host_name(header: str) -> str:
    """The name part of a Host header, lower case, without its port, brackets or
    trailing dot ("[::1]:8000" is "::1")."""
    value = header.strip().lower()
    if value.startswith("["):
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    return value.rstrip(".")


@dataclass(frozen=True)
class WebConfig:
    """`token` guards the endpoints that write (upload, import, scenario runs) whenever the
    server listens beyond loopback; one is generated when none is given. The limits
    default to the settings' defaults; `from_settings` takes them from one Settings."""

    database_url: str
    host: str = "127.0.0.1"
    token: str | None = None
    max_upload_bytes: int = declared_default("max_file_bytes")
    scenario_draws: int = 1000
    allowed_hosts: tuple[str, ...] = ()
    max_upload_files: int = declared_default("max_upload_files")
    max_page_size: int = declared_default("max_page_size")
    max_response_bytes: int = declared_default("max_response_bytes")
    cache_entries: int = declared_default("cache_entries")
    cache_bytes: int = declared_default("cache_bytes")
    store_busy_seconds: float = declared_default("store_busy_seconds")
    # What an uploaded document and an imported file are bounded by (as `ingest` and
    # `data import` are).
    ingest_limits: IngestLimits = field(default_factory=IngestLimits)
    import_limits: ImportLimits = field(default_factory=ImportLimits.defaults)
    generated_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    @classmethod
    def from_settings(
        cls, settings: Settings, *, host: str | None = None, token: str | None = None
    ) -> WebConfig:
        return cls(
            settings.resolved_database_url(),
            host=host or settings.web_host,
            token=token or settings.web_token,
            max_upload_bytes=settings.max_file_bytes,
            allowed_hosts=settings.web_allowed_hosts,
            max_upload_files=settings.max_upload_files,
            max_page_size=settings.max_page_size,
            max_response_bytes=settings.max_response_bytes,
            cache_entries=settings.cache_entries,
            cache_bytes=settings.cache_bytes,
            store_busy_seconds=settings.store_busy_seconds,
            ingest_limits=IngestLimits.from_settings(settings),
            import_limits=ImportLimits.of(settings),
        )

    @property
    def token_required(self) -> bool:
        return self.token is not None or not is_loopback(self.host)

    @property
    def write_token(self) -> str | None:
        if not self.token_required:
            return None
        return self.token or self.generated_token

    def allows_host(self, header: str) -> bool:
        """Whether a request's Host header names this server. Loopback names always do;
        the address listened on and `allowed_hosts` do too. Listening on every interface
        (0.0.0.0), any IP address does as well: only a name can be rebound by DNS."""
        name = host_name(header)
        if not name:
            return False
        if name in LOOPBACK_NAMES or name == host_name(self.host):
            return True
        if name in (host_name(h) for h in self.allowed_hosts):
            return True
        return self.host.strip("[]") in _WILDCARDS and _is_address(name)

    def page_size(self, asked: int) -> int:
        """A listing's page size, clamped to the largest this server answers."""
        return max(1, min(asked, self.max_page_size))
