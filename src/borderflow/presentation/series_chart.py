"""The data explorer's chart of any registered series: the field the source says to plot,
titled with what it shows and per what period, with the source's release files, partial
periods drawn apart and named with their months, values the publisher suppressed or did
not publish left as gaps that the table and notes explain, and for a sum of CDC WONDER's
published cells, how short it can be."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
    months_only,
    partial_labels,
    source_line,
    unit_words,
)
from borderflow.store import Store

_MOST_NAMED = 3  # partial periods named in a legend entry before "see the table"
_MOST_LISTED = 12  # gaps named in a note before "and N more"
_BLANK = "blank"  # the shown row's field saying why its value is missing
_COLOUR = "#1f5fa8"


def _listed(records: Sequence[Mapping[str, Any]], chosen: Sequence[int]) -> str:
    """The periods of `records` at indices `chosen`, runs of three or more neighbours as
    one span ("1999–2021, 2023"), then "and N more" past a dozen."""
    runs: list[list[int]] = []
    for i in chosen:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    named = [
        f"{records[run[0]]['period']}–{records[run[-1]]['period']}"
        if len(run) >= 3
        else ", ".join(str(records[i]["period"]) for i in run)
        for run in runs
    ]
    text = ", ".join(named[:_MOST_LISTED])
    return text + (f" and {len(named) - _MOST_LISTED} more" if len(named) > _MOST_LISTED else "")


def _suppression_note(records: Sequence[Mapping[str, Any]], field: str) -> str | None:
    """The note under sums of CDC WONDER's state-month cells that miss some cells."""
    short = [r for r in records if r.get(field) is not None and r.get("suppressed_cells")]
    if not short:
        return None
    worst = max(short, key=lambda r: int(r["suppressed_cells"]) / max(int(r["cells"]), 1))
    return (
        "Sums of the state-month counts CDC WONDER publishes. WONDER suppresses counts "
        f"under 10, so each total is a lower bound, short by up to {WONDER_LARGEST_SUPPRESSED} "
        "deaths for each suppressed state-month (the bar above each point shows how many "
        f"at most). Worst: {worst['period']}, {int(worst['suppressed_cells']):,} of "
        f"{int(worst['cells']):,} state-months suppressed."
    )


def _gap_notes(records: Sequence[Mapping[str, Any]], field: str, cell_sums: bool) -> list[str]:
    """What each gap in the line is: suppressed by the publisher, or not published."""
    blank = [i for i, r in enumerate(records) if r.get(field) is None]
    hidden = [i for i in blank if records[i].get("suppressed")]
    absent = [i for i in blank if not records[i].get("suppressed")]
    notes = []
    if hidden and cell_sums:
        notes.append(
            f"No count for {_listed(records, hidden)}: CDC WONDER suppressed every "
            f"state-month in {'it' if len(hidden) == 1 else 'them'} (each had fewer than 10 "
            "deaths), so the total is unknown, not zero; left as gaps."
        )
    elif hidden:
        notes.append(f"Suppressed by the publisher, so left as gaps: {_listed(records, hidden)}.")
    if absent:
        notes.append(
            "Not available in the publisher's release (no figure given), so left as gaps: "
            f"{_listed(records, absent)}."
        )
    return notes


def _why_blank(record: Mapping[str, Any]) -> str:
    return "suppressed" if record.get("suppressed") else "not available"


def series_chart(store: Store, table: SeriesTable, *, chart_id: str = "series-chart") -> Chart:
    """The explorer's chart and table for one series request."""
    records = table.records()
    field, unit = table.series.chart_field, table.chart_unit
    labels = partial_labels(store, table.source.name, records)
    # CDC WONDER's sums say how many of their state-month cells were suppressed.
    cell_sums = any("suppressed_cells" in r for r in records)
    shown: list[dict[str, Any]] = []
    for record in records:
        row = dict(record)
        if "partial" in row:
            row["partial"] = months_only(labels.get(str(row["period"]), "")) or None
        if cell_sums:
            row["short_by"] = int(row["suppressed_cells"]) * WONDER_LARGEST_SUPPRESSED
        if row.get(field) is None:
            row[_BLANK] = _why_blank(record)
        shown.append(row)
    columns = list(table.columns)
    if cell_sums:
        columns.append(("short_by", "deaths left out, at most"))
    grid = table_of(shown, columns, blanks={field: _BLANK})
    decimals = next((c.decimals for c in grid.columns if c.field == field), 0)
    fig = go.Figure()
    main_name = unit_words(unit)
    if cell_sums:
        # Two short lines, so a phone's legend shows all of it.
        main_name += " in published state-months<br>a lower bound; bars: up to this many more"
    for partial in (False, True):
        chosen = [r for r in records if bool(r.get("partial")) == partial]
        if not chosen:
            continue
        drawn = [r for r in chosen if r.get(field) is not None]
        names = [labels[str(r["period"])] for r in drawn if str(r["period"]) in labels]
        name = "; ".join(names) if len(names) <= _MOST_NAMED else "partial periods (see the table)"
        short = (
            [int(r["suppressed_cells"]) * WONDER_LARGEST_SUPPRESSED for r in chosen]
            if cell_sums and any(r.get("suppressed_cells") for r in drawn)
            else None
        )
        hover = f"%{{x}}: %{{y:,.{decimals}f}} {unit}"
        if cell_sums:
            hover = (
                f"%{{x}}: at least %{{y:,.{decimals}f}} {unit}; %{{customdata[0]:,}} of "
                "%{customdata[1]:,} state-months suppressed"
            )
        fig.add_trace(
            go.Scatter(
                x=[r["period"] for r in chosen], y=[r.get(field) for r in chosen],
                mode="markers" if partial else "lines+markers",
                marker={**(PARTIAL_MARKER if partial else {}), "color": _COLOUR},
                line={"color": _COLOUR},
                name=name if partial else main_name,
                # A trace with no point drawn has nothing for a legend entry to name.
                showlegend=bool(drawn),
                customdata=[[r["suppressed_cells"], r["cells"]] for r in chosen]
                if cell_sums else None,
                error_y={"type": "data", "symmetric": False, "array": short,
                         "arrayminus": [0] * len(chosen), "color": "#9aa3b2"} if short else None,
                hovertemplate=f"{hover}<extra></extra>",
            )
        )  # fmt: skip
    notes = []
    drawn_labels = {
        period: label
        for period, label in labels.items()
        if any(str(r["period"]) == period and r.get(field) is not None for r in records)
    }
    if drawn_labels:
        notes.append(partial_note(drawn_labels))
    if (note := _suppression_note(records, field)) is not None:
        notes.append(note)
    notes += _gap_notes(records, field, cell_sums)
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
