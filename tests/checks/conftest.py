"""The bundled official series, imported once for the check tests that judge texts."""

from __future__ import annotations

import pytest

from borderflow.checks.data import OfficialData
from tests.labels.reading_score import official_data


@pytest.fixture(scope="session")
def data() -> OfficialData:
    return official_data()
