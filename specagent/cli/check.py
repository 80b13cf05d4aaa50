"""``specagent check``: review a spec (SPEC.md or spec.json) against its repository."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import defaultdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from specagent.cli.app import app
from specagent.cli.output import EventPrinter, err_console, one_line_errors
from specagent.config import load_settings
from specagent.errors import OutputPathError
from specagent.pipeline.check import check_spec_file, default_repo
from specagent.quality.findings import CHECKS, CheckReport, Finding


class Format(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    junit = "junit"


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    never = "never"


_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _sorted(findings: list[Finding]) -> list[Finding]:
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(findings, key=lambda f: (order[f.severity], f.line or 0))


def _gh_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(value: str) -> str:
    return _gh_data(value).replace(":", "%3A").replace(",", "%2C")


def github_annotations(report: CheckReport, spec_file: str) -> list[str]:
    """GitHub Actions workflow commands, one per finding, on the offending line."""
    out = []
    for f in _sorted(report.findings):
        props = [f"file={_gh_property(spec_file)}"]
        if f.line is not None:
            props.append(f"line={f.line}")
        props.append(f"title={_gh_property(f.title())}")
        who = f"{f.item_id}: " if f.item_id else ""
        out.append(f"::{_GITHUB_LEVEL[f.severity]} {','.join(props)}::{_gh_data(who + f.message)}")
    return out


def junit_xml(report: CheckReport, spec_file: str, fail_on: FailOn) -> str:
    """JUnit XML: one test case per check; a check fails when it has findings at ``fail_on``."""
    floor = {"error": 2, "warning": 1, "never": 3}[fail_on.value]
    rank = {"info": 0, "warning": 1, "error": 2}
    by_code: dict[str, list[Finding]] = defaultdict(list)
    for f in report.findings:
        by_code[f.code].append(f)
    suite = ET.Element("testsuite", name=f"specagent check {spec_file}")
    failures = 0
    for code, info in CHECKS.items():
        case = ET.SubElement(suite, "testcase", classname=f"specagent.{info.name}", name=f"{code} {info.name}")
        found = by_code.get(code, [])
        failing = [f for f in found if rank[f.severity] >= floor]
        body = "\n".join(f"{spec_file}:{f.line or 0}: {f.severity}: {f.text()}" for f in found)
        if failing:
            failures += 1
            failure = ET.SubElement(
                case,
                "failure",
                message=f"{len(failing)} finding(s): {failing[0].text()}",
                type=failing[0].severity,
            )
            failure.text = body
        elif found:
            ET.SubElement(case, "system-out").text = body
    suite.set("tests", str(len(CHECKS)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suites = ET.Element("testsuites", name="specagent", tests=str(len(CHECKS)))
    suites.set("failures", str(failures))
    suites.append(suite)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def text_lines(report: CheckReport, spec_file: str) -> list[str]:
    """Human-readable lines: ``SPEC.md:42: error FR-001: ... [SA101 citation-unresolved]``."""
    out = [f"{spec_file}:{f.line or 0}: {f.severity} {f.text()}" for f in _sorted(report.findings)]
    s = report.scores
    out.append(
        f"{report.count('error')} error(s), {report.count('warning')} warning(s), "
        f"{report.count('info')} info; citations {s.citations_resolved}/{s.citations} resolve, "
        f"identifiers {s.identifiers_found}/{s.identifiers} found, "
        f"sections {s.sections_complete}/{s.sections} complete, "
        f"statements with smells {s.statements_smelly}/{s.statements}"
    )
    return out


def json_report(report: CheckReport) -> str:
    s = report.scores
    data = report.model_dump()
    data["scores"] |= {
        "citation_rate": s.citation_rate,
        "truthfulness": s.truthfulness,
        "completeness": s.completeness,
        "filled": s.filled,
        "smell_rate": s.smell_rate,
    }
    return json.dumps(data, indent=2)


@app.command()
@one_line_errors
def check(
    spec_file: Annotated[
        Path | None,
        typer.Argument(help="SPEC.md or spec.json to check.", show_default=False),
    ] = None,
    repo: Annotated[
        Path | None,
        typer.Option(
            "--repo",
            help="The prototype the spec cites [default: the folder above spec/, else the file's folder].",
        ),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit 1 when a finding at this severity exists.")
    ] = FailOn.error,
    junit_out: Annotated[
        Path | None,
        typer.Option(
            "--junit-out",
            help="Also write a JUnit XML report here, whatever --format prints (with --format junit: "
            "instead of stdout).",
        ),
    ] = None,
    list_checks: Annotated[bool, typer.Option("--list", help="List the checks and exit.")] = False,
) -> None:
    """Check a spec: schema, IDs, citations, identifiers, completeness, smells, EARS, metrics.

    Exit codes: 0 passed, 1 findings at --fail-on severity, 2 spec file missing or unreadable
    (or --junit-out not writable).
    """
    if list_checks:
        for code, info in CHECKS.items():
            typer.echo(f"{code} {info.name:28} {info.severity:8} {info.summary}")
        return
    if spec_file is None:
        raise typer.BadParameter("give SPEC.md or spec.json", param_hint="SPEC_FILE")
    printer = EventPrinter(quiet=True)  # ingest warnings are not the spec's findings
    repo_root = repo or default_repo(spec_file)
    report = check_spec_file(spec_file, repo_root, settings=load_settings(repo_root), on_event=printer)
    shown = str(spec_file)
    if junit_out is not None:
        # Written whatever --format is: CI wants readable output in the log and the XML as a file.
        try:
            junit_out.write_text(junit_xml(report, shown, fail_on), encoding="utf-8")
        except OSError as exc:
            raise OutputPathError(f"{junit_out}: cannot write the JUnit report ({exc.strerror or exc})") from None
        err_console.print(f"wrote {escape(str(junit_out))}", highlight=False)
    if fmt is Format.json:
        typer.echo(json_report(report))
    elif fmt is Format.github:
        for line in github_annotations(report, shown):
            typer.echo(line)
    elif fmt is Format.junit:
        if junit_out is None:
            typer.echo(junit_xml(report, shown, fail_on), nl=False)
    else:
        for line in text_lines(report, shown):
            typer.echo(line)
    if report.fails(fail_on.value):
        raise typer.Exit(1)
