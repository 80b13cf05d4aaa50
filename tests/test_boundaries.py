"""The import contract (tests/import_contract.py) holds for specagent/, and each kind of forbidden
edge planted in a copy of the package breaks it."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
from import_contract import EXCEPTIONS, FORBIDDEN, TIER_OF, check_package, imports, layer_of

PACKAGE = Path(__file__).resolve().parents[1] / "specagent"
MODULES = sorted(PACKAGE.rglob("*.py"))
FRONT = {"cli", "tui", "__main__"}


def test_specagent_keeps_the_import_contract() -> None:
    violations = check_package(PACKAGE)
    assert not violations, "\n".join(map(str, violations))


def test_every_layer_is_in_the_contract() -> None:
    layers = {layer_of(PACKAGE, p) for p in MODULES}
    assert {"cli", "pipeline", "ingest", "spec", "quality", "index", "llm"} <= layers
    assert layers <= TIER_OF.keys(), layers - TIER_OF.keys()


def test_every_exception_and_prohibition_names_its_reason() -> None:
    for edge, reason in {**EXCEPTIONS, **FORBIDDEN}.items():
        assert set(edge) <= TIER_OF.keys(), edge
        assert len(reason.split()) >= 5, (edge, reason)


@pytest.mark.parametrize(
    "path", [p for p in MODULES if layer_of(PACKAGE, p) not in FRONT], ids=lambda p: str(p.relative_to(PACKAGE))
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
        "def later():\n    import specagent.index.store\n    __import__('specagent.llm')\n"
        "    importlib.import_module('.draft', package='specagent.pipeline')\n"
    )
    names = {edge.name for edge in imports(PACKAGE, PACKAGE / "ingest" / "probe.py", sample_text)}
    assert {
        "specagent.pipeline",
        "specagent.cli.app",
        "specagent.ingest.walk",
        "specagent.tui",
        "specagent.index.store",
        "specagent.llm",
        "specagent.pipeline.draft",
    } <= names


# -- a forbidden edge breaks the contract ------------------------------------------------------------


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of specagent/ that keeps the contract, to plant edges in."""
    copy = tmp_path_factory.mktemp("pristine") / "specagent"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "data"))
    assert check_package(copy) == []
    return copy


def _plant(pristine: Path, tmp_path: Path, file: str, code: str) -> Path:
    copy = tmp_path / "specagent"
    shutil.copytree(pristine, copy)
    target = copy / file
    target.write_text(target.read_text(encoding="utf-8") + "\n" + code + "\n", encoding="utf-8")
    return copy


PLANTED = {
    "spec imports quality (upward)": (
        "spec/model.py",
        "from specagent.quality import checks",
        ("specagent/spec/model.py", "spec", "quality", "upward"),
    ),
    "ingest imports index (upward)": (
        "ingest/walk.py",
        "import specagent.index",
        ("specagent/ingest/walk.py", "ingest", "index", "upward"),
    ),
    "function-level import of pipeline in quality": (
        "quality/checks.py",
        "def _later() -> None:\n    import specagent.pipeline.draft",
        ("specagent/quality/checks.py", "quality", "pipeline", "upward"),
    ),
    "__import__ with a literal": (
        "quality/ears.py",
        '__import__("specagent.pipeline.draft")',
        ("specagent/quality/ears.py", "quality", "pipeline", "upward"),
    ),
    "importlib.import_module with a literal": (
        "spec/ids.py",
        'import importlib\nimportlib.import_module("specagent.ingest.walk")',
        ("specagent/spec/ids.py", "spec", "ingest", "sideways"),
    ),
    "relative import sideways": (
        "ingest/walk.py",
        "from ..spec import model",
        ("specagent/ingest/walk.py", "ingest", "spec", "sideways"),
    ),
    "sideways in the services tier": (
        "index/lexical.py",
        "from specagent.llm import provider",
        ("specagent/index/lexical.py", "index", "llm", "sideways"),
    ),
    "a downward edge the contract forbids": (
        "quality/coverage.py",
        "from specagent.ingest.models import Fact",
        ("specagent/quality/coverage.py", "quality", "ingest", "reading the repository"),
    ),
    "a base module imports a layer": (
        "events.py",
        "from specagent.spec.model import Spec",
        ("specagent/events.py", "events", "spec", "upward"),
    ),
    "chromadb outside index/": (
        "pipeline/draft.py",
        "import chromadb",
        ("specagent/pipeline/draft.py", "pipeline", "chromadb", "only index may import chromadb"),
    ),
    "openai outside llm/": (
        "index/embedder.py",
        "from openai import OpenAI",
        ("specagent/index/embedder.py", "index", "openai", "only llm may import openai"),
    ),
    "typer below the front ends": (
        "quality/findings.py",
        "import typer",
        ("specagent/quality/findings.py", "quality", "typer", "only cli, tui may import typer"),
    ),
    "rich in spec/": (
        "spec/markdown.py",
        "def _pretty() -> None:\n    from rich.console import Console",
        ("specagent/spec/markdown.py", "spec", "rich", "only cli, tui may import rich"),
    ),
    "a computed dynamic import": (
        "ingest/run.py",
        'import importlib\nNAME = "specagent.tui"\nimportlib.import_module(NAME)',
        ("specagent/ingest/run.py", "ingest", "?", "cannot be checked"),
    ),
}


@pytest.mark.parametrize("case", PLANTED, ids=list(PLANTED))
def test_a_planted_edge_breaks_the_contract(case: str, pristine: Path, tmp_path: Path) -> None:
    file, code, (path, source, target, reason) = PLANTED[case]
    violations = check_package(_plant(pristine, tmp_path, file, code))
    assert len(violations) == 1, violations
    found = violations[0]
    assert (found.path, found.source, found.target) == (path, source, target)
    assert reason in found.reason
    assert f"{source} -> {target}" in str(found)
