"""The data explorer's chart of any registered series: the field the source says to plot,
titled with what it shows and per what period, with the source's release files, partial
periods drawn apart and named with their months, values the publisher suppressed left as
gaps and said so, and for a sum of CDC WONDER's published cells, how short it can be."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from borderflow.datasets.series import SeriesTable
from borderflow.presentation.charts import PARTIAL_MARKER, partial_note
from borderflow.presentation.component import LAYOUT, Chart, period_axis
from borderflow.presentation.display import table_of
from borderflow.presentation.provenance import (
    WONDER_LARGEST_SUPPRESSED,
    basis_words,
    files_used,
    missing_cells,
    months_only,
    partial_labels,
    source_line,
    unit_words,
)
from borderflow.store import Store

_MOST_NAMED = 3  # partial periods named in a legend entry before "see the table"


def _suppression_note(cells: dict[str, tuple[int, int]]) -> str | None:
    """The note under a sum of CDC WONDER's state-month cells."""
    if not any(missing for missing, _ in cells.values()):
        return None
    period, (missing, total) = max(cells.items(), key=lambda kv: kv[1][0] / max(kv[1][1], 1))
    return (
        "Sums of the state-month counts CDC WONDER publishes. WONDER suppresses counts "
        f"under 10, so each total is a lower bound, short by up to {WONDER_LARGEST_SUPPRESSED} "
        "deaths for each suppressed state-month (the bar above each point shows how many "
        f"at most). Worst: {period}, {missing:,} of {total:,} state-months suppressed."
    )


def series_chart(store: Store, table: SeriesTable, *, chart_id: str = "series-chart") -> Chart:
    """The explorer's chart and table for one series request."""
    records = table.records()
    field, unit = table.series.chart_field, table.chart_unit
    labels = partial_labels(store, table.source.name, records)
    cells = missing_cells(store, table.source.name, table.query)
    shown: list[dict[str, Any]] = []
    for record in records:
        row = dict(record)
        if "partial" in row:
            row["partial"] = months_only(labels.get(str(row["period"]), "")) or None
        if cells:
            missing, _ = cells.get(str(row["period"]), (0, 0))
            row.update(suppressed_cells=missing, short_by=missing * WONDER_LARGEST_SUPPRESSED)
        shown.append(row)
    columns = list(table.columns)
    if cells:
        columns += [("suppressed_cells", "state-months suppressed"),
                    ("short_by", "deaths left out, at most")]  # fmt: skip
    grid = table_of(shown, columns)
    decimals = next((c.decimals for c in grid.columns if c.field == field), 0)
    fig = go.Figure()
    main_name = unit_words(unit)
    if cells:
        main_name += " in the state-months WONDER publishes (bars: at most this many more)"
    for partial in (False, True):
        chosen = [r for r in records if bool(r.get("partial")) == partial]
        if not chosen:
            continue
        names = [labels[str(r["period"])] for r in chosen if str(r["period"]) in labels]
        name = "; ".join(names) if len(names) <= _MOST_NAMED else "partial periods (see the table)"
        short = (
            [cells.get(str(r["period"]), (0, 0))[0] * WONDER_LARGEST_SUPPRESSED for r in chosen]
            if cells
            else None
        )
        fig.add_trace(
            go.Scatter(
                x=[r["period"] for r in chosen], y=[r.get(field) for r in chosen],
                mode="markers" if partial else "lines+markers",
                marker={**(PARTIAL_MARKER if partial else {}), "color": "#1f5fa8"},
                line={"color": "#1f5fa8"},
                name=name if partial else main_name,
                error_y={"type": "data", "symmetric": False, "array": short,
                         "arrayminus": [0] * len(chosen), "color": "#9aa3b2"} if short else None,
                hovertemplate=f"%{{x}}: %{{y:,.{decimals}f}} {unit}<extra></extra>",
            )
        )  # fmt: skip
    notes = []
    if labels:
        notes.append(partial_note(labels))
    if (note := _suppression_note(cells)) is not None:
        notes.append(note)
    hidden = [str(r["period"]) for r in records if r.get("suppressed")]
    if hidden:
        notes.append(
            f"Suppressed by the publisher, so left as gaps: {', '.join(hidden[:12])}"
            + (f" and {len(hidden) - 12} more." if len(hidden) > 12 else ".")
        )
    if "predicted" in dict(table.columns) and field != "predicted":
        notes.append(
            "The line is the reported count, the figure borderflow's checks cite; CDC's "
            "predicted count, which allows for reports still pending, is in the table. "
            "Both are provisional: recent periods rise as late reports arrive."
        )
    periods = [r["period"] for r in records]  # in time order, whichever trace holds them
    fig.update_layout(
        xaxis=period_axis(periods),
        yaxis={"title": {"text": unit_words(unit)}, "rangemode": "tozero", "tickformat": ","},
        **LAYOUT,
    )
    figure: dict[str, Any] = fig.to_plotly_json()
    per = basis_words(table.query.by, records)
    words = unit_words(unit)
    subtitle = (
        f"{words[:1].upper()}{words[1:]} "
        f"{'in the' if per.startswith('12 months') else 'per'} {per}."
    )
    files = files_used(store, table.source, table.series, table.query, records)
    return Chart(
        id=chart_id,
        title=table.chart_title(),
        subtitle=subtitle,
        figure=figure if records else None,
        table=grid,
        sources=(source_line(store, table.source, files),),
        notes=tuple(notes),
    )
