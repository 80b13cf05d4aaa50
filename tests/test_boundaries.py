"""Imports flow one way: cli, tui -> pipeline -> ingest, index, llm, spec, quality (DESIGN.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "specagent"
LOWER = {"ingest", "index", "llm", "spec", "quality"}
FRONT = {"cli", "tui", "__main__"}


def _layer(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py") if len(rel.parts) > 1 else rel.stem


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_respects_layers(path: Path) -> None:
    layer = _layer(path)
    problems = []
    for name in _imports(path):
        top = name.split(".")[0]
        inner = name.split(".")[1] if name.startswith("specagent.") and name.count(".") >= 1 else None
        if top in {"textual", "typer"} and layer not in FRONT:
            problems.append(f"{name}: only cli/ and tui/ may import {top}")
        if top in {"chromadb", "langchain_chroma"} and layer != "index":
            problems.append(f"{name}: only index/ may import {top}")
        if top in {"openai", "langchain_openai"} and layer != "llm":
            problems.append(f"{name}: only llm/ may import {top}")
        if inner in FRONT and layer not in FRONT:
            problems.append(f"{name}: nothing below the front ends imports them")
        if inner == "pipeline" and layer in LOWER | {"events", "errors", "config"}:
            problems.append(f"{name}: {layer}/ is below pipeline/")
        if inner in LOWER | {"pipeline"} and layer in {"events", "errors", "config"}:
            problems.append(f"{name}: shared modules import nothing from the layers")
    assert not problems, problems


def test_the_check_sees_every_layer() -> None:
    layers = {_layer(p) for p in MODULES}
    assert {"cli", "pipeline", "ingest", "spec", "quality", "index"} <= layers
