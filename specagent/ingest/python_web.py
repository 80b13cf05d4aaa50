"""HTTP_ROUTE facts: FastAPI, Flask, Litestar, aiohttp and Django URL patterns."""

from __future__ import annotations

import ast
import posixpath
import re
from dataclasses import dataclass, field
from typing import Any

from specagent.ingest.models import FactKind
from specagent.ingest.python_common import (
    BUILTIN_NAMES,
    Ctx,
    FuncNode,
    docstring,
    dotted,
    end_line,
    is_ellipsis,
    kwargs,
    last_name,
    literal,
    module_name,
    unparse,
)
from specagent.ingest.python_django_routes import extract_django_views
from specagent.ingest.python_route_errors import route_errors
from specagent.ingest.route_params import CONVERTER_TYPES, FLASK_RULE, PATH_TEMPLATE, dedupe, param_spec, template_specs

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
_LITESTAR_SKIP = frozenset(("self", "cls", "request", "state", "socket", "headers", "cookies", "scope", "data"))


@dataclass
class _App:
    framework: str
    prefix: str
    #: ``dependencies=[Depends(f)]`` given to the app, router or ``include_router``
    dependencies: list[ast.expr] = field(default_factory=list)


def _join_path(prefix: str, path: str) -> str:
    if not prefix:
        return path or "/"
    if not path:
        return prefix
    return prefix.rstrip("/") + "/" + path.lstrip("/")


def _listed(node: ast.expr | None) -> list[ast.expr]:
    """The elements of a literal list/tuple (``dependencies=[Depends(a), Depends(b)]``)."""
    return list(node.elts) if isinstance(node, ast.List | ast.Tuple) else []


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
                app = _App("fastapi", prefix, _listed(kw.get("dependencies")))
            elif attr in ("Flask", "Blueprint", "Quart") and (top in ("flask", "quart") or bare):
                app = _App("flask", ctx.string(kw.get("url_prefix")) or "")
            elif attr in ("Litestar", "Router") and top in ("litestar", "starlite"):
                app = _App("litestar", ctx.string(kw.get("path")) or "")
            elif attr in ("RouteTableDef", "Application") and top == "aiohttp":
                app = _App("aiohttp", "")
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
                child.dependencies = (
                    (parent.dependencies if parent else []) + _listed(kw.get("dependencies")) + child.dependencies
                )
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


# --------------------------------------------------------------------------------------------
# parameters
# --------------------------------------------------------------------------------------------

#: FastAPI parameter marker -> where the client sends the value
_MARKER_LOCATION = {
    "Path": "path",
    "Query": "query",
    "Header": "header",
    "Cookie": "cookie",
    "Body": "body",
    "Form": "body",
    "File": "body",
}
# Keyword arguments of Query(...)/Header(...)/Parameter(...) that describe rather than constrain.
_NOT_PARAM_CONSTRAINTS = frozenset(
    """default default_factory alias alias_priority validation_alias serialization_alias title
    description example examples openapi_examples include_in_schema deprecated convert_underscores
    json_schema_extra media_type embed discriminator required query header cookie""".split()
)
# Handler arguments FastAPI fills itself: never request parameters.
_PLUMBING = frozenset(
    """Request Response BackgroundTasks WebSocket Session AsyncSession SecurityScopes
    HTTPConnection""".split()
)
#: ``request.<attr>`` in Flask/Quart -> where the client sends the value
_FLASK_SOURCES = {
    "args": "query",
    "values": "query",
    "form": "body",
    "files": "body",
    "json": "body",
    "headers": "header",
    "cookies": "cookie",
}
_FLASK_REQUEST = frozenset(("flask.request", "quart.request"))
_DEPENDS_DEPTH = 3


def _header_name(arg: str) -> str:
    """FastAPI's header for an argument: ``x_ingest_token`` -> ``X-Ingest-Token``."""
    return "-".join(part.capitalize() for part in arg.split("_") if part) or arg


def _is_optional(ann: ast.expr | None) -> bool:
    text = unparse(ann) if ann is not None else ""
    return "Optional[" in text or "None" in re.split(r"[\s|,\[\]]+", text)


def _marker_constraints(ctx: Ctx, call: ast.Call | None) -> dict[str, Any]:
    if call is None:
        return {}
    return {k: ctx.value_or_text(v) for k, v in kwargs(call).items() if k not in _NOT_PARAM_CONSTRAINTS}


def _marker_default(ctx: Ctx, call: ast.Call, positional: bool) -> tuple[bool, Any]:
    """(has_default, default) given inside a marker: ``Query(50)``, ``Header(default="")``."""
    kw = kwargs(call)
    node = call.args[0] if positional and call.args else kw.get("default")
    if node is None:
        if "default_factory" in kw:
            return True, f"{unparse(kw['default_factory'])}()"
        return False, None
    if is_ellipsis(node):
        return False, None
    return True, ctx.value_or_text(node)


def _plain_default(ctx: Ctx, node: ast.expr | None) -> tuple[bool, Any]:
    if node is None or is_ellipsis(node):
        return False, None
    return True, ctx.value_or_text(node)


@dataclass
class _FastapiParams:
    """Parameter specs of FastAPI handlers, following ``Depends`` into this file's functions."""

    ctx: Ctx
    local_models: set[str]
    enums: set[str]
    #: top-level functions, and classes (by their ``__init__``), a ``Depends`` may name
    callables: dict[str, FuncNode]

    @classmethod
    def create(cls, ctx: Ctx, local_models: set[str], enums: set[str]) -> _FastapiParams:
        callables: dict[str, FuncNode] = {}
        for stmt in ctx.tree.body:
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
                callables.setdefault(stmt.name, stmt)
            elif isinstance(stmt, ast.ClassDef):
                init = next(
                    (s for s in stmt.body if isinstance(s, ast.FunctionDef) and s.name == "__init__"),
                    None,
                )
                if init is not None:
                    callables.setdefault(stmt.name, init)
        return cls(ctx, local_models, enums, callables)

    def _args(
        self, func: FuncNode, path_params: set[str], dependency: str | None
    ) -> tuple[list[dict[str, Any]], list[tuple[int, str, str]], list[ast.Call]]:
        """(specs, request-body model candidates (rank, type, arg), Depends calls) of one function."""
        ctx = self.ctx
        specs: list[dict[str, Any]] = []
        candidates: list[tuple[int, str, str]] = []
        depends: list[ast.Call] = []
        for arg, default in _arg_pairs(func):
            if arg.arg in ("self", "cls"):
                continue
            base, meta = _unwrap(arg.annotation)
            marker: ast.Call | None = None
            annotated = False
            for item in meta:
                if isinstance(item, ast.Call) and last_name(item.func) in (*_MARKER_LOCATION, "Depends", "Security"):
                    marker, annotated = item, True
            if (
                marker is None
                and isinstance(default, ast.Call)
                and last_name(default.func) in (*_MARKER_LOCATION, "Depends", "Security")
            ):
                marker = default
            kind = last_name(marker.func) if marker is not None else None
            if kind in ("Depends", "Security"):
                depends.append(marker)  # type: ignore[arg-type]
                continue
            base_names = set(_names_in(base)) if base is not None else set()
            if base_names & _PLUMBING:
                continue
            if kind is None and arg.arg not in path_params and _model_like(base, self.local_models, self.enums):
                rank = 0 if base_names & self.local_models else 1
                candidates.append((rank, unparse(base), arg.arg))
                continue
            location = _MARKER_LOCATION.get(kind or "") or ("path" if arg.arg in path_params else "query")
            if marker is not None and not annotated:
                has_default, value = _marker_default(ctx, marker, positional=True)
            else:
                has_default, value = _plain_default(ctx, default)
            mkw = kwargs(marker) if marker is not None else {}
            alias = ctx.string(mkw.get("alias") or mkw.get("validation_alias"))
            if alias:
                name = alias
            elif location == "header" and literal(mkw.get("convert_underscores")) is not False:
                name = _header_name(arg.arg)
            else:
                name = arg.arg
            specs.append(
                param_spec(
                    name,
                    location,
                    unparse(base) if base is not None else None,
                    location == "path" or not has_default,
                    value,
                    _marker_constraints(ctx, marker),
                    dependency,
                )
            )
        return specs, candidates, depends

    def _dependency_specs(
        self, calls: list[ast.expr], path_params: set[str], seen: set[str], depth: int
    ) -> list[dict[str, Any]]:
        """Specs of the parameters that dependencies read from the request (FastAPI merges them)."""
        out: list[dict[str, Any]] = []
        if depth > _DEPENDS_DEPTH:
            return out
        for call in calls:
            if not (isinstance(call, ast.Call) and last_name(call.func) in ("Depends", "Security")):
                continue
            target = call.args[0] if call.args else kwargs(call).get("dependency")
            name = dotted(target) if target is not None else None
            func = self.callables.get(name or "")
            if func is None or name in seen:
                continue  # defined elsewhere, a class with no __init__, or already merged
            seen.add(name)  # type: ignore[arg-type]
            with self.ctx.guard("dependency", func):
                specs, _candidates, nested = self._args(func, path_params, name)
                out.extend(specs)
                out.extend(self._dependency_specs(list(nested), path_params, seen, depth + 1))
        return out

    def handler(
        self, func: FuncNode, path: str, dependencies: list[ast.expr]
    ) -> tuple[str | None, list[dict[str, Any]]]:
        """(request model, param specs) of one handler: its arguments, then its dependencies'."""
        templates = {name: conv for name, conv in PATH_TEMPLATE.findall(path)}
        path_params = set(templates)
        specs, candidates, depends = self._args(func, path_params, None)
        request = None
        if candidates:
            candidates.sort(key=lambda c: c[0])
            request = candidates[0][1]
            for _rank, type_, name in candidates[1:]:
                specs.append(param_spec(name, "body", type_, True, None))
        specs.extend(self._dependency_specs([*dependencies, *depends], path_params, set(), 1))
        # a path parameter is in the URL even when only a dependency (or nobody) reads it
        taken = {s["name"] for s in specs if s["location"] == "path"}
        for name, conv in templates.items():
            if name not in taken:
                specs.append(param_spec(name, "path", CONVERTER_TYPES.get(conv) if conv else None, True, None))
        return request, dedupe(specs)


def _flask_reads(ctx: Ctx, func: FuncNode) -> list[dict[str, Any]]:
    """``request.args.get("q", 10, type=int)``, ``request.headers["X-Key"]``, ... in a view."""
    out: list[dict[str, Any]] = []
    nodes = sorted(
        (n for n in ast.walk(func) if isinstance(n, ast.Call | ast.Subscript)),
        key=lambda n: (n.lineno, n.col_offset),
    )
    for node in nodes:
        if isinstance(node, ast.Call):
            if not (isinstance(node.func, ast.Attribute) and node.func.attr in ("get", "getlist") and node.args):
                continue
            holder, key_node, strict = node.func.value, node.args[0], False
        else:
            holder, key_node, strict = node.value, node.slice, True
        source = _flask_source(ctx, holder)
        key = ctx.string(key_node)
        if source is None or not key:
            continue
        location = _FLASK_SOURCES[source]
        has_default, default = False, None
        type_: str | None = None if source == "json" else "str"
        if isinstance(node, ast.Call):
            kw = kwargs(node)
            default_node = node.args[1] if len(node.args) > 1 else kw.get("default")
            has_default, default = _plain_default(ctx, default_node)
            if "type" in kw:
                type_ = unparse(kw["type"])
            if node.func.attr == "getlist":  # type: ignore[union-attr]
                type_ = f"list[{type_ or 'str'}]"
        elif source == "files":
            type_ = "file"
        out.append(param_spec(key, location, type_, strict, default if has_default else None))
    return out


def _flask_source(ctx: Ctx, node: ast.expr) -> str | None:
    """``args`` for ``request.args``; ``json`` for ``request.json`` / ``request.get_json()``."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get_json":
        return "json" if ctx.qual(node.func.value) in _FLASK_REQUEST else None
    if isinstance(node, ast.Attribute) and node.attr in _FLASK_SOURCES and ctx.qual(node.value) in _FLASK_REQUEST:
        return node.attr
    return None


def _flask_specs(ctx: Ctx, func: FuncNode | None, path: str) -> list[dict[str, Any]]:
    """Flask/Quart: view arguments (from the URL rule), then what the view reads off ``request``."""
    converters = {name: conv for conv, name in FLASK_RULE.findall(path)}
    specs: list[dict[str, Any]] = []
    if func is not None:
        for arg, default in _arg_pairs(func):
            if arg.arg in ("self", "cls"):
                continue
            conv = converters.get(arg.arg) or "string"
            type_ = unparse(arg.annotation) if arg.annotation is not None else CONVERTER_TYPES.get(conv, conv)
            has_default, value = _plain_default(ctx, default)
            specs.append(param_spec(arg.arg, "path", type_, not has_default, value))
    taken = {s["name"] for s in specs}
    for name, conv in converters.items():
        if name not in taken:
            specs.append(param_spec(name, "path", CONVERTER_TYPES.get(conv or "string", conv), True, None))
    if func is not None:
        with ctx.guard("flask request reads", func):
            specs.extend(_flask_reads(ctx, func))
    return dedupe(specs)


def _litestar_specs(ctx: Ctx, func: FuncNode, path: str) -> tuple[str | None, list[dict[str, Any]]]:
    """(request model, param specs) of a Litestar handler: ``data`` is the body, the rest are params."""
    templates = {name: conv for name, conv in PATH_TEMPLATE.findall(path)}
    request = None
    specs: list[dict[str, Any]] = []
    for arg, default in _arg_pairs(func):
        base, meta = _unwrap(arg.annotation)
        if arg.arg == "data":
            if arg.annotation is not None:
                request = unparse(base)
            continue
        if arg.arg in _LITESTAR_SKIP:
            continue
        marker = next(
            (m for m in meta if isinstance(m, ast.Call) and last_name(m.func) in ("Parameter", "Dependency", "Body")),
            None,
        )
        annotated = marker is not None
        if marker is None and isinstance(default, ast.Call) and last_name(default.func) in ("Parameter", "Dependency"):
            marker = default
        kind = last_name(marker.func) if marker is not None else None
        if kind == "Dependency":
            continue  # injected by the app, not sent by the client
        mkw = kwargs(marker) if marker is not None else {}
        name, location = arg.arg, "query"
        if arg.arg in templates:
            location = "path"
        elif "header" in mkw:
            name, location = ctx.string(mkw["header"]) or arg.arg, "header"
        elif "cookie" in mkw:
            name, location = ctx.string(mkw["cookie"]) or arg.arg, "cookie"
        elif "query" in mkw:
            name = ctx.string(mkw["query"]) or arg.arg
        if marker is not None and not annotated:
            has_default, value = _marker_default(ctx, marker, positional=False)
        else:
            has_default, value = _plain_default(ctx, default)
        explicit = literal(mkw.get("required")) if "required" in mkw else None
        if location == "path":
            required = True
        elif isinstance(explicit, bool):
            required = explicit
        else:
            required = not has_default and not _is_optional(base)
        type_ = unparse(base) if base is not None else None
        if type_ is None and location == "path":
            type_ = CONVERTER_TYPES.get(templates[arg.arg] or "", templates[arg.arg] or None)
        specs.append(param_spec(name, location, type_, required, value, _marker_constraints(ctx, marker)))
    return request, dedupe(specs)


def _params_detail(specs: list[dict[str, Any]]) -> dict[str, Any]:
    """``params`` (client-facing names, as before) beside the richer ``param_specs``."""
    return {"params": [s["name"] for s in specs], "param_specs": specs}


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
    if "aiohttp" in ctx.imported:
        return "aiohttp"  # ``routes = web.RouteTableDef()`` made in another file
    if "litestar" in ctx.imported or "starlite" in ctx.imported:
        return None  # litestar handlers are bare functions (@get), not methods of an app
    return "flask" if attr == "route" else "fastapi"


def _errors(ctx: Ctx, func: FuncNode, dependencies: list[ast.expr], kw: dict[str, ast.expr]) -> list[dict[str, Any]]:
    """The route's error answers: its handler's, and FastAPI's documented ``responses={404: ...}``."""
    return route_errors(ctx, func, dependencies, kw.get("responses"))


def _decorated_routes(ctx: Ctx, apps: dict[str, _App], params: _FastapiParams) -> None:
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
                dependencies: list[ast.expr] = []
                if isinstance(target, ast.Attribute):
                    owner = dotted(target.value) or ""
                    app = apps.get(owner)
                    if app is not None:
                        framework, prefix, dependencies = app.framework, app.prefix, app.dependencies
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
                response = None
                if framework == "fastapi":
                    request, specs = params.handler(func, full, [*dependencies, *_listed(kw.get("dependencies"))])
                    response = _response_model(func, kw, params.local_models, params.enums)
                elif framework == "litestar":
                    request, specs = _litestar_specs(ctx, func, full)
                    if func.returns is not None and unparse(func.returns) != "None":
                        response = unparse(func.returns)
                elif framework == "aiohttp":
                    request, specs = None, _aiohttp_specs(ctx, func, full)
                else:
                    request, specs = None, _flask_specs(ctx, func, full)
                errors = _errors(ctx, func, [*dependencies, *_listed(kw.get("dependencies"))], kw)
                _emit(
                    ctx,
                    framework,
                    _methods(ctx, attr, kw),
                    full,
                    func.name,
                    {
                        "request_model": request,
                        "response_model": response,
                        **_params_detail(specs),
                        "doc": doc,
                        "errors": errors,
                    },
                    dec.lineno,
                    end_line(func),
                    dec.lineno,
                )


def _rule_routes(ctx: Ctx, apps: dict[str, _App], params: _FastapiParams) -> None:
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
            request = response = None
            deps = [*(app.dependencies if app else []), *_listed(kw.get("dependencies"))]
            errors = _errors(ctx, func, deps, kw) if func is not None else []
            if func is None:
                specs = template_specs(path)
            elif framework == "fastapi":
                request, specs = params.handler(func, path, deps)
                response = _response_model(func, kw, params.local_models, params.enums)
            else:
                specs = _flask_specs(ctx, func, path)
            _emit(
                ctx,
                framework,
                _methods(ctx, "route", kw),
                path,
                handler,
                {
                    "request_model": request,
                    "response_model": response,
                    **_params_detail(specs),
                    "doc": docstring(func) if func is not None else None,
                    "errors": errors,
                },
                call.lineno,
                end_line(call),
                call.lineno,
            )


def _django_part(ctx: Ctx, part: str, node: ast.AST, path: str, detail: dict[str, Any]) -> None:
    """A pending piece of a Django route (an ``include()`` or a router registration), joined by
    ``link_django_routes`` once every file is parsed."""
    detail = {"framework": "django", "method": "ANY", "path": path, "django_part": part, **detail}
    ctx.add(
        FactKind.HTTP_ROUTE,
        f"ANY {path}",
        {"module": module_name(ctx.path), **detail},
        node.lineno,
        end_line(node),
        node.lineno,
    )  # type: ignore[attr-defined]


def _django_include(ctx: Ctx, call: ast.Call, route: str, include: ast.Call) -> None:
    """``path("api/", include("app.urls"))`` or ``include(router.urls)``: a prefix for what it mounts."""
    target = include.args[0] if include.args else None
    if isinstance(target, ast.Tuple) and target.elts:
        target = target.elts[0]  # include(("app.urls", "app"))
    name = ctx.string(target)
    if name:
        _django_part(ctx, "include", call, route, {"target": name})
        return
    router = dotted(target.value) if isinstance(target, ast.Attribute) and target.attr == "urls" else None
    # the path() line writes the prefix: cited beside each registration
    via = {"path": ctx.path, "line": call.lineno, "quote": ctx.quote(call.lineno, call.lineno)}
    for reg in _router_registrations(ctx, router):
        prefix = route.rstrip("/") + "/" + (ctx.string(reg.args[0]) or "")
        _django_part(ctx, "register", reg, prefix, {"handler": unparse(reg.args[1]), "via": via})


def _router_registrations(ctx: Ctx, router: str | None) -> list[ast.Call]:
    """``router.register("contracts", ContractViewSet)`` calls on one router of this file."""
    if not router:
        return []
    return [
        c
        for c in ctx.index.calls
        if isinstance(c.func, ast.Attribute)
        and c.func.attr == "register"
        and dotted(c.func.value) == router
        and len(c.args) >= 2
        and ctx.string(c.args[0]) is not None
    ]


def _django_router_urls(ctx: Ctx) -> None:
    """``urlpatterns += router.urls`` (or ``urlpatterns = router.urls``): the router at the root."""
    for assign in ctx.index.assigns:
        value = assign.value
        if isinstance(value, ast.BinOp):
            value = value.right
        if isinstance(value, ast.Attribute) and value.attr == "urls":
            for reg in _router_registrations(ctx, dotted(value.value)):
                _django_part(ctx, "register", reg, ctx.string(reg.args[0]) or "", {"handler": unparse(reg.args[1])})
    for node in ast.walk(ctx.tree):
        if isinstance(node, ast.AugAssign) and isinstance(node.value, ast.Attribute) and node.value.attr == "urls":
            for reg in _router_registrations(ctx, dotted(node.value.value)):
                _django_part(ctx, "register", reg, ctx.string(reg.args[0]) or "", {"handler": unparse(reg.args[1])})


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
                _django_include(ctx, call, route, view)
                continue
            handler = unparse(view)
            if handler.endswith("site.urls"):  # Django's admin site: the framework's pages, not the product's API
                continue
            if handler.endswith(".as_view()"):
                handler = handler[: -len(".as_view()")]
            elif isinstance(view, ast.Call) and last_name(view.func) == "as_view":
                handler = unparse(view.func)[: -len(".as_view")]
            path = route if attr != "path" else "/" + route.lstrip("/")
            _emit(
                ctx,
                "django",
                ["ANY"],
                path,
                handler,
                {
                    "request_model": None,
                    "response_model": None,
                    **_params_detail(template_specs(route)),
                    "doc": None,
                    # joined with the view module's methods and the include() prefixes repo-wide
                    "url_module": module_name(ctx.path),
                },
                call.lineno,
                end_line(call),
                call.lineno,
            )


#: ``router.add_get(path, handler)`` and ``web.get(path, handler)`` (aiohttp) -> method
_AIOHTTP_ADDS = {f"add_{verb}": verb.upper() for verb in _VERBS}
#: ``request.<attr>`` in aiohttp -> where the client sends the value
_AIOHTTP_SOURCES = {
    "match_info": "path",
    "query": "query",
    "rel_url": "query",
    "headers": "header",
    "cookies": "cookie",
}


def _aiohttp_specs(ctx: Ctx, func: FuncNode | None, path: str) -> list[dict[str, Any]]:
    """Path parameters of the template, then what the handler reads: ``request.match_info["id"]``,
    ``request.query.get("q")``, headers, cookies, and form or multipart fields (``data["f"]`` of
    ``await request.post()``, ``part.name == "image"`` while reading ``request.multipart()``)."""
    specs = template_specs(path)
    if func is None:
        return specs
    args = func.args.posonlyargs + func.args.args
    request = args[-1].arg if args else "request"  # ``(self, request)`` in a class-based view
    reads_body = False
    for node in ast.walk(func):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("post", "multipart")
        ):
            reads_body = True
    for node in ast.walk(func):
        name, location = None, None
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute):
            location = _AIOHTTP_SOURCES.get(node.value.attr) if dotted(node.value.value) == request else None
            name = ctx.string(node.slice) if location else None
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("get", "getone", "getall")
            and isinstance(node.func.value, ast.Attribute)
            and node.args
        ):
            owner = dotted(node.func.value.value)
            location = _AIOHTTP_SOURCES.get(node.func.value.attr) if owner == request else None
            name = ctx.string(node.args[0]) if location else None
        elif (
            reads_body
            and isinstance(node, ast.Compare)
            and isinstance(node.left, ast.Attribute)
            and node.left.attr in ("name", "filename")
            and len(node.comparators) == 1
        ):
            # a multipart loop picks its fields by name: ``if part.name == "image":``
            name, location = ctx.string(node.comparators[0]), "body"
        if name and location:
            specs.append(param_spec(name, location, None, False, None))
    return dedupe(specs)


def _aiohttp_routes(ctx: Ctx, apps: dict[str, _App]) -> None:
    """aiohttp routes given by call: ``app.router.add_get("/health", health)``,
    ``router.add_route("POST", "/x", h)``, ``app.add_routes([web.post("/predict", predict)])``."""
    if "aiohttp" not in ctx.imported:
        return
    tops = {f.name: f for f in ctx.tree.body if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)}
    for call in ctx.index.calls:
        attr = last_name(call.func) or ""
        args = list(call.args)
        if attr == "add_route" and len(args) >= 3:
            method = ctx.string(args[0])
            args = args[1:]
        elif attr in _AIOHTTP_ADDS and isinstance(call.func, ast.Attribute):
            method = _AIOHTTP_ADDS[attr]
        elif attr in ("route", *_VERBS) and (ctx.qual(call.func) or "").startswith("aiohttp."):
            # ``web.get("/h", h)`` / ``web.route("POST", "/x", h)`` inside ``add_routes([...])``
            if attr == "route":
                method = ctx.string(args[0]) if args else None
                args = args[1:]
            else:
                method = attr.upper()
        else:
            continue
        if method is None or len(args) < 2:
            continue
        with ctx.guard("aiohttp route", call):
            path = ctx.string(args[0])
            if not path or not path.startswith("/"):
                continue
            handler = unparse(args[1])
            func = tops.get(handler)
            errors = _errors(ctx, func, [], {}) if func is not None else []
            _emit(
                ctx,
                "aiohttp",
                ["ANY" if method == "*" else method.upper()],
                path,
                handler,
                {
                    "request_model": None,
                    "response_model": None,
                    **_params_detail(_aiohttp_specs(ctx, func, path)),
                    "doc": docstring(func) if func is not None else None,
                    "errors": errors,
                },
                call.lineno,
                end_line(call),
                call.lineno,
            )


def extract_routes(ctx: Ctx, local_models: set[str], enums: set[str]) -> None:
    """HTTP_ROUTE facts, one per method and path."""
    apps = _find_apps(ctx)
    params = _FastapiParams.create(ctx, local_models, enums)
    with ctx.guard("routes"):
        _decorated_routes(ctx, apps, params)
    with ctx.guard("route rules"):
        _rule_routes(ctx, apps, params)
    with ctx.guard("aiohttp routes"):
        _aiohttp_routes(ctx, apps)
    with ctx.guard("django urls"):
        _django_routes(ctx)
        if "rest_framework" in ctx.imported:
            _django_router_urls(ctx)
    with ctx.guard("django views"):
        extract_django_views(ctx)
