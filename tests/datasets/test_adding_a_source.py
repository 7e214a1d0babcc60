"""README's "Adding a source" example, run as written there: one module plus one line in
the registry, and the importer and the series know the new source."""

from __future__ import annotations

import re
import types
from pathlib import Path

import pytest

from borderflow.datasets import registry
from borderflow.datasets.importer import import_files
from borderflow.datasets.series import series_table
from borderflow.errors import QueryError
from borderflow.store import Store
from tests.datasets import test_registry

README = Path(__file__).resolve().parents[2] / "README.md"


def _example() -> types.ModuleType:
    section = README.read_text(encoding="utf-8").split("### Adding a source", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None, "README's example module is missing"
    module = types.ModuleType("cbsa_example")
    exec(compile(code.group(1), "README.md (Adding a source)", "exec"), module.__dict__)
    return module


def test_the_readme_example_is_a_complete_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cbsa = _example()
    test_registry.test_every_source_has_every_part(cbsa.CBSA)
    monkeypatch.setattr(registry, "SOURCES", (*registry.SOURCES, cbsa.CBSA))  # the one line
    data = tmp_path / "cbsa-seizures-2024.csv"
    data.write_text(
        "Month,Port,Commodity,Weight (kg)\n"
        "2024-01,Pacific Highway,Fentanyl,1.5\n"
        "2024-02,Pacific Highway,Fentanyl,0.5\n"
        "2024-02,Lansdowne,Fentanyl,2.25\n"
        "2024-03,Lansdowne,Cocaine,40\n",
        encoding="utf-8",
    )
    with Store.open(f"sqlite:///{tmp_path / 'cbsa.db'}") as store:
        results, errors = import_files(store, [data])
        assert not errors and results[0].source == "cbsa"
        whole = series_table(store, "cbsa", {}, by="calendar-year")
        assert [(p.period, p.value) for p in whole.points] == [("2024", 4.25)]
        port = series_table(store, "cbsa", {"port": "pacific highway"}, by="month")
        assert [p.value for p in port.points] == [1.5, 0.5, 0.0]
        with pytest.raises(QueryError, match="cbsa has no port 'Windsor'; valid: Lansdowne"):
            series_table(store, "cbsa", {"port": "Windsor"})
