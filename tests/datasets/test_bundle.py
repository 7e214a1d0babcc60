"""The reference series bundled in the package: same figures as the agencies' full files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

from borderflow.datasets import cdc_annual
from borderflow.datasets.bundle import bundle, reference_dir, reference_files, written_files
from borderflow.datasets.importer import import_files
from borderflow.datasets.series import canada_opioid_deaths, cbp_seizures, us_overdose_deaths
from borderflow.store import Store


def test_bundled_files_import_cleanly_and_name_their_sources(tmp_path: Path) -> None:
    files = reference_files()
    assert {f.name.split("--")[0] for f in files} == {"cbp", "cdc-annual", "cdc-vsrr", "phac"}
    provenance = yaml.safe_load((reference_dir() / "PROVENANCE.yaml").read_text("utf-8"))
    assert {entry["file"] for entry in provenance["files"]} == {f.name for f in files}
    with Store.open(f"sqlite:///{tmp_path / 'ref.db'}") as store:
        _, errors = import_files(store, files)
        assert not errors
        north = {
            p.period: p.value for p in cbp_seizures(store, region="Northern Border", land_only=True)
        }
        assert round(north["FY2024"], 2) == 34.82
        assert {p.period for p in us_overdose_deaths(store)} >= {"2021", "2022", "2023"}
        assert any(p.fentanyl_share for p in canada_opioid_deaths(store))
        # Written for borderflow: each figure as CDC published it, its publication beside.
        drugs = {p.period: p.deaths for p in cdc_annual.us_deaths(store, substance="drugs")}
        assert drugs["2022"] == 107_941 and drugs["2023"] == 105_007


def test_written_files_name_each_figures_publication() -> None:
    (written,) = written_files()
    entry = next(
        e
        for e in yaml.safe_load((reference_dir() / "PROVENANCE.yaml").read_text("utf-8"))["files"]
        if e["file"] == written.name
    )
    assert entry["source"] == "cdc-annual" and entry["written"]
    text = written.read_text(encoding="utf-8")
    found = cdc_annual.publications(text, written.name)
    assert len(found) == entry["rows"] == len(text.splitlines()) - 1
    assert all(p.url.startswith("https://www.cdc.gov/") for p in found.values())
    assert found[10].title.startswith("NCHS Data Brief No. 522")  # 2023: 105,007


def test_bundling_again_keeps_the_written_files_entries(tmp_path: Path, data_dir: Path) -> None:
    out = tmp_path / "ref"
    out.mkdir()
    for name in ("PROVENANCE.yaml", written_files()[0].name):
        (out / name).write_bytes((reference_dir() / name).read_bytes())
    bundle([data_dir / "phac" / "SubstanceHarmsData.csv"], out)
    entries = yaml.safe_load((out / "PROVENANCE.yaml").read_text("utf-8"))["files"]
    assert [e["source"] for e in entries] == ["phac", "cdc-annual"]


def test_bundle_matches_the_full_files(tmp_path: Path, data_dir: Path) -> None:
    originals = [
        *sorted((data_dir / "cbp").glob("nationwide-*.csv")),
        data_dir / "cdc" / "cdc_api_provisional_overdose_counts.csv",
        data_dir / "phac" / "SubstanceHarmsData.csv",
    ]
    written = bundle(originals, tmp_path / "ref")
    hashes = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in originals}
    assert all(item.sha256 == hashes[item.original] for item in written)
    with (
        Store.open(f"sqlite:///{tmp_path / 'a.db'}") as full,
        Store.open(f"sqlite:///{tmp_path / 'b.db'}") as small,
    ):
        import_files(full, originals)
        import_files(small, sorted((tmp_path / "ref").glob("*.csv")))
        for kwargs in (
            {"region": "Northern Border", "by": "month"},
            {"region": "Southwest Border", "component": "U.S. Border Patrol"},
        ):
            assert cbp_seizures(full, **kwargs) == cbp_seizures(small, **kwargs)  # type: ignore[arg-type]
        # Same figures; only the provenance (file and line) differs.
        assert [(p.period, p.deaths, p.predicted) for p in us_overdose_deaths(full)] == [
            (p.period, p.deaths, p.predicted) for p in us_overdose_deaths(small)
        ]
        assert [(p.period, p.deaths, p.fentanyl_share) for p in canada_opioid_deaths(full)] == [
            (p.period, p.deaths, p.fentanyl_share) for p in canada_opioid_deaths(small)
        ]
