"""The typer application object; command modules register on it."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="specagent",
    help="Draft a grounded production spec from an AI prototype: every statement cites its lines.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
