"""Shared plumbing for the Python parser: name resolution, literals, quotes and a guarded sink.

Every extractor gets one :class:`Ctx` for the file. It resolves local names through the file's
imports (``pd.read_csv`` -> ``pandas.read_csv``), renders expressions and literals in a form that
is safe to put in a fact, and records facts with exact spans and verbatim quotes. Extractors wrap
each node in :meth:`Ctx.guard` so one odd node costs a warning, never the file.
"""

from __future__ import annotations

import ast
import builtins
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from specagent.ingest.models import Fact, FactKind, IngestWarning, SourceRef, Span

#: Quotes are one stripped source line, cut to this many characters (still verbatim text).
MAX_QUOTE = 160
#: A pathological file should not drown the run in warnings.
MAX_WARNINGS = 20
#: Longest text kept for a rendered expression (defaults, help strings, targets).
MAX_TEXT = 200

BUILTIN_NAMES = frozenset(dir(builtins))
STDLIB_NAMES = frozenset(sys.stdlib_module_names)
# "TOKENS" is a count (MAX_TOKENS), not a credential.
SECRET_RE = re.compile(r"KEY|TOKEN(?!S)|SECRET|PASSWORD|PASSWD|CREDENTIAL", re.IGNORECASE)

FuncNode = ast.FunctionDef | ast.AsyncFunctionDef


def module_name(path: str) -> str:
    """The import name of a Python file given by its root-relative POSIX path.

    ``pkg/cli.py`` -> ``pkg.cli``; a package's ``__init__.py`` is the package; a leading ``src/``
    (the src layout) is not part of the name.
    """
    stem = path[:-3] if path.endswith(".py") else path
    parts = [p for p in stem.split("/") if p and p != "."]
    if len(parts) > 1 and parts[0] == "src":
        parts = parts[1:]
    if len(parts) > 1 and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts) or stem


def is_test_path(path: str) -> bool:
    """Whether a root-relative path is test code: under ``tests/`` or ``test/``, named
    ``test_*`` or ``*_test.py``, or a pytest ``conftest.py``."""
    parts = path.split("/")
    name = parts[-1]
    return (
        name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
        or any(part in ("tests", "test") for part in parts[:-1])
    )


class _Missing:
    """Marks "no literal value" (None is a perfectly good literal)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


def dotted(node: ast.AST | None) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def last_name(node: ast.AST | None) -> str | None:
    """The final identifier of a Name/Attribute (``client.chat.create`` -> ``create``)."""
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


def unparse(node: ast.AST | None, limit: int = MAX_TEXT) -> str:
    """Source text of an expression, shortened to ``limit`` characters."""
    if node is None:
        return ""
    text = ast.unparse(node)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


def _jsonable(value: Any) -> bool:
    if value is None or isinstance(value, bool | int | str):
        return True
    if isinstance(value, float):
        return value == value and value not in (float("inf"), float("-inf"))
    if isinstance(value, list | tuple):
        return all(_jsonable(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _jsonable(v) for k, v in value.items())
    return False


def literal(node: ast.AST | None) -> Any:
    """The JSON-friendly Python value of a literal expression, or MISSING."""
    if node is None:
        return MISSING
    if isinstance(node, ast.Constant):
        return node.value if _jsonable(node.value) else MISSING
    if not isinstance(node, ast.List | ast.Tuple | ast.Set | ast.Dict | ast.UnaryOp | ast.BinOp):
        return MISSING
    try:
        value: Any = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return MISSING
    if isinstance(value, set | frozenset):
        try:
            value = sorted(value)
        except TypeError:
            return MISSING
    if isinstance(value, tuple):
        value = list(value)
    return value if _jsonable(value) else MISSING


def value_or_text(node: ast.AST | None) -> Any:
    """A literal's value when it has one, else the expression's source text."""
    value = literal(node)
    return unparse(node) if value is MISSING else value


def kwargs(call: ast.Call) -> dict[str, ast.expr]:
    """Keyword arguments of a call by name (``**spread`` ones are ignored)."""
    return {kw.arg: kw.value for kw in call.keywords if kw.arg is not None}


def is_ellipsis(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is Ellipsis


def docstring(node: ast.AST, *, first_line: bool = False) -> str | None:
    """The first paragraph (or first line) of a docstring, on one line, or None."""
    if not isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
        return None
    doc = ast.get_docstring(node, clean=True)
    if not doc:
        return None
    doc = doc.strip()
    if first_line:
        text = doc.splitlines()[0].strip()
    else:
        text = " ".join(line.strip() for line in doc.split("\n\n")[0].splitlines())
    if len(text) > 300:
        text = text[:297] + "..."
    return text or None


def start_line(node: ast.AST) -> int:
    """First line of a node, decorators included."""
    line: int = node.lineno  # type: ignore[attr-defined]
    for dec in getattr(node, "decorator_list", ()):
        line = min(line, dec.lineno)
    return line


def end_line(node: ast.AST) -> int:
    end: int = getattr(node, "end_lineno", None) or node.lineno  # type: ignore[attr-defined]
    return end


def pos(node: ast.AST) -> tuple[int, int]:
    return node.lineno, node.col_offset  # type: ignore[attr-defined]


@dataclass
class NodeIndex:
    """Nodes of interest, gathered in a single ``ast.walk`` (breadth-first, not source order)."""

    calls: list[ast.Call] = field(default_factory=list)
    subscripts: list[ast.Subscript] = field(default_factory=list)
    assigns: list[ast.Assign | ast.AnnAssign] = field(default_factory=list)
    withs: list[ast.withitem] = field(default_factory=list)
    funcs: list[FuncNode] = field(default_factory=list)
    classes: list[ast.ClassDef] = field(default_factory=list)
    imports: list[ast.Import | ast.ImportFrom] = field(default_factory=list)
    #: id(function) -> the class whose body defines it
    owner: dict[int, ast.ClassDef] = field(default_factory=dict)

    @classmethod
    def build(cls, tree: ast.AST) -> NodeIndex:
        index = cls()
        for node in ast.walk(tree):
            kind = type(node)
            if kind is ast.Call:
                index.calls.append(node)  # type: ignore[arg-type]
            elif kind is ast.Subscript:
                index.subscripts.append(node)  # type: ignore[arg-type]
            elif kind is ast.Assign or kind is ast.AnnAssign:
                index.assigns.append(node)  # type: ignore[arg-type]
            elif kind is ast.withitem:
                index.withs.append(node)  # type: ignore[arg-type]
            elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
                index.funcs.append(node)  # type: ignore[arg-type]
            elif kind is ast.ClassDef:
                index.classes.append(node)  # type: ignore[arg-type]
                for stmt in node.body:  # type: ignore[attr-defined]
                    if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
                        index.owner[id(stmt)] = node  # type: ignore[assignment]
            elif kind is ast.Import or kind is ast.ImportFrom:
                index.imports.append(node)  # type: ignore[arg-type]
        index.calls.sort(key=pos)
        index.assigns.sort(key=pos)
        index.funcs.sort(key=pos)
        index.classes.sort(key=pos)
        return index


@dataclass
class Ctx:
    """Per-file state shared by the extractors."""

    path: str
    lines: list[str]
    tree: ast.Module
    index: NodeIndex
    #: local name -> fully qualified name, from the file's imports
    aliases: dict[str, str] = field(default_factory=dict)
    #: module-level ``NAME = <expr>`` (first binding wins)
    constants: dict[str, ast.expr] = field(default_factory=dict)
    #: top-level modules imported (absolute imports only)
    imported: set[str] = field(default_factory=set)
    facts: list[Fact] = field(default_factory=list)
    warnings: list[IngestWarning] = field(default_factory=list)
    _warned: int = 0

    @classmethod
    def create(cls, path: str, lines: list[str], tree: ast.Module, index: NodeIndex) -> Ctx:
        ctx = cls(path=path, lines=lines, tree=tree, index=index)
        for node in index.imports:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    top = alias.name.split(".")[0]
                    ctx.imported.add(top)
                    if alias.asname:
                        ctx.aliases.setdefault(alias.asname, alias.name)
                    else:
                        ctx.aliases.setdefault(top, top)
            else:
                base = "." * node.level + (node.module or "")
                if node.level == 0 and node.module:
                    ctx.imported.add(node.module.split(".")[0])
                for alias in node.names:
                    if alias.name == "*":
                        continue
                    local = alias.asname or alias.name
                    sep = "" if base.endswith(".") else "."
                    ctx.aliases.setdefault(local, f"{base}{sep}{alias.name}")
        for stmt in tree.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                target, value = stmt.targets[0], stmt.value
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                target, value = stmt.target, stmt.value
            else:
                continue
            if isinstance(target, ast.Name):
                ctx.constants.setdefault(target.id, value)
        return ctx

    # -- names -------------------------------------------------------------------------------

    def resolve(self, name: str | None) -> str | None:
        """Replace the first part of a dotted name by what the file imported it as."""
        if not name:
            return name
        head, sep, rest = name.partition(".")
        full = self.aliases.get(head)
        if full is None:
            return name
        return f"{full}{sep}{rest}" if sep else full

    def qual(self, node: ast.AST | None) -> str | None:
        """The resolved dotted name of an expression (``pd.read_csv`` -> ``pandas.read_csv``)."""
        return self.resolve(dotted(node))

    def is_imported_name(self, node: ast.AST | None) -> bool:
        name = dotted(node)
        return bool(name) and name.partition(".")[0] in self.aliases  # type: ignore[union-attr]

    # -- values ------------------------------------------------------------------------------

    def string(self, node: ast.AST | None, *, at: int | None = None, depth: int = 0) -> str | None:
        """A string the expression certainly evaluates to, as far as this file tells.

        Follows module constants, ``+`` of strings and f-strings (unknown parts keep their
        ``{expr}`` text), and ``os.getenv("X", "default")`` (the default). With ``at`` (a line),
        a bare name that is a parameter of the function around that line gives its default.
        """
        if node is None or depth > 5:
            return None
        if isinstance(node, ast.Constant):
            return node.value if isinstance(node.value, str) else None
        if isinstance(node, ast.Name):
            bound = self.constants.get(node.id)
            if bound is None and at is not None:
                bound = self.param_default(node.id, at)
            return self.string(bound, depth=depth + 1) if bound is not None else None
        if isinstance(node, ast.JoinedStr):
            parts: list[str] = []
            for value in node.values:
                if isinstance(value, ast.Constant):
                    parts.append(str(value.value))
                elif isinstance(value, ast.FormattedValue):
                    inner = self.string(value.value, at=at, depth=depth + 1)
                    parts.append(inner if inner is not None else "{" + unparse(value.value) + "}")
            return "".join(parts)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left = self.string(node.left, at=at, depth=depth + 1)
            right = self.string(node.right, at=at, depth=depth + 1)
            if left is not None and right is not None:
                return left + right
            return None
        if isinstance(node, ast.Call):
            name = self.qual(node.func)
            if name in ("os.getenv", "os.environ.get") and len(node.args) >= 2:
                return self.string(node.args[1], depth=depth + 1)
            if name in ("os.getenv", "os.environ.get"):
                default = kwargs(node).get("default")
                return self.string(default, depth=depth + 1) if default is not None else None
        return None

    def param_default(self, name: str, line: int) -> ast.expr | None:
        """The default of parameter ``name`` of the innermost function around ``line``."""
        best: FuncNode | None = None
        for func in self.index.funcs:
            if func.lineno > line:
                break
            if end_line(func) >= line and (best is None or func.lineno >= best.lineno):
                best = func
        if best is None:
            return None
        args = best.args
        positional = args.posonlyargs + args.args
        pairs = list(zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=False))
        pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=False) if d is not None]
        for arg, default in pairs:
            if arg.arg == name:
                return default
        return None

    def value_or_text(self, node: ast.AST | None) -> Any:
        """Like :func:`value_or_text`, following a module constant to its value."""
        if isinstance(node, ast.Name) and node.id in self.constants:
            bound = self.constants[node.id]
            value = literal(bound)
            if value is not MISSING:
                return value
            text = self.string(bound)
            if text is not None:
                return text
        return value_or_text(node)

    def strings(self, node: ast.AST | None) -> list[str] | None:
        """A list of strings from a literal list/tuple (or a module constant holding one)."""
        if isinstance(node, ast.Name) and node.id in self.constants:
            node = self.constants[node.id]
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            out = [self.string(elt) for elt in node.elts]
            if all(s is not None for s in out):
                return out  # type: ignore[return-value]
        return None

    def values(self, node: ast.AST | None) -> list[Any] | None:
        """A literal list (choices and the like), following module constants."""
        if isinstance(node, ast.Name) and node.id in self.constants:
            node = self.constants[node.id]
        value = literal(node)
        if isinstance(value, list):
            return value
        strings = self.strings(node)
        return strings

    # -- facts -------------------------------------------------------------------------------

    def quote(self, start: int, end: int, prefer: int | None = None) -> str | None:
        """A verbatim, stripped line from ``start..end`` (``prefer`` first when it has text)."""
        candidates = [prefer] if prefer is not None and start <= prefer <= end else []
        candidates.extend(range(start, min(end, len(self.lines)) + 1))
        for number in candidates:
            if 1 <= number <= len(self.lines):
                text = self.lines[number - 1].strip()
                if text:
                    return text[:MAX_QUOTE].rstrip()
        return None

    def ref(self, start: int, end: int, prefer: int | None = None) -> SourceRef:
        start = max(1, start)
        end = max(start, end)
        # Built without validation: the values are ours and checked above, and a 10k-line
        # file makes thousands of these.
        return SourceRef.model_construct(
            path=self.path,
            span=Span.model_construct(start_line=start, end_line=end, cell=None),
            quote=self.quote(start, end, prefer),
        )

    def add(
        self,
        kind: FactKind,
        name: str,
        detail: dict[str, Any],
        start: int,
        end: int,
        prefer: int | None = None,
    ) -> Fact:
        fact = Fact(kind=kind, name=str(name), detail=detail, source=self.ref(start, end, prefer))
        self.facts.append(fact)
        return fact

    def add_node(self, kind: FactKind, name: str, detail: dict[str, Any], node: ast.AST) -> Fact:
        """A fact spanning ``node``, quoting its first line."""
        first = node.lineno  # type: ignore[attr-defined]
        return self.add(kind, name, detail, first, end_line(node), first)

    def warn(self, message: str) -> None:
        self._warned += 1
        if self._warned <= MAX_WARNINGS:
            self.warnings.append(IngestWarning(path=self.path, message=message))
        elif self._warned == MAX_WARNINGS + 1:
            self.warnings.append(IngestWarning(path=self.path, message="more parse warnings suppressed"))

    @contextmanager
    def guard(self, what: str, node: ast.AST | None = None) -> Iterator[None]:
        """Run one extraction; an unexpected node becomes a warning, never an exception."""
        try:
            yield
        except Exception as exc:  # one odd node must not cost the rest of the file
            where = f" at line {node.lineno}" if node is not None and hasattr(node, "lineno") else ""
            self.warn(f"skipped {what}{where}: {type(exc).__name__}: {exc}"[:300])
