"""The observations the model is fitted to, read from the store and aligned on U.S. fiscal
years (October to September).

Alignment (design notes §1): CBP cells are summed by fiscal year; U.S. deaths are CDC VSRR's
12-month count ending in September; Canadian deaths are PHAC's quarters Q4 of the year
before plus Q1-Q3, times the share involving fentanyl (calendar shares weighted 0.25 and
0.75). A year the data do not cover fully is left out, never filled in.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from borderflow.calendars import bucket, fiscal_start_month, fiscal_year_months
from borderflow.datasets import cbp, registry
from borderflow.datasets.cdc import us_overdose_deaths
from borderflow.datasets.phac import canada_opioid_deaths
from borderflow.datasets.points import covered_months
from borderflow.model.spec import Spec
from borderflow.store import Store
from borderflow.store.observations import releases, sums_by_period
from borderflow.units import LB_TO_KG


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
        return ModelData(
            self.years, fit_years, self.cells, self.seized_kg, self.events, self.us_deaths,
            self.ca_deaths, self.releases,
        )  # fmt: skip


def _cbp(store: Store, spec: Spec, years: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    kg = np.full((len(spec.cells), len(years)), np.nan)
    months = covered_months(store, cbp.CBP.name)
    events = np.full_like(kg, np.nan)
    for i, cell in enumerate(spec.cells):
        filters = {
            "region": cell.region,
            "land_filter": cell.land_filter,
            "component": cell.component,
        }
        pounds, counts = (
            sums_by_period(
                store, source=cbp.CBP.name, measure=m, substance="fentanyl", filters=filters
            )
            for m in ("seizure_weight", "seizure_events")
        )
        for j, year in enumerate(years):
            wanted = fiscal_year_months(year)
            if not all(m in months for m in wanted):
                continue
            kg[i, j] = sum(pounds.get(m, 0.0) for m in wanted) * LB_TO_KG
            events[i, j] = sum(counts.get(m, 0.0) for m in wanted)
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
    last = fit_through if fit_through is not None else years[1]
    fit_years = tuple(y for y in span if y <= last)
    used = tuple(
        {"source": r.source, "file": r.file_name, "sha256": r.content_hash}
        for source in registry.used_by_model()
        for r in releases(store, source)
    )
    return ModelData(span, fit_years, tuple(c.id for c in spec.cells), kg, events, us, ca, used)


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
    }
