"""The sections of a network spec file: producers, markets, edges, CBP cells and
precursor routes, each as a checked record with the parser that builds it.

They live apart from `Spec` (spec.py) so the whole-file checks read in one place and
each section's rules in another; spec.py re-exports every name here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from borderflow.datasets import cbp, cdc, phac
from borderflow.model.priors import Prior, parse_prior
from borderflow.model.yamlfile import KeyPath, Located

# The two death series the model reads: U.S. deaths count illicitly made fentanyl only
# (the imf share), Canadian ones carry the Canada offset of lethality.
US_DEATHS, CA_DEATHS = cdc.VSRR.name, phac.HARMS.name
DEATH_SOURCES = (US_DEATHS, CA_DEATHS)
LAND_FILTERS = (cbp.LAND_ONLY, cbp.OTHER)


@dataclass(frozen=True, slots=True)
class Edge:
    id: str
    producer: str
    market: str
    mode: str
    flow: Prior
    detection: Prior | None
    detection_origin: Prior | None


@dataclass(frozen=True, slots=True)
class Share:
    """An edge's share of seizures booked in a cell: a constant or (1 -) a named parameter."""

    constant: float = 1.0
    parameter: str | None = None
    complement: bool = False


@dataclass(frozen=True, slots=True)
class Cell:
    """CBP rows booked to one observed series: a region, a land filter, one or more
    components, and optionally named Areas of Responsibility. Cells are matched in file
    order and a row goes to the first cell that takes it, so a cell without `areas`
    takes what the cells before it left (design notes revision: Houston is not mail)."""

    id: str
    region: str
    land_filter: str
    components: tuple[str, ...]
    areas: tuple[str, ...]
    edges: dict[str, Share]
    source: str = ""

    def takes(self, region: str, land_filter: str, component: str, area: str | None) -> bool:
        return (
            region == self.region
            and land_filter == self.land_filter
            and component in self.components
            and (not self.areas or (area or "").upper() in self.areas)
        )


@dataclass(frozen=True, slots=True)
class Producer:
    id: str
    label: str
    purity: Prior


@dataclass(frozen=True, slots=True)
class Bound:
    """A published upper bound on a market's consumption in one year (kg pure), applied
    as a soft ceiling: below `high` it costs nothing, so a bound never acts as a median;
    above it the log density falls like a normal's tail with sd `softness` on log kg."""

    year: int
    high: float
    softness: float
    source: str

    def log_factor(self, consumption: Any, xp: Any = np) -> Any:
        """The ceiling's log density at `consumption` (kg): 0 up to `high`, a normal tail
        above. The fit (JAX) and the prior reweighting (NumPy) both call this one rule."""
        excess = xp.maximum(xp.log(consumption) - np.log(self.high), 0.0)
        return -0.5 * xp.square(excess / self.softness)


@dataclass(frozen=True, slots=True)
class Market:
    id: str
    label: str
    interior_loss: Prior | None
    deaths: str | None
    bound: Bound | None


@dataclass(frozen=True, slots=True)
class PrecursorRoute:
    origin: str
    via: str
    share: float
    source: str


@dataclass(frozen=True, slots=True)
class Precursors:
    domestic_share: Prior
    routes: tuple[PrecursorRoute, ...]


def mapping_at(doc: Located, path: KeyPath, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict) or not value:
        raise doc.error(path, "expected a non-empty mapping")
    return value


def text_at(doc: Located, path: KeyPath, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise doc.error(path, "expected text")
    return value


def parse_markets(doc: Located, raw: dict[str, Any]) -> dict[str, Market]:
    out: dict[str, Market] = {}
    for key, value in raw.items():
        path: KeyPath = ("markets", str(key))
        body = mapping_at(doc, path, value)
        deaths = body.get("deaths")
        if deaths is not None and deaths not in DEATH_SOURCES:
            raise doc.error(
                (*path, "deaths"), f"deaths come from one of {', '.join(DEATH_SOURCES)}"
            )
        loss = body.get("interior_loss")
        interior = parse_prior(doc, (*path, "interior_loss"), loss) if loss is not None else None
        if deaths and interior is None:
            raise doc.error(path, "a market with deaths needs an interior_loss prior")
        if "consumption_anchor" in body:
            raise doc.error(
                (*path, "consumption_anchor"), "replaced by consumption_bound: {year: YYYY, "
                "high: KG, softness: SD, source: ...}, a published upper bound, not a median",
            )  # fmt: skip
        bound = (
            _bound(doc, (*path, "consumption_bound"), body["consumption_bound"])
            if "consumption_bound" in body
            else None
        )
        out[str(key)] = Market(str(key), str(body.get("label", key)), interior, deaths, bound)
    return out


def _bound(doc: Located, path: KeyPath, value: Any) -> Bound:
    body = mapping_at(doc, path, value)
    if set(body) != {"year", "high", "softness", "source"}:
        raise doc.error(path, "a bound is {year: YYYY, high: KG, softness: SD, source: ...}")
    year, high, soft = body["year"], body["high"], body["softness"]
    if not isinstance(year, int):
        raise doc.error((*path, "year"), "expected a fiscal year YYYY")
    for key, number in (("high", high), ("softness", soft)):
        if not isinstance(number, int | float) or isinstance(number, bool) or number <= 0:
            raise doc.error((*path, key), "expected a positive number")
    return Bound(year, float(high), float(soft), text_at(doc, (*path, "source"), body["source"]))


def parse_producers(doc: Located, raw: dict[str, Any]) -> dict[str, Producer]:
    out: dict[str, Producer] = {}
    for key, value in raw.items():
        path: KeyPath = ("producers", str(key))
        body = mapping_at(doc, path, value)
        purity = parse_prior(doc, (*path, "purity"), body.get("purity"))
        if purity.dist != "logit_normal":
            raise doc.error((*path, "purity"), "purity must be logit_normal")
        out[str(key)] = Producer(str(key), str(body.get("label", key)), purity)
    return out


def parse_edges(
    doc: Located, raw: Any, producers: dict[str, Producer], markets: dict[str, Market]
) -> tuple[Edge, ...]:
    if not isinstance(raw, list) or not raw:
        raise doc.error(("edges",), "expected a list of edges")
    out: list[Edge] = []
    seen: set[str] = set()
    for i, body in enumerate(raw):
        path: KeyPath = ("edges", i)
        if not isinstance(body, dict) or not isinstance(body.get("id"), str):
            raise doc.error(path, "each edge needs an id PRODUCER-MARKET-MODE")
        parts = body["id"].split("-")
        if len(parts) != 3:
            raise doc.error((*path, "id"), f"edge id {body['id']!r} is not PRODUCER-MARKET-MODE")
        producer, market, mode = parts
        if producer not in producers:
            raise doc.error((*path, "id"), f"unknown producer {producer!r}")
        if market not in markets:
            raise doc.error((*path, "id"), f"unknown market {market!r}")
        if body["id"] in seen:
            raise doc.error((*path, "id"), f"edge {body['id']} is listed twice")
        seen.add(body["id"])
        unknown = set(body) - {"id", "flow", "detection", "detection_origin"}
        if unknown:
            raise doc.error(path, f"unknown keys: {', '.join(sorted(unknown))}")
        flow = parse_prior(doc, (*path, "flow"), body.get("flow"))
        if flow.dist != "lognormal":
            raise doc.error((*path, "flow"), "an edge's flow prior must be lognormal")
        detection = (
            parse_prior(doc, (*path, "detection"), body["detection"])
            if "detection" in body
            else None
        )
        origin = (
            parse_prior(doc, (*path, "detection_origin"), body["detection_origin"])
            if "detection_origin" in body
            else None
        )
        for prior, key in ((detection, "detection"), (origin, "detection_origin")):
            if prior is not None and prior.dist != "logit_normal":
                raise doc.error((*path, key), "detection priors must be logit_normal")
        out.append(Edge(body["id"], producer, market, mode, flow, detection, origin))
    return tuple(out)


def _share(doc: Located, path: KeyPath, value: Any, parameters: dict[str, Prior]) -> Share:
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 0 <= value <= 1:
            raise doc.error(path, "a share must be between 0 and 1")
        return Share(constant=float(value))
    if isinstance(value, str):
        name = value.replace(" ", "")
        complement = name.startswith("1-")
        name = name.removeprefix("1-")
        prior = parameters.get(name)
        if prior is None:
            raise doc.error(path, f"unknown parameter {name!r} (declare it under parameters)")
        if prior.dist not in ("beta", "logit_normal"):
            raise doc.error(path, f"{name} must have a beta or logit_normal prior to be a share")
        return Share(parameter=name, complement=complement)
    raise doc.error(path, "a share is a number, a parameter name, or 1-name")


def parse_cells(
    doc: Located, raw: Any, edges: tuple[Edge, ...], parameters: dict[str, Prior]
) -> tuple[Cell, ...]:
    if not isinstance(raw, list) or not raw:
        raise doc.error(("cells",), "expected a list of CBP cells")
    ids = {e.id for e in edges}
    out: list[Cell] = []
    for i, body in enumerate(raw):
        path: KeyPath = ("cells", i)
        body = mapping_at(doc, path, body)
        for key in ("id", "region", "land_filter"):
            text_at(doc, (*path, key), body.get(key))
        unknown = set(body) - {
            "id",
            "region",
            "land_filter",
            "component",
            "areas",
            "edges",
            "source",
        }
        if unknown:
            raise doc.error(path, f"unknown keys: {', '.join(sorted(unknown))}")
        components = _names(doc, (*path, "component"), body.get("component"))
        if not set(components) <= set(cbp.OFO_AND_USBP):
            known = ", ".join(cbp.OFO_AND_USBP)
            raise doc.error((*path, "component"), f"not a CBP component; one of {known}")
        areas = (
            tuple(a.upper() for a in _names(doc, (*path, "areas"), body["areas"]))
            if "areas" in body
            else ()
        )
        if body["region"] not in cbp.REGION_NAMES:
            known = ", ".join(sorted(cbp.REGION_NAMES))
            raise doc.error((*path, "region"), f"not a CBP region; one of {known}")
        if body["land_filter"] not in LAND_FILTERS:
            raise doc.error((*path, "land_filter"), f"one of {', '.join(LAND_FILTERS)}")
        shares = {}
        for edge_id, value in mapping_at(doc, (*path, "edges"), body.get("edges")).items():
            if edge_id not in ids:
                raise doc.error((*path, "edges", str(edge_id)), f"unknown edge {edge_id!r}")
            edge = next(e for e in edges if e.id == edge_id)
            if edge.detection is None:
                raise doc.error((*path, "edges", str(edge_id)), "edge has no detection prior")
            shares[str(edge_id)] = _share(doc, (*path, "edges", str(edge_id)), value, parameters)
        cell = Cell(
            body["id"], body["region"], body["land_filter"], components, areas, shares,
            str(body.get("source", "")),
        )  # fmt: skip
        _check_reachable(doc, path, cell, out)
        out.append(cell)
    return tuple(out)


def _names(doc: Located, path: KeyPath, value: Any) -> tuple[str, ...]:
    """One name or a non-empty list of names."""
    if isinstance(value, str) and value.strip():
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(value)
    raise doc.error(path, "expected a name or a list of names")


def _check_reachable(doc: Located, path: KeyPath, cell: Cell, before: list[Cell]) -> None:
    """A cell whose rows an earlier catch-all cell already takes would stay empty."""
    for other in before:
        if (
            not other.areas
            and other.region == cell.region
            and other.land_filter == cell.land_filter
            and set(cell.components) <= set(other.components)
        ):
            raise doc.error(
                path, f"cell {other.id} before it already takes all of these rows; "
                "list cells with `areas` before the cell that takes the rest",
            )  # fmt: skip


def parse_precursors(
    doc: Located, raw: Any, producers: dict[str, Producer]
) -> dict[str, Precursors]:
    out: dict[str, Precursors] = {}
    for key, value in raw.items():
        path: KeyPath = ("precursors", str(key))
        if key not in producers:
            raise doc.error(path, f"unknown producer {key!r}")
        body = mapping_at(doc, path, value)
        domestic = parse_prior(doc, (*path, "domestic_share"), body.get("domestic_share"))
        if domestic.dist != "beta":
            raise doc.error((*path, "domestic_share"), "domestic_share must be beta")
        routes = []
        for i, r in enumerate(body.get("routes") or []):
            rp: KeyPath = (*path, "routes", i)
            if not isinstance(r, dict) or not {"from", "via", "share", "source"} <= set(r):
                raise doc.error(rp, "a route needs from, via, share and source")
            share = r["share"]
            if not isinstance(share, int | float) or not 0 <= share <= 1:
                raise doc.error((*rp, "share"), "share must be between 0 and 1")
            routes.append(
                PrecursorRoute(str(r["from"]), str(r["via"]), float(share), str(r["source"]))
            )
        if routes and abs(sum(r.share for r in routes) - 1) > 1e-6:
            raise doc.error((*path, "routes"), "imported route shares must add up to 1")
        out[str(key)] = Precursors(domestic, tuple(routes))
    return out
