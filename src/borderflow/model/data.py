"""The observations the model is fitted to, read from the store and aligned on U.S. fiscal
years (October to September).

Alignment (design notes §1): CBP cells are summed by fiscal year; U.S. deaths are CDC VSRR's
12-month count ending in September; Canadian deaths are PHAC's quarters Q4 of the year
before plus Q1-Q3, times the share involving fentanyl (calendar shares weighted 0.25 and
0.75). A year the data do not cover fully is left out, never filled in.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from borderflow.calendars import bucket, fiscal_start_month, fiscal_year_months
from borderflow.datasets import cbp, registry
from borderflow.datasets.cdc import us_overdose_deaths
from borderflow.datasets.phac import canada_opioid_deaths
from borderflow.datasets.points import covered_months
from borderflow.model.published import cbsa_seizures, dea_purity
from borderflow.model.spec import Spec
from borderflow.model.structure import CBSA_COUNTRY
from borderflow.store import Store
from borderflow.store.observations import releases, sums_by_period_and
from borderflow.units import LB_TO_KG


@dataclass(frozen=True)
class Published:
    """The bundled published figures as arrays: DEA purity [P, T] (logit, NaN where
    none) with its sd, and CBSA seizures [N] with the share of each fiscal year's inbound
    and outbound seizures [N, T] that each figure counts."""

    purity_logit: np.ndarray
    purity_sd: np.ndarray
    cbsa_kg: np.ndarray
    cbsa_bound: np.ndarray  # [N]: 0 a figure, -1 at most, +1 at least
    cbsa_inbound: np.ndarray
    cbsa_outbound: np.ndarray
    cbsa_ids: tuple[str, ...] = ()

    @staticmethod
    def empty(producers: int, years: int) -> Published:
        nan = np.full((producers, years), np.nan)
        none = np.zeros((0, years))
        return Published(nan, nan.copy(), np.zeros(0), np.zeros(0), none, none.copy())


@dataclass(frozen=True)
class ModelData:
    """Arrays over (cell, year) and (year,); NaN where a value is missing.

    `fit_years` are the years whose observations enter the likelihood; later `years` are
    forecast only (the held-out check)."""

    years: tuple[int, ...]
    fit_years: tuple[int, ...]
    cells: tuple[str, ...]
    seized_kg: np.ndarray
    events: np.ndarray
    us_deaths: np.ndarray
    ca_deaths: np.ndarray
    releases: tuple[dict[str, Any], ...] = field(default=())
    published: Published = field(default_factory=lambda: Published.empty(0, 0))

    @property
    def fitted(self) -> np.ndarray:
        """Boolean mask over years: True where observations enter the likelihood."""
        return np.array([y in self.fit_years for y in self.years])

    def observed_counts(self) -> dict[str, int]:
        mask = self.fitted
        return {
            "seizure cell-years": int(np.isfinite(self.seized_kg[:, mask]).sum()),
            "U.S. death years": int(np.isfinite(self.us_deaths[mask]).sum()),
            "Canadian death years": int(np.isfinite(self.ca_deaths[mask]).sum()),
        }

    def restrict(self, fit_years: tuple[int, ...]) -> ModelData:
        return replace(self, fit_years=fit_years)

    def through(self, last: int) -> ModelData:
        """The data up to fiscal year `last`, as if later years had not happened: the
        one-step-ahead check forecasts `last` from a fit of the years before it."""
        n = self.years.index(last) + 1
        pub = self.published
        # A CBSA figure that reaches past `last` is dropped with those years.
        keep = (pub.cbsa_inbound[:, n:] + pub.cbsa_outbound[:, n:]).sum(axis=1) == 0
        published = replace(
            pub,
            purity_logit=pub.purity_logit[:, :n], purity_sd=pub.purity_sd[:, :n],
            cbsa_kg=pub.cbsa_kg[keep], cbsa_bound=pub.cbsa_bound[keep],
            cbsa_inbound=pub.cbsa_inbound[keep, :n], cbsa_outbound=pub.cbsa_outbound[keep, :n],
            cbsa_ids=tuple(i for i, k in zip(pub.cbsa_ids, keep, strict=True) if k),
        )  # fmt: skip
        return replace(
            self, years=self.years[:n], fit_years=tuple(y for y in self.fit_years if y <= last),
            seized_kg=self.seized_kg[:, :n], events=self.events[:, :n],
            us_deaths=self.us_deaths[:n], ca_deaths=self.ca_deaths[:n], published=published,
        )  # fmt: skip


def _cbp(store: Store, spec: Spec, years: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Pounds and events per (cell, year): each CBP row goes to the first cell that takes
    it (its region, land filter, component and Area of Responsibility)."""
    kg = np.full((len(spec.cells), len(years)), np.nan)
    events = np.full_like(kg, np.nan)
    months = covered_months(store, cbp.CBP.name)
    by = ("region", "land_filter", "component", "area")
    totals = [np.zeros_like(kg), np.zeros_like(kg)]
    year_of = {m: y for y in years for m in fiscal_year_months(y)}
    for out, measure in zip(totals, ("seizure_weight", "seizure_events"), strict=True):
        sums = sums_by_period_and(
            store, source=cbp.CBP.name, measure=measure, substance="fentanyl", by=by
        )
        for (start, *row), value in sums.items():
            year = year_of.get(start)
            cell = next((i for i, c in enumerate(spec.cells) if c.takes(*row)), None)
            if year is not None and cell is not None:
                out[cell, years.index(year)] += value
    for j, year in enumerate(years):
        if all(m in months for m in fiscal_year_months(year)):
            kg[:, j] = totals[0][:, j] * LB_TO_KG
            events[:, j] = totals[1][:, j]
    return kg, events


def _us_deaths(store: Store, years: tuple[int, ...]) -> np.ndarray:
    """The 12-month counts ending with each fiscal year's last month."""
    last_month = (fiscal_start_month() - 2) % 12 + 1
    by_end = {
        p.end.year: (p.predicted if p.predicted is not None else p.deaths)
        for p in us_overdose_deaths(store, by="month")
        if p.end.month == last_month and not p.suppressed
    }
    values = [by_end.get(y) for y in years]
    return np.array([float(v) if v else np.nan for v in values])


def _ca_deaths(store: Store, years: tuple[int, ...]) -> np.ndarray:
    """PHAC's calendar quarters that make up each fiscal year, times the share involving
    fentanyl of the calendar years they fall in, weighted by months."""
    quarters = {p.period: p.deaths for p in canada_opioid_deaths(store, by="quarter")}
    shares = {
        int(p.period): p.fentanyl_share
        for p in canada_opioid_deaths(store, by="calendar-year")
        if p.fentanyl_share is not None
    }
    out = np.full(len(years), np.nan)
    for j, year in enumerate(years):
        months = fiscal_year_months(year)
        parts = [quarters.get(q) for q in sorted({bucket(m, "quarter").label for m in months})]
        weights = Counter(m.year for m in months)
        if any(v is None for v in parts) or any(y not in shares for y in weights):
            continue
        share = sum(n * shares[y] for y, n in weights.items()) / len(months) / 100
        out[j] = sum(v for v in parts if v is not None) * share
    return out


def load_model_data(
    store: Store, spec: Spec, years: tuple[int, int], fit_through: int | None = None
) -> ModelData:
    """Observations for fiscal years `years` (inclusive); with `fit_through`, later years
    are forecast rather than fitted."""
    span = tuple(range(years[0], years[1] + 1))
    kg, events = _cbp(store, spec, span)
    us = _us_deaths(store, span)
    ca = _ca_deaths(store, span)
    published = load_published(spec, span)
    last = fit_through if fit_through is not None else years[1]
    fit_years = tuple(y for y in span if y <= last)
    used = tuple(
        {"source": r.source, "file": r.file_name, "sha256": r.content_hash}
        for source in registry.used_by_model()
        for r in releases(store, source)
    )
    return ModelData(
        span, fit_years, tuple(c.id for c in spec.cells), kg, events, us, ca, used, published
    )


def load_published(spec: Spec, years: tuple[int, ...]) -> Published:
    """DEA purity for the spec's producers and the CBSA figures marked for fitting whose
    months lie inside `years`."""
    out = Published.empty(len(spec.producers), len(years))
    producers = list(spec.producers)
    for figure in dea_purity():
        if figure.producer in producers and figure.fy in years:
            p, t = producers.index(figure.producer), years.index(figure.fy)
            out.purity_logit[p, t] = np.log(figure.purity / (1 - figure.purity))
            out.purity_sd[p, t] = figure.sd
    # A figure counts only when the spec has the edges it counts (an edited spec may
    # leave out imports into Canada, or Canada's exports).
    sides = {
        "inbound": any(e.market == CBSA_COUNTRY and e.detection for e in spec.edges),
        "outbound": any(e.producer == CBSA_COUNTRY and e.detection_origin for e in spec.edges),
    }
    sides["all"] = sides["inbound"] and sides["outbound"]
    rows = []
    for c in cbsa_seizures():
        weights = c.year_weights(years) if c.fit and sides[c.direction] else None
        if weights is not None:
            rows.append((c, np.array(weights)))
    if not rows:
        return out
    return replace(
        out,
        cbsa_kg=np.array([c.kg for c, _ in rows]),
        cbsa_bound=np.array([{None: 0, "at_most": -1, "at_least": 1}[c.bound] for c, _ in rows]),
        cbsa_inbound=np.stack([w * (c.direction != "outbound") for c, w in rows]),
        cbsa_outbound=np.stack([w * (c.direction != "inbound") for c, w in rows]),
        cbsa_ids=tuple(c.id for c, _ in rows),
    )


def model_inputs(data: ModelData) -> dict[str, np.ndarray]:
    """Observations as fixed-shape arrays: missing or held-out values are masked, and given
    harmless placeholders so no NaN reaches a gradient."""
    fitted = data.fitted[None, :]
    kg = data.seized_kg
    events = data.events
    seized = np.isfinite(kg) & (kg > 0) & fitted
    zero = np.isfinite(kg) & (kg == 0) & fitted
    # Pooled over the fitted years: kg per event (for zero-seizure years) and events a year
    # (the spread of a forecast year, whose count is not known in advance).
    kg_total = np.where(seized, kg, 0.0).sum(axis=1)
    events_total = np.where(seized, events, 0.0).sum(axis=1)
    years_seen = seized.sum(axis=1)
    overall = kg_total.sum() / max(events_total.sum(), 1.0)
    mean_event = np.where(events_total > 0, kg_total / np.maximum(events_total, 1.0), overall)
    typical_events = np.where(years_seen > 0, events_total / np.maximum(years_seen, 1), 1.0)
    us = np.isfinite(data.us_deaths) & data.fitted
    ca = np.isfinite(data.ca_deaths) & data.fitted
    pub = data.published
    purity = np.isfinite(pub.purity_logit) & fitted
    # A CBSA figure counts only when every year it spans is fitted.
    spans = (pub.cbsa_inbound + pub.cbsa_outbound) > 0
    cbsa = ~(spans & ~data.fitted[None, :]).any(axis=1)
    return {
        "log_seized": np.where(seized, np.log(np.where(seized, kg, 1.0)), 0.0),
        "seized_mask": seized,
        "zero_mask": zero,
        "events": np.where(seized, np.maximum(events, 1.0), 1.0),
        "typical_events": np.broadcast_to(typical_events[:, None], kg.shape).copy(),
        "mean_event_kg": mean_event,
        "log_us_deaths": np.where(us, np.log(np.where(us, data.us_deaths, 1.0)), 0.0),
        "us_mask": us,
        "log_ca_deaths": np.where(ca, np.log(np.where(ca, data.ca_deaths, 1.0)), 0.0),
        "ca_mask": ca,
        "purity_logit": np.where(purity, pub.purity_logit, 0.0),
        "purity_sd": np.where(purity, pub.purity_sd, 1.0),
        "purity_mask": purity,
        "log_cbsa_kg": np.log(np.maximum(pub.cbsa_kg, 1e-9)),
        "cbsa_bound": pub.cbsa_bound.astype(float),
        "cbsa_inbound": pub.cbsa_inbound,
        "cbsa_outbound": pub.cbsa_outbound,
        "cbsa_mask": cbsa,
    }
