"""YAML documents that remember where each value came from.

Users edit network specs and scenario files by hand; an error that says "line 42: median
must be between 0 and 1" saves them a search. PyYAML's node tree keeps line marks, so the
loader walks it once and records the line of every key path.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from borderflow import yamltext
from borderflow.errors import SpecError

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Located:
    """A parsed YAML document plus the line (1-based) of every key path in it."""

    data: Any
    name: str
    lines: dict[KeyPath, int]

    def where(self, path: KeyPath) -> str:
        """`file:line` of `path`, or of its nearest ancestor that has a line."""
        probe = path
        while probe and probe not in self.lines:
            probe = probe[:-1]
        line = self.lines.get(probe)
        return f"{self.name}:{line}" if line else self.name

    def error(self, path: KeyPath, message: str) -> SpecError:
        shown = ".".join(str(p) for p in path) or "(top)"
        return SpecError(f"{self.where(path)}: {shown}: {message}")


def _walk(node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = (*path, str(key.value))
            lines[child] = key.start_mark.line + 1
            _walk(value, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*path, i), lines)


def parse(text: str, name: str) -> Located:
    """Parse `text` (from `name`), refusing anything but one mapping at the top."""
    try:
        node = yamltext.compose(text)
        data = yamltext.load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}" if mark is not None else name
        problem = getattr(exc, "problem", None) or str(exc)
        raise SpecError(f"{where}: not valid YAML: {problem}") from exc
    if not isinstance(data, dict) or node is None:
        raise SpecError(f"{name}: expected a mapping of keys at the top of the file")
    lines: dict[KeyPath, int] = {}
    _walk(node, (), lines)
    return Located(data, name, lines)


def read(path: Path) -> tuple[str, Located]:
    """The text of `path` and its parsed document, with a clear error for unreadable files."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"{path}: cannot read: {exc}") from exc
    return text, parse(text, str(path))
