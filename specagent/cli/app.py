"""The typer application object; command modules register on it."""

from __future__ import annotations

from typing import Annotated

import typer

from specagent import __version__

app = typer.Typer(
    name="specagent",
    help="Draft a grounded production spec from an AI prototype: every statement cites its lines.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"specagent {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", help="Print the version and exit.", callback=_show_version, is_eager=True)
    ] = False,
) -> None:
    """Draft a grounded production spec from an AI prototype: every statement cites its lines."""


def plural(count: int, noun: str) -> str:
    """``1 file``, ``2 files``; nouns here all take a plain 's'."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
