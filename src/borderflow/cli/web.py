"""`borderflow serve` (the web app) and `borderflow report` (one self-contained file)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from borderflow.cli.common import opened_store, state_of


def serve(
    ctx: typer.Context,
    host: Annotated[
        str,
        typer.Option("--host", help="Address to listen on; beyond loopback, writes need a token."),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            help="Token for uploads, imports and scenario runs (Authorization: Bearer); "
            "default BORDERFLOW_WEB_TOKEN. Generated and printed when the host is not "
            "loopback and none is given.",
        ),
    ] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Server processes.")] = 1,
) -> None:
    """Serve the web app: overview, documents with their claims highlighted, the claims
    table, the series explorer, the model with a scenario form, uploads, and the JSON API
    under /api/v1/ (OpenAPI at /api/v1/openapi.json). Nothing is fetched from the
    internet; Plotly and HTMX come from the installed packages."""
    import uvicorn

    from borderflow.web.config import WebConfig

    state = state_of(ctx)
    url = state.settings.resolved_database_url()
    token = token or state.settings.web_token
    with opened_store(ctx, create=True):
        pass  # migrate once, and fail here rather than in every worker
    config = WebConfig.from_settings(state.settings, host=host, token=token)
    if config.token_required and token is None:
        token = config.write_token
        state.say(f"writes need this token (Authorization: Bearer ...): {token}", err=True)
    state.say(f"borderflow on http://{host}:{port}/ (store {url})", err=True)
    # uvicorn's worker processes build the app from the settings; hand them ours.
    import os

    os.environ["BORDERFLOW_DATABASE_URL"] = url
    os.environ["BORDERFLOW_WEB_HOST"] = host
    if token:
        os.environ["BORDERFLOW_WEB_TOKEN"] = token
    uvicorn.run(
        "borderflow.web.server:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )


def report(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="Where to write the HTML file.")] = Path(
        "report.html"
    ),
) -> None:
    """Write one self-contained HTML file (scripts, styles and data inline; it opens
    offline) with the headline charts, every checked claim with its verdict and
    explanation, and the model's estimates."""
    from borderflow.report.build import write_report

    with opened_store(ctx) as store:
        path = write_report(store, out)
    state_of(ctx).say(f"report written to {path.resolve()}")
