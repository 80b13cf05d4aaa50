"""ENV_VAR facts: environment variables read through ``os.environ``, ``os.getenv`` and settings."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from specagent.ingest.models import FactKind
from specagent.ingest.python_common import (
    SECRET_RE,
    Ctx,
    kwargs,
)

# --------------------------------------------------------------------------------------------
# environment variables
# --------------------------------------------------------------------------------------------


@dataclass
class _EnvRead:
    name: str
    accessor: str
    default: Any
    has_default: bool
    node: ast.AST
    #: the read raises when the variable is unset (``os.environ["X"]``); ``os.getenv`` does not
    strict: bool = False


def _env_key(ctx: Ctx, node: ast.AST | None) -> str | None:
    key = ctx.string(node)
    if key and "{" not in key and key.strip() == key:
        return key
    return None


def _env_reads(ctx: Ctx) -> list[_EnvRead]:
    reads: list[_EnvRead] = []
    for sub in ctx.index.subscripts:
        if not isinstance(sub.ctx, ast.Load):
            continue
        with ctx.guard("environment read", sub):
            if ctx.qual(sub.value) != "os.environ":
                continue
            key = _env_key(ctx, sub.slice)
            if key:
                reads.append(_EnvRead(key, "os.environ", None, False, sub, strict=True))
    for call in ctx.index.calls:
        with ctx.guard("environment read", call):
            name = ctx.qual(call.func)
            if name not in (
                "os.getenv",
                "os.environ.get",
                "os.environ.setdefault",
                "os.environ.pop",
                "decouple.config",
            ):
                continue
            kw = kwargs(call)
            key_node = call.args[0] if call.args else kw.get("key")
            key = _env_key(ctx, key_node)
            if not key:
                continue
            default_node = call.args[1] if len(call.args) > 1 else kw.get("default")
            accessor = {"os.getenv": "os.getenv", "decouple.config": "dotenv"}.get(name, "os.environ")
            default = ctx.value_or_text(default_node) if default_node is not None else None
            # getenv/environ.get give None when unset; a subscript, pop() or decouple raise
            strict = default_node is None and name in ("os.environ.pop", "decouple.config")
            reads.append(_EnvRead(key, accessor, default, default_node is not None, call, strict))
    return reads


def extract_env_vars(ctx: Ctx) -> None:
    """One ENV_VAR per variable name, first read cited.

    ``required`` when some read fails without it (``os.environ["X"]``); ``os.getenv("X")`` with
    no default tolerates absence, so on its own it is not required.
    """
    by_name: dict[str, list[_EnvRead]] = {}
    for read in sorted(_env_reads(ctx), key=lambda r: (r.node.lineno, r.node.col_offset)):  # type: ignore[attr-defined]
        by_name.setdefault(read.name, []).append(read)
    for name, reads in by_name.items():
        first = reads[0]
        with_default = next((r for r in reads if r.has_default), None)
        ctx.add_node(
            FactKind.ENV_VAR,
            name,
            {
                "accessor": first.accessor,
                "default": with_default.default if with_default else None,
                "required": any(r.strict for r in reads),
                "is_secret": bool(SECRET_RE.search(name)),
            },
            first.node,
        )


def add_setting_env(
    ctx: Ctx,
    name: str,
    *,
    default: Any,
    required: bool,
    node: ast.AST,
    secret: bool = False,
) -> None:
    """An ENV_VAR read through a settings mechanism (pydantic-settings, click/typer envvar)."""
    ctx.add_node(
        FactKind.ENV_VAR,
        name,
        {
            "accessor": "settings",
            "default": default,
            "required": required,
            "is_secret": secret or bool(SECRET_RE.search(name)),
        },
        node,
    )
