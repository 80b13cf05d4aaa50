"""typer apps, their commands, callbacks and sub-apps."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from specagent.ingest.python_cli_click import CLICK_PACKAGES
from specagent.ingest.python_cli_common import Cmd, help_text, join_parts, make_option
from specagent.ingest.python_common import (
    MISSING,
    Ctx,
    FuncNode,
    docstring,
    dotted,
    end_line,
    is_ellipsis,
    kwargs,
    last_name,
    literal,
    start_line,
    unparse,
)
from specagent.ingest.records import CliOption

# --------------------------------------------------------------------------------------------
# typer
# --------------------------------------------------------------------------------------------


@dataclass
class _TyperApp:
    var: str
    name: str | None
    commands: list[tuple[str, Cmd]] = field(default_factory=list)
    callback: Cmd | None = None
    children: list[tuple[str, str]] = field(default_factory=list)  # (var, name)
    help: str | None = None
    node: ast.stmt | None = None
    external: bool = False  # imported from another module: its commands are subcommands


def _typer_info(ctx: Ctx, node: ast.AST | None) -> tuple[ast.Call, str] | None:
    if isinstance(node, ast.Call):
        qual = ctx.qual(node.func) or ""
        attr = last_name(node.func)
        if attr in ("Option", "Argument") and (qual.startswith("typer.") or qual == attr):
            return node, attr.lower()
    return None


def _typer_choices(ctx: Ctx, ann: ast.expr, enums: dict[str, list[Any]]) -> list[Any] | None:
    if isinstance(ann, ast.Subscript) and last_name(ann.value) == "Literal":
        inner = ann.slice
        elts = inner.elts if isinstance(inner, ast.Tuple) else [inner]
        values = [literal(e) for e in elts]
        return None if any(v is MISSING for v in values) else values
    name = last_name(ann)
    if name in enums:
        return enums[name]
    return None


def _typer_params(
    ctx: Ctx, func: FuncNode, enums: dict[str, list[Any]], envs: list[tuple[str, Any, bool, ast.AST]]
) -> list[CliOption]:
    args = func.args
    positional = args.posonlyargs + args.args
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    pairs = list(zip(positional, defaults, strict=False)) + list(zip(args.kwonlyargs, args.kw_defaults, strict=False))
    options = []
    for arg, default_node in pairs:
        with ctx.guard("typer parameter", arg):
            ann = arg.annotation
            type_node = ann
            info = _typer_info(ctx, default_node)
            annotated = False
            if isinstance(ann, ast.Subscript) and (ctx.qual(ann.value) or "").endswith("Annotated"):
                inner = ann.slice
                if isinstance(inner, ast.Tuple) and inner.elts:
                    type_node = inner.elts[0]
                    for meta in inner.elts[1:]:
                        found = _typer_info(ctx, meta)
                        if found:
                            info, annotated = found, True
            type_text = unparse(type_node) if type_node is not None else None
            if type_text and type_text.split(".")[-1] in ("Context", "CallbackParam"):
                continue
            kind = info[1] if info else ("option" if default_node is not None else "argument")
            call = info[0] if info else None
            kw = kwargs(call) if call is not None else {}
            decls = [s for s in (ctx.string(a) for a in (call.args if call else [])) if s]
            has_default, default = False, None
            if call is not None and not annotated:
                first = call.args[0] if call.args else None
                if first is not None and not (
                    isinstance(first, ast.Constant) and isinstance(first.value, str) and first.value.startswith("-")
                ):
                    decls = decls[1:] if ctx.string(first) else decls
                    has_default = not is_ellipsis(first)
                    default = ctx.value_or_text(first) if has_default else None
                elif "default" in kw:
                    has_default = not is_ellipsis(kw["default"])
                    default = ctx.value_or_text(kw["default"]) if has_default else None
                elif "default_factory" in kw:
                    has_default, default = True, f"{unparse(kw['default_factory'])}()"
            elif default_node is not None:
                has_default = not is_ellipsis(default_node)
                default = ctx.value_or_text(default_node) if has_default else None
            flags: list[str] = []
            is_bool = type_text in ("bool", "Optional[bool]", "bool | None")
            if kind == "option":
                for decl in decls:
                    if "/" in decl:
                        flags.extend(p.strip() for p in decl.split("/", 1) if p.strip())
                    elif decl.startswith("-"):
                        flags.append(decl)
                if not flags:
                    flag = "--" + arg.arg.replace("_", "-")
                    flags = [flag, "--no-" + flag[2:]] if is_bool else [flag]
            options.append(
                make_option(
                    arg.arg,
                    flags,
                    type_text,
                    default,
                    not has_default,
                    help_text(ctx, kw.get("help")),
                    _typer_choices(ctx, type_node, enums) if type_node is not None else None,
                )
            )
            if "envvar" in kw:
                one = ctx.string(kw["envvar"])
                for env in [one] if one else ctx.strings(kw["envvar"]) or []:
                    envs.append((env, default, not has_default, call or arg))
    return options


def typer_commands(
    ctx: Ctx, enums: dict[str, list[Any]], envs: list[tuple[str, Any, bool, ast.AST]]
) -> tuple[list[Cmd], set[str]]:
    """The file's typer commands (apps, callbacks, sub-apps, ``typer.run``) and its app variables.

    Options that read an environment variable are appended to ``envs``.
    """
    if "typer" not in ctx.imported:
        return [], set()
    apps = _typer_apps(ctx)
    _decorated_commands(ctx, apps, enums, envs)
    roots, children = _typer_calls(ctx, apps, enums, envs)
    out: list[Cmd] = list(roots)
    for var, app in apps.items():
        if var not in children:
            _walk(apps, app, "", 0, app.name, out)
    for cmd in out:
        if cmd.command:
            cmd.name = cmd.command
    return out, set(apps)


def _typer_apps(ctx: Ctx) -> dict[str, _TyperApp]:
    """``app = typer.Typer(...)`` assignments, by variable."""
    apps: dict[str, _TyperApp] = {}
    for assign in ctx.index.assigns:
        if (
            isinstance(assign, ast.Assign)
            and isinstance(assign.value, ast.Call)
            and ctx.qual(assign.value.func) == "typer.Typer"
        ):
            for target in assign.targets:
                key = dotted(target)
                if key:
                    kw = kwargs(assign.value)
                    apps[key] = _TyperApp(
                        key,
                        ctx.string(kw.get("name")),
                        help=help_text(ctx, kw.get("help")),
                        node=assign,
                    )
    return apps


def _decorated_commands(
    ctx: Ctx, apps: dict[str, _TyperApp], enums: dict[str, list[Any]], envs: list[tuple[str, Any, bool, ast.AST]]
) -> None:
    """Functions decorated ``@app.command`` or ``@app.callback``, added to their app.

    An app imported from another module becomes an external app of its own.
    """
    for func in ctx.index.funcs:
        for dec in func.decorator_list:
            with ctx.guard("typer command", dec):
                target = dec.func if isinstance(dec, ast.Call) else dec
                if not isinstance(target, ast.Attribute) or target.attr not in ("command", "callback"):
                    continue
                owner = dotted(target.value)
                if owner is None:
                    continue
                if owner not in apps:
                    if not ctx.is_imported_name(target.value) or ctx.imported & set(CLICK_PACKAGES):
                        continue
                    apps[owner] = _TyperApp(owner, None, external=True)
                kw = kwargs(dec) if isinstance(dec, ast.Call) else {}
                options = _typer_params(ctx, func, enums, envs)
                help_ = help_text(ctx, kw.get("help") or kw.get("short_help")) or docstring(func)
                cmd = Cmd("typer", "", help_, start_line(func), end_line(func), dec.lineno, options)
                cmd.name = func.name
                if target.attr == "callback":
                    apps[owner].callback = cmd
                else:
                    explicit = (
                        ctx.string(dec.args[0])
                        if isinstance(dec, ast.Call) and dec.args
                        else ctx.string(kw.get("name"))
                    )
                    apps[owner].commands.append((explicit or func.name.lower().replace("_", "-"), cmd))


def _typer_calls(
    ctx: Ctx, apps: dict[str, _TyperApp], enums: dict[str, list[Any]], envs: list[tuple[str, Any, bool, ast.AST]]
) -> tuple[list[Cmd], set[str]]:
    """Commands run by ``typer.run(func)``, and the apps mounted with ``add_typer`` (children)."""
    tops = {f.name: f for f in ctx.tree.body if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)}
    roots: list[Cmd] = []
    children: set[str] = set()
    for call in ctx.index.calls:
        with ctx.guard("typer call", call):
            qual = ctx.qual(call.func)
            if qual == "typer.run" and call.args:
                target_name = dotted(call.args[0])
                func = tops.get(target_name or "")
                if func is not None:
                    cmd = Cmd(
                        "typer",
                        "",
                        docstring(func),
                        start_line(func),
                        end_line(func),
                        func.lineno,
                        _typer_params(ctx, func, enums, envs),
                    )
                    cmd.name = func.name
                    roots.append(cmd)
            elif isinstance(call.func, ast.Attribute) and call.func.attr == "add_typer" and call.args:
                parent = dotted(call.func.value)
                child = dotted(call.args[0])
                if parent in apps and child in apps:
                    kw = kwargs(call)
                    name = ctx.string(kw.get("name")) or apps[child].name or child
                    apps[parent].children.append((child, name))
                    children.add(child)
    return roots, children


def _walk(
    apps: dict[str, _TyperApp], app: _TyperApp, prefix: str, depth: int, program: str | None, out: list[Cmd]
) -> None:
    """Append ``app``'s commands to ``out`` under ``prefix``, then its sub-apps'."""
    if depth > 10:
        return
    first = len(out)
    nested = app.callback is not None or app.children or len(app.commands) > 1 or prefix or app.external
    if app.callback is not None:
        app.callback.command = prefix
        app.callback.help = app.callback.help or app.help
        out.append(app.callback)
    elif nested and not app.external and app.node is not None:
        # the group itself: what `--help` on it shows
        node = app.node
        root = Cmd("typer", prefix, app.help, node.lineno, end_line(node), node.lineno)
        root.name = app.var
        out.append(root)
    for name, cmd in app.commands:
        cmd.command = join_parts(prefix, name) if nested else prefix
        out.append(cmd)
    for child, name in app.children:
        _walk(apps, apps[child], join_parts(prefix, name), depth + 1, program, out)
    for cmd in out[first:]:
        cmd.prog = cmd.prog or program
