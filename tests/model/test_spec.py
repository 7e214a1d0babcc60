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


def test_a_cell_after_a_catch_all_cell_of_the_same_rows_is_refused() -> None:
    # The catch-all coastal cell comes last; moved before the mail-hub cell, it would take
    # every Coastal/Interior row and leave the mail cell empty.
    text = default_spec_text()
    ports = text[text.index("  - id: CI-ports") : text.index("\nmarkets:")]
    mail = text[text.index("  - id: CI-mail-OFO") : text.index("  # Sea and air ports")]
    swapped = text.replace(mail, "").replace(ports, ports.rstrip("\n") + "\n" + mail)
    with pytest.raises(SpecError, match="cell CI-ports before it already takes all"):
        spec_from_text(swapped, "my.yaml")


def test_cells_name_real_components_and_take_rows_by_area() -> None:
    bad = default_spec_text().replace(
        "component: [Office of Field Operations, U.S. Border Patrol]",
        "component: [Office of Field Operations, Air and Marine Operations]",
    )
    with pytest.raises(SpecError, match="not a CBP component"):
        spec_from_text(bad, "my.yaml")
    cells = {c.id: c for c in load_spec().cells}
    coastal = ("Coastal/Interior", "Other", "Office of Field Operations")
    # Memphis's express hub reports to the New Orleans field office; Houston's seaport does not.
    assert cells["CI-mail-OFO"].takes(*coastal, "NEW ORLEANS FIELD OFFICE")
    assert cells["CI-mail-OFO"].takes(*coastal, "Chicago Field Office")
    assert not cells["CI-mail-OFO"].takes(*coastal, "HOUSTON FIELD OFFICE")
    assert cells["CI-ports"].takes(*coastal, "HOUSTON FIELD OFFICE")
    assert not cells["CI-ports"].takes("Northern Border", "Other", coastal[2], "HOUSTON")


def test_a_consumption_median_is_refused_in_favour_of_a_bound() -> None:
    text = default_spec_text()
    start = text.index("    consumption_bound:")
    line = text[start : text.index("\n", start)]
    old = line.replace(
        "consumption_bound: {year: 2021, high: 10000, softness: 0.25,",
        "consumption_anchor: {year: 2021, dist: lognormal, median: 3000, sd: 0.6,",
    )
    with pytest.raises(SpecError, match="replaced by consumption_bound"):
        spec_from_text(text.replace(line, old), "my.yaml")
    no_softness = line.replace(" softness: 0.25,", "")
    with pytest.raises(SpecError, match=r"a bound is \{year"):
        spec_from_text(text.replace(line, no_softness), "my.yaml")
    bound = load_spec().markets["US"].bound
    assert bound is not None and (bound.year, bound.high) == (2021, 10000)
