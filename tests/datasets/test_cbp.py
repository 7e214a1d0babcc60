"""CBP seizure files as published: figures others published from them, overlapping releases,
revisions with history, and refusing bad files without writing anything."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from borderflow.datasets.importer import import_file, import_files
from borderflow.datasets.series import cbp_seizures
from borderflow.errors import ImportFormatError
from borderflow.store import Store
from borderflow.store.observations import history, observations, releases

pytestmark = pytest.mark.long  # scheduled first (tests/conftest.py)

NATIONWIDE = (
    "nationwide-drugs-fy19-fy22.csv",
    "nationwide-drugs-fy20-fy23.csv",
    "nationwide-drugs-fy23-fy26-dec.csv",
)


def _series(store: Store, **kwargs: object) -> dict[str, float]:
    return {p.period: p.value for p in cbp_seizures(store, **kwargs)}  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def cbp_store(module_store_url: str, data_dir: Path) -> Iterator[Store]:
    """Every CBP file imported once per backend; the tests using it only read."""
    with Store.open(module_store_url) as store:
        results, errors = import_files(store, sorted((data_dir / "cbp").glob("*.csv")))
        assert not errors and len(results) == 5
        yield store


def test_published_northern_and_southwest_figures(cbp_store: Store) -> None:
    # Northern Land Border fentanyl by fiscal year as CBP's dashboard gives them and as
    # quoted by The Epoch Times (Dec. 2024): 10.26 lb (FY2022), 1.55 lb (FY2023),
    # 34.82 lb (FY2024); southwest land border FY2023 26,693 lb (same article).
    north_land = _series(cbp_store, region="Northern Border", land_only=True)
    assert round(north_land["FY2022"], 2) == 10.26
    assert round(north_land["FY2023"], 2) == 1.55
    assert round(north_land["FY2024"], 2) == 34.82
    southwest = _series(cbp_store, region="Southwest Border", land_only=True)
    assert round(southwest["FY2023"]) == 26_693
    # All northern-border fentanyl in FY2024 (land and other), "43 pounds" as FactCheck.org
    # reported it (Jan. 2025).
    assert round(_series(cbp_store, region="Northern Border")["FY2024"]) == 43


def test_periods_and_partial_coverage(cbp_store: Store) -> None:
    fy = {p.period: p for p in cbp_seizures(cbp_store, region="Northern Border")}
    assert fy["FY2026"].partial and fy["FY2026"].months == 3
    assert not fy["FY2024"].partial and fy["FY2024"].months == 12
    calendar = {
        p.period: p for p in cbp_seizures(cbp_store, region="Northern Border", by="calendar-year")
    }
    assert calendar["2018"].partial and calendar["2018"].months == 3  # FY2019 starts Oct 2018
    months = {
        p.period: p.value for p in cbp_seizures(cbp_store, region="Northern Border", by="month")
    }
    quarters = {
        p.period: p.value for p in cbp_seizures(cbp_store, region="Northern Border", by="quarter")
    }
    assert quarters["2024-Q1"] == pytest.approx(
        months["2024-01"] + months["2024-02"] + months["2024-03"]
    )
    # October 2023 is in FY2024 and in calendar 2023.
    assert fy["FY2024"].start.isoformat() == "2023-10-01"


def test_components_and_kilograms(cbp_store: Store) -> None:
    ofo = _series(cbp_store, region="Southwest Border", component="Office of Field Operations")
    usbp = _series(cbp_store, region="Southwest Border", component="U.S. Border Patrol")
    both = _series(cbp_store, region="Southwest Border")
    assert ofo["FY2023"] + usbp["FY2023"] == pytest.approx(both["FY2023"])
    point = next(
        p
        for p in cbp_seizures(cbp_store, region="Northern Border", land_only=True)
        if p.period == "FY2024"
    )
    assert point.value_kg == pytest.approx(point.value * 0.45359237)
    assert point.events and point.events > 0


def test_air_and_marine_operations_stay_separate(cbp_store: Store) -> None:
    amo = _series(cbp_store, source="cbp-amo", substance="cocaine")
    assert amo and sum(amo.values()) > 0
    sources = {r.source for r in releases(cbp_store)}
    assert sources == {"cbp", "cbp-amo"}
    assert all(
        o.source == "cbp"
        for o in observations(
            cbp_store, source="cbp", measure="seizure_weight", substance="cocaine"
        )
    )


def test_any_import_order_gives_the_same_series(tmp_path: Path, data_dir: Path) -> None:
    files = [data_dir / "cbp" / name for name in NATIONWIDE]
    seen = []
    for i, order in enumerate([files, files[::-1], [files[1], files[2], files[0]]]):
        with Store.open(f"sqlite:///{tmp_path / f'order{i}.db'}") as store:
            import_files(store, list(order))
            seen.append(
                (
                    _series(store, region="Northern Border", substance="fentanyl"),
                    _series(
                        store, region="Southwest Border", substance="methamphetamine", by="month"
                    ),
                )
            )
    assert all(s == seen[0] for s in seen[1:])


def test_reimport_is_a_no_op(cbp_store: Store, data_dir: Path) -> None:
    before = len(observations(cbp_store, source="cbp", measure="seizure_weight"))
    result = import_file(cbp_store, data_dir / "cbp" / NATIONWIDE[0])
    assert result.result.status == "unchanged"
    assert len(releases(cbp_store)) == 5
    assert len(observations(cbp_store, source="cbp", measure="seizure_weight")) == before


def test_a_newer_release_revises_with_history(store: Store, data_dir: Path, tmp_path: Path) -> None:
    original = data_dir / "cbp" / NATIONWIDE[2]
    import_file(store, original)
    lines = original.read_bytes().decode("utf-8-sig").splitlines()
    header, first = lines[0], lines[1]
    cells = first.split(",")
    cells[-1] = "999.5"  # CBP revises a recent month
    extra = ",".join(["2026 (FYTD)", "JAN", *cells[2:-1], "1.0"])  # and adds a month
    revised = tmp_path / "nationwide-drugs-fy23-fy26-jan.csv"
    revised.write_text(
        "\r\n".join([header, ",".join(cells), *lines[2:], extra]) + "\r\n", encoding="utf-8"
    )
    result = import_file(store, revised)
    assert result.result.revised >= 1
    key = "|".join(["2026", "DEC", *cells[2:7]])
    [obs] = [o for o in observations(store, source="cbp", measure="seizure_weight") if o.key == key]
    assert obs.value == 999.5 and obs.release == revised.name
    said = [(h.file_name, h.value) for h in history(store, obs.id)]
    assert said[0][0] == original.name and said[-1] == (revised.name, 999.5)
    # Importing the older release again changes nothing: the newer one keeps precedence.
    import_file(store, original)
    [again] = [
        o for o in observations(store, source="cbp", measure="seizure_weight") if o.key == key
    ]
    assert again.value == 999.5


def _bad(tmp_path: Path, data_dir: Path, name: str, mutate: object) -> Path:
    lines = (data_dir / "cbp" / NATIONWIDE[2]).read_text(encoding="utf-8-sig").splitlines()
    path = tmp_path / name
    path.write_text("\n".join(mutate(lines)) + "\n", encoding="utf-8")  # type: ignore[operator]
    return path


@pytest.mark.parametrize(
    ("name", "mutate", "message"),
    [
        (
            "truncated.csv",
            lambda ls: [*ls[:50], ls[50][: len(ls[50]) // 3]],
            r"truncated\.csv:51: .*columns missing",
        ),
        (
            "header.csv",
            lambda ls: ["Year,Month,Something", *ls[1:]],
            r"header\.csv:1: unknown layout",
        ),
        (
            "number.csv",
            lambda ls: [*ls[:9], ls[9].rsplit(",", 1)[0] + ",twelve", *ls[10:]],
            r"number\.csv:10: Sum Qty \(lbs\): 'twelve' is not a number \(valid: ",
        ),
        ("empty.csv", lambda ls: [], r"empty\.csv:1: file is empty"),
    ],
)
def test_bad_files_are_refused_whole(
    store: Store, data_dir: Path, tmp_path: Path, name: str, mutate: object, message: str
) -> None:
    path = _bad(tmp_path, data_dir, name, mutate)
    with pytest.raises(ImportFormatError, match=message):
        import_file(store, path)
    assert releases(store) == []
    assert observations(store, source="cbp", measure="seizure_weight") == []


def test_skip_bad_rows_imports_the_rest(store: Store, data_dir: Path, tmp_path: Path) -> None:
    path = _bad(
        tmp_path,
        data_dir,
        "number.csv",
        lambda ls: [*ls[:9], ls[9].rsplit(",", 1)[0] + ",twelve", *ls[10:]],
    )
    result = import_file(store, path, skip_bad_rows=True)
    assert result.skipped and "number.csv:10:" in result.skipped[0]
    assert releases(store)[0].skipped_rows == 1


def test_wrong_source_is_refused(store: Store, data_dir: Path, tmp_path: Path) -> None:
    amo = tmp_path / "amo.csv"
    shutil.copy(data_dir / "cbp" / "amo-drug-seizures-fy23-fy26-dec.csv", amo)
    with pytest.raises(ImportFormatError, match=r"amo\.csv:1: not a cbp file"):
        import_file(store, amo, source="cbp")
    assert releases(store) == []


def test_each_release_keeps_the_figures_it_published(
    store: Store, data_dir: Path, tmp_path: Path
) -> None:
    """What a text could quote when it was written: the sums of a release's own values,
    not the current ones, after a later release revised a month."""
    from borderflow.checks.data import load_official

    original = data_dir / "cbp" / NATIONWIDE[2]
    import_file(store, original)
    lines = original.read_bytes().decode("utf-8-sig").splitlines()
    at = next(i for i, line in enumerate(lines) if ",Fentanyl," in line and "DEC" in line)
    cells = lines[at].split(",")
    before = float(cells[-1])
    cells[-1] = str(before + 100)  # a hundred pounds of late seizures added to a month
    revised = tmp_path / "nationwide-drugs-fy23-fy26-jan.csv"
    revised.write_text(
        "\r\n".join([*lines[:at], ",".join(cells), *lines[at + 1 :]]) + "\r\n", encoding="utf-8"
    )
    import_file(store, revised)
    data = load_official(store)
    assert [v.release for v in data.cbp_vintages][-2:] == [original.name, revised.name]
    fy = int(cells[0][:4])
    month = date(fy - 1, 12, 1)
    land = cells[4] == "Land Only"
    old, new = (
        v.cbp_total_kg(cells[3], land, month, month.replace(day=31)) for v in data.cbp_vintages[-2:]
    )
    assert old is not None and new is not None
    assert new - old == pytest.approx(100 * 0.45359237)
    current = data.cbp_total_kg(cells[3], land, month, month.replace(day=31))
    assert current == pytest.approx(new)
