"""Flask/Quart route parameters: URL rule converters and what a view reads off ``request``."""

from __future__ import annotations

import ast

from specagent.ingest.python_common import (
    Ctx,
    FuncNode,
    kwargs,
    unparse,
)
from specagent.ingest.python_web_common import (
    arg_pairs,
    plain_default,
)
from specagent.ingest.records import ParamSpec
from specagent.ingest.route_params import CONVERTER_TYPES, FLASK_RULE, dedupe, param_spec

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


def _flask_reads(ctx: Ctx, func: FuncNode) -> list[ParamSpec]:
    """``request.args.get("q", 10, type=int)``, ``request.headers["X-Key"]``, ... in a view."""
    out: list[ParamSpec] = []
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
            has_default, default = plain_default(ctx, default_node)
            if "type" in kw:
                type_ = unparse(kw["type"])
            if node.func.attr == "getlist":  # type: ignore[attr-defined]
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


def flask_specs(ctx: Ctx, func: FuncNode | None, path: str) -> list[ParamSpec]:
    """Flask/Quart: view arguments (from the URL rule), then what the view reads off ``request``."""
    converters = {name: conv for conv, name in FLASK_RULE.findall(path)}
    specs: list[ParamSpec] = []
    if func is not None:
        for arg, default in arg_pairs(func):
            if arg.arg in ("self", "cls"):
                continue
            conv = converters.get(arg.arg) or "string"
            type_ = unparse(arg.annotation) if arg.annotation is not None else CONVERTER_TYPES.get(conv, conv)
            has_default, value = plain_default(ctx, default)
            specs.append(param_spec(arg.arg, "path", type_, not has_default, value))
    taken = {s.name for s in specs}
    for name, conv in converters.items():
        if name not in taken:
            specs.append(param_spec(name, "path", CONVERTER_TYPES.get(conv or "string", conv), True, None))
    if func is not None:
        with ctx.guard("flask request reads", func):
            specs.extend(_flask_reads(ctx, func))
    return dedupe(specs)
