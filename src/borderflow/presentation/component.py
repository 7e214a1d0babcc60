"""A chart as a page shows it, the way a grapher does: a plain title with the unit and the
period basis, the plot, the source line naming the release files, notes on partial periods
and suppressed cells, the same numbers as a table (the text alternative), and links to
download them. The template `_chart.html` renders one; the report, which has no page
around its figures, takes `standalone()`: the figure with its title and source inside."""

from __future__ import annotations

import json
from dataclasses import dataclass
from textwrap import wrap
from typing import Any

from borderflow.presentation.display import Table

# No title inside the plot: it is the page's, in HTML. The legend sits above the plot,
# where it never meets the period labels however a narrow screen turns them.
LAYOUT: dict[str, Any] = {
    "margin": {"l": 64, "r": 24, "t": 16, "b": 40},
    "height": 380,
    "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
    "template": "plotly_white",
    "font": {"size": 13},
}


def script_json(value: Any) -> str:
    """JSON to embed in a <script type="application/json"> element: no "<" may appear at
    all there ("</" would end the element and "<!--" change how it is parsed), and JSON
    allows \\u003c instead."""
    return json.dumps(value).replace("<", "\\u003c")


def period_axis(periods: list[str]) -> dict[str, object]:
    """An x axis of periods in time order, whichever trace (full or partial) holds each:
    categories, so a fiscal year is never read as a date."""
    return {"type": "category", "categoryorder": "array", "categoryarray": periods,
            "automargin": True}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Link:
    """A download or another view of the chart."""

    label: str
    href: str


@dataclass(frozen=True, slots=True)
class Choice:
    """One of a chart's alternative views ("Land border only"): a page address that shows
    it (`href`, what the address bar keeps) and the fragment HTMX swaps in."""

    label: str
    href: str
    fragment: str
    current: bool


@dataclass(frozen=True, slots=True)
class Chart:
    """Everything one chart shows. `figure` is the Plotly figure without a title (the
    title is HTML above it); None when there is nothing to plot yet, in which case
    `empty` says why."""

    id: str
    title: str
    subtitle: str
    figure: dict[str, Any] | None
    table: Table
    sources: tuple[str, ...]
    notes: tuple[str, ...] = ()
    downloads: tuple[Link, ...] = ()
    choices: tuple[Choice, ...] = ()
    empty: str = "No data for this chart yet."
    choices_label: str = "Which figures"

    @property
    def figure_json(self) -> str | None:
        return None if self.figure is None else script_json(self.figure)

    @property
    def source_text(self) -> str:
        """The source line: "Source: ..." or "Sources: ...; ..."."""
        label = "Source" if len(self.sources) == 1 else "Sources"
        return f"{label}: {'; '.join(self.sources)}."

    def standalone(self) -> dict[str, Any] | None:
        """The figure for a page that shows it bare (the report): the title and subtitle in
        Plotly's title, the source line and notes under the plot."""
        if self.figure is None:
            return None
        layout = dict(self.figure.get("layout", {}))
        lines = [line for text in (self.source_text, *self.notes) for line in wrap(text, 150)]
        top, plot = 70, int(layout.get("height", 360)) - 72  # the plot keeps its own height
        bottom = 60 + 50 + 15 * len(lines)  # tick labels, up to two rows of legend, words
        layout.update(
            title={"text": f"{self.title}<br><sub>{self.subtitle}</sub>", "x": 0.01},
            margin={**layout.get("margin", {}), "t": top, "b": bottom},
            height=top + plot + bottom,
            legend={**layout.get("legend", {}), "y": -48 / plot, "yanchor": "top"},
            xaxis={**layout.get("xaxis", {}), "automargin": False},
            annotations=[
                *layout.get("annotations", ()),
                {
                    "text": "<br>".join(lines), "showarrow": False, "xref": "paper",
                    "yref": "paper", "x": 0, "y": -(bottom - 6) / plot, "xanchor": "left",
                    "yanchor": "bottom", "align": "left", "font": {"size": 11},
                },
            ],
        )  # fmt: skip
        return {**self.figure, "layout": layout}
