"""Bare ``if __name__ == "__main__":`` blocks (and a package's ``__main__.py``), and Django
management commands."""

from __future__ import annotations

import ast
import posixpath
import re

from specagent.ingest.python_cli_argparse import argparse_option
from specagent.ingest.python_cli_common import Cmd, help_text, make_option
from specagent.ingest.python_common import (
    Ctx,
    docstring,
    dotted,
    end_line,
    last_name,
    module_name,
    start_line,
)
from specagent.ingest.python_queues import queue_uses
from specagent.ingest.records import CliOption

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


def main_block_commands(ctx: Ctx) -> list[Cmd]:
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
                    options.append(make_option(f"argv[{index}]", [], "str", None, True, None, None))
        options.sort(key=lambda o: o.name)
        cmd = Cmd("main", "", docstring(ctx.tree, first_line=True), first.lineno, end_line(last), first.lineno, options)
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


# --------------------------------------------------------------------------------------------
# Django management commands
# --------------------------------------------------------------------------------------------

# ``<app>/management/commands/<name>.py``: Django runs it as ``python manage.py <name>``.
_MANAGEMENT_COMMAND = re.compile(r"(?:^|/)management/commands/([A-Za-z]\w*)\.py$")
_PARSER_GROUPS = ("add_argument_group", "add_mutually_exclusive_group")


def django_commands(ctx: Ctx) -> list[Cmd]:
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
        help_ = help_text(ctx, help_node) if help_node is not None else None
        help_ = help_ or docstring(cls) or docstring(ctx.tree, first_line=True)
        cmd = Cmd("django", match.group(1), help_, start_line(cls), end_line(cls), cls.lineno)
        cmd.prog = "python manage.py"
        for stmt in cls.body:
            if isinstance(stmt, ast.FunctionDef) and stmt.name == "add_arguments" and len(stmt.args.args) >= 2:
                cmd.options = _parser_options(ctx, stmt, stmt.args.args[1].arg)
        return [cmd]
    return []


def _parser_options(ctx: Ctx, func: ast.FunctionDef, parser: str) -> list[CliOption]:
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
                option = argparse_option(ctx, call)
                if option is not None:
                    options.append(option)
    return options
