"""Properties of ingest for any input (Hypothesis): random bytes, text in random encodings,
odd HTML, damaged PDFs and file names of any bytes never crash a reader or the pipeline;
each bad file is one error line and the others are still ingested. A modest number of
examples here; benchmarks/ingest_fuzz.py runs the same properties on 10,000+."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderflow.ingest.repair import decode_bytes
from borderflow.store import Store
from tests.ingest.fuzz_inputs import (
    FileCase,
    file_cases,
    folders,
    ingesting,
    reading,
)

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="file names of arbitrary bytes"
)
_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(file_cases)
def test_readers_never_crash(case: FileCase) -> None:
    outcome = reading(case)
    assert outcome.crash is None, outcome.crash


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.db'}"
    with Store.open(url) as store:
        yield store


@settings(_SETTINGS, max_examples=25)
@given(folders)
def test_ingest_never_crashes_and_accounts_for_every_file(
    fuzz_store: Store, cases: list[FileCase]
) -> None:
    outcome = ingesting(fuzz_store, cases)
    assert outcome.crash is None, outcome.crash


@_SETTINGS
@given(st.text(), st.sampled_from(["utf-16", "utf-32", "utf-8-sig"]))
def test_text_with_a_byte_order_mark_decodes_to_itself(text: str, encoding: str) -> None:
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        return  # lone surrogates have no encoding to round-trip through
    if encoding == "utf-16" and text.startswith("\x00"):
        return  # FF FE 00 00 is also the UTF-32 mark: BOM sniffing cannot tell them apart
    assert decode_bytes(text.encode(encoding))[0] == text
