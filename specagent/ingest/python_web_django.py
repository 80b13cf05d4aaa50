"""Django URL patterns (``path``/``re_path``/``url``), ``include()`` prefixes and DRF router
registrations; the views themselves are read by ``python_django_routes``."""

from __future__ import annotations

import ast
import posixpath
from typing import Any

from specagent.ingest.models import FactKind
from specagent.ingest.python_common import (
    Ctx,
    dotted,
    end_line,
    last_name,
    module_name,
    unparse,
)
from specagent.ingest.python_web_common import (
    emit_route,
    params_detail,
)
from specagent.ingest.records import Mount
from specagent.ingest.route_params import template_specs


def _django_part(ctx: Ctx, part: str, node: ast.AST, path: str, detail: dict[str, Any]) -> None:
    """A pending piece of a Django route (an ``include()`` or a router registration), joined by
    ``link_django_routes`` once every file is parsed."""
    detail = {"framework": "django", "method": "ANY", "path": path, "django_part": part, **detail}
    line: int = node.lineno  # type: ignore[attr-defined]
    ctx.add(FactKind.HTTP_ROUTE, f"ANY {path}", {"module": module_name(ctx.path), **detail}, line, end_line(node), line)


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
    via = Mount(path=ctx.path, line=call.lineno, quote=ctx.quote(call.lineno, call.lineno))
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


def django_router_urls(ctx: Ctx) -> None:
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


def django_routes(ctx: Ctx) -> None:
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
            emit_route(
                ctx,
                "django",
                ["ANY"],
                path,
                handler,
                {
                    "request_model": None,
                    "response_model": None,
                    **params_detail(template_specs(route)),
                    "doc": None,
                    # joined with the view module's methods and the include() prefixes repo-wide
                    "url_module": module_name(ctx.path),
                },
                call.lineno,
                end_line(call),
                call.lineno,
            )
