"""YAML reading for the package's data files and users' specs, through libyaml's C parser
when PyYAML was built with it: with the pure-Python parser, reading the vocabulary took
0.4 s of every command's start. Results and line marks are the same either way; the
wording of a syntax error's message differs between the two parsers."""

from __future__ import annotations

from typing import Any

import yaml

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(text: str) -> Any:
    """The data of one YAML document, safe tags only (what `yaml.safe_load` gives)."""
    return yaml.load(text, Loader=_LOADER)


def compose(text: str) -> yaml.Node | None:
    """The node tree of one YAML document, with each node's line."""
    return yaml.compose(text, Loader=_LOADER)
