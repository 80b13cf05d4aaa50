"""HTTP_ROUTE facts: FastAPI, Flask, Litestar, aiohttp and Django URL patterns.

This module finds the apps and routers a file makes and the routes declared on them;
framework-specific parts live in ``python_web_fastapi``, ``python_web_flask``,
``python_web_litestar``, ``python_web_aiohttp`` and ``python_web_django``, and what they all
share in ``python_web_common``."""

from __future__ import annotations

import ast

from specagent.ingest.python_common import (
    Ctx,
    docstring,
    dotted,
    end_line,
    kwargs,
    last_name,
    unparse,
)
from specagent.ingest.python_django_routes import extract_django_views
from specagent.ingest.python_web_aiohttp import aiohttp_routes, aiohttp_specs
from specagent.ingest.python_web_common import (
    VERBS,
    WebApp,
    emit_route,
    handler_errors,
    join_path,
    listed,
    params_detail,
)
from specagent.ingest.python_web_django import django_router_urls, django_routes
from specagent.ingest.python_web_fastapi import FastapiParams, response_model_of
from specagent.ingest.python_web_flask import flask_specs
from specagent.ingest.python_web_litestar import controller_prefix, litestar_specs
from specagent.ingest.route_params import template_specs

_ROUTE_ATTRS = frozenset((*VERBS, "route", "api_route", "websocket"))


def _find_apps(ctx: Ctx) -> dict[str, WebApp]:
    apps: dict[str, WebApp] = {}
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
                app = WebApp("fastapi", prefix, listed(kw.get("dependencies")))
            elif attr in ("Flask", "Blueprint", "Quart") and (top in ("flask", "quart") or bare):
                app = WebApp("flask", ctx.string(kw.get("url_prefix")) or "")
            elif attr in ("Litestar", "Router") and top in ("litestar", "starlite"):
                app = WebApp("litestar", ctx.string(kw.get("path")) or "")
            elif attr in ("RouteTableDef", "Application") and top == "aiohttp":
                app = WebApp("aiohttp", "")
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
                    (parent.dependencies if parent else []) + listed(kw.get("dependencies")) + child.dependencies
                )
            elif "url_prefix" in kw:
                child.prefix = ctx.string(kw["url_prefix"]) or child.prefix
    return apps


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
    if attr in VERBS:
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


def _decorated_routes(ctx: Ctx, apps: dict[str, WebApp], params: FastapiParams) -> None:
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
                    prefix = controller_prefix(ctx, func)
                if framework == "flask" and attr == "api_route":
                    continue
                full = join_path(prefix, path or "")
                doc = docstring(func) or ctx.string(kw.get("summary") or kw.get("description"))
                response = None
                if framework == "fastapi":
                    request, specs = params.handler(func, full, [*dependencies, *listed(kw.get("dependencies"))])
                    response = response_model_of(func, kw, params.local_models, params.enums)
                elif framework == "litestar":
                    request, specs = litestar_specs(ctx, func, full)
                    if func.returns is not None and unparse(func.returns) != "None":
                        response = unparse(func.returns)
                elif framework == "aiohttp":
                    request, specs = None, aiohttp_specs(ctx, func, full)
                else:
                    request, specs = None, flask_specs(ctx, func, full)
                errors = handler_errors(ctx, func, [*dependencies, *listed(kw.get("dependencies"))], kw)
                emit_route(
                    ctx,
                    framework,
                    _methods(ctx, attr, kw),
                    full,
                    func.name,
                    {
                        "request_model": request,
                        "response_model": response,
                        **params_detail(specs),
                        "doc": doc,
                        "errors": errors,
                    },
                    dec.lineno,
                    end_line(func),
                    dec.lineno,
                )


def _rule_routes(ctx: Ctx, apps: dict[str, WebApp], params: FastapiParams) -> None:
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
            path = join_path(app.prefix if app else "", _route_path(ctx, call) or "")
            if call.func.attr == "add_url_rule":
                view = kw.get("view_func") or (call.args[2] if len(call.args) > 2 else None)
            else:
                view = kw.get("endpoint") or (call.args[1] if len(call.args) > 1 else None)
            if view is None or isinstance(view, ast.Starred) or path.startswith("{"):
                continue  # a wrapper passing routes through, not a route
            handler = unparse(view)
            func = tops.get(handler)
            request = response = None
            deps = [*(app.dependencies if app else []), *listed(kw.get("dependencies"))]
            errors = handler_errors(ctx, func, deps, kw) if func is not None else []
            if func is None:
                specs = template_specs(path)
            elif framework == "fastapi":
                request, specs = params.handler(func, path, deps)
                response = response_model_of(func, kw, params.local_models, params.enums)
            else:
                specs = flask_specs(ctx, func, path)
            emit_route(
                ctx,
                framework,
                _methods(ctx, "route", kw),
                path,
                handler,
                {
                    "request_model": request,
                    "response_model": response,
                    **params_detail(specs),
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
    params = FastapiParams.create(ctx, local_models, enums)
    with ctx.guard("routes"):
        _decorated_routes(ctx, apps, params)
    with ctx.guard("route rules"):
        _rule_routes(ctx, apps, params)
    with ctx.guard("aiohttp routes"):
        aiohttp_routes(ctx, apps)
    with ctx.guard("django urls"):
        django_routes(ctx)
        if "rest_framework" in ctx.imported:
            django_router_urls(ctx)
    with ctx.guard("django views"):
        extract_django_views(ctx)
