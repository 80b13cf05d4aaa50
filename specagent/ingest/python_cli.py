"""CLI_COMMAND facts: argparse, click, typer, Django management commands, and bare
``if __name__ == "__main__":`` blocks."""

from __future__ import annotations

import ast
import posixpath
import re
from dataclasses import dataclass, field
from typing import Any

from specagent.ingest.models import FactKind
from specagent.ingest.python_calls import add_setting_env
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
    module_name,
    start_line,
    unparse,
)
from specagent.ingest.python_queues import queue_uses

_CLICK_PACKAGES = ("click", "rich_click", "asyncclick", "cloup")


@dataclass
class _Cmd:
    framework: str
    command: str
    help: str | None
    start: int
    end: int
    quote_line: int
    options: list[dict] = field(default_factory=list)
    name: str | None = None  # the fact name when command is "" (defaults to the program)
    prog: str | None = None  # argparse prog=
    #: a ``__main__`` block's own detail: ``queues`` and ``runs`` (see :func:`_main_block`)
    extra: dict[str, Any] = field(default_factory=dict)


def _option(
    name: str,
    flags: list[str],
    type_: str | None,
    default: Any,
    required: bool,
    help_: str | None,
    choices: list | None,
) -> dict:
    return {
        "name": name,
        "flags": flags,
        "type": type_,
        "default": default,
        "required": required,
        "help": help_,
        "choices": choices,
    }


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def _text(ctx: Ctx, node: ast.AST | None) -> str | None:
    """A help-like string: the literal when known, else the expression text."""
    if node is None:
        return None
    text = ctx.string(node)
    return text if text is not None else unparse(node)


# --------------------------------------------------------------------------------------------
# argparse
# --------------------------------------------------------------------------------------------


@dataclass
class _Subparsers:
    parent: _Cmd


def _argparse_option(ctx: Ctx, call: ast.Call) -> dict | None:
    flags = [s for s in (ctx.string(a) for a in call.args) if s]
    kw = kwargs(call)
    if not flags:
        if not call.args:
            return None
        flags = [unparse(a) for a in call.args]  # dynamic flags: keep their text
    positional = not flags[0].startswith("-")
    action_node = kw.get("action")
    action = ctx.string(action_node) if action_node is not None else "store"
    if action is None and action_node is not None and unparse(action_node).endswith("BooleanOptionalAction"):
        action = "boolean_optional"
        flags = flags + [f"--no-{f[2:]}" for f in flags if f.startswith("--")]
    dest = ctx.string(kw.get("dest")) if "dest" in kw else None
    if dest:
        name = dest
    elif positional:
        name = flags[0]
    else:
        long = next((f for f in flags if f.startswith("--")), flags[0])
        name = long.lstrip("-").replace("-", "_")
    type_ = unparse(kw["type"]) if "type" in kw else None
    default: Any = ctx.value_or_text(kw["default"]) if "default" in kw else None
    if action in ("store_true", "store_false", "boolean_optional"):
        type_ = "bool"
        if "default" not in kw:
            default = action == "store_false"
    elif action == "count":
        type_ = "int"
    elif action in ("store_const", "append_const", "help", "version"):
        type_ = None
    elif type_ is None:
        type_ = "str"
    nargs = literal(kw.get("nargs")) if "nargs" in kw else MISSING
    if (
        nargs in ("+", "*")
        or (isinstance(nargs, int) and nargs > 1)
        or action
        in (
            "append",
            "extend",
        )
    ):
        type_ = f"list[{type_ or 'str'}]"
    if "required" in kw:
        required = literal(kw["required"]) is True
    else:
        required = positional and nargs not in ("?", "*") and "default" not in kw
    choices = ctx.values(kw.get("choices")) if "choices" in kw else None
    if "choices" in kw and choices is None:
        choices = [unparse(kw["choices"])]
    return _option(name, flags, type_, default, required, _text(ctx, kw.get("help")), choices)


def _argparse(ctx: Ctx) -> list[_Cmd]:
    if "argparse" not in ctx.imported:
        return []
    events: list[tuple[tuple[int, int, int], ast.AST]] = [((c.lineno, c.col_offset, 0), c) for c in ctx.index.calls]
    for assign in ctx.index.assigns:
        if isinstance(assign, ast.Assign) and isinstance(assign.value, ast.Call | ast.Name):
            value = assign.value
            key = (value.end_lineno or value.lineno, value.end_col_offset or 0, 1)
            events.append((key, assign))
    events.sort(key=lambda e: e[0])
    objects: dict[int, Any] = {}
    names: dict[str, Any] = {}
    commands: list[_Cmd] = []

    def receiver(node: ast.expr) -> Any:
        if isinstance(node, ast.Call):
            return objects.get(id(node))
        key = dotted(node)
        return names.get(key) if key else None

    for _, node in events:
        with ctx.guard("argparse call", node):
            if isinstance(node, ast.Assign):
                value = node.value
                bound = (
                    objects.get(id(value))
                    if isinstance(value, ast.Call)
                    else names.get(
                        value.id  # type: ignore[attr-defined]
                    )
                )
                for target in node.targets:
                    key = dotted(target)
                    if key is None:
                        continue
                    if bound is None:
                        names.pop(key, None)
                    else:
                        names[key] = bound
                continue
            call = node
            assert isinstance(call, ast.Call)
            if ctx.qual(call.func) == "argparse.ArgumentParser":
                kw = kwargs(call)
                cmd = _Cmd(
                    "argparse",
                    "",
                    _text(ctx, kw.get("description") or kw.get("usage")),
                    call.lineno,
                    end_line(call),
                    call.lineno,
                )
                cmd.prog = ctx.string(kw.get("prog")) if "prog" in kw else None
                cmd.name = cmd.prog
                objects[id(call)] = cmd
                commands.append(cmd)
                continue
            if not isinstance(call.func, ast.Attribute):
                continue
            owner = receiver(call.func.value)
            if owner is None:
                continue
            attr = call.func.attr
            if isinstance(owner, _Cmd):
                if attr == "add_argument":
                    option = _argparse_option(ctx, call)
                    if option is not None:
                        owner.options.append(option)
                        owner.end = max(owner.end, end_line(call))
                elif attr in ("add_argument_group", "add_mutually_exclusive_group"):
                    objects[id(call)] = owner
                elif attr == "add_subparsers":
                    objects[id(call)] = _Subparsers(owner)
                    owner.end = max(owner.end, end_line(call))
            elif isinstance(owner, _Subparsers) and attr == "add_parser":
                kw = kwargs(call)
                sub_name = ctx.string(call.args[0]) if call.args else ctx.string(kw.get("name"))
                if not sub_name:
                    continue
                cmd = _Cmd(
                    "argparse",
                    _join(owner.parent.command, sub_name),
                    _text(ctx, kw.get("help") or kw.get("description")),
                    call.lineno,
                    end_line(call),
                    call.lineno,
                )
                cmd.prog = owner.parent.prog
                objects[id(call)] = cmd
                commands.append(cmd)
    return commands


# --------------------------------------------------------------------------------------------
# Django management commands
# --------------------------------------------------------------------------------------------

# ``<app>/management/commands/<name>.py``: Django runs it as ``python manage.py <name>``.
_MANAGEMENT_COMMAND = re.compile(r"(?:^|/)management/commands/([A-Za-z]\w*)\.py$")
_PARSER_GROUPS = ("add_argument_group", "add_mutually_exclusive_group")


def _django_command(ctx: Ctx) -> list[_Cmd]:
    """The ``class Command(BaseCommand)`` of a management command module, with the options its
    ``add_arguments(self, parser)`` declares (argparse calls on ``parser`` and its groups)."""
    match = _MANAGEMENT_COMMAND.search(ctx.path)
    if match is None:
        return []
    for cls in ctx.index.classes:
        # BaseCommand, LabelCommand, AppCommand, or a project's own command base
        if cls.name != "Command" or not any((last_name(b) or "").endswith("Command") for b in cls.bases):
            continue
        help_node = next(
            (
                s.value
                for s in cls.body
                if isinstance(s, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "help" for t in s.targets)
            ),
            None,
        )
        help_ = _text(ctx, help_node) if help_node is not None else None
        help_ = help_ or docstring(cls) or docstring(ctx.tree, first_line=True)
        cmd = _Cmd("django", match.group(1), help_, start_line(cls), end_line(cls), cls.lineno)
        cmd.prog = "python manage.py"
        for stmt in cls.body:
            if isinstance(stmt, ast.FunctionDef) and stmt.name == "add_arguments" and len(stmt.args.args) >= 2:
                cmd.options = _parser_options(ctx, stmt, stmt.args.args[1].arg)
        return [cmd]
    return []


def _parser_options(ctx: Ctx, func: ast.FunctionDef, parser: str) -> list[dict]:
    """Options added to ``parser`` (or a group made from it) inside ``func``, in source order."""
    receivers = {parser}
    calls = sorted((n for n in ast.walk(func) if isinstance(n, ast.Call)), key=lambda n: (n.lineno, n.col_offset))
    for node in ast.walk(func):
        # group = parser.add_mutually_exclusive_group(): its options are the command's too
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Attribute)
            and node.value.func.attr in _PARSER_GROUPS
        ):
            receivers.update(t.id for t in node.targets if isinstance(t, ast.Name))
    options = []
    for call in calls:
        if not (isinstance(call.func, ast.Attribute) and call.func.attr == "add_argument"):
            continue
        owner = call.func.value
        if isinstance(owner, ast.Call) and isinstance(owner.func, ast.Attribute):
            owner = owner.func.value  # parser.add_argument_group(...).add_argument(...)
        if dotted(owner) in receivers:
            with ctx.guard("management command option", call):
                option = _argparse_option(ctx, call)
                if option is not None:
                    options.append(option)
    return options


# --------------------------------------------------------------------------------------------
# click
# --------------------------------------------------------------------------------------------


@dataclass
class _ClickRec:
    func: str
    own_name: str
    parent: str | None
    is_group: bool
    cmd: _Cmd
    explicit: str | None = None  # the name given to @click.group(...)/@click.command(...)


def _click_type(ctx: Ctx, node: ast.expr) -> tuple[str, list | None]:
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
    mapped = {"INT": "int", "FLOAT": "float", "STRING": "str", "BOOL": "bool", "UUID": "uuid"}
    if name in mapped and "." in unparse(node):
        return mapped[name], None
    return unparse(node), None


def _click_param(ctx: Ctx, call: ast.Call, kind: str) -> tuple[dict, list[str]]:
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
    return _option(name, flags, type_, default, required, _text(ctx, kw.get("help")), choices), envs


def _click_name(func: FuncNode) -> str:
    name = func.name.lower().replace("_", "-")
    left, sep, suffix = name.rpartition("-")
    return left if sep and suffix in ("command", "cmd", "group", "grp") else name


def _click(ctx: Ctx, typer_apps: set[str], envs: list[tuple[str, Any, bool, ast.AST]]) -> list[_Cmd]:
    if not ctx.imported & set(_CLICK_PACKAGES):
        return []
    records: dict[str, _ClickRec] = {}
    order: list[_ClickRec] = []
    for func in ctx.index.funcs:
        if not func.decorator_list:
            continue
        with ctx.guard("click command", func):
            command_dec = None
            options: list[dict] = []
            for dec in func.decorator_list:
                if isinstance(dec, ast.Name) and isinstance(ctx.constants.get(dec.id), ast.Call):
                    dec = ctx.constants[dec.id]  # a reusable option: `shared = click.option(...)`
                target = dec.func if isinstance(dec, ast.Call) else dec
                qual = ctx.qual(target) or ""
                attr = last_name(target) or ""
                is_click = qual.split(".")[0] in _CLICK_PACKAGES
                if attr == "version_option" and is_click:
                    options.append(
                        _option("version", ["--version"], "bool", False, False, "Show the version and exit.", None)
                    )
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
                        envs.append((env, option["default"], False, dec))
            if command_dec is None:
                continue
            dec, parent, is_group = command_dec
            name = _click_name(func)
            help_ = None
            explicit = None
            if isinstance(dec, ast.Call):
                kw = kwargs(dec)
                explicit = ctx.string(dec.args[0]) if dec.args else ctx.string(kw.get("name"))
                name = explicit or name
                help_ = _text(ctx, kw.get("help") or kw.get("short_help"))
            cmd = _Cmd(
                "click",
                "",
                help_ or docstring(func),
                start_line(func),
                end_line(func),
                dec.lineno,
                options,
            )
            rec = _ClickRec(func.name, name, parent, is_group, cmd, explicit)
            records[func.name] = rec
            order.append(rec)
    if not order:
        return []
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

    def path(rec: _ClickRec, depth: int = 0) -> str:
        if rec.parent is None or depth > 10:
            return ""
        parent = records.get(rec.parent)
        if parent is None:
            return rec.own_name  # a group defined in another module
        return _join(path(parent, depth + 1), rec.own_name)

    def program(rec: _ClickRec, depth: int = 0) -> str:
        """The root group's name: what ``--help`` on the whole tool shows as its name."""
        if rec.parent is None or depth > 10:
            return rec.explicit or rec.func
        parent = records.get(rec.parent)
        if parent is None:
            return rec.parent.rsplit(".", 1)[-1]  # a group imported from another module
        return program(parent, depth + 1)

    # `main(prog_name="csvclean")` names the program as click shows it
    prog_names: dict[str, str] = {}
    for call in ctx.index.calls:
        name = dotted(call.func)
        if name in records and "prog_name" in kwargs(call):
            prog = ctx.string(kwargs(call)["prog_name"])
            if prog:
                prog_names.setdefault(name, prog)
    out = []
    for rec in order:
        rec.cmd.command = path(rec)
        rec.cmd.name = rec.cmd.command or rec.func
        root = program(rec)
        rec.cmd.prog = prog_names.get(root, root)
        out.append(rec.cmd)
    return out


# --------------------------------------------------------------------------------------------
# typer
# --------------------------------------------------------------------------------------------


@dataclass
class _TyperApp:
    var: str
    name: str | None
    commands: list[tuple[str, _Cmd]] = field(default_factory=list)
    callback: _Cmd | None = None
    children: list[tuple[str, str]] = field(default_factory=list)  # (var, name)
    help: str | None = None
    node: ast.AST | None = None
    external: bool = False  # imported from another module: its commands are subcommands


def _typer_info(ctx: Ctx, node: ast.AST | None) -> tuple[ast.Call, str] | None:
    if isinstance(node, ast.Call):
        qual = ctx.qual(node.func) or ""
        attr = last_name(node.func)
        if attr in ("Option", "Argument") and (qual.startswith("typer.") or qual == attr):
            return node, attr.lower()
    return None


def _typer_choices(ctx: Ctx, ann: ast.expr, enums: dict[str, list[Any]]) -> list | None:
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
) -> list[dict]:
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
                _option(
                    arg.arg,
                    flags,
                    type_text,
                    default,
                    not has_default,
                    _text(ctx, kw.get("help")),
                    _typer_choices(ctx, type_node, enums) if type_node is not None else None,
                )
            )
            if "envvar" in kw:
                one = ctx.string(kw["envvar"])
                for env in [one] if one else ctx.strings(kw["envvar"]) or []:
                    envs.append((env, default, not has_default, call or arg))
    return options


def _typer(
    ctx: Ctx, enums: dict[str, list[Any]], envs: list[tuple[str, Any, bool, ast.AST]]
) -> tuple[list[_Cmd], set[str]]:
    if "typer" not in ctx.imported:
        return [], set()
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
                        help=_text(ctx, kw.get("help")),
                        node=assign,
                    )
    tops = {f.name: f for f in ctx.tree.body if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)}
    roots: list[_Cmd] = []
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
                    if not ctx.is_imported_name(target.value) or ctx.imported & set(_CLICK_PACKAGES):
                        continue
                    apps[owner] = _TyperApp(owner, None, external=True)
                kw = kwargs(dec) if isinstance(dec, ast.Call) else {}
                options = _typer_params(ctx, func, enums, envs)
                help_ = _text(ctx, kw.get("help") or kw.get("short_help")) or docstring(func)
                cmd = _Cmd("typer", "", help_, start_line(func), end_line(func), dec.lineno, options)
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
    children: set[str] = set()
    for call in ctx.index.calls:
        with ctx.guard("typer call", call):
            qual = ctx.qual(call.func)
            if qual == "typer.run" and call.args:
                target_name = dotted(call.args[0])
                func = tops.get(target_name or "")
                if func is not None:
                    cmd = _Cmd(
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

    out: list[_Cmd] = list(roots)

    def walk(app: _TyperApp, prefix: str, depth: int, program: str | None) -> None:
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
            root = _Cmd("typer", prefix, app.help, node.lineno, end_line(node), node.lineno)
            root.name = app.var
            out.append(root)
        for name, cmd in app.commands:
            cmd.command = _join(prefix, name) if nested else prefix
            out.append(cmd)
        for child, name in app.children:
            walk(apps[child], _join(prefix, name), depth + 1, program)
        for cmd in out[first:]:
            cmd.prog = cmd.prog or program

    for var, app in apps.items():
        if var not in children:
            walk(app, "", 0, app.name)
    for cmd in out:
        if cmd.command:
            cmd.name = cmd.command
    return out, set(apps)


# --------------------------------------------------------------------------------------------
# __main__ blocks
# --------------------------------------------------------------------------------------------


def _is_main_test(test: ast.expr) -> bool:
    if not isinstance(test, ast.Compare) or len(test.ops) != 1:
        return False
    if not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    names = [s for s in sides if isinstance(s, ast.Name) and s.id == "__name__"]
    consts = [s for s in sides if isinstance(s, ast.Constant) and s.value == "__main__"]
    return bool(names and consts)


def _main_statements(ctx: Ctx) -> list[list[ast.stmt]]:
    """The code that runs when the module is the program: each ``if __name__ == "__main__":``
    block, or, in a package's ``__main__.py`` (run by ``python -m pkg``), its top-level
    statements after the imports and definitions."""
    blocks: list[list[ast.stmt]] = [
        [stmt] for stmt in ctx.tree.body if isinstance(stmt, ast.If) and _is_main_test(stmt.test)
    ]
    if blocks or posixpath.basename(ctx.path) != "__main__.py":
        return blocks
    skip = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    body = [
        stmt
        for stmt in ctx.tree.body
        if not isinstance(stmt, skip)
        and not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant))  # docstring
    ]
    return [body] if body else []


def _main_block(ctx: Ctx) -> list[_Cmd]:
    out = []
    for block in _main_statements(ctx):
        first, last = block[0], block[-1]
        options = []
        seen: set[int] = set()
        for sub in ctx.index.subscripts:
            if ctx.qual(sub.value) == "sys.argv" and isinstance(sub.slice, ast.Constant):
                index = sub.slice.value
                if isinstance(index, int) and index >= 1 and index not in seen:
                    seen.add(index)
                    options.append(_option(f"argv[{index}]", [], "str", None, True, None, None))
        options.sort(key=lambda o: o["name"])
        cmd = _Cmd(
            "main", "", docstring(ctx.tree, first_line=True), first.lineno, end_line(last), first.lineno, options
        )
        cmd.extra = {"queues": queue_uses(ctx), "runs": _runs(ctx, block)}
        out.append(cmd)
    return out


def _runs(ctx: Ctx, block: list[ast.stmt]) -> list[str]:
    """What a ``__main__`` block calls that it imported, as absolute dotted names: a block that
    only starts another module's CLI (``from .cli import app; app()``) is that CLI, not a new one."""
    module = module_name(ctx.path)
    # the package a relative import starts from: a package's own __init__ is that package
    package = module if ctx.path.endswith("__init__.py") else module.rpartition(".")[0]
    out: list[str] = []
    for node in (n for stmt in block for n in ast.walk(stmt)):
        if not isinstance(node, ast.Call) or not ctx.is_imported_name(node.func):
            continue
        name = ctx.qual(node.func) or ""
        if name.startswith("."):
            # ``.cli.app`` in ``pkg/__main__.py`` -> ``pkg.cli.app``; each further dot climbs one package
            dots = len(name) - len(name.lstrip("."))
            parts = package.split(".") if package else []
            parts = parts[: max(0, len(parts) - (dots - 1))]
            name = ".".join([*parts, name[dots:]])
        if name and name not in out:
            out.append(name)
    return out


def extract_cli(ctx: Ctx, enums: dict[str, list[Any]]) -> None:
    """CLI_COMMAND facts for every command the file defines, and env vars options read."""
    program = posixpath.basename(ctx.path)
    envs: list[tuple[str, Any, bool, ast.AST]] = []
    commands: list[_Cmd] = []
    with ctx.guard("argparse parsers"):
        commands += _argparse(ctx)
    with ctx.guard("management command"):
        commands += _django_command(ctx)
    typer_apps: set[str] = set()
    with ctx.guard("typer app"):
        typer_cmds, typer_apps = _typer(ctx, enums, envs)
        commands += typer_cmds
    with ctx.guard("click commands"):
        commands += _click(ctx, typer_apps, envs)
    if not commands:
        with ctx.guard("__main__ block"):
            commands += _main_block(ctx)
    commands.sort(key=lambda c: (c.start, c.command))
    for cmd in commands:
        ctx.add(
            FactKind.CLI_COMMAND,
            cmd.command or cmd.name or program,
            {
                "framework": cmd.framework,
                "command": cmd.command,
                "program": cmd.prog or program,
                "help": cmd.help,
                "options": cmd.options,
                **cmd.extra,
            },
            cmd.start,
            cmd.end,
            cmd.quote_line,
        )
    seen: set[str] = set()
    for name, default, required, node in envs:
        if name not in seen:
            seen.add(name)
            add_setting_env(ctx, name, default=default, required=required, node=node)
