"""``specagent check`` as CI runs it: formats, exit codes, SPEC.md edited by a person."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from specagent.cli import app

from .proto import cite, good_spec, write_prototype, write_spec

runner = CliRunner()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_prototype(tmp_path / "proto")


def moved_past_end(root: Path) -> tuple[Path, Path]:
    spec = good_spec()
    spec.requirements[0].sources = [cite("app.py", 40, 45)]
    return write_spec(root, spec)


def test_good_spec_passes_and_repo_defaults_to_above_spec(root: Path) -> None:
    md, _ = write_spec(root, good_spec())
    result = runner.invoke(app, ["check", str(md)])
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output
    assert "citations 10/10 resolve" in result.output


@pytest.mark.parametrize("name", ["SPEC.md", "spec.json"])
def test_citation_moved_past_end_fails_and_is_named(root: Path, name: str) -> None:
    md, js = moved_past_end(root)
    path = md if name == "SPEC.md" else js
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    (line,) = [x for x in result.output.splitlines() if "SA102" in x]
    assert "FR-001" in line and "app.py:40-45" in line and " error " in line
    # the line number points at FR-001 in the file
    number = int(re.match(rf"{re.escape(str(path))}:(\d+):", line).group(1))
    assert "FR-001" in path.read_text().split("\n")[number - 1]


def test_github_annotations(root: Path) -> None:
    md, _ = moved_past_end(root)
    result = runner.invoke(app, ["check", str(md), "--format", "github"])
    assert result.exit_code == 1
    errors = [x for x in result.output.splitlines() if x.startswith("::error ")]
    assert len(errors) == 1
    m = re.match(r"::error file=([^,]+),line=(\d+),title=SA102 citation-out-of-range::(.*)$", errors[0])
    assert m, errors[0]
    assert m.group(1) == str(md)
    assert md.read_text().split("\n")[int(m.group(2)) - 1].startswith("- **FR-001**")
    assert "FR-001" in m.group(3) and "app.py:40-45" in m.group(3)
    assert all(x.startswith(("::error", "::warning", "::notice")) for x in result.output.splitlines())


def test_junit_to_stdout_and_to_file(root: Path, tmp_path: Path) -> None:
    md, _ = moved_past_end(root)
    result = runner.invoke(app, ["check", str(md), "--format", "junit"])
    assert result.exit_code == 1
    tree = ET.fromstring(result.stdout.split("\n", 1)[1])
    (failure,) = tree.iter("failure")
    assert "app.py:40-45" in failure.get("message", "") + (failure.text or "")
    assert tree.get("failures") == "1"
    out = tmp_path / "junit.xml"
    result = runner.invoke(app, ["check", str(md), "--format", "junit", "--junit-out", str(out)])
    assert result.exit_code == 1
    assert ET.parse(out).getroot().find("testsuite").get("failures") == "1"


def test_fail_on(root: Path) -> None:
    spec = good_spec()
    spec.requirements[0].statement = "The API should respond quickly."  # warnings, no error
    md, _ = write_spec(root, spec)
    assert runner.invoke(app, ["check", str(md)]).exit_code == 0
    assert runner.invoke(app, ["check", str(md), "--fail-on", "warning"]).exit_code == 1
    md, _ = moved_past_end(root)
    assert runner.invoke(app, ["check", str(md), "--fail-on", "never"]).exit_code == 0


def test_json_format(root: Path) -> None:
    md, _ = moved_past_end(root)
    result = runner.invoke(app, ["check", str(md), "--format", "json", "--fail-on", "never"])
    data = json.loads(result.stdout)
    assert data["scores"]["citation_rate"] < 1
    assert any(f["code"] == "SA102" and f["item_id"] == "FR-001" for f in data["findings"])


def test_person_edited_spec_md_is_checked(root: Path) -> None:
    md, _ = write_spec(root, good_spec())
    lines = md.read_text().split("\n")
    at = next(i for i, x in enumerate(lines) if x.startswith("- **FR-001**"))
    # a person rewrites the requirement and points its citation past the end of app.py
    lines[at] = lines[at].split(") ", 1)[0] + ") The API should score applications fast, etc."
    lines[at + 1] = lines[at + 1].replace("#L10-L11", "#L90-L95").replace("app.py:10-11", "app.py:90-95")
    md.write_text("\n".join(lines))
    result = runner.invoke(app, ["check", str(md), "--repo", str(root)])
    assert result.exit_code == 1
    out = result.output
    assert re.search(rf":{at + 1}: error FR-001: citation app.py:90-95", out), out
    assert re.search(rf":{at + 1}: warning FR-001: open-ended", out)


def test_missing_and_unreadable_files_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(tmp_path / "nope.md")])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1 and "no such file" in result.output
    bad = tmp_path / "SPEC.md"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    result = runner.invoke(app, ["check", str(bad)])
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1


def test_list_checks() -> None:
    result = runner.invoke(app, ["check", "--list"])
    assert result.exit_code == 0
    assert "SA102 citation-out-of-range" in result.output


def test_malformed_id_in_spec_md_is_reported_and_the_rest_still_checked(root: Path) -> None:
    md, _ = moved_past_end(root)
    md.write_text(md.read_text().replace("- **FR-001**", "- **FR-01**"))
    result = runner.invoke(app, ["check", str(md)])
    assert result.exit_code == 1
    out = result.output
    assert out.count("SA002") == 1 and "'FR-01'" in out
    assert "FR-01: citation app.py:40-45" in out  # the item was still checked


@pytest.mark.parametrize(
    "text",
    [
        "hello world\n",
        "# Notes\n\n## Ideas\n\n- cache answers\n",
        "---\ntitle: my blog post\n---\n\nhello world\n",
    ],
)
def test_a_file_that_is_not_a_spec_fails(tmp_path: Path, text: str) -> None:
    md = tmp_path / "SPEC.md"
    md.write_text(text)
    result = runner.invoke(app, ["check", str(md)])
    assert result.exit_code == 1, result.output
    (line,) = [x for x in result.output.splitlines() if "SA001" in x]
    assert line.startswith(f"{md}:1: error ") and "not a specagent spec" in line
    assert "SA301" not in result.output  # no section warnings about a file that is no spec


@pytest.mark.parametrize(
    "text",
    [
        "---\ntool: specagent\nproject: loans\n---\n\n# loans\n",
        "# loans\n\n## 1. Overview\n\n## 11. Open questions\n",
        "# loans\n\n## Risks\n\n- **RK-001** (inferred) No tests.\n",
    ],
)
def test_front_matter_or_a_spec_section_is_enough_to_be_a_spec(tmp_path: Path, text: str) -> None:
    md = tmp_path / "SPEC.md"
    md.write_text(text)
    result = runner.invoke(app, ["check", str(md)])
    assert "not a specagent spec" not in result.output
    assert result.exit_code == 0, result.output


def test_empty_spec_json_fails(tmp_path: Path) -> None:
    js = tmp_path / "spec.json"
    js.write_text("{}")
    result = runner.invoke(app, ["check", str(js)])
    assert result.exit_code == 1 and "SA001" in result.output and "not a specagent spec" in result.output


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_junit_out_is_written_beside_any_format(root: Path, tmp_path: Path, fmt: str) -> None:
    md, _ = moved_past_end(root)
    out = tmp_path / f"junit-{fmt}.xml"
    result = runner.invoke(app, ["check", str(md), "--format", fmt, "--junit-out", str(out)])
    assert result.exit_code == 1
    assert ET.parse(out).getroot().find("testsuite").get("failures") == "1"
    assert "<testsuite" not in result.stdout  # stdout keeps the chosen format
    if fmt == "json":
        assert any(f["code"] == "SA102" for f in json.loads(result.stdout)["findings"])
    elif fmt == "github":
        assert result.stdout.startswith("::error ")
    else:
        assert "SA102" in result.stdout and "1 error(s)" in result.stdout


def test_junit_out_that_cannot_be_written_is_one_line(root: Path, tmp_path: Path) -> None:
    md, _ = write_spec(root, good_spec())
    result = runner.invoke(app, ["check", str(md), "--junit-out", str(tmp_path / "no" / "such" / "junit.xml")])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1 and "cannot write the JUnit report" in result.output
