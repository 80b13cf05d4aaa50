"""The import contract of ``specagent/``, written once, and the checker that holds a package to it.

Layers sit in tiers, top first. A module may import its own layer and any layer of a lower
tier; a layer of its own tier (sideways) or of a higher one only where :data:`EXCEPTIONS` names
the edge and says why. :data:`FORBIDDEN` closes a few downward edges the tiers would allow.
Third-party packages that tie a layer to one technology are kept in the layers
:data:`THIRD_PARTY` names.

The checker reads the source (``ast``), so it sees what import-linter's static graph would and
more: module-level and function-level imports, relative ones, ``from specagent import x``, and
the dynamic forms ``importlib.import_module("...")`` and ``__import__("...")`` with a literal. A
dynamic import whose name is computed cannot be checked, so it is itself a violation.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

#: Tiers of layers, top first. A layer is a subpackage of ``specagent`` or a top-level module
#: (``__init__`` holds ``__version__``).
TIERS: tuple[tuple[str, frozenset[str]], ...] = (
    ("entry point", frozenset({"__main__"})),
    ("front ends", frozenset({"cli", "tui"})),
    # The eval harness drafts and scores; only `specagent eval` uses it, the library never does.
    ("eval harness", frozenset({"evals"})),
    ("orchestration", frozenset({"pipeline"})),
    ("services", frozenset({"quality", "index", "llm"})),
    ("core", frozenset({"spec", "ingest"})),
    ("base", frozenset({"config", "events", "fileio", "gitinfo"})),
    # Below the base modules: every module may raise a SpecagentError or read the version.
    ("root", frozenset({"errors", "__init__"})),
)

#: Edges sideways or upward that the contract allows, each with its reason.
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("cli", "tui"): "`specagent tui` starts the Textual app; the TUI never imports the CLI",
}

#: Downward edges the tiers would allow but the design does not.
FORBIDDEN: dict[tuple[str, str], str] = {
    ("quality", "ingest"): (
        "quality/ checks a spec against the texts it is handed; reading the repository is "
        "orchestration (pipeline/check.py)"
    ),
    ("quality", "index"): "quality/ checks are pure: no store, no retrieval",
    ("quality", "llm"): "quality/ checks are pure: no model",
}

#: Third-party top-level packages and the only layers that may import them.
THIRD_PARTY: dict[str, frozenset[str]] = {
    "chromadb": frozenset({"index"}),
    "openai": frozenset({"llm"}),
    "langchain_openai": frozenset({"llm"}),
    "textual": frozenset({"cli", "tui"}),
    "typer": frozenset({"cli", "tui"}),
    "rich": frozenset({"cli", "tui"}),
    "matplotlib": frozenset({"evals"}),
}

TIER_OF: dict[str, int] = {layer: rank for rank, (_, layers) in enumerate(TIERS) for layer in layers}


@dataclass(frozen=True)
class Edge:
    """One import found in a file: the module name it imports and the line it is on."""

    name: str
    line: int


@dataclass(frozen=True)
class Violation:
    """An import the contract does not allow."""

    path: str  # relative to the package's parent, e.g. "specagent/spec/model.py"
    line: int
    source: str  # the importing layer
    target: str  # the imported layer, or the third-party package
    name: str  # the imported name as written (resolved when relative)
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.source} -> {self.target} ({self.name}): {self.reason}"


def layer_of(package: Path, path: Path) -> str:
    """The layer a file of ``package`` belongs to: its subpackage, or its own stem at top level."""
    rel = path.relative_to(package)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _package_parts(package: Path, path: Path) -> list[str]:
    """The dotted package a file is in, as parts (``specagent/ingest/walk.py`` -> specagent, ingest)."""
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    return parts if parts[-1] == "__init__" else parts[:-1]


def _resolve(package: Path, path: Path, module: str | None, level: int) -> str:
    """The absolute name of a possibly relative import."""
    if not level:
        return module or ""
    base = _package_parts(package, path)
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, module] if module else base)


def _literal(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _dynamic(package: Path, path: Path, call: ast.Call) -> Edge | None:
    """The module an ``import_module(...)`` or ``__import__(...)`` call imports; '?' if computed."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    if name not in {"import_module", "__import__"} or not call.args:
        return None
    target = _literal(call.args[0])
    if target is None:
        return Edge("?", call.lineno)
    if name == "import_module" and target.startswith("."):
        anchor = (
            call.args[1] if len(call.args) > 1 else next((k.value for k in call.keywords if k.arg == "package"), None)
        )
        base = _literal(anchor)
        if base is None:
            return Edge("?", call.lineno)
        level = len(target) - len(target.lstrip("."))
        parts = base.split(".")
        parts = parts[: len(parts) - (level - 1)]
        rest = target.lstrip(".")
        target = ".".join([*parts, rest] if rest else parts)
    return Edge(target, call.lineno)


@functools.lru_cache(maxsize=1024)
def _parse(text: str) -> ast.Module:
    # The planted-edge tests check many copies of one package: parse each text once.
    return ast.parse(text)


def imports(package: Path, path: Path, source: str | None = None) -> list[Edge]:
    """Every module a file imports, in every form the contract knows (see the module docstring).

    ``source`` stands in for the file's text (the path still places relative imports).
    """
    tree = _parse(source if source is not None else path.read_text(encoding="utf-8"))
    found: list[Edge] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(Edge(alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = _resolve(package, path, node.module, node.level)
            found.append(Edge(module, node.lineno))
            # ``from specagent import pipeline`` imports a layer, not only the package.
            found.extend(Edge(f"{module}.{alias.name}", node.lineno) for alias in node.names)
        elif isinstance(node, ast.Call):
            edge = _dynamic(package, path, node)
            if edge is not None:
                found.append(edge)
    return found


def _target_layer(package: Path, name: str) -> str | None:
    """The layer of ``package`` an imported name lands in; ``None`` for other packages."""
    parts = name.split(".")
    if parts[0] != package.name:
        return None
    if len(parts) == 1:
        return "__init__"
    head = parts[1]
    if (package / head).is_dir() or (package / f"{head}.py").is_file():
        return head
    return "__init__"  # an attribute of the package itself, such as ``__version__``


def _judge(source: str, target: str) -> str | None:
    """Why ``source`` may not import ``target``, or ``None`` when it may."""
    if source == target:
        return None
    if (source, target) in EXCEPTIONS:
        return None
    if (source, target) in FORBIDDEN:
        return FORBIDDEN[(source, target)]
    if source not in TIER_OF or target not in TIER_OF:
        unknown = source if source not in TIER_OF else target
        return f"{unknown} is in no tier of the contract; place it in TIERS"
    if TIER_OF[target] > TIER_OF[source]:
        return None
    if TIER_OF[target] == TIER_OF[source]:
        return f"sideways within the {TIERS[TIER_OF[source]][0]} tier"
    return f"upward: {target} is in the {TIERS[TIER_OF[target]][0]} tier, above {source}"


def check_file(package: Path, path: Path) -> Iterator[Violation]:
    """The imports of one file that break the contract."""
    source = layer_of(package, path)
    rel = str(path.relative_to(package.parent))
    seen: set[tuple[int, str]] = set()
    for violation in _violations(package, path, source, rel):
        # ``from a.b import c`` is two names on one line: report the edge once.
        if (violation.line, violation.target) not in seen:
            seen.add((violation.line, violation.target))
            yield violation


def _violations(package: Path, path: Path, source: str, rel: str) -> Iterator[Violation]:
    for edge in imports(package, path):
        if edge.name == "?":
            yield Violation(rel, edge.line, source, "?", "?", "a computed dynamic import cannot be checked")
            continue
        top = edge.name.split(".")[0]
        if top in THIRD_PARTY and source not in THIRD_PARTY[top]:
            allowed = ", ".join(sorted(THIRD_PARTY[top]))
            yield Violation(rel, edge.line, source, top, edge.name, f"only {allowed} may import {top}")
            continue
        target = _target_layer(package, edge.name)
        if target is None:
            continue
        reason = _judge(source, target)
        if reason is not None:
            yield Violation(rel, edge.line, source, target, edge.name, reason)


def check_package(package: Path) -> list[Violation]:
    """Every import in ``package`` (a copy of ``specagent/`` or the real one) that breaks the contract."""
    return [violation for path in sorted(package.rglob("*.py")) for violation in check_file(package, path)]
