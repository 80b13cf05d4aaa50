"""aiohttp routes given by call (``router.add_get``, ``web.post`` in ``add_routes``) and the
parameters their handlers read off ``request``."""

from __future__ import annotations

import ast

from specagent.ingest.python_common import (
    Ctx,
    FuncNode,
    docstring,
    dotted,
    end_line,
    last_name,
    unparse,
)
from specagent.ingest.python_web_common import (
    VERBS,
    WebApp,
    emit_route,
    handler_errors,
    params_detail,
)
from specagent.ingest.records import ParamSpec
from specagent.ingest.route_params import dedupe, param_spec, template_specs

#: ``router.add_get(path, handler)`` and ``web.get(path, handler)`` (aiohttp) -> method
_AIOHTTP_ADDS = {f"add_{verb}": verb.upper() for verb in VERBS}
#: ``request.<attr>`` in aiohttp -> where the client sends the value
_AIOHTTP_SOURCES = {
    "match_info": "path",
    "query": "query",
    "rel_url": "query",
    "headers": "header",
    "cookies": "cookie",
}


def aiohttp_specs(ctx: Ctx, func: FuncNode | None, path: str) -> list[ParamSpec]:
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


def aiohttp_routes(ctx: Ctx, apps: dict[str, WebApp]) -> None:
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
        elif attr in ("route", *VERBS) and (ctx.qual(call.func) or "").startswith("aiohttp."):
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
            errors = handler_errors(ctx, func, [], {}) if func is not None else []
            emit_route(
                ctx,
                "aiohttp",
                ["ANY" if method == "*" else method.upper()],
                path,
                handler,
                {
                    "request_model": None,
                    "response_model": None,
                    **params_detail(aiohttp_specs(ctx, func, path)),
                    "doc": docstring(func) if func is not None else None,
                    "errors": errors,
                },
                call.lineno,
                end_line(call),
                call.lineno,
            )
