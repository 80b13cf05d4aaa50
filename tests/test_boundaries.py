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


def _package_of(path: Path) -> list[str]:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    return parts if parts[-1] == "__init__" else parts[:-1]


def _imports(path: Path, source: str | None = None) -> set[str]:
    """Every module a file imports: plain, from-imports, relative ones and ``from specagent import x``.

    ``source`` stands in for the file's text (the path still places relative imports).
    """
    tree = ast.parse(source if source is not None else path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = _package_of(path)
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.add(str(node.args[0].value))
    return names


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_respects_layers(path: Path) -> None:
    layer = _layer(path)
    problems = []
    for name in _imports(path):
        top = name.split(".")[0]
        inner = name.split(".")[1] if name.startswith("specagent.") and name.count(".") >= 1 else None
        if top in {"textual", "typer", "rich"} and layer not in FRONT:
            problems.append(f"{name}: only cli/ and tui/ may import {top}")
        if top in {"chromadb", "langchain_chroma"} and layer != "index":
            problems.append(f"{name}: only index/ may import {top}")
        if top in {"openai", "langchain_openai"} and layer != "llm":
            problems.append(f"{name}: only llm/ may import {top}")
        if inner in FRONT and layer not in FRONT:
            problems.append(f"{name}: nothing below the front ends imports them")
        if inner == "pipeline" and layer in LOWER | {"events", "errors", "config", "fileio", "gitinfo"}:
            problems.append(f"{name}: {layer}/ is below pipeline/")
        if inner in LOWER | {"pipeline"} and layer in {"events", "errors", "config", "fileio", "gitinfo"}:
            problems.append(f"{name}: shared modules import nothing from the layers")
    assert not problems, problems


@pytest.mark.parametrize(
    "path", [p for p in MODULES if _layer(p) not in FRONT], ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_library_code_never_prints(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print"
    ]
    assert not calls, f"print() at lines {calls}: emit an event instead"


def test_the_import_scan_sees_every_form() -> None:
    sample_text = (
        "from specagent import pipeline\nfrom ..cli import app\nfrom . import walk\n"
        "import importlib\nimportlib.import_module('specagent.tui')\n"
    )
    names = _imports(PACKAGE / "ingest" / "probe.py", sample_text)
    assert {"specagent.pipeline", "specagent.cli.app", "specagent.ingest.walk", "specagent.tui"} <= names


def test_the_check_sees_every_layer() -> None:
    layers = {_layer(p) for p in MODULES}
    assert {"cli", "pipeline", "ingest", "spec", "quality", "index"} <= layers
