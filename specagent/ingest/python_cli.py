"""CLI_COMMAND facts: argparse, click, typer, Django management commands, and bare
``if __name__ == "__main__":`` blocks."""

from __future__ import annotations

import ast
import posixpath
from typing import Any

from specagent.ingest.models import FactKind
from specagent.ingest.python_calls import add_setting_env
from specagent.ingest.python_cli_argparse import argparse_commands
from specagent.ingest.python_cli_click import click_commands
from specagent.ingest.python_cli_common import Cmd
from specagent.ingest.python_cli_main import django_commands, main_block_commands
from specagent.ingest.python_cli_typer import typer_commands
from specagent.ingest.python_common import Ctx


def extract_cli(ctx: Ctx, enums: dict[str, list[Any]]) -> None:
    """CLI_COMMAND facts for every command the file defines, and env vars options read."""
    program = posixpath.basename(ctx.path)
    envs: list[tuple[str, Any, bool, ast.AST]] = []
    commands: list[Cmd] = []
    with ctx.guard("argparse parsers"):
        commands += argparse_commands(ctx)
    with ctx.guard("management command"):
        commands += django_commands(ctx)
    typer_apps: set[str] = set()
    with ctx.guard("typer app"):
        typer_cmds, typer_apps = typer_commands(ctx, enums, envs)
        commands += typer_cmds
    with ctx.guard("click commands"):
        commands += click_commands(ctx, typer_apps, envs)
    if not commands:
        with ctx.guard("__main__ block"):
            commands += main_block_commands(ctx)
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
