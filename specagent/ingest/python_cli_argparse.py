"""argparse parsers and subparsers: CLI_COMMAND records with their options."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from specagent.ingest.python_cli_common import Cmd, help_text, join_parts, make_option
from specagent.ingest.python_common import (
    MISSING,
    Ctx,
    dotted,
    end_line,
    kwargs,
    literal,
    unparse,
)
from specagent.ingest.records import CliOption

# --------------------------------------------------------------------------------------------
# argparse
# --------------------------------------------------------------------------------------------


@dataclass
class _Subparsers:
    parent: Cmd


def argparse_option(ctx: Ctx, call: ast.Call) -> CliOption | None:
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
    return make_option(name, flags, type_, default, required, help_text(ctx, kw.get("help")), choices)


def argparse_commands(ctx: Ctx) -> list[Cmd]:
    """The file's argparse parsers and sub-parsers, with their arguments, in source order.

    Calls and assignments are replayed in the order they take effect, so a parser is followed
    through the variables it is bound to (``p = sub.add_parser(...)``; ``p.add_argument(...)``).
    """
    if "argparse" not in ctx.imported:
        return []
    events: list[tuple[tuple[int, int, int], ast.AST]] = [((c.lineno, c.col_offset, 0), c) for c in ctx.index.calls]
    for assign in ctx.index.assigns:
        if isinstance(assign, ast.Assign) and isinstance(assign.value, ast.Call | ast.Name):
            # An assignment takes effect after its value: order it by where the value ends.
            assigned = assign.value
            events.append(((assigned.end_lineno or assigned.lineno, assigned.end_col_offset or 0, 1), assign))
    events.sort(key=lambda e: e[0])
    trace = _Trace(ctx)
    for _, node in events:
        with ctx.guard("argparse call", node):
            if isinstance(node, ast.Assign):
                trace.bind(node)
            else:
                assert isinstance(node, ast.Call)
                trace.call(node)
    return trace.commands


class _Trace:
    """What each call and variable holds as the file runs: a parser, a group, sub-parsers."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.objects: dict[int, Any] = {}  # id of a call node -> what it returned
        self.names: dict[str, Any] = {}  # variable -> what it is bound to
        self.commands: list[Cmd] = []

    def _receiver(self, node: ast.expr) -> Any:
        if isinstance(node, ast.Call):
            return self.objects.get(id(node))
        key = dotted(node)
        return self.names.get(key) if key else None

    def bind(self, node: ast.Assign) -> None:
        """``name = <call or name>``: the name now holds what the value holds (or nothing)."""
        value = node.value
        bound = (
            self.objects.get(id(value))
            if isinstance(value, ast.Call)
            else self.names.get(value.id)
            if isinstance(value, ast.Name)
            else None
        )
        for target in node.targets:
            key = dotted(target)
            if key is None:
                continue
            if bound is None:
                self.names.pop(key, None)
            else:
                self.names[key] = bound

    def call(self, call: ast.Call) -> None:
        """A parser made, an argument added, a group or sub-parsers opened, a sub-parser added."""
        ctx = self.ctx
        if ctx.qual(call.func) == "argparse.ArgumentParser":
            kw = kwargs(call)
            help_ = help_text(ctx, kw.get("description") or kw.get("usage"))
            cmd = Cmd("argparse", "", help_, call.lineno, end_line(call), call.lineno)
            cmd.prog = ctx.string(kw.get("prog")) if "prog" in kw else None
            cmd.name = cmd.prog
            self.objects[id(call)] = cmd
            self.commands.append(cmd)
            return
        if not isinstance(call.func, ast.Attribute):
            return
        owner = self._receiver(call.func.value)
        attr = call.func.attr
        if isinstance(owner, Cmd):
            if attr == "add_argument":
                option = argparse_option(ctx, call)
                if option is not None:
                    owner.options.append(option)
                    owner.end = max(owner.end, end_line(call))
            elif attr in ("add_argument_group", "add_mutually_exclusive_group"):
                self.objects[id(call)] = owner
            elif attr == "add_subparsers":
                self.objects[id(call)] = _Subparsers(owner)
                owner.end = max(owner.end, end_line(call))
        elif isinstance(owner, _Subparsers) and attr == "add_parser":
            kw = kwargs(call)
            sub_name = ctx.string(call.args[0]) if call.args else ctx.string(kw.get("name"))
            if not sub_name:
                return
            help_ = help_text(ctx, kw.get("help") or kw.get("description"))
            command = join_parts(owner.parent.command, sub_name)
            cmd = Cmd("argparse", command, help_, call.lineno, end_line(call), call.lineno)
            cmd.prog = owner.parent.prog
            self.objects[id(call)] = cmd
            self.commands.append(cmd)
