"""The source registry is complete: every registered source has every part the importer,
the series, the faces, the checks and the model read, and each one really reads its
agency's file as published (../shared/data)."""

from __future__ import annotations

import string
from collections.abc import Iterator
from pathlib import Path

import pytest

from borderflow.calendars import BY_CHOICES
from borderflow.datasets import registry
from borderflow.datasets.bundle import written_files
from borderflow.datasets.importer import import_files, parse
from borderflow.datasets.series import filter_choices, series_table
from borderflow.datasets.source import CsvLayout, Source, WorkbookLayout
from borderflow.errors import QueryError
from borderflow.records.observations import RECORD_COLUMNS
from borderflow.store import Store


@pytest.mark.parametrize("source", registry.SOURCES, ids=lambda s: s.name)
def test_every_source_has_every_part(source: Source) -> None:
    assert source.name and source.title and source.description
    assert source.header and all(isinstance(c, str) and c for c in source.header)
    assert callable(source.layout.parse)
    if isinstance(source.layout, WorkbookLayout):
        assert source.layout.sheet and source.bundle is None  # workbooks are not bundled
    if source.cited_by_checks or source.used_by_model:
        assert source.series is not None, "checks and the model read sources through series"
    if source.series is None:
        return
    series = source.series
    assert series.periods and set(series.periods) <= set(BY_CHOICES)
    assert series.chart_field in dict(series.columns)
    fields = {name for _, name, _, _ in string.Formatter().parse(series.chart_title) if name}
    assert fields <= {f.name for f in series.filters}, "the chart title names only filters"
    for spec in series.filters:
        assert spec.name.isidentifier() and spec.help
        assert spec.flag or spec.column in RECORD_COLUMNS, f"{spec.name}: not a column"


def test_names_and_headers_are_unambiguous() -> None:
    names = [n for s in registry.SOURCES for n in (s.name, *s.aliases)]
    assert len(names) == len(set(names))
    headers = [s.layout.header for s in registry.SOURCES if isinstance(s.layout, CsvLayout)]
    for a in headers:
        for b in headers:
            assert a is b or a[: len(b)] != b, f"{a} would be read as {b}"


def test_lookups_name_the_valid_sources() -> None:
    assert registry.source("us-deaths").name == "cdc-vsrr"  # a former name still answers
    with pytest.raises(QueryError, match="known: cbp, cbp-amo"):
        registry.source("cbsa")
    with pytest.raises(QueryError, match="nflis has no series"):
        registry.series_of("nflis")
    assert set(registry.cited_by_checks()) <= {s.name for s in registry.with_series()}
    assert registry.filters()["land_only"].startswith("cbp, cbp-amo:")


def _files(data_dir: Path) -> Iterator[Path]:
    """The agencies' files, and the reference files written for borderflow (their
    sources' only files)."""
    yield from (p for p in sorted(data_dir.rglob("*")) if p.suffix in (".csv", ".xlsx"))
    yield from written_files()


def test_every_source_reads_its_agencys_file(data_dir: Path) -> None:
    read: dict[str, int] = {}
    for path in _files(data_dir):
        parsed = parse(path.read_bytes(), str(path))
        assert not parsed.problems, parsed.problems[:3]
        read[parsed.source] = read.get(parsed.source, 0) + len(parsed.records)
    assert set(read) == set(registry.names()), "a source with no file it reads"
    assert all(n > 0 for n in read.values())


@pytest.fixture(scope="module")
def full_store(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with Store.open(f"sqlite:///{tmp_path_factory.mktemp('registry') / 'all.db'}") as store:
        _, errors = import_files(store, list(_files(data_dir)))
        assert not errors
        yield store


@pytest.mark.parametrize("source", registry.with_series(), ids=lambda s: s.name)
def test_every_series_answers_with_its_defaults(full_store: Store, source: Source) -> None:
    assert source.series is not None
    table = series_table(full_store, source.name, {})
    assert table.points, f"{source.name}: no points with the default filters"
    assert table.series.chart_field in table.records()[0]
    for spec in source.series.filters:
        if not spec.flag:
            assert filter_choices(full_store, source.name, spec.name), spec.name
