"""click command and group decorators (also rich_click, asyncclick, cloup)."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from specagent.ingest.python_cli_common import Cmd, help_text, join_parts, make_option
from specagent.ingest.python_common import (
    MISSING,
    Ctx,
    FuncNode,
    docstring,
    dotted,
    end_line,
    kwargs,
    last_name,
    literal,
    start_line,
    unparse,
)
from specagent.ingest.records import CliOption

CLICK_PACKAGES = ("click", "rich_click", "asyncclick", "cloup")

# --------------------------------------------------------------------------------------------
# click
# --------------------------------------------------------------------------------------------


@dataclass
class _ClickRec:
    func: str
    own_name: str
    parent: str | None
    is_group: bool
    cmd: Cmd
    explicit: str | None = None  # the name given to @click.group(...)/@click.command(...)


#: click's type constants (``click.INT``) and the type each names.
_CLICK_CONSTANT_TYPES = {"INT": "int", "FLOAT": "float", "STRING": "str", "BOOL": "bool", "UUID": "uuid"}


def _click_type(ctx: Ctx, node: ast.expr) -> tuple[str, list[Any] | None]:
    if isinstance(node, ast.Call):
        callee = last_name(node.func) or ""
        if callee == "Choice":
            choices = ctx.values(node.args[0]) if node.args else None
            return "choice", choices
        mapped = {
            "Path": "path",
            "File": "file",
            "IntRange": "int",
            "FloatRange": "float",
            "DateTime": "datetime",
            "Tuple": "tuple",
        }.get(callee)
        if mapped:
            return mapped, None
    name = last_name(node) or ""
    if name in _CLICK_CONSTANT_TYPES and "." in unparse(node):
        return _CLICK_CONSTANT_TYPES[name], None
    return unparse(node), None


def _click_param(ctx: Ctx, call: ast.Call, kind: str) -> tuple[CliOption, list[str]]:
    """(option, env var names) of one ``@click.option``/``@click.argument`` decorator."""
    kw = kwargs(call)
    decls = [s for s in (ctx.string(a) for a in call.args) if s]
    flags: list[str] = []
    idents: list[str] = []
    pair = False
    for decl in decls:
        if decl.startswith("-") and "/" in decl:
            on, off = (part.strip() for part in decl.split("/", 1))
            flags.extend(p for p in (on, off) if p)
            pair = True
        elif decl.startswith("-"):
            flags.append(decl)
        elif decl.isidentifier():
            idents.append(decl)
    if kind == "argument":
        name = idents[0] if idents else (decls[0] if decls else unparse(call))
        flags = []
    elif idents:
        name = idents[0]
    else:
        long = next((f for f in flags if f.startswith("--")), flags[0] if flags else "")
        name = long.lstrip("-").replace("-", "_").lower() or "option"
    if kind == "password":
        name = idents[0] if idents else "password"
        flags = flags or ["--password"]
    choices = None
    default: Any = ctx.value_or_text(kw["default"]) if "default" in kw else None
    if "type" in kw:
        type_, choices = _click_type(ctx, kw["type"])
    elif pair or literal(kw.get("is_flag")) is True:
        type_ = "bool"
        if "default" not in kw:
            default = False
    elif literal(kw.get("count")) is True:
        type_ = "int"
    else:
        value = literal(kw["default"]) if "default" in kw else None
        type_ = type(value).__name__ if isinstance(value, bool | int | float | str) else "str"
    nargs = literal(kw.get("nargs")) if "nargs" in kw else MISSING
    if literal(kw.get("multiple")) is True or nargs == -1 or (isinstance(nargs, int) and nargs > 1):
        type_ = f"list[{type_}]"
    if "required" in kw:
        required = literal(kw["required"]) is True
    else:
        required = kind == "argument" and "default" not in kw and nargs != -1
    envs: list[str] = []
    if "envvar" in kw:
        one = ctx.string(kw["envvar"])
        envs = [one] if one else ctx.strings(kw["envvar"]) or []
    return make_option(name, flags, type_, default, required, help_text(ctx, kw.get("help")), choices), envs


def _click_name(func: FuncNode) -> str:
    name = func.name.lower().replace("_", "-")
    left, sep, suffix = name.rpartition("-")
    return left if sep and suffix in ("command", "cmd", "group", "grp") else name


def click_commands(ctx: Ctx, typer_apps: set[str], envs: list[tuple[str, Any, bool, ast.AST]]) -> list[Cmd]:
    """The file's click commands and groups, named by their path from the root group.

    Decorators on an attribute of an app in ``typer_apps`` are typer's, not click's. Options that
    read an environment variable are appended to ``envs``.
    """
    if not ctx.imported & set(CLICK_PACKAGES):
        return []
    records: dict[str, _ClickRec] = {}
    order: list[_ClickRec] = []
    for func in ctx.index.funcs:
        if not func.decorator_list:
            continue
        with ctx.guard("click command", func):
            rec = _click_record(ctx, func, typer_apps, envs)
            if rec is not None:
                records[func.name] = rec
                order.append(rec)
    if not order:
        return []
    _attach_added(ctx, records)
    prog_names = _prog_names(ctx, records)
    out = []
    for rec in order:
        rec.cmd.command = _path(records, rec)
        rec.cmd.name = rec.cmd.command or rec.func
        root = _program(records, rec)
        rec.cmd.prog = prog_names.get(root, root)
        out.append(rec.cmd)
    return out


def _version_option() -> CliOption:
    return make_option("version", ["--version"], "bool", False, False, "Show the version and exit.", None)


def _click_record(
    ctx: Ctx, func: FuncNode, typer_apps: set[str], envs: list[tuple[str, Any, bool, ast.AST]]
) -> _ClickRec | None:
    """The command or group ``func``'s decorators make, with its options; ``None`` if none."""
    command_dec: tuple[ast.expr, str | None, bool] | None = None
    options: list[CliOption] = []
    for dec in func.decorator_list:
        if isinstance(dec, ast.Name) and isinstance(ctx.constants.get(dec.id), ast.Call):
            dec = ctx.constants[dec.id]  # a reusable option: `shared = click.option(...)`
        target = dec.func if isinstance(dec, ast.Call) else dec
        qual = ctx.qual(target) or ""
        attr = last_name(target) or ""
        is_click = qual.split(".")[0] in CLICK_PACKAGES
        if attr == "version_option" and is_click:
            options.append(_version_option())
            continue
        if attr in ("command", "group") and command_dec is None:
            owner = dotted(target.value) if isinstance(target, ast.Attribute) else None
            if is_click:
                command_dec = (dec, None, attr == "group")
            elif owner and owner not in typer_apps and owner.split(".")[0] not in ("typer",):
                command_dec = (dec, owner, attr == "group")
        elif (
            attr in ("option", "argument", "password_option")
            and (is_click or not ctx.is_imported_name(target))
            and isinstance(dec, ast.Call)
        ):
            kind = {"argument": "argument", "password_option": "password"}.get(attr, "option")
            option, env_names = _click_param(ctx, dec, kind)
            options.append(option)
            for env in env_names:
                envs.append((env, option.default, False, dec))
    if command_dec is None:
        return None
    dec, parent, is_group = command_dec
    name = _click_name(func)
    help_ = None
    explicit = None
    if isinstance(dec, ast.Call):
        kw = kwargs(dec)
        explicit = ctx.string(dec.args[0]) if dec.args else ctx.string(kw.get("name"))
        name = explicit or name
        help_ = help_text(ctx, kw.get("help") or kw.get("short_help"))
    cmd = Cmd("click", "", help_ or docstring(func), start_line(func), end_line(func), dec.lineno, options)
    return _ClickRec(func.name, name, parent, is_group, cmd, explicit)


def _attach_added(ctx: Ctx, records: dict[str, _ClickRec]) -> None:
    """``group.add_command(cmd, "name")``: the command moves under the group, maybe renamed."""
    for call in ctx.index.calls:
        if isinstance(call.func, ast.Attribute) and call.func.attr == "add_command" and call.args:
            with ctx.guard("click add_command", call):
                added = dotted(call.args[0])
                group = dotted(call.func.value)
                if added in records and group:
                    rec = records[added]
                    rec.parent = group
                    kw = kwargs(call)
                    explicit = ctx.string(call.args[1]) if len(call.args) > 1 else ctx.string(kw.get("name"))
                    rec.own_name = explicit or rec.own_name


def _prog_names(ctx: Ctx, records: dict[str, _ClickRec]) -> dict[str, str]:
    """Root command -> the program name a call such as ``main(prog_name=...)`` gives it (click shows it)."""
    prog_names: dict[str, str] = {}
    for call in ctx.index.calls:
        name = dotted(call.func)
        if name in records and "prog_name" in kwargs(call):
            prog = ctx.string(kwargs(call)["prog_name"])
            if prog:
                prog_names.setdefault(name, prog)
    return prog_names


def _path(records: dict[str, _ClickRec], rec: _ClickRec, depth: int = 0) -> str:
    """The command's words below the root group."""
    if rec.parent is None or depth > 10:
        return ""
    parent = records.get(rec.parent)
    if parent is None:
        return rec.own_name  # a group defined in another module
    return join_parts(_path(records, parent, depth + 1), rec.own_name)


def _program(records: dict[str, _ClickRec], rec: _ClickRec, depth: int = 0) -> str:
    """The root group's name: what ``--help`` on the whole tool shows as its name."""
    if rec.parent is None or depth > 10:
        return rec.explicit or rec.func
    parent = records.get(rec.parent)
    if parent is None:
        return rec.parent.rsplit(".", 1)[-1]  # a group imported from another module
    return _program(records, parent, depth + 1)
