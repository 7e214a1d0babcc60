"""Issue 12: generated files of every registered source never crash the importer. Every
outcome is a parsed file whose figures are all valid, or a BorderflowError whose lines
name the file (and line). `benchmarks/import_fuzz.py` runs the same check on 10,000+
generated inputs."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderflow.datasets import registry
from borderflow.datasets.importer import import_files
from borderflow.store import Store
from tests.datasets import builders
from tests.datasets.import_strategies import (
    NAME,
    TODAY,
    any_file,
    check,
    csv_file,
    nflis_table,
    unodc_workbook,
)

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_every_registered_source_is_generated() -> None:
    generated = {*builders.CSV, "nflis-table", "unodc", "cdc-wonder-provisional", "cbp-amo"}
    assert generated >= set(registry.names())


@pytest.mark.parametrize("source", sorted(builders.CSV))
def test_csv_rows_never_crash(source: str) -> None:
    seen: Counter[str] = Counter()

    @FAST
    @given(csv_file(source))
    def run(data: bytes) -> None:
        seen[check(NAME, data)] += 1

    run()
    assert seen["clean"] > 0, f"{source}: no generated file got through whole: {seen}"


@FAST
@given(nflis_table())
def test_nflis_tables_never_crash(data: bytes) -> None:
    check(NAME, data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(unodc_workbook())
def test_unodc_workbooks_never_crash(data: bytes) -> None:
    check("fuzz.xlsx", data)


@FAST
@given(st.binary(max_size=400))
def test_raw_bytes_never_crash(data: bytes) -> None:
    check(NAME, data)
    check("fuzz.xlsx", b"PK\x03\x04" + data)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(any_file(), st.booleans())
def test_imports_into_a_store_never_crash(
    store: Store, tmp_path: Path, case: tuple[str, bytes], skip_bad_rows: bool
) -> None:
    name, data = case
    path = tmp_path / name
    path.write_bytes(data)
    results, errors = import_files(store, [path], skip_bad_rows=skip_bad_rows, today=TODAY)
    assert len(results) + len(errors) == 1
    for error in errors:
        assert all(p.startswith(str(path)) for p in error.problems)
