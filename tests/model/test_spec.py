"""The network spec: every prior sourced, and errors that point at the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from borderflow.errors import SpecError
from borderflow.model.scenario import bundled_scenarios, load_scenario
from borderflow.model.spec import default_spec_text, load_spec, spec_from_text


def test_bundled_spec_has_a_source_for_every_prior() -> None:
    spec = load_spec()
    priors = spec.priors()
    assert len(priors) > 30
    for name, prior in priors:
        assert prior.source.strip(), name
    assert {e.producer for e in spec.edges} == {"MX", "CA", "OTH"}
    assert {e.mode for e in spec.edges} >= {"post", "poe", "bp", "sea"}


def test_a_bad_prior_is_reported_with_its_line() -> None:
    text = default_spec_text()
    broken = text.replace("median: 0.12, sd: 0.8", "median: 1.7, sd: 0.8", 1)
    line = next(i for i, row in enumerate(broken.splitlines(), 1) if "median: 1.7" in row)
    with pytest.raises(SpecError, match=rf"my.yaml:{line}: .*between 0 and 1"):
        spec_from_text(broken, "my.yaml")


def test_unknown_edge_in_a_cell_is_refused() -> None:
    text = default_spec_text().replace("edges: {MX-US-poe: 1}", "edges: {MX-US-rail: 1}")
    with pytest.raises(SpecError, match="unknown edge 'MX-US-rail'"):
        spec_from_text(text, "my.yaml")


def test_a_prior_without_a_source_is_refused() -> None:
    text = default_spec_text().replace(
        'imf_share: {dist: beta, a: 40, b: 2, source: "own judgement: illicitly made '
        "fentanyl's share of T40.4 deaths\"}",
        "imf_share: {dist: beta, a: 40, b: 2}",
    )
    with pytest.raises(SpecError, match="needs a `source`"):
        spec_from_text(text, "my.yaml")


def test_bundled_scenarios_load(tmp_path: Path) -> None:
    spec = load_spec()
    names = {load_scenario(p, spec).name for p in bundled_scenarios()}
    assert {"baseline", "ca_border_plan", "rcmp_1000", "us_north_agents_x2",
            "precursor_controls", "postal_screening", "combined"} <= names  # fmt: skip
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nchanges:\n  - {lever: detection, edges: [CA-US-rail], value: 2}\n")
    with pytest.raises(SpecError, match=r"bad.yaml:3: .*unknown edge 'CA-US-rail'"):
        load_scenario(bad, spec)
