"""The README documents what the code has: every command, claim field and setting."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from borderflow.cli import app
from borderflow.config import Settings
from borderflow.extract import CLAIM_FIELDS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    group = typer.main.get_command(app)
    names = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        names += [f"{name} {sub}" for sub in subcommands] if subcommands else [name]
    return names


def test_quickstart_is_exactly_make_demo_and_make_test() -> None:
    section = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```\n(.*?)```", section, re.S)
    assert block is not None
    assert block.group(1).split("\n")[:-1] == ["make demo", "make test"]


def test_every_command_is_documented() -> None:
    missing = [c for c in _commands() if f"`borderflow {c}" not in README]
    assert not missing, f"README lacks commands: {missing}"


def test_every_claim_field_is_documented() -> None:
    table = README.split("## Claim fields", 1)[1].split("\n## ", 1)[0]
    missing = [f for f in CLAIM_FIELDS if f"`{f}`" not in table]
    assert not missing, f"README lacks claim fields: {missing}"


def test_every_setting_is_documented() -> None:
    missing = [name for name in Settings.model_fields if f"BORDERFLOW_{name.upper()}" not in README]
    assert not missing, f"README lacks settings: {missing}"
