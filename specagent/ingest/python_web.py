"""HTTP_ROUTE facts: FastAPI, Flask, Litestar and Django URL patterns."""

from __future__ import annotations

import ast
import posixpath
import re
from dataclasses import dataclass
from typing import Any

from specagent.ingest.models import FactKind
from specagent.ingest.python_common import (
    BUILTIN_NAMES,
    Ctx,
    FuncNode,
    docstring,
    dotted,
    end_line,
    kwargs,
    last_name,
    unparse,
)

_VERBS = ("get", "post", "put", "patch", "delete", "options", "head", "trace")
_ROUTE_ATTRS = frozenset((*_VERBS, "route", "api_route", "websocket"))
_TYPING = frozenset(
    """Any Optional Union List Dict Set FrozenSet Tuple Annotated Literal Sequence Iterable
    Iterator AsyncIterator AsyncGenerator Generator Mapping MutableMapping Callable Type TypeVar
    Awaitable Coroutine ClassVar Final Self NoReturn Never""".split()
)
# Capitalized annotations that are framework plumbing or scalars, never a request body.
_NOT_MODELS = frozenset(
    """Request Response BackgroundTasks WebSocket UploadFile HTTPConnection Session AsyncSession
    Depends Path Query Body Header Cookie Form File Security SecurityScopes State Connection
    HTTPAuthorizationCredentials HTTPBasicCredentials OAuth2PasswordRequestForm Decimal UUID
    Enum IntEnum StrEnum Scope ASGIConnection""".split()
)
_PARAM_MARKERS = frozenset(("Depends", "Security", "Query", "Path", "Header", "Cookie", "Form", "File", "Provide"))
_FLASK_PARAM = re.compile(r"<(?:[^:<>]+:)?([A-Za-z_]\w*)>")
_DJANGO_PARAM = re.compile(r"<(?:[^:<>]+:)?([A-Za-z_]\w*)>|\(\?P<([A-Za-z_]\w*)>")
_LITESTAR_SKIP = frozenset(("self", "cls", "request", "state", "socket", "headers", "cookies", "scope", "data"))


@dataclass
class _App:
    framework: str
    prefix: str


def _join_path(prefix: str, path: str) -> str:
    if not prefix:
        return path or "/"
    if not path:
        return prefix
    return prefix.rstrip("/") + "/" + path.lstrip("/")


def _find_apps(ctx: Ctx) -> dict[str, _App]:
    apps: dict[str, _App] = {}
    for assign in ctx.index.assigns:
        if not (isinstance(assign, ast.Assign) and isinstance(assign.value, ast.Call)):
            continue
        with ctx.guard("web app", assign):
            call = assign.value
            qual = ctx.qual(call.func) or ""
            attr = last_name(call.func) or ""
            top = qual.split(".")[0]
            bare = not ctx.is_imported_name(call.func)
            kw = kwargs(call)
            app = None
            if attr in ("FastAPI", "APIRouter") and (top == "fastapi" or bare):
                prefix = ctx.string(kw.get("prefix")) or "" if attr == "APIRouter" else ""
                app = _App("fastapi", prefix)
            elif attr in ("Flask", "Blueprint", "Quart") and (top in ("flask", "quart") or bare):
                app = _App("flask", ctx.string(kw.get("url_prefix")) or "")
            elif attr in ("Litestar", "Router") and top in ("litestar", "starlite"):
                app = _App("litestar", ctx.string(kw.get("path")) or "")
            if app is None:
                continue
            for target in assign.targets:
                key = dotted(target)
                if key:
                    apps[key] = app
    # mounting a local router under a prefix
    for call in ctx.index.calls:
        if not isinstance(call.func, ast.Attribute) or not call.args:
            continue
        attr = call.func.attr
        if attr not in ("include_router", "register_blueprint"):
            continue
        with ctx.guard("router mount", call):
            child = apps.get(dotted(call.args[0]) or "")
            parent = apps.get(dotted(call.func.value) or "")
            kw = kwargs(call)
            if child is None:
                continue
            if attr == "include_router":
                child.prefix = (parent.prefix if parent else "") + (ctx.string(kw.get("prefix")) or "") + child.prefix
            elif "url_prefix" in kw:
                child.prefix = ctx.string(kw["url_prefix"]) or child.prefix
    return apps


def _names_in(node: ast.AST) -> list[str]:
    out = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            out.append(sub.id)
        elif isinstance(sub, ast.Attribute):
            out.append(sub.attr)
        elif isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            out.append(sub.value)  # forward references: "Item"
    return out


def _model_like(node: ast.AST | None, local_models: set[str], enums: set[str]) -> bool:
    if node is None:
        return False
    for name in _names_in(node):
        if name in local_models:
            return True
        if (
            name[:1].isupper()
            and name.isidentifier()
            and name not in BUILTIN_NAMES
            and name not in _TYPING
            and name not in _NOT_MODELS
            and name not in enums
            and not name.endswith("Response")
        ):
            return True
    return False


def _unwrap(ann: ast.expr | None) -> tuple[ast.expr | None, list[ast.expr]]:
    if isinstance(ann, ast.Subscript) and last_name(ann.value) == "Annotated":
        inner = ann.slice
        if isinstance(inner, ast.Tuple) and inner.elts:
            return inner.elts[0], list(inner.elts[1:])
    return ann, []


def _arg_pairs(func: FuncNode) -> list[tuple[ast.arg, ast.expr | None]]:
    args = func.args
    positional = args.posonlyargs + args.args
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    return list(zip(positional, defaults, strict=False)) + list(zip(args.kwonlyargs, args.kw_defaults, strict=False))


def _fastapi_io(func: FuncNode, path: str, local_models: set[str], enums: set[str]) -> tuple[str | None, list[str]]:
    """(request model, params) of a FastAPI handler."""
    path_params = set(re.findall(r"\{([A-Za-z_]\w*)", path))
    candidates: list[tuple[int, str, ast.arg]] = []
    params: list[str] = []
    for arg, default in _arg_pairs(func):
        if arg.arg in ("self", "cls"):
            continue
        base, meta = _unwrap(arg.annotation)
        markers = {last_name(m.func) for m in meta if isinstance(m, ast.Call)}
        if isinstance(default, ast.Call):
            markers.add(last_name(default.func))
        if markers & {"Depends", "Security"}:
            continue
        base_names = set(_names_in(base)) if base is not None else set()
        if base_names & {
            "Request",
            "Response",
            "BackgroundTasks",
            "WebSocket",
            "Session",
            "AsyncSession",
            "SecurityScopes",
            "HTTPConnection",
        }:
            continue
        if arg.arg not in path_params and not (markers & _PARAM_MARKERS) and _model_like(base, local_models, enums):
            rank = 0 if base_names & local_models else 1
            candidates.append((rank, unparse(base), arg))
            continue
        params.append(arg.arg)
    if not candidates:
        return None, params
    candidates.sort(key=lambda c: c[0])
    chosen = candidates[0]
    params.extend(c[2].arg for c in candidates[1:])
    return chosen[1], params


def _response_model(func: FuncNode, kw: dict[str, ast.expr], local_models: set[str], enums: set[str]) -> str | None:
    if "response_model" in kw:
        node = kw["response_model"]
        if isinstance(node, ast.Constant) and node.value is None:
            return None
        return unparse(node)
    if func.returns is not None and _model_like(func.returns, local_models, enums):
        return unparse(func.returns)
    return None


def _route_path(ctx: Ctx, call: ast.Call) -> str | None:
    kw = kwargs(call)
    node: ast.AST | None = call.args[0] if call.args else kw.get("path") or kw.get("rule")
    if node is None:
        return ""
    if isinstance(node, ast.List | ast.Tuple) and node.elts:
        node = node.elts[0]
    text = ctx.string(node)
    return text if text is not None else "{" + unparse(node) + "}"


def _methods(ctx: Ctx, attr: str, kw: dict[str, ast.expr]) -> list[str]:
    if attr in _VERBS:
        return [attr.upper()]
    if attr == "websocket":
        return ["WEBSOCKET"]
    node = kw.get("methods") or kw.get("http_method")
    if node is None:
        return ["GET"]
    one = ctx.string(node)
    if one:
        return [one.upper()]
    listed = ctx.strings(node)
    if listed:
        return [m.upper() for m in listed]
    values = []
    for elt in getattr(node, "elts", []):
        name = last_name(elt)  # HttpMethod.GET
        if name:
            values.append(name.upper())
    return values or ["GET"]


def _controller_prefix(ctx: Ctx, func: FuncNode) -> str:
    cls = ctx.index.owner.get(id(func))
    if cls is None or not any((last_name(b) or "").endswith("Controller") for b in cls.bases):
        return ""
    for stmt in cls.body:
        if (
            isinstance(stmt, ast.Assign | ast.AnnAssign)
            and isinstance(stmt.targets[0] if isinstance(stmt, ast.Assign) else stmt.target, ast.Name)
            and (stmt.targets[0] if isinstance(stmt, ast.Assign) else stmt.target).id == "path"  # type: ignore[union-attr]
        ):
            return ctx.string(stmt.value) or ""
    return ""


def _emit(
    ctx: Ctx,
    framework: str,
    methods: list[str],
    path: str,
    handler: str,
    detail: dict[str, Any],
    start: int,
    end: int,
    quote: int,
) -> None:
    for method in methods:
        ctx.add(
            FactKind.HTTP_ROUTE,
            f"{method} {path}",
            {"framework": framework, "method": method, "path": path, "handler": handler, **detail},
            start,
            end,
            quote,
        )


def _guess_framework(ctx: Ctx, attr: str, path: str | None) -> str | None:
    """Framework of a route decorator on an object this file did not create (or None)."""
    if not path or not path.startswith("/"):
        return None  # `@cache.get("key")` is no route; every web framework's paths start with /
    if "fastapi" in ctx.imported:
        return "fastapi"
    if ctx.imported & {"flask", "quart"}:
        return "flask"
    if "litestar" in ctx.imported or "starlite" in ctx.imported:
        return None  # litestar handlers are bare functions (@get), not methods of an app
    return "flask" if attr == "route" else "fastapi"


def _decorated_routes(ctx: Ctx, apps: dict[str, _App], local_models: set[str], enums: set[str]) -> None:
    for func in ctx.index.funcs:
        for dec in func.decorator_list:
            if not isinstance(dec, ast.Call):
                continue
            with ctx.guard("route", dec):
                target = dec.func
                attr = last_name(target) or ""
                if attr not in _ROUTE_ATTRS:
                    continue
                kw = kwargs(dec)
                path = _route_path(ctx, dec)
                prefix = ""
                if isinstance(target, ast.Attribute):
                    owner = dotted(target.value) or ""
                    app = apps.get(owner)
                    if app is not None:
                        framework, prefix = app.framework, app.prefix
                    else:
                        guessed = _guess_framework(ctx, attr, path)
                        if guessed is None:
                            continue
                        framework = guessed
                else:
                    qual = ctx.qual(target) or ""
                    if not qual.startswith(("litestar", "starlite")):
                        continue
                    framework = "litestar"
                    prefix = _controller_prefix(ctx, func)
                if framework == "flask" and attr == "api_route":
                    continue
                full = _join_path(prefix, path or "")
                doc = docstring(func) or ctx.string(kw.get("summary") or kw.get("description"))
                if framework == "fastapi":
                    request, params = _fastapi_io(func, full, local_models, enums)
                    response = _response_model(func, kw, local_models, enums)
                elif framework == "litestar":
                    request = None
                    params = []
                    for arg, _default in _arg_pairs(func):
                        if arg.arg == "data" and arg.annotation is not None:
                            request = unparse(_unwrap(arg.annotation)[0])
                        elif arg.arg not in _LITESTAR_SKIP:
                            params.append(arg.arg)
                    response = None
                    if func.returns is not None and unparse(func.returns) != "None":
                        response = unparse(func.returns)
                else:
                    request, response = None, None
                    params = [a.arg for a, _ in _arg_pairs(func) if a.arg not in ("self", "cls")]
                    for name in _FLASK_PARAM.findall(full):
                        if name not in params:
                            params.append(name)
                _emit(
                    ctx,
                    framework,
                    _methods(ctx, attr, kw),
                    full,
                    func.name,
                    {"request_model": request, "response_model": response, "params": params, "doc": doc},
                    dec.lineno,
                    end_line(func),
                    dec.lineno,
                )


def _rule_routes(ctx: Ctx, apps: dict[str, _App]) -> None:
    """``app.add_url_rule(...)`` (Flask) and ``app.add_api_route(...)`` (FastAPI)."""
    tops = {f.name: f for f in ctx.tree.body if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)}
    for call in ctx.index.calls:
        if not isinstance(call.func, ast.Attribute) or call.func.attr not in (
            "add_url_rule",
            "add_api_route",
        ):
            continue
        with ctx.guard("route rule", call):
            app = apps.get(dotted(call.func.value) or "")
            framework = app.framework if app else ("flask" if call.func.attr == "add_url_rule" else "fastapi")
            kw = kwargs(call)
            path = _join_path(app.prefix if app else "", _route_path(ctx, call) or "")
            if call.func.attr == "add_url_rule":
                view = kw.get("view_func") or (call.args[2] if len(call.args) > 2 else None)
            else:
                view = kw.get("endpoint") or (call.args[1] if len(call.args) > 1 else None)
            if view is None or isinstance(view, ast.Starred) or path.startswith("{"):
                continue  # a wrapper passing routes through, not a route
            handler = unparse(view)
            func = tops.get(handler)
            params = [a.arg for a, _ in _arg_pairs(func)] if func is not None else _FLASK_PARAM.findall(path)
            _emit(
                ctx,
                framework,
                _methods(ctx, "route", kw),
                path,
                handler,
                {
                    "request_model": None,
                    "response_model": None,
                    "params": params,
                    "doc": docstring(func) if func is not None else None,
                },
                call.lineno,
                end_line(call),
                call.lineno,
            )


def _django_routes(ctx: Ctx) -> None:
    in_urls = posixpath.basename(ctx.path) == "urls.py"
    if "django" not in ctx.imported and not in_urls:
        return
    for call in ctx.index.calls:
        attr = last_name(call.func)
        if attr not in ("path", "re_path", "url") or len(call.args) < 2:
            continue
        with ctx.guard("django url", call):
            qual = ctx.qual(call.func) or ""
            if qual not in (
                "django.urls.path",
                "django.urls.re_path",
                "django.conf.urls.url",
            ) and not (in_urls and isinstance(call.func, ast.Name)):
                continue
            route = ctx.string(call.args[0])
            if route is None:
                continue
            view = call.args[1]
            if isinstance(view, ast.Call) and last_name(view.func) == "include":
                continue
            handler = unparse(view)
            if handler.endswith(".as_view()"):
                handler = handler[: -len(".as_view()")]
            elif isinstance(view, ast.Call) and last_name(view.func) == "as_view":
                handler = unparse(view.func)[: -len(".as_view")]
            path = route if attr != "path" else "/" + route.lstrip("/")
            params = [a or b for a, b in _DJANGO_PARAM.findall(route)]
            _emit(
                ctx,
                "django",
                ["ANY"],
                path,
                handler,
                {"request_model": None, "response_model": None, "params": params, "doc": None},
                call.lineno,
                end_line(call),
                call.lineno,
            )


def extract_routes(ctx: Ctx, local_models: set[str], enums: set[str]) -> None:
    """HTTP_ROUTE facts, one per method and path."""
    apps = _find_apps(ctx)
    with ctx.guard("routes"):
        _decorated_routes(ctx, apps, local_models, enums)
    with ctx.guard("route rules"):
        _rule_routes(ctx, apps)
    with ctx.guard("django urls"):
        _django_routes(ctx)
