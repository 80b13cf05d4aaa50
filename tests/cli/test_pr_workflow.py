"""The pull-request workflow on real git repositories built from corpus prototypes.

Each test commits a copy of a prototype with its drafted spec, changes the code the way a pull
request would, and runs the commands a person or CI runs: ``drift``, ``draft --update``,
``diff`` against a git revision, and the GitHub Action's script.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from specagent.cli import app
from specagent.spec.reader import read_spec
from tests.paths import CORPUS, REPO

runner = CliRunner()
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
}


def git(root: Path, *args: str) -> str:
    out = subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, env={**os.environ, **GIT_ENV}, check=True
    )
    return out.stdout


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def cli(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def repo_from(name: str, tmp_path: Path) -> Path:
    """A git repository holding a copy of corpus/NAME and its drafted spec, committed on main."""
    root = tmp_path / name
    shutil.copytree(CORPUS / name, root)
    git(root, "init", "-q", "-b", "main")
    commit(root, "prototype")
    code, out = cli("draft", str(root), "-q")
    assert code == 0, out
    commit(root, "spec")
    return root


def ids(spec_file: Path) -> dict[str, str]:
    """Item name -> ID for interfaces and dependencies."""
    spec = read_spec(spec_file)
    return {i.name: i.id for i in [*spec.interfaces, *spec.dependencies, *spec.data_contracts]}


def drift_json(root: Path, *extra: str) -> tuple[int, dict]:
    code, out = cli("drift", str(root), "--format", "json", "--quiet", *extra)
    return code, json.loads(out)


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def inventory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committed inventory-api with its spec; tests copy it (drafting once saves time)."""
    return repo_from("inventory-api", tmp_path_factory.mktemp("base"))


@pytest.fixture
def repo(inventory: Path, tmp_path: Path) -> Path:
    root = tmp_path / "inventory-api"
    shutil.copytree(inventory, root)
    return root


def test_a_fresh_spec_records_its_commit_and_hashes_every_citation(repo: Path) -> None:
    spec = read_spec(repo / "spec" / "spec.json")
    assert spec.meta.git_commit == git(repo, "rev-parse", "HEAD~1").strip()
    assert spec.meta.git_dirty is False
    hashes = [c.hash for _, c in spec.iter_citations()]
    assert hashes and all(h and "/" in h for h in hashes)
    # SPEC.md stays readable (no hashes in it) and reads back with them, from spec.json.
    assert "hash" not in (repo / "spec" / "SPEC.md").read_text(encoding="utf-8")
    assert read_spec(repo / "spec" / "SPEC.md").model_dump() == spec.model_dump()
    code, report = drift_json(repo)
    assert code == 0 and report["findings"] == [] and report["citations"] == len(hashes)


def test_an_edit_elsewhere_in_a_cited_file_is_no_drift(repo: Path) -> None:
    routes = repo / "app" / "routes.py"
    routes.write_text(routes.read_text(encoding="utf-8") + "\n\n# TODO: paginate orders too\n", encoding="utf-8")
    code, report = drift_json(repo)
    assert code == 0, report
    assert [f for f in report["findings"] if f["kind"] != "unstated"] == []


def test_a_renamed_route_is_changed_drift_and_keeps_its_id_on_update(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = ids(repo / "spec" / "spec.json")
    old_id = before["GET /api/v1/items/{item_id}"]
    replace(repo / "app" / "routes.py", '@router.get("/items/{item_id}",', '@router.get("/items/{item_id}/details",')
    commit(repo, "rename a route")
    code, report = drift_json(repo)
    assert code == 1
    changed = [f for f in report["findings"] if f["kind"] == "changed"]
    assert [f["item_id"] for f in changed] == [old_id]
    assert "/api/v1/items/{item_id}/details" in changed[0]["message"]
    assert not [f for f in report["findings"] if f["kind"] == "unstated"]  # the handler identifies it

    code, out = cli("draft", str(repo), "--update", "-q")
    assert code == 0, out
    after = ids(repo / "spec" / "spec.json")
    assert after["GET /api/v1/items/{item_id}/details"] == old_id
    assert "GET /api/v1/items/{item_id}" not in after
    kept = {n: i for n, i in before.items() if n != "GET /api/v1/items/{item_id}"}
    assert {n: after[n] for n in kept} == kept  # every other item keeps its ID
    monkeypatch.chdir(repo)  # git reads REV:PATH in the repository it is run in
    code, out = cli("diff", "HEAD:spec/spec.json", "spec/spec.json", "--format", "json")
    assert code == 0, out
    changes = json.loads(out)["items"]
    route = [c for c in changes if c["id"] == old_id]
    assert route and route[0]["status"] == "changed"
    assert {c["field"] for c in route[0]["changes"]} >= {"name", "route"}
    assert not [c for c in changes if c["status"] in ("added", "removed") and c["section"] == "interfaces"]


def test_diff_pairs_a_renumbered_route_as_one_changed_item(repo: Path) -> None:
    """Two drafts made without --update (plain draft elsewhere): the diff still sees one item."""
    old_json = repo / "spec" / "spec.json"
    replace(repo / "app" / "routes.py", '@router.get("/items/{item_id}",', '@router.get("/items/{item_id}/details",')
    code, out = cli("draft", str(repo), "--out", str(repo.parent / "fresh"), "-q")
    assert code == 0, out
    code, out = cli("diff", str(old_json), str(repo.parent / "fresh" / "spec.json"), "--format", "markdown")
    assert code == 0
    assert "/api/v1/items/{item_id}/details" in out and "route" in out
    line = next(x for x in out.split("\n") if "/details" in x)
    assert line.endswith("cited text changed at app/routes.py:78-80")  # only the citation whose text changed
    assert "0 added, 0 removed" in out


def test_a_moved_function_is_found_in_its_new_file_and_fix_rewrites_the_citation(repo: Path) -> None:
    forecast = repo / "app" / "forecast.py"
    text = forecast.read_text(encoding="utf-8")
    start = text.index("def mape(")
    end = text.index("\ndef ", start + 1) + 1
    body = text[start:end]
    forecast.write_text(text[:start] + text[end:] + "\nfrom app.metrics import mape  # noqa: E402\n", encoding="utf-8")
    (repo / "app" / "metrics.py").write_text(
        '"""Forecast error metrics."""\n\nfrom collections.abc import Sequence\n\n\n' + body, encoding="utf-8"
    )
    code, report = drift_json(repo, "--fail-on", "changed,vanished")
    moved = [f for f in report["findings"] if f["kind"] == "moved" and f["moved_to"]["path"] == "app/metrics.py"]
    assert moved, report["findings"]
    assert moved[0]["citation"]["path"] == "app/forecast.py"
    code, out = cli("drift", str(repo), "--fix", "--fail-on", "moved", "--quiet")
    assert "fixed" in out
    spec = read_spec(repo / "spec" / "SPEC.md")
    cites = [c for _, c in spec.iter_citations() if c.path == "app/metrics.py"]
    assert cites and all(c.hash for c in cites)
    code, report = drift_json(repo, "--fail-on", "moved")
    assert not [f for f in report["findings"] if f["kind"] == "moved"]
    # The fixed files are still specagent's own: a plain re-draft does not refuse.
    code, out = cli("draft", str(repo), "-q")
    assert code == 0, out


def test_an_added_env_var_is_unstated_and_accept_records_it(repo: Path) -> None:
    replace(repo / "app" / "db.py", "\n\n", '\n\nimport os\n\nREGION = os.getenv("INVENTORY_REGION", "eu")\n\n')
    code, report = drift_json(repo)
    assert code == 1
    unstated = [f for f in report["findings"] if f["kind"] == "unstated"]
    assert [(f["category"], f["name"]) for f in unstated] == [("env var", "INVENTORY_REGION")]
    assert unstated[0]["where"]["path"] == "app/db.py"
    code, out = cli("drift", str(repo), "--accept", "--quiet")
    assert code == 0, out
    assert (repo / "spec" / ".specagent-drift.json").exists()
    code, report = drift_json(repo)
    assert code == 0 and report["counts"]["accepted"] >= 1


def test_a_deleted_file_is_vanished_drift(repo: Path) -> None:
    (repo / "app" / "forecast.py").unlink()
    code, report = drift_json(repo)
    assert code == 1
    vanished = {f["item_id"] for f in report["findings"] if f["kind"] == "vanished"}
    assert vanished and all(
        f["citation"]["path"] == "app/forecast.py" for f in report["findings"] if f["kind"] == "vanished"
    )
    code, out = cli("drift", str(repo), "--format", "github")
    assert "::error file=app/forecast.py" in out


def test_update_retires_ids_and_never_reuses_them(repo: Path) -> None:
    before = ids(repo / "spec" / "spec.json")
    gone = before["GET /api/v1/items/{item_id}"]
    routes = repo / "app" / "routes.py"
    text = routes.read_text(encoding="utf-8")
    start = text.index('@router.get("/items/{item_id}",')
    end = text.index("@router", start + 1)
    routes.write_text(text[:start] + text[end:], encoding="utf-8")
    code, out = cli("draft", str(repo), "--update", "-q")
    assert code == 0, out
    spec = read_spec(repo / "spec" / "spec.json")
    assert gone in spec.meta.retired_ids
    assert gone not in {i.id for _, i in spec.iter_items()}
    routes.write_text(
        routes.read_text(encoding="utf-8") + '\n\n@router.get("/ping")\ndef ping() -> dict:\n    return {}\n'
    )
    code, out = cli("draft", str(repo), "--update", "-q")
    assert code == 0, out
    after = ids(repo / "spec" / "spec.json")
    new_id = after["GET /api/v1/ping"]
    numbers = [int(i.split("-")[1]) for i in before.values() if i.startswith("IF-")]
    assert int(new_id.split("-")[1]) > max(numbers)
    assert gone in read_spec(repo / "spec" / "spec.json").meta.retired_ids


def test_update_keeps_locked_and_edited_items_and_plain_draft_says_what_to_do(repo: Path) -> None:
    md = repo / "spec" / "SPEC.md"
    text = md.read_text(encoding="utf-8")
    spec = read_spec(md)
    dep = next(d for d in spec.dependencies if d.name == "fastapi")
    row = next(line for line in text.split("\n") if line.startswith(f"| {dep.id} "))
    edited_row = row.replace("fastapi", "fastapi (our web framework)", 1)
    locked_line = next(line for line in text.split("\n") if line.startswith("- **OQ-"))
    question_id = locked_line.split("**")[1]
    locked = re.sub(r"^(- \*\*OQ-\d+\*\* \()([^)]*)\) ", r"\1\2, locked) My own question? ", locked_line)
    md.write_text(text.replace(row, edited_row).replace(locked_line, locked), encoding="utf-8")

    code, out = cli("draft", str(repo), "-q")
    assert code == 3 and "--update" in out
    code, out = cli("draft", str(repo), "--update", "-q")
    assert code == 0, out
    after = read_spec(repo / "spec" / "SPEC.md")
    mine = next(d for d in after.dependencies if d.id == dep.id)
    assert mine.name == "fastapi (our web framework)"
    assert not [d for d in after.dependencies if d.name == "fastapi"]  # not duplicated
    question = next(q for q in after.open_questions if q.id == question_id)
    assert question.locked and question.question.startswith("My own question?")


def test_the_action_script_runs_end_to_end_without_network(repo: Path, tmp_path: Path) -> None:
    git(repo, "checkout", "-q", "-b", "feature")
    replace(repo / "app" / "routes.py", '@router.get("/items/{item_id}",', '@router.get("/items/{item_id}/details",')
    replace(repo / "app" / "db.py", "\n\n", '\n\nimport os\n\nREGION = os.getenv("INVENTORY_REGION", "eu")\n\n')
    code, out = cli("draft", str(repo), "--update", "-q")
    assert code == 0, out
    commit(repo, "feature")
    summary = tmp_path / "summary.md"
    outputs = tmp_path / "outputs.txt"
    env = {
        **os.environ,
        "SPECAGENT": str(Path(sys.executable).with_name("specagent")),
        "PROTOTYPE_PATH": ".",
        "BASE_REF": "main",
        "OUTPUT_DIR": str(tmp_path / "pr"),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(outputs),
    }
    result = subprocess.run(
        [str(REPO / "action" / "pr-check.sh")], cwd=repo, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr  # the re-drafted spec states the new env var
    comment = (tmp_path / "pr" / "comment.md").read_text(encoding="utf-8")
    assert "### specagent check" in comment and "### specagent drift" in comment
    assert "### specagent diff: `main:spec/spec.json`" in comment
    assert "/api/v1/items/{item_id}/details" in comment
    assert "INVENTORY_REGION" in comment
    assert summary.read_text(encoding="utf-8") == comment
    assert f"comment-file={tmp_path / 'pr' / 'comment.md'}" in outputs.read_text(encoding="utf-8")
    assert json.loads((tmp_path / "pr" / "drift.json").read_text(encoding="utf-8"))["drift"] is False

    # The code moves on without the spec: the same script fails the job on drift.
    replace(repo / "app" / "db.py", "\n\n", '\n\nZONE = os.getenv("INVENTORY_ZONE", "a")\n\n')
    commit(repo, "code only")
    result = subprocess.run(
        [str(REPO / "action" / "pr-check.sh")], cwd=repo, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 1
    verdict = (tmp_path / "pr" / "comment.md").read_text(encoding="utf-8").strip().split("\n")[-1]
    assert verdict.startswith("**Result:** failed (") and "drift" in verdict


def test_an_added_cli_option_is_unstated(tmp_path: Path) -> None:
    root = repo_from("csv-cleaner", tmp_path)
    cli_py = root / "csvclean" / "cli.py"
    replace(
        cli_py,
        '@click.option("--trim/--no-trim"',
        '@click.option("--max-rows", type=int, default=None, help="Stop after this many rows.")\n'
        '@click.option("--trim/--no-trim"',
    )
    code, report = drift_json(root)
    assert code == 1
    unstated = [(f["category"], f["name"]) for f in report["findings"] if f["kind"] == "unstated"]
    assert ("cli option", "--max-rows") in unstated


def test_a_rerun_notebook_that_prints_another_metric_is_drift(repo: Path) -> None:
    notebook = repo / "notebooks" / "forecast_eval.ipynb"
    text = notebook.read_text(encoding="utf-8")
    assert "MAPE: 26.9%" in text
    notebook.write_text(text.replace("MAPE: 26.9%", "MAPE: 31.2%"), encoding="utf-8")
    code, report = drift_json(repo)
    assert code == 1
    changed = [f for f in report["findings"] if f["kind"] == "changed"]
    assert changed and all(f["citation"]["path"] == "notebooks/forecast_eval.ipynb" for f in changed)
    assert any("MAPE: 26.9%" in (f["citation"]["quote"] or "") for f in changed)
