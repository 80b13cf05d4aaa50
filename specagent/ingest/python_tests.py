"""TEST facts of a test file: what each test exercises (its target), what it asserts, its doc.

A test's target is found from one walk of its body (:class:`_TestBody`): a request through a test
client, a project function its name or assertions point at, or the first call that is neither a
builtin nor a test helper. :func:`link_test_targets` later points request targets at the route
they call, once every file of the prototype is parsed.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

from specagent.ingest.details import HttpRouteDetail, TestDetail
from specagent.ingest.models import Fact, FactKind
from specagent.ingest.python_common import (
    BUILTIN_NAMES,
    STDLIB_NAMES,
    Ctx,
    FuncNode,
    docstring,
    dotted,
    end_line,
    last_name,
    start_line,
    unparse,
)

#: Assertion text is cut to this length; at most this many are kept per test.
ASSERT_CHARS = 120
MAX_ASSERTS = 5
# Packages a test calls without them being the code under test.
_TEST_LIBS = frozenset(
    """pytest unittest mock hypothesis numpy pandas polars faker freezegun responses respx httpx
    requests starlette fastapi flask click typer pydantic sqlalchemy yaml torch sklearn
    pytest_asyncio anyio asyncio tmp_path testing""".split()
)
_HTTP_VERBS = frozenset(("get", "post", "put", "patch", "delete", "head", "options"))
# Modules tests import helpers from: never the code under test.
_TEST_HELPERS = frozenset(("tests", "test", "conftest"))
# Call roots that wrap the code under test rather than being it.
_NOT_RUNNERS = frozenset(("pytest", "self", "mock", "unittest", "monkeypatch", "mocker", "patch"))
_LOCAL_URL = re.compile(r"^https?://(?:localhost|127\.0\.0\.1|0\.0\.0\.0|testserver)(?::\d+)?", re.I)
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _project_names(ctx: Ctx) -> set[str]:
    """Local names imported from what looks like the project under test (not test helpers)."""
    names = set()
    for local, full in ctx.aliases.items():
        top = full.split(".")[0]
        if top in _TEST_HELPERS:
            continue
        if full.startswith(".") or (top not in STDLIB_NAMES and top not in _TEST_LIBS):
            names.add(local)
    return names


def _route_target(ctx: Ctx, call: ast.Call) -> str | None:
    """``METHOD /path`` of a test-client request (``client.post("/ask")``), placeholders as ``{}``."""
    if not isinstance(call.func, ast.Attribute):
        return None
    attr = call.func.attr
    if attr in _HTTP_VERBS and call.args:
        method, url_node = attr, call.args[0]
    elif attr == "request" and len(call.args) > 1:
        method = ctx.string(call.args[0]) or ""
        url_node = call.args[1]
        if method.lower() not in _HTTP_VERBS:
            return None
    else:
        return None
    url = ctx.string(url_node)
    if url is None:
        return None
    local = _LOCAL_URL.match(url)
    if local:
        url = url[local.end() :] or "/"
    if not url.startswith("/"):
        return None
    url = _PLACEHOLDER.sub("{}", url.split("?")[0].split("#")[0]) or "/"
    return f"{method.upper()} {url}"


@dataclass
class _TestBody:
    """What one test does, from a single walk of its body."""

    calls: list[ast.Call] = field(default_factory=list)
    #: ids of calls inside assert statements, ``self.assert*(...)`` or ``with pytest.raises`` bodies
    checked: set[int] = field(default_factory=set)
    #: names read by assertions
    asserted: set[str] = field(default_factory=set)
    #: (assigned names, value) in source order
    assigns: list[tuple[set[str], ast.expr]] = field(default_factory=list)
    #: names given to ``pytest.raises`` (exceptions, never the target)
    raised: set[str] = field(default_factory=set)
    asserts: list[tuple[int, int, str]] = field(default_factory=list)


def _walk_test(func: FuncNode) -> _TestBody:
    body = _TestBody()

    def check(node: ast.AST) -> None:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call):
                body.checked.add(id(sub))
            elif isinstance(sub, ast.Name):
                body.asserted.add(sub.id)

    for node in ast.walk(func):
        if isinstance(node, ast.Assert):
            body.asserts.append((node.lineno, node.col_offset, unparse(node.test, ASSERT_CHARS)))
            check(node.test)
        elif isinstance(node, ast.Call):
            body.calls.append(node)
            name = dotted(node.func) or ""
            if name.startswith("self.assert") or name == "pytest.raises":
                body.asserts.append((node.lineno, node.col_offset, unparse(node, ASSERT_CHARS)))
            if name.startswith("self.assert"):
                for arg in node.args:
                    check(arg)
            if name == "pytest.raises":
                body.raised.update(n.id for arg in node.args for n in ast.walk(arg) if isinstance(n, ast.Name))
        elif isinstance(node, ast.With | ast.AsyncWith):
            if any(dotted(getattr(i.context_expr, "func", None)) == "pytest.raises" for i in node.items):
                for stmt in node.body:
                    check(stmt)
        elif isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
            body.assigns.append((names, node.value))
    body.calls.sort(key=lambda n: (n.lineno, n.col_offset))
    body.asserts.sort()
    body.assigns.sort(key=lambda a: (a[1].lineno, a[1].col_offset))
    return body


def _test_target(ctx: Ctx, func: FuncNode, body: _TestBody, project: set[str]) -> str | None:
    """What a test exercises, best evidence first.

    1. a request through a test client: ``METHOD /path``;
    2. a project function the test's name starts with (``test_clean_rows_x`` -> ``clean_rows``);
    3. a project function called inside an assertion (or a ``pytest.raises`` block), then one
       whose result is asserted on, then the first one called (or handed to a runner);
    4. a project class it constructs (never an exception given to ``pytest.raises``);
    5. the first call that is not a builtin, pytest or the test's own fixture.
    """
    fixtures = {a.arg for a in func.args.posonlyargs + func.args.args + func.args.kwonlyargs}
    fixtures.discard("self")

    def function_name(call: ast.Call) -> str | None:
        """The call's dotted name when it calls a project function (not a class)."""
        name = dotted(call.func)
        if not name or name.split(".")[0] not in project or name.split(".")[0] in fixtures:
            return None
        return name if name.rsplit(".", 1)[-1][:1].islower() else None

    def passed_function(call: ast.Call) -> str | None:
        """A project function handed to another call: ``runner.invoke(main, [...])``."""
        root = (dotted(call.func) or "").split(".")[0]
        if root in _NOT_RUNNERS:
            return None
        for arg in call.args:
            if isinstance(arg, ast.Name) and arg.id in project and arg.id[:1].islower() and arg.id not in fixtures:
                return arg.id
        return None

    for call in body.calls:
        route = _route_target(ctx, call)
        if route:
            return route
    hint = func.name.removeprefix("test_").removeprefix("test")
    called = {n for c in body.calls if (n := function_name(c))}
    candidates = {p for p in project if p[:1].islower()} | {n.rsplit(".", 1)[-1] for n in called}
    best = max(
        (c for c in candidates if hint == c or hint.startswith(c + "_")),
        key=len,
        default=None,
    )
    if best is not None:
        return next((n for n in called if n.rsplit(".", 1)[-1] == best), best)
    for call in body.calls:
        if id(call) in body.checked and (name := function_name(call)):
            return name
    for names, value in body.assigns:
        if names & body.asserted and isinstance(value, ast.Call):
            name = function_name(value) or passed_function(value)
            if name:
                return name
    for call in body.calls:
        name = function_name(call) or passed_function(call)
        if name:
            return name
    fallback = None
    for call in body.calls:
        name = dotted(call.func)
        root = name.split(".")[0] if name else None
        attr = last_name(call.func) or ""
        if (
            root in project
            and root not in body.raised
            and attr[:1].isupper()
            and not attr.endswith(("Error", "Exception"))
        ):
            return name
        if (
            fallback is None
            and name
            and root not in BUILTIN_NAMES
            and root not in fixtures
            and root not in _NOT_RUNNERS
            and root not in body.raised
            and not attr.startswith("assert")
        ):
            fallback = name
    return fallback


def _test_detail(ctx: Ctx, func: FuncNode, project: set[str]) -> dict[str, Any]:
    """target, asserts and doc of one test, from a single walk of its body."""
    body = _walk_test(func)
    return {
        "target": _test_target(ctx, func, body, project),
        "asserts": [text for _, _, text in body.asserts[:MAX_ASSERTS]],
        "doc": docstring(func),
    }


def extract_tests(ctx: Ctx) -> None:
    """TEST facts for the file's test functions and ``Test*`` class methods."""
    project = _project_names(ctx)
    targets: list[tuple[FuncNode, str]] = []
    for stmt in ctx.tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef) and stmt.name.startswith("test"):
            targets.append((stmt, stmt.name))
        elif isinstance(stmt, ast.ClassDef) and stmt.name.startswith("Test"):
            for method in stmt.body:
                if isinstance(method, ast.FunctionDef | ast.AsyncFunctionDef) and method.name.startswith("test"):
                    targets.append((method, f"{stmt.name}.{method.name}"))
    for func, name in targets:
        with ctx.guard("test", func):
            ctx.add(
                FactKind.TEST,
                name,
                _test_detail(ctx, func, project),
                start_line(func),
                end_line(func),
                func.lineno,
            )


_ROUTE_PLACEHOLDER = re.compile(r"\{[^{}]*\}|<[^<>]*>")


def link_test_targets(facts: list[Fact]) -> list[Fact]:
    """Point TEST targets such as ``PATCH /api/v1/items/{}`` at the route they call.

    A test requests a concrete URL (``f"/items/{item['id']}"``, rendered with ``{}``); once every
    file is parsed, the one HTTP_ROUTE with that method whose template has the same shape
    (``/api/v1/items/{item_id}``) names it. Targets that match no route, or several, stay as
    they are. Call this on the facts of the whole prototype, after all files are parsed.
    """
    shapes: dict[str, set[str]] = {}
    for fact in facts:
        if fact.kind is FactKind.HTTP_ROUTE:
            route = fact.detail_as(HttpRouteDetail)
            method, path = route.method, route.path
            shapes.setdefault(f"{method} {_ROUTE_PLACEHOLDER.sub('{}', path)}", set()).add(f"{method} {path}")
    out: list[Fact] = []
    for fact in facts:
        target = fact.detail_as(TestDetail).target if fact.kind is FactKind.TEST else None
        if isinstance(target, str) and " /" in target:
            method, _, path = target.partition(" ")
            routes = shapes.get(f"{method} {_ROUTE_PLACEHOLDER.sub('{}', path)}", set())
            if len(routes) == 1 and target not in routes:
                fact = fact.model_copy(update={"detail": fact.detail.model_copy(update={"target": next(iter(routes))})})
        out.append(fact)
    return out
