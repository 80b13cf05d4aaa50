"""Every dependency pyproject.toml declares is imported by specagent/ (no dead dependencies)."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "specagent"

#: Declared dependencies that specagent/ does not import itself, each with its reason.
NOT_IMPORTED: dict[str, str] = {}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {_normal(Requirement(spec).name) for spec in project["dependencies"]}


def _imported_distributions() -> set[str]:
    """Distributions whose top-level modules any file of specagent/ imports (any form, any depth)."""
    tops: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                tops.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                tops.add(node.module.split(".")[0])
    by_module = importlib.metadata.packages_distributions()
    return {_normal(dist) for top in tops for dist in by_module.get(top, [])}


def test_every_declared_dependency_is_imported() -> None:
    unused = _declared() - _imported_distributions() - set(NOT_IMPORTED)
    assert not unused, f"declared in pyproject.toml, imported nowhere in specagent/: {sorted(unused)}"


def test_every_exception_is_still_declared() -> None:
    assert set(NOT_IMPORTED) <= _declared()
