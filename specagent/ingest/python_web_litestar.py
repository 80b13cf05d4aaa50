"""Litestar route parameters: ``data`` bodies, ``Parameter`` markers and ``Controller`` paths."""

from __future__ import annotations

import ast

from specagent.ingest.python_common import (
    Ctx,
    FuncNode,
    kwargs,
    last_name,
    literal,
    unparse,
)
from specagent.ingest.python_web_common import (
    arg_pairs,
    is_optional,
    marker_constraints,
    marker_default,
    plain_default,
    unwrap_annotated,
)
from specagent.ingest.records import ParamSpec
from specagent.ingest.route_params import CONVERTER_TYPES, PATH_TEMPLATE, dedupe, param_spec

_LITESTAR_SKIP = frozenset(("self", "cls", "request", "state", "socket", "headers", "cookies", "scope", "data"))


def litestar_specs(ctx: Ctx, func: FuncNode, path: str) -> tuple[str | None, list[ParamSpec]]:
    """(request model, param specs) of a Litestar handler: ``data`` is the body, the rest are params."""
    templates = {name: conv for name, conv in PATH_TEMPLATE.findall(path)}
    request = None
    specs: list[ParamSpec] = []
    for arg, default in arg_pairs(func):
        base, meta = unwrap_annotated(arg.annotation)
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
            has_default, value = marker_default(ctx, marker, positional=False)
        else:
            has_default, value = plain_default(ctx, default)
        explicit = literal(mkw.get("required")) if "required" in mkw else None
        if location == "path":
            required = True
        elif isinstance(explicit, bool):
            required = explicit
        else:
            required = not has_default and not is_optional(base)
        type_ = unparse(base) if base is not None else None
        if type_ is None and location == "path":
            type_ = CONVERTER_TYPES.get(templates[arg.arg] or "", templates[arg.arg] or None)
        specs.append(param_spec(name, location, type_, required, value, marker_constraints(ctx, marker)))
    return request, dedupe(specs)


def controller_prefix(ctx: Ctx, func: FuncNode) -> str:
    cls = ctx.index.owner.get(id(func))
    if cls is None or not any((last_name(b) or "").endswith("Controller") for b in cls.bases):
        return ""
    for stmt in cls.body:
        if (
            isinstance(stmt, ast.Assign | ast.AnnAssign)
            and isinstance(stmt.targets[0] if isinstance(stmt, ast.Assign) else stmt.target, ast.Name)
            and (stmt.targets[0] if isinstance(stmt, ast.Assign) else stmt.target).id == "path"  # type: ignore[attr-defined]
        ):
            return ctx.string(stmt.value) or ""
    return ""
