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
from borderflow.model.spec_sections import (
    DEATH_SOURCES,
    Bound,
    Cell,
    Edge,
    Market,
    PrecursorRoute,
    Precursors,
    Producer,
    Share,
    mapping_at,
    parse_cells,
    parse_edges,
    parse_markets,
    parse_precursors,
    parse_producers,
    text_at,
)
from borderflow.model.yamlfile import Located, parse, read

__all__ = [
    "DEATH_SOURCES",
    "REQUIRED_PARAMETERS",
    "ROUTE_CHOICE",
    "SCALABLE",
    "Bound",
    "Cell",
    "Edge",
    "Market",
    "PrecursorRoute",
    "Precursors",
    "Producer",
    "Share",
    "Spec",
    "default_spec_text",
    "load_spec",
    "spec_from_text",
]

REQUIRED_PARAMETERS = (
    "flow_step",
    "lethality",
    "lethality_step",
    "lethality_canada",
    "imf_share",
    "deaths_noise",
    "seizure_noise",
    "event_spread",
    "purity_step",
    "detection_step",
    "purity_bias",
    "cbsa_noise",
)
ROUTE_CHOICE = ("risk_aversion", "unreplaced", "producer_response", "resource_elasticity")


SCALABLE = ("purity", "detection")


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
            if m.bound:
                b = m.bound
                ceiling = Prior("upper_bound", {"high": b.high, "softness": b.softness}, b.source)
                out.append((f"consumption {m.id} FY{b.year} at most", ceiling))
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
    years = mapping_at(doc, ("years",), raw.get("years"))
    first, last = years.get("first"), years.get("last")
    if not isinstance(first, int) or not isinstance(last, int) or first > last:
        raise doc.error(("years",), "expected {first: YYYY, last: YYYY} with first <= last")
    markets = parse_markets(doc, mapping_at(doc, ("markets",), raw.get("markets")))
    producers = parse_producers(doc, mapping_at(doc, ("producers",), raw.get("producers")))
    edges = parse_edges(doc, raw.get("edges"), producers, markets)
    parameters = {
        str(k): parse_prior(doc, ("parameters", str(k)), v)
        for k, v in mapping_at(doc, ("parameters",), raw.get("parameters")).items()
    }
    for name in REQUIRED_PARAMETERS:
        if name not in parameters:
            raise doc.error(("parameters",), f"missing parameter `{name}`")
    cells = parse_cells(doc, raw.get("cells"), edges, parameters)
    route_raw = mapping_at(doc, ("route_choice",), raw.get("route_choice"))
    route_choice = {
        str(k): parse_prior(doc, ("route_choice", str(k)), v) for k, v in route_raw.items()
    }
    for name in ROUTE_CHOICE:
        if name not in route_choice:
            raise doc.error(("route_choice",), f"missing `{name}`")
    precursors = parse_precursors(doc, raw.get("precursors") or {}, producers)
    nodes = tuple(raw.get("nodes") or ())
    for i, node in enumerate(nodes):
        if not isinstance(node, dict) or not {"id", "kind", "source"} <= set(node):
            raise doc.error(("nodes", i), "each node needs id, kind and source")
    return Spec(
        name=text_at(doc, ("name",), raw.get("name")),
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
