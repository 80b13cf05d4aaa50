"""``specagent draft`` and ``specagent schema`` as a person runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from specagent.cli import app
from specagent.spec.reader import read_spec

runner = CliRunner()

APP = '''"""Tiny scoring API."""
from fastapi import FastAPI

app = FastAPI()


@app.get("/health")
def health() -> dict:
    return {"ok": True}
'''
EXTRA_ROUTE = """

@app.post("/score")
def score(x: float) -> dict:
    return {"score": 2 * x}
"""


def _proto(tmp_path: Path) -> Path:
    root = tmp_path / "proto"
    root.mkdir()
    (root / "app.py").write_text(APP)
    (root / "README.md").write_text("# Proto\n\nScores loan applications for the credit team.\n")
    (root / "requirements.txt").write_text("fastapi==0.115.0\n")
    return root


def test_draft_writes_both_files_into_path_spec(tmp_path: Path) -> None:
    root = _proto(tmp_path)
    result = runner.invoke(app, ["draft", str(root)])
    assert result.exit_code == 0, result.output
    md = (root / "spec" / "SPEC.md").read_text()
    assert "GET /health" in md and "[app.py:" in md
    json.loads((root / "spec" / "spec.json").read_text())
    # the tool's own output is not ingested on the next run
    again = runner.invoke(app, ["draft", str(root), "--quiet"])
    assert again.exit_code == 0, again.output
    assert "spec/SPEC.md" not in (root / "spec" / "spec.json").read_text()


def test_missing_path_exits_2_with_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["draft", str(tmp_path / "nope")])
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "no such folder" in lines[0]


def test_usage_errors_exit_1_and_bad_paths_exit_2(tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "specagent", *args], capture_output=True, text=True, timeout=120)

    bad_flag = run("draft", str(tmp_path), "--no-such-flag")
    assert bad_flag.returncode == 1 and "No such option" in bad_flag.stderr
    assert run("draft").returncode == 1
    missing = run("draft", str(tmp_path / "nope"))
    assert missing.returncode == 2 and missing.stderr.strip().endswith("no such folder")
    assert run().returncode == 0  # bare `specagent` shows the help


def test_edited_spec_is_not_overwritten_without_force(tmp_path: Path) -> None:
    root = _proto(tmp_path)
    assert runner.invoke(app, ["draft", str(root), "-q"]).exit_code == 0
    md_path = root / "spec" / "SPEC.md"
    edited = md_path.read_text().replace("\n## 3. Requirements", "\nMy own notes.\n\n## 3. Requirements")
    md_path.write_text(edited)
    result = runner.invoke(app, ["draft", str(root)])
    assert result.exit_code == 3
    assert "not overwriting your edits" in result.output and "--force" in result.output
    assert md_path.read_text() == edited
    forced = runner.invoke(app, ["draft", str(root), "--force", "-q"])
    assert forced.exit_code == 0
    assert "My own notes." not in md_path.read_text()


def test_locked_item_survives_a_forced_redraft_and_ids_are_stable(tmp_path: Path) -> None:
    root = _proto(tmp_path)
    assert runner.invoke(app, ["draft", str(root), "-q"]).exit_code == 0
    md_path = root / "spec" / "SPEC.md"
    first = read_spec(md_path)
    health = next(i for i in first.interfaces if i.name == "GET /health")
    text = md_path.read_text()
    block_head = "- tags: (http, observed)"
    assert block_head in text
    head_index = text.index(f"### {health.id} `GET /health`")
    tag_index = text.index(block_head, head_index)
    edited = (
        text[:tag_index]
        + "- tags: (http, observed, locked)\n- summary: Liveness probe for the load balancer."
        + text[tag_index + len(block_head) :]
    )
    md_path.write_text(edited)
    (root / "app.py").write_text(APP + EXTRA_ROUTE)
    assert runner.invoke(app, ["draft", str(root), "--force", "-q"]).exit_code == 0
    second = read_spec(md_path)
    kept = next(i for i in second.interfaces if i.name == "GET /health")
    assert kept.id == health.id and kept.locked and kept.summary == "Liveness probe for the load balancer."
    assert any(i.name == "POST /score" for i in second.interfaces)
    old_ids = {(d.kind, d.name): d.id for d in first.dependencies}
    new_ids = {(d.kind, d.name): d.id for d in second.dependencies}
    assert all(new_ids[k] == v for k, v in old_ids.items() if k in new_ids)


def test_out_option_and_relative_links(tmp_path: Path) -> None:
    root = _proto(tmp_path)
    out = tmp_path / "review" / "specs"
    result = runner.invoke(app, ["draft", str(root), "--out", str(out), "-q"])
    assert result.exit_code == 0
    md = (out / "SPEC.md").read_text()
    assert "](../../proto/app.py#L" in md


def test_schema_prints_json_schema() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert "requirements" in schema["properties"]


def test_console_script_runs(tmp_path: Path) -> None:
    root = _proto(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "specagent", "draft", str(root), "--quiet"], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert (root / "spec" / "SPEC.md").exists()


NOTES = (
    "# Proto\n\nScores loan applications.\n\n## Notes\n\n"
    "- The API must answer within 300 ms.\n- Scores must be logged for audit.\n"
)


def test_forced_merge_keeps_locked_edits_once_and_ids_of_edited_items(tmp_path: Path) -> None:
    root = _proto(tmp_path)
    (root / "README.md").write_text(NOTES)
    assert runner.invoke(app, ["draft", str(root), "-q"]).exit_code == 0
    md_path = root / "spec" / "SPEC.md"
    first = read_spec(md_path)
    by_text = {r.statement: r.id for r in first.requirements}
    latency_id = by_text["The API must answer within 300 ms."]
    audit_id = by_text["Scores must be logged for audit."]
    text = md_path.read_text()
    text = text.replace(
        f"**{latency_id}** (must, inferred) The API must answer within 300 ms.",
        f"**{latency_id}** (must, inferred, locked) The API shall answer within 300 ms at p95.",
    )
    text = text.replace("Scores must be logged for audit.", "Scores must be logged.")
    md_path.write_text(text)
    result = runner.invoke(app, ["draft", str(root), "--force", "-q"])
    assert result.exit_code == 0, result.output
    second = read_spec(md_path)
    statements = [r.statement for r in second.requirements]
    assert statements.count("The API shall answer within 300 ms at p95.") == 1
    assert "The API must answer within 300 ms." not in statements  # no duplicate of the locked item
    ids = {r.statement: r.id for r in second.requirements}
    assert ids["The API shall answer within 300 ms at p95."] == latency_id
    assert ids["Scores must be logged for audit."] == audit_id  # unlocked edit redrafted, same ID
    assert (root / "spec" / "SPEC.md.bak").read_text() == text  # the person's file is kept


def test_out_pointing_at_a_file_is_one_line_exit_2(tmp_path: Path) -> None:
    root = _proto(tmp_path)
    blocker = tmp_path / "outfile"
    blocker.write_text("not a folder")
    result = runner.invoke(app, ["draft", str(root), "--out", str(blocker)])
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "not a folder" in lines[0]
    nested = runner.invoke(app, ["draft", str(root), "--out", str(blocker / "spec")])
    assert nested.exit_code == 2 and "Traceback" not in nested.output


def test_written_files_are_readable_by_the_team(tmp_path: Path) -> None:
    root = _proto(tmp_path)
    assert runner.invoke(app, ["draft", str(root), "-q"]).exit_code == 0
    for name in ("SPEC.md", "spec.json"):
        assert (root / "spec" / name).stat().st_mode & 0o044 == 0o044


def test_handwritten_spec_is_refused_then_backed_up_when_forced(tmp_path: Path) -> None:
    root = _proto(tmp_path)
    (root / "spec").mkdir()
    (root / "spec" / "SPEC.md").write_text("# My hand-written spec\n")
    refused = runner.invoke(app, ["draft", str(root)])
    assert refused.exit_code == 3 and "was not written by specagent" in refused.output
    forced = runner.invoke(app, ["draft", str(root), "--force"])
    assert forced.exit_code == 0
    assert (root / "spec" / "SPEC.md.bak").read_text() == "# My hand-written spec\n"


def test_markup_in_prototype_content_is_printed_not_interpreted(tmp_path: Path) -> None:
    root = tmp_path / "[bold]proto"
    root.mkdir()
    (root / "nb.ipynb").write_text('{"cells": [{"cell_type": "[/b]", "source": "x"}], "metadata": {}, "nbformat": 4}')
    result = runner.invoke(app, ["draft", str(root)])
    assert result.exit_code == 0, result.output
    assert "[bold]proto" in result.output and "Traceback" not in result.output
