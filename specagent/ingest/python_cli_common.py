"""What every CLI finder shares: the :class:`Cmd` record of one command and small helpers
for its options and help text."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from specagent.ingest.python_common import (
    Ctx,
    unparse,
)
from specagent.ingest.records import CliOption


@dataclass
class Cmd:
    framework: str
    command: str
    help: str | None
    start: int
    end: int
    quote_line: int
    options: list[CliOption] = field(default_factory=list)
    name: str | None = None  # the fact name when command is "" (defaults to the program)
    prog: str | None = None  # argparse prog=
    #: a ``__main__`` block's own detail: ``queues`` and ``runs`` (see :func:`main_block_commands`)
    extra: dict[str, Any] = field(default_factory=dict)


def make_option(
    name: str,
    flags: list[str],
    type_: str | None,
    default: Any,
    required: bool,
    help_: str | None,
    choices: list[Any] | None,
) -> CliOption:
    return CliOption(
        name=name, flags=flags, type=type_, default=default, required=required, help=help_, choices=choices
    )


def join_parts(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def help_text(ctx: Ctx, node: ast.AST | None) -> str | None:
    """A help-like string: the literal when known, else the expression text."""
    if node is None:
        return None
    text = ctx.string(node)
    return text if text is not None else unparse(node)
