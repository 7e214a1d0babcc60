"""How one web app instance runs: its store, where it listens, and what guards writes."""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass, field


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class WebConfig:
    """`token` guards the endpoints that write (upload, import, scenario runs) whenever the
    server listens beyond loopback; one is generated when none is given."""

    database_url: str
    host: str = "127.0.0.1"
    token: str | None = None
    max_upload_bytes: int = 20_000_000
    scenario_draws: int = 1000
    generated_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    @property
    def token_required(self) -> bool:
        return self.token is not None or not is_loopback(self.host)

    @property
    def write_token(self) -> str | None:
        if not self.token_required:
            return None
        return self.token or self.generated_token
