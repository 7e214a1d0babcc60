"""Whose own site a page comes from: an agency's release saved from its site is the
agency speaking, though the page's site name ("Canada.ca") names no agency. The sites
are each agency's `sites` in agencies.yaml: a host (its subdomains too) or a host and
the path under which the body publishes on a shared government site."""

from __future__ import annotations

from urllib.parse import urlsplit

from borderflow.vocab import Term


def site_owner(url: str | None, agencies: tuple[Term, ...]) -> str | None:
    """The agency whose site `url` is on (the most specific site that holds it), or None."""
    if not url:
        return None
    parts = urlsplit(url.strip() if "//" in url else f"//{url.strip()}")
    host = (parts.hostname or "").removeprefix("www.")
    path = parts.path.lower().rstrip("/") + "/"
    held = [
        (len(site), term.name)
        for term in agencies
        for site in map(str, term.attrs.get("sites", ()))
        if _holds(site, host, path)
    ]
    return max(held)[1] if held else None


def _holds(site: str, host: str, path: str) -> bool:
    site_host, _, site_path = site.partition("/")
    on_host = host == site_host or host.endswith("." + site_host)
    return on_host and path.startswith(f"/{site_path}/".replace("//", "/"))
