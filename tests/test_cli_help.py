"""Every command and subcommand answers --help with a description and its options, and
the registry-built options are there: a new command or source cannot ship without help."""

from __future__ import annotations

from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from borderflow.cli import app
from borderflow.datasets import registry

runner = CliRunner()


def _paths(group: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The group itself, then every command under it, through every subgroup."""
    out: list[tuple[str, ...]] = [prefix]
    for name, command in group.commands.items():
        if getattr(command, "commands", None) is not None:
            out += _paths(command, (*prefix, name))
        else:
            out.append((*prefix, name))
    return out


PATHS = _paths(typer.main.get_command(app))


def test_every_group_has_subcommands() -> None:
    names = {" ".join(p) for p in PATHS}
    assert {"ingest", "check", "demo", "data series", "data import", "model fit", "serve"} <= names


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "borderflow")
def test_help(path: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Usage: borderflow" in result.stdout
    described = result.stdout.split("Options", 1)[0].split("\n", 2)[-1].strip()
    assert described, f"`borderflow {' '.join(path)}` has no description"


def test_series_options_come_from_the_registry() -> None:
    text = runner.invoke(app, ["data", "series", "--help"], env={"COLUMNS": "500"}).stdout
    for source in registry.with_series():
        assert source.name in text
        for spec in source.series.filters if source.series else ():
            assert "--" + spec.name.replace("_", "-") in text
    imported = runner.invoke(app, ["data", "import", "--help"], env={"COLUMNS": "500"}).stdout
    assert all(s.name in imported for s in registry.SOURCES)
