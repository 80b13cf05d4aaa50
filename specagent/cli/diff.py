"""``specagent diff``: what changed between two specs, for pull-request review and CI."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from specagent.cli.app import app
from specagent.cli.output import one_line_errors
from specagent.spec.diff import MARKERS, SpecDiff, diff_specs, render_markdown
from specagent.spec.markdown import SECTION_TITLES
from specagent.spec.reader import read_spec_ref


class Format(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


_STYLE = {"added": "green", "removed": "red", "changed": "yellow", "renumbered": "cyan", "moved": "dim"}


def print_text(diff: SpecDiff, old: str, new: str, console: Console) -> None:
    """``git diff --stat``-like counts per section, then one line per item."""
    if diff.empty:
        console.print(f"no changes between {escape(old)} and {escape(new)}")
        return
    shown = [c for c in diff.counts() if c.total]
    width = max((len(SECTION_TITLES[c.section]) for c in shown), default=0)
    for counts in shown:
        stat = " ".join(f"[{_STYLE[s]}]{MARKERS[s]}{getattr(counts, s)}[/]" for s in MARKERS if getattr(counts, s))
        console.print(f" {SECTION_TITLES[counts.section]:<{width}} | {counts.total:>3} {stat}")
    t = diff.totals()
    console.print(
        f" {len(shown)} section(s): {t.added} added, {t.removed} removed, {t.changed} changed, "
        f"{t.renumbered} renumbered, {t.moved} with moved citations only"
    )
    if diff.meta is not None:
        console.print(f" [dim]prototype: {escape(diff.meta.summary())}[/]")
    if diff.locked_edits:
        ids = ", ".join(c.id for c in diff.locked_edits)
        console.print(f" [bold red]locked items edited or removed:[/] {ids}")
    console.print()
    for change in diff.items:
        flag = "  [bold red]\\[locked item edited][/]" if change.locked else ""
        style = _STYLE[change.status]
        console.print(f"[{style}]{change.marker} {change.id}[/] {escape(change.detail())}{flag}")


@app.command()
@one_line_errors
def diff(
    old: Annotated[
        str,
        typer.Argument(help="The earlier SPEC.md or spec.json, or REV:PATH from git.", show_default=False),
    ],
    new: Annotated[
        str,
        typer.Argument(help="The later SPEC.md or spec.json, or REV:PATH from git.", show_default=False),
    ],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    fail_on_removed: Annotated[
        bool, typer.Option("--fail-on-removed", help="Exit 1 when an item was removed (a CI gate).")
    ] = False,
) -> None:
    """Show what changed between two specs: items added, removed, changed, renumbered, moved.

    Items match by ID, then by what identifies them: kind and name, a route's handler, the lines
    they cite, their wording (a renamed route is one changed item, not one removed and one added).
    Either spec may come from git: `specagent diff origin/main:spec/spec.json spec/spec.json`.
    Marks: + added, - removed, ~ changed, R renumbered, = only its citations moved.
    Exit codes: 0 done, 1 an item was removed (with --fail-on-removed), 2 a spec is unreadable.
    """
    result = diff_specs(read_spec_ref(old), read_spec_ref(new))
    if fmt is Format.json:
        typer.echo(json.dumps(result.to_json(str(old), str(new)), indent=2))
    elif fmt is Format.markdown:
        typer.echo(render_markdown(result, str(old), str(new)), nl=False)
    else:
        # Made per call: the stdout of this moment (a test runner swaps it), colour only on a terminal.
        print_text(result, str(old), str(new), Console(file=sys.stdout, highlight=False, soft_wrap=True))
    if fail_on_removed and result.removed:
        raise typer.Exit(1)
