"""Django and Django REST framework routes joined across files.

A Django route is written in three places: ``urls.py`` mounts a view (or another URLconf with
``include()``, or a DRF router with ``router.register(prefix, ViewSet)``), and the view module
says which methods it answers. Each file yields its part as a *pending* HTTP_ROUTE
(``detail.django_part``); :func:`link_django_routes` joins them once every file is parsed, so
the item states the full path (``/api/contracts/<pk>/clauses/``) and the view's own methods,
errors and explicit success statuses. Pending parts that join nothing are dropped.
"""

from __future__ import annotations

import ast
from typing import Any

from specagent.ingest.details import HttpRouteDetail
from specagent.ingest.models import Fact, FactKind
from specagent.ingest.python_common import Ctx, FuncNode, docstring, end_line, last_name, module_name
from specagent.ingest.python_route_errors import route_errors, route_successes
from specagent.ingest.records import Mount
from specagent.ingest.route_params import template_specs

_VERBS = ("get", "post", "put", "patch", "delete", "head", "options")
#: ViewSet action -> (method, on one object)
_ACTIONS = {
    "list": ("GET", False),
    "create": ("POST", False),
    "retrieve": ("GET", True),
    "update": ("PUT", True),
    "partial_update": ("PATCH", True),
    "destroy": ("DELETE", True),
}
#: DRF base classes and mixins -> the actions they bring without a method written
_IMPLIED = {
    "ModelViewSet": ("list", "create", "retrieve", "update", "partial_update", "destroy"),
    "ReadOnlyModelViewSet": ("list", "retrieve"),
    "CreateModelMixin": ("create",),
    "ListModelMixin": ("list",),
    "RetrieveModelMixin": ("retrieve",),
    "UpdateModelMixin": ("update", "partial_update"),
    "DestroyModelMixin": ("destroy",),
}
#: DRF generic views -> the methods they answer without a method written
_GENERIC_METHODS = {
    "CreateAPIView": ("POST",),
    "ListAPIView": ("GET",),
    "RetrieveAPIView": ("GET",),
    "DestroyAPIView": ("DELETE",),
    "UpdateAPIView": ("PUT", "PATCH"),
    "ListCreateAPIView": ("GET", "POST"),
    "RetrieveUpdateAPIView": ("GET", "PUT", "PATCH"),
    "RetrieveDestroyAPIView": ("GET", "DELETE"),
    "RetrieveUpdateDestroyAPIView": ("GET", "PUT", "PATCH", "DELETE"),
}


def _bases(cls: ast.ClassDef) -> list[str]:
    return [last_name(b) or "" for b in cls.bases]


def _class_attr(cls: ast.ClassDef, name: str) -> ast.expr | None:
    for stmt in cls.body:
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in stmt.targets):
            return stmt.value
    return None


def _part(
    ctx: Ctx, view: str, method: str, suffix: str, func: FuncNode | None, node: ast.AST, extra: dict[str, Any]
) -> None:
    """A view's half of a route: the method it answers at ``suffix`` below where it is mounted."""
    errors = route_errors(ctx, func) if func is not None else []
    detail = {
        "framework": "django",
        "method": method,
        "path": suffix,
        "handler": view if func is None or func.name == view else f"{view}.{func.name}",
        "request_model": None,
        "response_model": None,
        "params": [],
        "param_specs": [],
        "doc": docstring(func) if func is not None else None,
        "errors": errors,
        "success": route_successes(ctx, func) if func is not None else [],
        "django_part": "view",
        "view": f"{module_name(ctx.path)}.{view}",
        **extra,
    }
    target = func if func is not None else node
    first = target.lineno  # type: ignore[attr-defined]
    last = end_line(target) if func is not None else first
    ctx.add(FactKind.HTTP_ROUTE, f"{method} {suffix}", detail, first, last, first)


def _viewset(ctx: Ctx, cls: ast.ClassDef) -> None:
    methods = {s.name: s for s in cls.body if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)}
    serializer = _class_attr(cls, "serializer_class")
    lookup = ctx.string(_class_attr(cls, "lookup_field")) or "pk"
    extra = {"response_model": last_name(serializer)} if serializer is not None else {}
    actions = [a for base in _bases(cls) for a in _IMPLIED.get(base, ())]
    actions += [name for name in methods if name in _ACTIONS]
    for action in dict.fromkeys(actions):
        method, detail = _ACTIONS[action]
        _part(ctx, cls.name, method, f"<{lookup}>/" if detail else "", methods.get(action), cls, extra)
    for func in methods.values():
        dec = next((d for d in func.decorator_list if isinstance(d, ast.Call) and last_name(d.func) == "action"), None)
        if dec is None:
            continue
        kw = {k.arg: k.value for k in dec.keywords if k.arg}
        verbs = ctx.strings(kw.get("methods")) or ["get"]
        url = ctx.string(kw.get("url_path")) or func.name
        on_one = kw.get("detail")
        suffix = (f"<{lookup}>/" if isinstance(on_one, ast.Constant) and on_one.value else "") + url.strip("/") + "/"
        for verb in verbs:
            # an extra action answers what it builds itself, not the viewset's serializer
            _part(ctx, cls.name, verb.upper(), suffix, func, dec, {})


def _view_class(ctx: Ctx, cls: ast.ClassDef) -> None:
    methods = {s.name: s for s in cls.body if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)}
    verbs = [v.upper() for v in _VERBS if v in methods]
    verbs += [m for base in _bases(cls) for m in _GENERIC_METHODS.get(base, ())]
    for verb in dict.fromkeys(verbs):
        _part(ctx, cls.name, verb, "", methods.get(verb.lower()), cls, {})


def _function_view(ctx: Ctx, func: FuncNode) -> None:
    dec = next((d for d in func.decorator_list if isinstance(d, ast.Call) and last_name(d.func) == "api_view"), None)
    if dec is not None:
        verbs = (ctx.strings(dec.args[0]) if dec.args else None) or ["GET"]
    else:
        # a plain view branches on ``request.method == "POST"``; it renders its page on GET
        verbs = ["GET"]
        for node in ast.walk(func):
            if (
                isinstance(node, ast.Compare)
                and isinstance(node.left, ast.Attribute)
                and node.left.attr == "method"
                and len(node.comparators) == 1
            ):
                verbs += ctx.strings(node.comparators[0]) or [ctx.string(node.comparators[0]) or ""]
        if len(verbs) == 1:
            verbs = ["ANY"]  # nothing says which methods it answers
    for verb in dict.fromkeys(v.upper() for v in verbs if v):
        _part(ctx, func.name, verb, "", func, func, {})


def extract_django_views(ctx: Ctx) -> None:
    """Pending view halves of Django/DRF routes in a module that imports Django or DRF."""
    if not ctx.imported & {"django", "rest_framework"}:
        return
    for cls in ctx.index.classes:
        with ctx.guard("django view", cls):
            bases = _bases(cls)
            if any(b.endswith("ViewSet") or b in _IMPLIED for b in bases):
                _viewset(ctx, cls)
            elif any(b.endswith(("APIView", "View")) for b in bases):
                _view_class(ctx, cls)
    for func in ctx.tree.body:
        if (
            isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef)
            and func.args.args
            and func.args.args[0].arg == "request"
        ):
            with ctx.guard("django view", func):
                _function_view(ctx, func)


def _join(*parts: str) -> str:
    """``_join("/api/", "contracts/")`` -> ``/api/contracts/``: a trailing slash kept from the last part."""
    kept = [p for p in parts if p.strip("/")]
    path = "/" + "/".join(p.strip("/") for p in kept)
    return path + "/" if kept and kept[-1].endswith("/") else path


def link_django_routes(facts: list[Fact]) -> list[Fact]:
    """Join the pending parts of Django routes into full routes (see the module docstring)."""
    parts = [f for f in facts if f.kind is FactKind.HTTP_ROUTE and f.detail_as(HttpRouteDetail).django_part]
    if not parts:
        return facts
    views: dict[str, list[Fact]] = {}
    for f in parts:
        if f.detail_as(HttpRouteDetail).django_part == "view":
            views.setdefault(str(f.detail_as(HttpRouteDetail).view).rpartition(".")[2], []).append(f)
    includes = [f for f in parts if f.detail_as(HttpRouteDetail).django_part == "include"]
    prefix: dict[str, str] = {}
    for _ in range(5):  # URLconfs nest a few levels at most
        for inc in includes:
            parent = prefix.get(str(inc.detail_as(HttpRouteDetail).module), "")
            prefix[str(inc.detail_as(HttpRouteDetail).target)] = _join(parent, str(inc.detail_as(HttpRouteDetail).path))
    out = [f for f in facts if not (f.kind is FactKind.HTTP_ROUTE and f.detail_as(HttpRouteDetail).django_part)]
    joined: list[Fact] = []
    for f in out:
        if (
            f.kind is FactKind.HTTP_ROUTE
            and f.detail_as(HttpRouteDetail).framework == "django"
            and f.detail_as(HttpRouteDetail).url_module
        ):
            mount = prefix.get(str(f.detail_as(HttpRouteDetail).url_module), "")
            path = str(f.detail_as(HttpRouteDetail).path or "")
            base = _join(mount, path) if mount else path  # a re_path regex stays as written
            name = str(f.detail_as(HttpRouteDetail).handler or "").rpartition(".")[2]
            found = [v for v in views.get(name, []) if not v.detail_as(HttpRouteDetail).path]
            if found:
                joined += [_mounted(v, base, [f, *_chain(f, includes)]) for v in found]
                continue
            joined.append(
                f.model_copy(
                    update={
                        "name": f"{f.detail_as(HttpRouteDetail).method} {base}",
                        "detail": f.detail.model_copy(update={"path": base}),
                    }
                )
            )
        else:
            joined.append(f)
    for reg in (f for f in parts if f.detail_as(HttpRouteDetail).django_part == "register"):
        base = (
            _join(prefix.get(str(reg.detail_as(HttpRouteDetail).module), ""), str(reg.detail_as(HttpRouteDetail).path))
            + "/"
        )
        for view in views.get(str(reg.detail_as(HttpRouteDetail).handler).rpartition(".")[2], []):
            joined.append(
                _mounted(view, _join(base, str(view.detail_as(HttpRouteDetail).path)), [reg, *_chain(reg, includes)])
            )
    return joined


def _chain(mount: Fact, includes: list[Fact]) -> list[Fact]:
    """The ``include()`` lines above a URLconf, innermost first: they write the path's prefix."""
    out: list[Fact] = []
    module = str(mount.detail_as(HttpRouteDetail).url_module or mount.detail_as(HttpRouteDetail).module or "")
    while len(out) < 5:
        parent = next((i for i in includes if i.detail_as(HttpRouteDetail).target == module and i not in out), None)
        if parent is None:
            break
        out.append(parent)
        module = str(parent.detail_as(HttpRouteDetail).module or "")
    return out


def _mounted(view: Fact, path: str, mounts: list[Fact]) -> Fact:
    """A view's route at its full path; ``mounts`` are the urls.py lines that wrote the path."""
    lines = [Mount(path=m.source.path, line=m.source.span.start_line, quote=m.source.quote) for m in mounts]
    vias = [via for m in mounts if (via := m.detail_as(HttpRouteDetail).via) is not None]
    specs = template_specs(path)
    # Rebuilt, not copied: the pending part's keys (django_part, view) are not given any more.
    kept = view.detail.model_dump(exclude={"django_part", "view"})
    update = {"path": path, "mounts": [*lines, *vias], "params": [s.name for s in specs], "param_specs": specs}
    detail = HttpRouteDetail.model_validate({**kept, **update})
    return view.model_copy(update={"name": f"{detail.method} {path}", "detail": detail})
