"""``specagent drift``: has the code moved away from its spec? A CI gate that calls no model."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from specagent.cli.app import app, plural
from specagent.cli.check import _gh_data, _gh_property
from specagent.cli.output import EventPrinter, err_console, one_line_errors
from specagent.config import load_settings
from specagent.errors import UsageError
from specagent.pipeline.drift import DEFAULT_FAIL_ON, KINDS, DriftReport, accept, detect_drift, fix_moved


class Format(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    markdown = "markdown"


_MARK = {"changed": "~", "moved": "=", "vanished": "-", "unstated": "+"}


def _who(f: object) -> str:
    item_id = getattr(f, "item_id", None)
    return f"{item_id} " if item_id else ""


def render_text(report: DriftReport, fail_on: tuple[str, ...]) -> list[str]:
    """One line per finding, then a summary line."""
    lines = []
    for f in report.findings:
        tail = " (accepted)" if f.accepted else ""
        lines.append(f"{_MARK[f.kind]} {f.kind:<8} {_who(f)}{f.message}{tail}")
    counts = report.counts()
    summary = ", ".join(f"{counts[k]} {k}" for k in KINDS if counts[k])
    if counts["accepted"]:
        summary += f"{', ' if summary else ''}{counts['accepted']} accepted"
    verdict = "drift" if report.failing(fail_on) else "no drift"
    fixed = f"; fixed {plural(report.fixed, 'moved citation')}" if report.fixed else ""
    lines.append(f"{verdict}: {plural(report.citations, 'citation')} checked; {summary or 'nothing found'}{fixed}")
    return lines


def render_markdown(report: DriftReport, fail_on: tuple[str, ...]) -> str:
    """A pull-request comment section: a verdict line and a table of findings."""
    failing = report.failing(fail_on)
    head = "### specagent drift: " + ("code and spec disagree" if failing else "spec matches the code")
    out = [head, "", render_text(report, fail_on)[-1], ""]
    if report.findings:
        out += ["| | item | finding | where |", "|---|---|---|---|"]
        for f in report.findings:
            where = f.location.label() if f.location else ""
            state = f.kind + (" (accepted)" if f.accepted else "")
            message = f.message.replace("|", "\\|").replace("<", "&lt;")
            out.append(f"| {state} | {f.item_id or ''} | {message} | `{where}` |")
        out.append("")
    if any(f.kind == "moved" for f in report.findings if not f.accepted):
        out += ["Moved citations: run `specagent drift --fix` to rewrite them.", ""]
    return "\n".join(out)


def github_annotations(report: DriftReport, fail_on: tuple[str, ...]) -> list[str]:
    """Workflow commands: one annotation per finding, on the code line it concerns."""
    out = []
    for f in report.findings:
        if f.accepted:
            continue
        level = "error" if f.kind in fail_on else "notice"
        props = []
        where = f.location
        if where is not None:
            props.append(f"file={_gh_property(where.path)}")
            if where.cell is None:
                props.append(f"line={where.start_line}")
        props.append(f"title={_gh_property('specagent drift: ' + f.kind)}")
        out.append(f"::{level} {','.join(props)}::{_gh_data(_who(f) + f.message)}")
    return out


def parse_fail_on(value: str) -> tuple[str, ...]:
    """``changed,vanished`` -> the kinds; ``never`` -> none."""
    if value.strip() == "never":
        return ()
    kinds = tuple(k.strip() for k in value.split(",") if k.strip())
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        raise UsageError(f"--fail-on: unknown kind {bad[0]!r} (choose from {', '.join(KINDS)}, or never)")
    return kinds


@app.command()
@one_line_errors
def drift(
    path: Annotated[Path, typer.Argument(help="The prototype's folder.", show_default=False, metavar="PATH")],
    spec: Annotated[
        Path | None,
        typer.Option("--spec", "-s", help="The spec to compare (default: PATH/spec/SPEC.md, else spec.json)."),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    fix: Annotated[bool, typer.Option("--fix", help="Rewrite moved citations in spec.json and SPEC.md.")] = False,
    accept_all: Annotated[
        bool, typer.Option("--accept", help="Record the current findings as the accepted baseline.")
    ] = False,
    fail_on: Annotated[
        str,
        typer.Option("--fail-on", help="Finding kinds that exit 1: changed, moved, vanished, unstated, or never."),
    ] = ",".join(DEFAULT_FAIL_ON),
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors on stderr.")] = False,
) -> None:
    """Check that the code still says what the spec cites, and states nothing the spec leaves out.

    Re-reads the prototype without a model. Per citation: changed, moved (same lines elsewhere;
    --fix rewrites it) or vanished; per fact the spec does not state: a new route, CLI command or
    option, env var, data model or field, dependency or schedule.
    Exit codes: 0 no drift, 1 drift (kinds in --fail-on, not accepted), 2 bad path or spec.
    """
    kinds = parse_fail_on(fail_on)
    printer = EventPrinter(quiet=quiet)
    report = detect_drift(path, spec, settings=load_settings(path), on_event=printer)
    if fix:
        fix_moved(report, on_event=printer)
        report.findings = [f for f in report.findings if f.kind != "moved"]
    if accept_all:
        written = accept(report)
        if not quiet:
            err_console.print(f"accepted {plural(len(report.findings), 'finding')} in {escape(str(written))}")
    if fmt is Format.json:
        typer.echo(json.dumps(report.to_json(kinds), indent=2))
    elif fmt is Format.markdown:
        typer.echo(render_markdown(report, kinds))
    elif fmt is Format.github:
        for line in github_annotations(report, kinds):
            typer.echo(line)
        typer.echo(render_text(report, kinds)[-1])
    else:
        for line in render_text(report, kinds):
            typer.echo(line)
    if report.failing(kinds):
        raise typer.Exit(1)
