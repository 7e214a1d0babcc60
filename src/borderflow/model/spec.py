"""The network spec: producers, markets, edges by mode, CBP cells and every prior.

The spec is data (`network.yaml` beside this module) so an analyst can disagree with a
prior by editing a file, not code. Loading checks it completely and reports the file and
line of the first problem; the fitted posterior records the spec's text and hash.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from importlib.resources import files
from pathlib import Path
from typing import Any

from borderflow.model.priors import Prior, parse_prior
from borderflow.model.yamlfile import KeyPath, Located, parse, read

REQUIRED_PARAMETERS = (
    "flow_step",
    "lethality",
    "lethality_step",
    "lethality_canada",
    "imf_share",
    "deaths_noise",
    "seizure_noise",
    "event_spread",
)
ROUTE_CHOICE = ("risk_aversion", "unreplaced", "producer_response", "resource_elasticity")
DEATH_SOURCES = ("cdc-vsrr", "phac")


SCALABLE = ("purity", "detection")


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
    id: str
    region: str
    land_filter: str
    component: str
    edges: dict[str, Share]


@dataclass(frozen=True, slots=True)
class Producer:
    id: str
    label: str
    purity: Prior


@dataclass(frozen=True, slots=True)
class Anchor:
    """A soft prior on a market's derived consumption in one year (kg pure)."""

    year: int
    prior: Prior


@dataclass(frozen=True, slots=True)
class Market:
    id: str
    label: str
    interior_loss: Prior | None
    deaths: str | None
    anchor: Anchor | None


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


@dataclass(frozen=True, slots=True)
class Spec:
    """A checked network spec. Order of producers, markets and edges is the file's order."""

    name: str
    first_year: int
    last_year: int
    producers: dict[str, Producer]
    markets: dict[str, Market]
    edges: tuple[Edge, ...]
    cells: tuple[Cell, ...]
    parameters: dict[str, Prior]
    route_choice: dict[str, Prior]
    precursors: dict[str, Precursors]
    nodes: tuple[dict[str, Any], ...]
    text: str = field(repr=False)
    source_name: str = "network.yaml"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def edge_index(self, edge_id: str) -> int:
        return next(i for i, e in enumerate(self.edges) if e.id == edge_id)

    def pair_edges(self, producer: str, market: str) -> list[int]:
        return [i for i, e in enumerate(self.edges) if (e.producer, e.market) == (producer, market)]

    def with_scaled_sd(self, kind: str, factor: float) -> Spec:
        """This spec with the sd of every `kind` prior ("purity" or "detection", both
        sides) multiplied by `factor`: the power-scaling sensitivity check refits on it."""
        if kind not in SCALABLE:
            raise ValueError(f"kind is one of {', '.join(SCALABLE)}")

        def scaled(prior: Prior) -> Prior:
            if "sd" not in prior.params:
                return prior
            params = {**prior.params, "sd": prior.params["sd"] * factor}
            return replace(prior, params=params, source=f"{prior.source} (sd x {factor:g})")

        def optional(prior: Prior | None) -> Prior | None:
            return None if prior is None else scaled(prior)

        if kind == "purity":
            producers = {k: replace(p, purity=scaled(p.purity)) for k, p in self.producers.items()}
            return replace(self, producers=producers)
        edges = tuple(
            replace(
                e, detection=optional(e.detection), detection_origin=optional(e.detection_origin)
            )
            for e in self.edges
        )
        return replace(self, edges=edges)

    def priors(self) -> list[tuple[str, Prior]]:
        """Every prior in the spec with a readable name, for `model priors` and the docs."""
        out: list[tuple[str, Prior]] = []
        out += [(f"purity {p.id}", p.purity) for p in self.producers.values()]
        for e in self.edges:
            out.append((f"flow {e.id} FY{self.first_year}", e.flow))
            if e.detection:
                out.append((f"detection {e.id}", e.detection))
            if e.detection_origin:
                out.append((f"detection_origin {e.id}", e.detection_origin))
        for m in self.markets.values():
            if m.interior_loss:
                out.append((f"interior_loss {m.id}", m.interior_loss))
            if m.anchor:
                out.append((f"consumption {m.id} FY{m.anchor.year}", m.anchor.prior))
        out += [(k, v) for k, v in self.parameters.items()]
        out += [(f"route_choice {k}", v) for k, v in self.route_choice.items()]
        out += [
            (f"precursors {k} domestic_share", v.domestic_share) for k, v in self.precursors.items()
        ]
        return out


def default_spec_text() -> str:
    return (files("borderflow.model") / "network.yaml").read_text(encoding="utf-8")


def load_spec(path: Path | None = None) -> Spec:
    """The bundled spec, or the one at `path`, checked; SpecError names file and line."""
    if path is None:
        text = default_spec_text()
        return spec_from_text(text, "network.yaml")
    text, doc = read(path)
    return _build(doc, text)


def spec_from_text(text: str, name: str) -> Spec:
    return _build(parse(text, name), text)


def _mapping(doc: Located, path: KeyPath, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict) or not value:
        raise doc.error(path, "expected a non-empty mapping")
    return value


def _text(doc: Located, path: KeyPath, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise doc.error(path, "expected text")
    return value


def _build(doc: Located, text: str) -> Spec:
    raw = doc.data
    known = {
        "name", "version", "years", "nodes", "precursors", "producers", "edges",
        "cells", "markets", "parameters", "route_choice",
    }  # fmt: skip
    for key in raw:
        if key not in known:
            raise doc.error(
                (str(key),), f"unknown section; expected one of {', '.join(sorted(known))}"
            )
    years = _mapping(doc, ("years",), raw.get("years"))
    first, last = years.get("first"), years.get("last")
    if not isinstance(first, int) or not isinstance(last, int) or first > last:
        raise doc.error(("years",), "expected {first: YYYY, last: YYYY} with first <= last")
    markets = _markets(doc, _mapping(doc, ("markets",), raw.get("markets")))
    producers = _producers(doc, _mapping(doc, ("producers",), raw.get("producers")))
    edges = _edges(doc, raw.get("edges"), producers, markets)
    parameters = {
        str(k): parse_prior(doc, ("parameters", str(k)), v)
        for k, v in _mapping(doc, ("parameters",), raw.get("parameters")).items()
    }
    for name in REQUIRED_PARAMETERS:
        if name not in parameters:
            raise doc.error(("parameters",), f"missing parameter `{name}`")
    cells = _cells(doc, raw.get("cells"), edges, parameters)
    route_raw = _mapping(doc, ("route_choice",), raw.get("route_choice"))
    route_choice = {
        str(k): parse_prior(doc, ("route_choice", str(k)), v) for k, v in route_raw.items()
    }
    for name in ROUTE_CHOICE:
        if name not in route_choice:
            raise doc.error(("route_choice",), f"missing `{name}`")
    precursors = _precursors(doc, raw.get("precursors") or {}, producers)
    nodes = tuple(raw.get("nodes") or ())
    for i, node in enumerate(nodes):
        if not isinstance(node, dict) or not {"id", "kind", "source"} <= set(node):
            raise doc.error(("nodes", i), "each node needs id, kind and source")
    return Spec(
        name=_text(doc, ("name",), raw.get("name")),
        first_year=first,
        last_year=last,
        producers=producers,
        markets=markets,
        edges=edges,
        cells=cells,
        parameters=parameters,
        route_choice=route_choice,
        precursors=precursors,
        nodes=nodes,
        text=text,
        source_name=doc.name,
    )


def _markets(doc: Located, raw: dict[str, Any]) -> dict[str, Market]:
    out: dict[str, Market] = {}
    for key, value in raw.items():
        path: KeyPath = ("markets", str(key))
        body = _mapping(doc, path, value)
        deaths = body.get("deaths")
        if deaths is not None and deaths not in DEATH_SOURCES:
            raise doc.error(
                (*path, "deaths"), f"deaths come from one of {', '.join(DEATH_SOURCES)}"
            )
        loss = body.get("interior_loss")
        interior = parse_prior(doc, (*path, "interior_loss"), loss) if loss is not None else None
        if deaths and interior is None:
            raise doc.error(path, "a market with deaths needs an interior_loss prior")
        anchor = None
        if "consumption_anchor" in body:
            a = dict(_mapping(doc, (*path, "consumption_anchor"), body["consumption_anchor"]))
            year = a.pop("year", None)
            if not isinstance(year, int):
                raise doc.error((*path, "consumption_anchor"), "needs `year: YYYY`")
            anchor = Anchor(year, parse_prior(doc, (*path, "consumption_anchor"), a))
            if anchor.prior.dist != "lognormal":
                raise doc.error((*path, "consumption_anchor"), "the anchor must be lognormal")
        out[str(key)] = Market(str(key), str(body.get("label", key)), interior, deaths, anchor)
    return out


def _producers(doc: Located, raw: dict[str, Any]) -> dict[str, Producer]:
    out: dict[str, Producer] = {}
    for key, value in raw.items():
        path: KeyPath = ("producers", str(key))
        body = _mapping(doc, path, value)
        purity = parse_prior(doc, (*path, "purity"), body.get("purity"))
        if purity.dist != "logit_normal":
            raise doc.error((*path, "purity"), "purity must be logit_normal")
        out[str(key)] = Producer(str(key), str(body.get("label", key)), purity)
    return out


def _edges(
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


def _cells(
    doc: Located, raw: Any, edges: tuple[Edge, ...], parameters: dict[str, Prior]
) -> tuple[Cell, ...]:
    if not isinstance(raw, list) or not raw:
        raise doc.error(("cells",), "expected a list of CBP cells")
    ids = {e.id for e in edges}
    out = []
    for i, body in enumerate(raw):
        path: KeyPath = ("cells", i)
        body = _mapping(doc, path, body)
        for key in ("id", "region", "land_filter", "component"):
            _text(doc, (*path, key), body.get(key))
        shares = {}
        for edge_id, value in _mapping(doc, (*path, "edges"), body.get("edges")).items():
            if edge_id not in ids:
                raise doc.error((*path, "edges", str(edge_id)), f"unknown edge {edge_id!r}")
            edge = next(e for e in edges if e.id == edge_id)
            if edge.detection is None:
                raise doc.error((*path, "edges", str(edge_id)), "edge has no detection prior")
            shares[str(edge_id)] = _share(doc, (*path, "edges", str(edge_id)), value, parameters)
        out.append(Cell(body["id"], body["region"], body["land_filter"], body["component"], shares))
    return tuple(out)


def _precursors(doc: Located, raw: Any, producers: dict[str, Producer]) -> dict[str, Precursors]:
    out: dict[str, Precursors] = {}
    for key, value in raw.items():
        path: KeyPath = ("precursors", str(key))
        if key not in producers:
            raise doc.error(path, f"unknown producer {key!r}")
        body = _mapping(doc, path, value)
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
