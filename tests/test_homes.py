"""One home per concept: each source name, verdict kind, CBP region, the pound factor and
the U.S. fiscal year's start are written in one module of the package, and every other
module reads them from there. Docstrings and comments may mention them; code may not."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

from borderflow.datasets import cbp, registry
from borderflow.records.verdicts import VERDICTS

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "borderflow"


def _code_constants() -> dict[object, set[str]]:
    """Each constant written in code (docstrings left out), with the modules holding it."""
    found: dict[object, set[str]] = defaultdict(set)
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        module = str(path.relative_to(PACKAGE))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and id(node) not in docstrings:
                found[node.value].add(module)
    return found


CONSTANTS = _code_constants()


@pytest.mark.parametrize(
    "name", [n for s in registry.SOURCES for n in (s.name, *s.aliases)], ids=str
)
def test_each_source_name_is_written_once(name: str) -> None:
    assert len(CONSTANTS[name]) == 1, f"{name!r} is written in {sorted(CONSTANTS[name])}"
    assert next(iter(CONSTANTS[name])).startswith("datasets/")


@pytest.mark.parametrize("kind", VERDICTS)
def test_each_verdict_kind_is_written_once(kind: str) -> None:
    # HTTP's 409 is also called "conflict"; that is a status name, not a verdict.
    written = CONSTANTS[kind] - ({"web/errors.py"} if kind == "conflict" else set())
    assert written == {"records/verdicts.py"}, sorted(written)


@pytest.mark.parametrize("region", [r.name for r in cbp.REGIONS])
def test_each_cbp_region_is_written_once(region: str) -> None:
    assert CONSTANTS[region] == {"datasets/cbp.py"}, sorted(CONSTANTS[region])


def test_the_pound_is_written_once() -> None:
    assert CONSTANTS[0.45359237] == {"units.py"}


def _fiscal_arithmetic(path: Path) -> list[int]:
    """Lines that spell the U.S. fiscal year out: a date in October or September built
    from a number, or a month compared with 10."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "date"
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value in (9, 10)
        ):
            lines.append(node.lineno)
        if isinstance(node, ast.Compare) and any(
            isinstance(c, ast.Constant) and c.value == 10 for c in node.comparators
        ):
            left = node.left
            if isinstance(left, ast.Attribute) and left.attr == "month":
                lines.append(node.lineno)
            if isinstance(left, ast.Name) and left.id in ("m", "month"):
                lines.append(node.lineno)
    return lines


def test_the_fiscal_year_start_lives_in_the_calendar() -> None:
    spelled = {
        str(p.relative_to(PACKAGE)): lines
        for p in sorted(PACKAGE.rglob("*.py"))
        if p.name != "calendars.py" and (lines := _fiscal_arithmetic(p))
    }
    assert not spelled, f"fiscal-year arithmetic outside calendars.py: {spelled}"
