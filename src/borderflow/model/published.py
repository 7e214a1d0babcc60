"""Published figures the flow model reads beside the official series: DEA's powder purity
(`dea_purity.yaml`) and CBSA's fentanyl seizures (`cbsa_seizures.yaml`), each entry with
its source. They are bundled files, not store imports, because each is a handful of
figures scattered over reports and news releases rather than a release with rows.

A figure enters the likelihood only where its file says `fit: true`; the others stay in
the file, with the reason, so a reader sees what was left out and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from typing import Any

from borderflow.calendars import fiscal_year_months, months_between
from borderflow.model.yamlfile import KeyPath, Located, parse

DIRECTIONS = ("inbound", "outbound", "all")
BOUNDS = ("at_most", "at_least")


@dataclass(frozen=True, slots=True)
class Source:
    publisher: str
    title: str
    url: str
    date: str | None


@dataclass(frozen=True, slots=True)
class PurityFigure:
    """DEA's average powder purity for one producer's product in one fiscal year, with how
    far (sd on the logit scale) the market may sit from DEA's samples."""

    id: str
    producer: str
    fy: int
    purity: float
    sd: float
    source: Source


@dataclass(frozen=True, slots=True)
class CbsaFigure:
    """CBSA fentanyl seizures (gross kg) over a span of calendar months."""

    id: str
    direction: str
    start: date
    end: date
    kg: float
    bound: str | None
    fit: bool
    why_not: str
    source: Source

    def year_weights(self, years: tuple[int, ...]) -> list[float] | None:
        """The share of a year's seizures that falls in this figure's months, per fiscal
        year (months / 12), or None when the months run outside `years`."""
        months = set(months_between(self.start, self.end))
        weights = [len(months & set(fiscal_year_months(y))) / 12 for y in years]
        return weights if round(sum(weights) * 12) == len(months) else None


def _load(name: str) -> Located:
    text = (files("borderflow.model") / name).read_text(encoding="utf-8")
    return parse(text, name)


def _number(doc: Located, path: KeyPath, value: Any, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low < value < high:
        raise doc.error(path, f"expected a number between {low:g} and {high:g}")
    return float(value)


def source_of(doc: Located, path: KeyPath, value: Any) -> Source:
    """A figure's source: publisher, title and url required, date optional."""
    if not isinstance(value, dict) or not {"publisher", "title", "url"} <= set(value):
        raise doc.error(path, "a source needs publisher, title and url")
    when = value.get("date")
    return Source(str(value["publisher"]), str(value["title"]), str(value["url"]),
                  None if when is None else str(when))  # fmt: skip


def _month(doc: Located, path: KeyPath, value: Any) -> date:
    try:
        year, month = str(value).split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        raise doc.error(path, "expected a month YYYY-MM") from None


def dea_purity() -> tuple[PurityFigure, ...]:
    doc = _load("dea_purity.yaml")
    out = []
    for i, raw in enumerate(doc.data.get("observations") or []):
        path: KeyPath = ("observations", i)
        out.append(
            PurityFigure(
                id=str(raw["id"]),
                producer=str(raw["producer"]),
                fy=int(raw["fy"]),
                purity=_number(doc, (*path, "purity"), raw.get("purity"), 0, 1),
                sd=_number(doc, (*path, "sd"), raw.get("sd"), 0, 10),
                source=source_of(doc, (*path, "source"), raw.get("source")),
            )
        )
    return tuple(out)


def cbsa_seizures() -> tuple[CbsaFigure, ...]:
    doc = _load("cbsa_seizures.yaml")
    out = []
    for i, raw in enumerate(doc.data.get("seizures") or []):
        path: KeyPath = ("seizures", i)
        if raw.get("direction") not in DIRECTIONS:
            raise doc.error((*path, "direction"), f"one of {', '.join(DIRECTIONS)}")
        bound = raw.get("bound")
        if bound is not None and bound not in BOUNDS:
            raise doc.error((*path, "bound"), f"one of {', '.join(BOUNDS)}")
        if not isinstance(raw.get("fit"), bool) or (not raw["fit"] and not raw.get("why_not")):
            raise doc.error(path, "say `fit: true`, or `fit: false` with `why_not`")
        period = raw.get("period") or {}
        out.append(
            CbsaFigure(
                id=str(raw["id"]),
                direction=raw["direction"],
                start=_month(doc, (*path, "period", "start"), period.get("start")),
                end=_month(doc, (*path, "period", "end"), period.get("end")),
                kg=_number(doc, (*path, "kg"), raw.get("kg"), 0, 1e9),
                bound=bound,
                fit=raw["fit"],
                why_not=str(raw.get("why_not") or ""),
                source=source_of(doc, (*path, "source"), raw.get("source")),
            )
        )
    return tuple(out)
