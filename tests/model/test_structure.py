"""Index arrays of the bundled network: separate walks per producer-market pair, and which
edges CBSA and CBP see."""

from __future__ import annotations

import numpy as np

from borderflow.model.spec import load_spec
from borderflow.model.structure import Structure


def test_each_producer_market_pair_walks_on_its_own() -> None:
    spec = load_spec()
    s = Structure.of(spec)
    pair = {e.id: int(s.edge_pair[i]) for i, e in enumerate(spec.edges)}
    # Mexico's sales to the U.S. and to Canada move separately; modes of one pair together.
    assert pair["MX-US-poe"] != pair["MX-CA-poe"]
    assert pair["MX-US-poe"] == pair["MX-US-bp"] == pair["MX-US-sea"]
    assert pair["CA-CA-dom"] not in {pair["CA-US-post"], pair["CA-AU-post"]}
    seen = {(s.producers[s.pair_producer[k]], s.markets[s.pair_market[k]]): bool(v)
            for k, v in enumerate(s.pair_seen)}  # fmt: skip
    assert seen[("MX", "US")] and seen[("CA", "US")] and seen[("OTH", "US")]
    assert not seen[("CA", "CA")] and not seen[("MX", "CA")]


def test_cbsa_sees_imports_into_canada_and_canadian_exports() -> None:
    spec = load_spec()
    s = Structure.of(spec)
    inbound = {e.id for e, flag in zip(spec.edges, s.cbsa_inbound, strict=True) if flag}
    outbound = {e.id for e, flag in zip(spec.edges, s.cbsa_outbound, strict=True) if flag}
    assert inbound == {"MX-CA-poe", "MX-CA-post", "OTH-CA-post"}
    assert outbound >= {"CA-US-post", "CA-US-poe", "CA-US-bp", "CA-EU-post"}
    assert "CA-CA-dom" not in outbound
    # One detection walk per country that detects arrivals (the U.S. and Canada).
    assert s.detection_walks == 2
    assert np.all(s.detection_walk[~s.detected] == -1)
