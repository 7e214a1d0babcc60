"""A store holding the bundled official series, one per test module (the model tests
fit to it; modules run in parallel, so they do not share one file)."""

from __future__ import annotations

import pytest

from borderflow.datasets.bundle import reference_files
from borderflow.datasets.importer import import_files
from borderflow.store import Store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = tmp_path_factory.mktemp("model") / "model.db"
    opened = Store.open(f"sqlite:///{path}")
    _, errors = import_files(opened, reference_files())
    assert not errors
    return opened
