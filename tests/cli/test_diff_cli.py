"""``specagent diff`` on two real drafts of a prototype that grew a route."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from specagent.cli import app
from specagent.pipeline.draft import run_draft

runner = CliRunner()

APP = '''"""Tiny scoring API."""
from fastapi import FastAPI

app = FastAPI()


@app.get("/health")
def health() -> dict:
    return {"ok": True}
'''
SCORE_ROUTE = """

@app.post("/score")
def score(x: float) -> dict:
    return {"score": 2 * x}
"""


def _two_drafts(tmp_path: Path) -> tuple[Path, Path]:
    """Draft, keep the draft aside, add a route and shift every line of app.py, draft again."""
    root = tmp_path / "proto"
    root.mkdir()
    (root / "app.py").write_text(APP)
    (root / "README.md").write_text("# Proto\n\nScores loan applications for the credit team.\n")
    (root / "requirements.txt").write_text("fastapi==0.115.0\n")
    run_draft(root)
    old = tmp_path / "old"
    shutil.copytree(root / "spec", old)
    shifted = APP.replace("from fastapi import FastAPI\n", "import logging\n\nfrom fastapi import FastAPI\n")
    (root / "app.py").write_text(shifted + SCORE_ROUTE)
    run_draft(root, force=True)
    return old, root / "spec"


def test_text_diff_shows_the_new_route_and_only_moved_citations(tmp_path: Path) -> None:
    old, new = _two_drafts(tmp_path)
    result = runner.invoke(app, ["diff", str(old / "spec.json"), str(new / "spec.json")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    added = [ln for ln in lines if ln.startswith("+ ")]
    assert len(added) == 1 and "POST /score" in added[0]
    health = next(ln for ln in lines if "GET /health" in ln)
    assert health.startswith("= IF-") and "citations moved app.py:7-9 -> app.py:9-11" in health
    assert not [ln for ln in lines if ln.startswith(("- ", "~ ", "R "))], result.output
    assert any(ln.strip().startswith("Interfaces") and "+1" in ln and "=1" in ln for ln in lines)
    assert any("prototype:" in ln and "lines" in ln for ln in lines)


def test_markdown_and_json_formats_agree(tmp_path: Path) -> None:
    old, new = _two_drafts(tmp_path)
    md = runner.invoke(app, ["diff", str(old / "SPEC.md"), str(new / "SPEC.md"), "--format", "markdown"])
    assert md.exit_code == 0, md.output
    assert "| Interfaces | 1 | 0 | 0 | 0 | 1 |" in md.output
    assert "<details><summary>Interfaces (+1 =1)</summary>" in md.output and "</details>" in md.output
    assert "**IF-002** POST /score" in md.output
    raw = runner.invoke(app, ["diff", str(old / "spec.json"), str(new / "spec.json"), "-f", "json"])
    assert raw.exit_code == 0, raw.output
    data = json.loads(raw.output)
    by_status = {(i["status"], i["id"]) for i in data["items"]}
    assert by_status == {("added", "IF-002"), ("moved", "IF-001")}
    moved = next(i for i in data["items"] if i["status"] == "moved")
    assert moved["changes"] == [] and moved["citations"]["lines_only"] is True
    assert data["counts"]["interfaces"] == {"added": 1, "removed": 0, "changed": 0, "renumbered": 0, "moved": 1}
    assert data["meta"]["lines"][0] < data["meta"]["lines"][1]


def test_a_spec_diffed_with_itself_and_its_markdown_twin_is_empty(tmp_path: Path) -> None:
    _, new = _two_drafts(tmp_path)
    result = runner.invoke(app, ["diff", str(new / "SPEC.md"), str(new / "spec.json"), "--fail-on-removed"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("no changes between")


def test_fail_on_removed_gates_ci(tmp_path: Path) -> None:
    old, new = _two_drafts(tmp_path)
    backwards = [str(new / "spec.json"), str(old / "spec.json")]
    plain = runner.invoke(app, ["diff", *backwards])
    assert plain.exit_code == 0 and "- IF-002 POST /score" in plain.output
    gated = runner.invoke(app, ["diff", *backwards, "--fail-on-removed"])
    assert gated.exit_code == 1
    forwards = runner.invoke(app, ["diff", str(old / "spec.json"), str(new / "spec.json"), "--fail-on-removed"])
    assert forwards.exit_code == 0, forwards.output


def test_unreadable_input_exits_2_with_one_line(tmp_path: Path) -> None:
    good = tmp_path / "spec.json"
    good.write_text("{}")
    missing = runner.invoke(app, ["diff", str(tmp_path / "nope.json"), str(good)])
    assert missing.exit_code == 2
    lines = [ln for ln in missing.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "no such file" in lines[0]
    broken = tmp_path / "broken.json"
    broken.write_text('{"interfaces": [{"id": "nope"}]}')
    bad = runner.invoke(app, ["diff", str(good), str(broken)])
    assert bad.exit_code == 2
    assert len([ln for ln in bad.output.splitlines() if ln.strip()]) == 1 and "not a valid spec" in bad.output


def test_an_invalid_file_is_named_in_the_error_whichever_side_it_is(tmp_path: Path) -> None:
    from specagent.spec.model import Spec

    bad = tmp_path / "broken.json"
    bad.write_text("not json {")
    good = tmp_path / "good.json"
    good.write_text(Spec().model_dump_json())
    for args in ([str(bad), str(good)], [str(good), str(bad)]):
        result = CliRunner().invoke(app, ["diff", *args])
        assert result.exit_code == 2
        assert f"{bad} is not a valid spec" in result.output
