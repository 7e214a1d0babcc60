"""Index arrays derived once from a network spec, shared by the fitted model (flows.py)
and the scenario engine (engine.py). NumPy only, so loading it never starts JAX."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from borderflow.model.spec import Spec

CANADA, UNITED_STATES = "CA", "US"
SHARE_PRODUCER, SHARE_MARKET = CANADA, UNITED_STATES
# CBSA's seizures: inbound on the edges into this market, outbound (origin side) on the
# edges from this producer.
CBSA_COUNTRY = CANADA


def _onehot(index: np.ndarray, size: int) -> np.ndarray:
    return np.asarray(index[:, None] == np.arange(size)[None, :], dtype=float)


@dataclass(frozen=True)
class Structure:
    """Producers, markets, (producer, market) pairs and CBP cells as index arrays."""

    spec: Spec
    producers: tuple[str, ...]
    markets: tuple[str, ...]
    edge_producer: np.ndarray  # [E]
    edge_market: np.ndarray  # [E]
    edge_pair: np.ndarray  # [E] index of the edge's (producer, market) pair
    pair_producer: np.ndarray  # [K]
    pair_market: np.ndarray  # [K]
    detected: np.ndarray  # [E] bool: has a destination-side detection prior
    origin: np.ndarray  # [E] bool: has an origin-side prior
    cell_const: np.ndarray  # [C, E] constant shares (complements add their 1 here)
    split_names: tuple[str, ...]  # beta parameters that split an edge's seizures
    split_basis: np.ndarray  # [S, C, E]: +1 where a cell takes the share, -1 its complement
    # Destination detection moves over time by one walk per market that detects: the
    # walk's index per edge (-1 for edges not detected on arrival).
    detection_walk: np.ndarray  # [E]
    detection_walks: int
    cbsa_inbound: np.ndarray  # [E] bool
    pair_seen: np.ndarray  # [K] bool: some edge of the pair is booked in a CBP cell
    cbsa_outbound: np.ndarray  # [E] bool

    @classmethod
    def of(cls, spec: Spec) -> Structure:
        producers, markets, edges = tuple(spec.producers), tuple(spec.markets), spec.edges
        pairs = sorted({(e.producer, e.market) for e in edges})
        const = np.zeros((len(spec.cells), len(edges)))
        names = sorted(
            {s.parameter for c in spec.cells for s in c.edges.values() if s.parameter is not None}
        )
        basis = np.zeros((len(names), len(spec.cells), len(edges)))
        for c, cell in enumerate(spec.cells):
            for edge_id, share in cell.edges.items():
                e = spec.edge_index(edge_id)
                if share.parameter is None:
                    const[c, e] = share.constant
                elif share.complement:
                    const[c, e] = 1.0
                    basis[names.index(share.parameter), c, e] = -1.0
                else:
                    basis[names.index(share.parameter), c, e] = 1.0
        booked = ((const != 0) | (basis != 0).any(axis=0)).any(axis=0)  # [E]
        detected = np.array([e.detection is not None for e in edges])
        origin = np.array([e.detection_origin is not None for e in edges])
        edge_market = np.array([markets.index(e.market) for e in edges])
        watching = sorted({int(m) for m in edge_market[detected]})
        walk = np.array(
            [watching.index(m) if d else -1 for m, d in zip(edge_market, detected, strict=True)]
        )
        return cls(
            spec=spec,
            producers=producers,
            markets=markets,
            edge_producer=np.array([producers.index(e.producer) for e in edges]),
            edge_market=edge_market,
            edge_pair=np.array([pairs.index((e.producer, e.market)) for e in edges]),
            pair_producer=np.array([producers.index(p) for p, _ in pairs]),
            pair_market=np.array([markets.index(m) for _, m in pairs]),
            detected=detected,
            origin=origin,
            cell_const=const,
            split_names=tuple(names),
            split_basis=basis,
            detection_walk=walk,
            detection_walks=len(watching),
            cbsa_inbound=detected & np.array([e.market == CBSA_COUNTRY for e in edges]),
            cbsa_outbound=origin & np.array([e.producer == CBSA_COUNTRY for e in edges]),
            pair_seen=np.array(
                [
                    any(booked[i] for i, e in enumerate(edges) if (e.producer, e.market) == pair)
                    for pair in pairs
                ]
            ),
        )

    @property
    def edge_market_onehot(self) -> np.ndarray:  # [E, M]
        return _onehot(self.edge_market, len(self.markets))

    def share_edges(self) -> tuple[np.ndarray, np.ndarray] | None:
        """(edges into the U.S., those of them from Canada), for the headline share."""
        if SHARE_PRODUCER not in self.producers or SHARE_MARKET not in self.markets:
            return None
        into = self.edge_market == self.markets.index(SHARE_MARKET)
        return into, into & (self.edge_producer == self.producers.index(SHARE_PRODUCER))
