"""`borderflow report`: the headline charts, every claim with its verdict and explanation,
and the model's estimates with the published figures they are checked against, in one
HTML file that opens offline (Plotly, styles and data inline). Everything from documents
is escaped by the template engine."""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from borderflow import __version__
from borderflow.errors import BorderflowError
from borderflow.presentation.anchors import anchors_view
from borderflow.presentation.assets import stylesheet, vendor_script
from borderflow.presentation.prose import prose
from borderflow.store import Store
from borderflow.store.checks import stored_checks
from borderflow.store.model_runs import fit_in_use


def render_report(store: Store) -> str:
    """The report as one HTML string."""
    from borderflow.presentation import charts

    here = Path(str(files("borderflow.report")))
    env = Environment(
        loader=FileSystemLoader(here / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    env.filters["prose"] = prose
    figures = {
        "seizures-all": charts.seizures(store, land_only=False),
        "seizures-land": charts.seizures(store, land_only=True),
        "deaths": charts.deaths(store),
        "share": charts.canada_share(store),
        "sankey": charts.sankey(store),
    }
    in_use = fit_in_use(store)  # the newest converged fit; a failed one is never reported
    run = in_use.run
    shares = run.estimates_of("canada_share") if run else []
    anchors = anchors_view(store) if run else None  # the published figures, checked
    return env.get_template("report.html").render(
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        version=__version__,
        counts=store.counts(),
        checks=stored_checks(store),
        run=run,
        fit=in_use,
        shares=shares,
        anchors=anchors,
        figures={k: charts.script_json(v) for k, v in figures.items() if v is not None},
        plotly=vendor_script("plotly.min.js")
        .read_text(encoding="utf-8")
        .replace("</script", "<\\/script"),
        css=stylesheet(),
    )


def write_report(store: Store, out: Path) -> Path:
    """Write the report to `out` atomically: a reader never sees half a file."""
    html = render_report(store)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".report-", suffix=".html", dir=out.parent)
    except OSError as exc:
        raise BorderflowError(f"cannot write {out}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(html)
        Path(temp).chmod(0o644)  # mkstemp makes it private; a report is for sharing
        Path(temp).replace(out)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise BorderflowError(f"cannot write {out}: {exc.strerror or exc}") from exc
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return out
