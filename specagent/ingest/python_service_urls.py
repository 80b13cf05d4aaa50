"""Where an HTTP or service call points: URLs resolved from literals, locals, config and env vars."""

from __future__ import annotations

import ast
import re
from typing import Any
from urllib.parse import urlsplit

from specagent.ingest.python_common import (
    Ctx,
    unparse,
)


def _env_reference(ctx: Ctx, node: ast.AST | None, depth: int = 0) -> str | None:
    """``${NAME}`` when the value is read from environment variable NAME with no default."""
    if node is None or depth > 3:
        return None
    if isinstance(node, ast.Name) and node.id in ctx.constants:
        return _env_reference(ctx, ctx.constants[node.id], depth + 1)
    if isinstance(node, ast.Subscript) and ctx.qual(node.value) == "os.environ":
        key = ctx.string(node.slice)
        return f"${{{key}}}" if key else None
    if isinstance(node, ast.Call) and ctx.qual(node.func) in ("os.getenv", "os.environ.get"):
        key = ctx.string(node.args[0]) if node.args else None
        return f"${{{key}}}" if key else None
    return None


#: hosts that mean "this machine": a call there is the app talking to itself (or a test of it)
_LOCAL_HOSTS = frozenset(("localhost", "127.0.0.1", "0.0.0.0", "::1", "testserver"))
#: local ports of well-known servers that are services in their own right, not the app
# A URL read from configuration: ``CONFIG['<key>']``, ``settings.<name>``.
_CONFIG_LOOKUP = re.compile(r"^[A-Za-z_][\w.]*(?:\[[^\[\]()]+\])+$|^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$")
_SERVICE_PORTS = frozenset((1234, 4566, 6333, 6334, 7700, 8108, 8983, 9200, 11434, 19530))


def _local_value(ctx: Ctx, name: str, line: int) -> ast.expr | None:
    """The value last bound to ``name`` before ``line`` inside the function around that line."""
    around: Any = None
    for func in ctx.index.funcs:
        if func.lineno > line:
            break
        if (func.end_lineno or func.lineno) >= line:
            around = func
    if around is None:
        return None
    found: ast.expr | None = None
    for assign in ctx.index.assigns:
        if assign.lineno >= line:
            break
        if assign.lineno < around.lineno or not isinstance(assign, ast.Assign) or len(assign.targets) != 1:
            continue
        target = assign.targets[0]
        if isinstance(target, ast.Name) and target.id == name:
            found = assign.value
    return found


def _url_template(ctx: Ctx, node: ast.AST | None, line: int, depth: int = 0) -> str | None:
    """A URL as text: known parts verbatim, env vars as ``${NAME}``, other parts as ``{expr}``."""
    if node is None or depth > 4:
        return None
    known = ctx.string(node, at=line)
    if known is not None and "{" not in known:
        return known
    env = _env_reference(ctx, node)
    if env:
        return env
    if isinstance(node, ast.Name) and node.id not in ctx.constants:
        local = _local_value(ctx, node.id, line)
        if local is not None:
            return _url_template(ctx, local, line, depth + 1)
    if isinstance(node, ast.Name) and node.id in ctx.constants:
        return _url_template(ctx, ctx.constants[node.id], line, depth + 1)
    parts: list[ast.AST] | None = None
    if isinstance(node, ast.JoinedStr):
        parts = [v.value if isinstance(v, ast.FormattedValue) else v for v in node.values]
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        parts = [node.left, node.right]
    if parts is None:
        return known if known is not None else "{" + unparse(node) + "}"
    out = []
    for part in parts:
        if isinstance(part, ast.Constant) and isinstance(part.value, str):
            out.append(part.value)
        else:
            out.append(_url_template(ctx, part, line, depth + 1) or "{" + unparse(part) + "}")
    return "".join(out)


def http_service(ctx: Ctx, node: ast.AST | None, line: int) -> tuple[str | None, str | None, bool]:
    """(name, endpoint, is_self) of an HTTP call's URL.

    Named by host (``hooks.slack.com``), by the environment variable holding the URL
    (``${<NAME>_URL}``) or by the expression it starts with (``CONFIG['<key>']``);
    a URL on this machine is the app itself unless its port is a well-known server's.
    """
    url = _url_template(ctx, node, line)
    if not url:
        return None, None, False
    if "://" in url and not url.startswith(("{", "$")):
        try:
            parts = urlsplit(url)
            host, port = parts.hostname, parts.port
        except ValueError:
            return None, None, False
        if not host or "{" in host:
            return None, url, False
        name = f"{host}:{port}" if port else host
        return name, url, host in _LOCAL_HOSTS and port not in _SERVICE_PORTS
    lead = re.match(r"^\$\{[^}]+\}|^\{([^{}]+)\}", url)
    if lead is None:
        return None, None, False  # a relative path: where it goes depends on a base URL we cannot see
    if lead.group(1) is None:
        return lead.group(0), url, False  # ${<NAME>_URL}
    if _CONFIG_LOOKUP.match(lead.group(1)):
        return lead.group(1), url, False  # CONFIG['<key>'], settings.<name>
    return None, None, False  # a parameter or a call: says nothing about where it points
