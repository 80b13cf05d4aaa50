"""The index and search commands, end to end: CLI output shapes, errors, and two writers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from filelock import FileLock
from index_support import write_repo
from typer.testing import CliRunner

from specagent.cli import app

runner = CliRunner()


def test_index_and_search_json_shape(repo: Path) -> None:
    result = runner.invoke(app, ["index", str(repo), "--json", "-q"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)
    assert stats["files"] == 4 and stats["chunks_embedded"] == stats["chunks"] > 0

    result = runner.invoke(app, ["search", str(repo), "predict churn probability over HTTP", "-k", "3", "--json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert 1 <= len(hits) <= 3
    for hit in hits:
        assert set(hit) == {"path", "start_line", "end_line", "kind", "score", "score_kind", "text"}
        assert hit["score_kind"] == "fused" and 0 < hit["score"] <= 1
        assert isinstance(hit["start_line"], int) and hit["start_line"] <= hit["end_line"]
        assert (repo / hit["path"]).is_file()
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    assert hits[0]["path"] == "app/serve.py"

    result = runner.invoke(app, ["search", str(repo), "MAX_RETRIES", "--mode", "lexical", "-k", "1"])
    assert result.exit_code == 0 and "app/train.py#L" in result.stdout


def test_search_errors_are_one_line_with_exit_codes(repo: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["search", str(repo), "anything"])
    assert result.exit_code == 4
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "specagent index" in lines[0]

    result = runner.invoke(app, ["search", str(tmp_path / "missing"), "anything"])
    assert result.exit_code == 2

    result = runner.invoke(app, ["search", str(repo), "x", "--mode", "fuzzy"])
    assert result.exit_code == 1 and "--mode" in result.stderr


def _index_cmd(root: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "specagent", "index", str(root), "--json", "-q", *extra]


def test_a_second_writer_waits_then_both_finish_consistently(tmp_path: Path) -> None:
    root = write_repo(tmp_path / "proto")
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    first = subprocess.Popen(_index_cmd(root), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    second = subprocess.Popen(_index_cmd(root), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    outs = [p.communicate(timeout=120) for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, outs
    stats = [json.loads(out) for out, _ in outs]
    # One did the work; the other waited for the lock and found nothing left to do.
    worker, idle = sorted(stats, key=lambda s: -s["chunks_embedded"])
    assert worker["chunks_embedded"] == worker["chunks"] > 0
    assert idle["chunks_embedded"] == 0 and idle["noop"]
    manifest = json.loads((root / ".specagent" / "index" / "manifest.json").read_text())
    assert manifest["complete"] and len(manifest["files"]) == 4

    result = runner.invoke(app, ["search", str(root), "churn probability", "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout)


def test_a_writer_that_cannot_get_the_lock_fails_clearly(tmp_path: Path) -> None:
    root = write_repo(tmp_path / "proto")
    lock_path = root / ".specagent" / "index" / "index.lock"
    lock_path.parent.mkdir(parents=True)
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    with FileLock(str(lock_path)):
        started = time.monotonic()
        proc = subprocess.run(
            _index_cmd(root, "--lock-timeout", "1"), capture_output=True, text=True, env=env, timeout=120
        )
        waited = time.monotonic() - started
    assert proc.returncode == 4
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "another specagent process" in lines[0]
    assert waited >= 1.0
    assert not (root / ".specagent" / "index" / "manifest.json").exists()


def test_unknown_or_unavailable_embedder_is_one_line(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    # An unknown name is a usage error (1); an OpenAI embedder without an endpoint is a model
    # error (5), or a usage error (1) in a build without the LLM layer.
    for name, codes in (("openai:text-embedding-3-small", (1, 5)), ("word2vec", (1,))):
        result = runner.invoke(app, ["index", str(repo), "--embedder", name])
        assert result.exit_code in codes, result.output
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and name in lines[0]
    assert not (repo / ".specagent" / "index" / "manifest.json").exists()
