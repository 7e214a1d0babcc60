"""Layers import downward only (README, "Architecture"): a module may import its own
layer and the layers below it, never one above. Lazy imports inside functions count too,
because they are how an upward dependency would sneak in."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "borderflow"
# Bottom to top. Records, vocabularies, errors and settings depend on nothing of ours;
# the faces (web, cli) sit on top and never import each other's way down.
LAYERS: dict[str, int] = {
    "__init__": 0, "errors": 0, "config": 0, "units": 0, "records": 0, "vocab": 0,
    "output": 0, "text_safety": 0, "yamltext": 0,
    "calendars": 1,
    "store": 2,
    "extract": 3, "datasets": 3,
    "ingest": 4,
    "checks": 5, "model": 5,
    "presentation": 6, "cluster": 6,
    "report": 7,
    "workflows": 8,
    "web": 9,
    "cli": 10,
}  # fmt: skip
# Third-party packages a layer must not pull in (extraction runs in worker processes that
# should not load a database driver; the command line must not start JAX to print help).
FORBIDDEN = {
    "records": ("sqlalchemy", "fastapi", "jax", "numpyro"),
    "extract": ("sqlalchemy", "fastapi", "jax", "numpyro"),
    "vocab": ("sqlalchemy", "fastapi", "jax", "numpyro"),
    "calendars": ("sqlalchemy", "fastapi", "jax", "numpyro"),
}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module imported; `from borderflow import x` names borderflow.x."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module == "borderflow":
            found += [(node.lineno, f"borderflow.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_downward(path: Path) -> None:
    own = path.relative_to(PACKAGE).with_suffix("").parts[0]
    assert own in LAYERS, f"{path}: add its layer to LAYERS"
    wrong = []
    for line, name in _imports(path):
        top = name.split(".")[0]
        if top == "borderflow" and name != "borderflow" and name != "borderflow.__version__":
            target = name.split(".")[1]
            if target in LAYERS and LAYERS[target] > LAYERS[own]:
                wrong.append(f"line {line}: {name} ({target} is above {own})")
        if top in FORBIDDEN.get(own, ()):
            wrong.append(f"line {line}: {name} (not in the {own} layer)")
    assert not wrong, f"{path.relative_to(PACKAGE)}: " + "; ".join(wrong)
