"""The real app in a real terminal: ``specagent tui`` inside tmux, driven by send-keys.

Drafts a copy of a corpus prototype, answers an open question, locks an item, saves and quits,
then reads the written SPEC.md and spec.json.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tui_support import tui_settings

from specagent.pipeline.draft import draft

TMUX = shutil.which("tmux")
SPECAGENT = Path(sys.executable).with_name("specagent")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed (.ci/run installs it with apt-get where apt is)"),
]


class Tmux:
    """One tmux server on its own socket (never the person's), one window running a command."""

    def __init__(self, socket: Path) -> None:
        self.socket = socket

    def run(self, *args: str, check: bool = True) -> str:
        done = subprocess.run([TMUX, "-S", str(self.socket), *args], capture_output=True, text=True, check=False)
        if check and done.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)}: {done.stderr}")
        return done.stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "tui")

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", "tui", *(["-l"] if literal else []), *keys)

    def wait_for(self, text: str, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if text in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")
            time.sleep(0.1)


def test_tui_in_tmux_drafts_answers_locks_saves_and_quits(proto: Path, tmp_path: Path) -> None:
    # The offline draft is deterministic: the app will show these same IDs.
    expected = draft(proto, settings=tui_settings(proto)).spec
    question = expected.open_questions[0]
    locked = expected.interfaces[0]
    tmux = Tmux(tmp_path / "tmux.sock")
    env = {"SPECAGENT_AUTHOR": "Ada Lovelace", "TERM": "xterm-256color", "HOME": os.environ.get("HOME", "/root")}
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    tui = f"{shlex.quote(str(SPECAGENT))} tui {shlex.quote(str(proto))} --no-index"
    command = f"{exports} {tui}; echo EXITED $?; sleep 60"  # the exit status stays on screen
    tmux.run("new-session", "-d", "-s", "tui", "-x", "80", "-y", "24", command)
    try:
        tmux.wait_for("Requirements (", timeout=120)
        tmux.keys("g")
        tmux.wait_for("Go to item")
        tmux.keys(question.id, literal=True)
        tmux.keys("Enter")
        tmux.wait_for(f"{question.id} {question.question[:10]}")
        tmux.keys("a")
        tmux.wait_for(f"Answer {question.id}")
        tmux.keys("Retrain the model monthly", literal=True)
        tmux.keys("Enter")
        tmux.wait_for(f"{question.id} answered")
        tmux.keys("g")
        tmux.wait_for("Go to item")
        tmux.keys(locked.id, literal=True)
        tmux.keys("Enter")
        tmux.wait_for(f"Evidence for {locked.id}")
        tmux.keys("l")
        tmux.wait_for(f"{locked.id} locked")
        assert "unsaved" in tmux.screen()
        tmux.keys("s")
        deadline = time.monotonic() + 30
        while "unsaved" in tmux.screen() or not (proto / "spec" / "spec.json").exists():
            assert time.monotonic() < deadline, tmux.screen()
            time.sleep(0.1)
        tmux.keys("q")
        tmux.wait_for("EXITED 0", timeout=30)
    finally:
        tmux.run("kill-server", check=False)

    spec_md = (proto / "spec" / "SPEC.md").read_text()
    data = json.loads((proto / "spec" / "spec.json").read_text())
    decision = next(r for r in data["requirements"] if r["statement"] == "Retrain the model monthly")
    assert decision["provenance"] == "decision" and decision["locked"]
    assert "Ada Lovelace" in decision["rationale"] and question.id in decision["rationale"]
    assert question.question not in {q["question"] for q in data["open_questions"]}
    assert next(i for i in data["interfaces"] if i["id"] == locked.id)["locked"]
    assert f"**{decision['id']}** (must, decision, locked) Retrain the model monthly" in spec_md
