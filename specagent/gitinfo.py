"""What git says about a folder: the commit it is at, whether it has uncommitted changes, and
the text of a file at a revision. A base module: no specagent layer is imported here.

git is optional: every function answers None when git is missing or the folder is no repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

_TIMEOUT_S = 30


@dataclass(frozen=True)
class GitState:
    """The commit a folder's repository is at and whether the folder has uncommitted changes."""

    commit: str
    dirty: bool


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str] | None:
    if shutil.which("git") is None:
        return None
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=_TIMEOUT_S, env=env, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None


def git_state(root: Path, exclude: list[Path] | None = None) -> GitState | None:
    """The commit and dirty state of the repository holding ``root``; None outside git.

    Only changes under ``root`` count, minus ``exclude`` (the spec's own folder: writing the
    spec must not make the next draft look dirty).
    """
    root = Path(root)
    if not root.is_dir():
        return None
    head = _git(root, "rev-parse", "--verify", "-q", "HEAD")
    if head is None or head.returncode != 0:
        return None
    pathspec = ["."]
    for path in exclude or []:
        try:
            rel = Path(path).resolve().relative_to(root.resolve())
        except ValueError:
            continue
        if rel.parts:
            pathspec.append(f":(exclude){rel.as_posix()}")
    status = _git(root, "status", "--porcelain", "--untracked-files=normal", "--", *pathspec)
    dirty = bool(status is not None and status.returncode == 0 and status.stdout.strip())
    return GitState(commit=head.stdout.strip(), dirty=dirty)


def show(revision_path: str, cwd: Path) -> str | None:
    """The text of ``REV:PATH`` (``origin/main:spec/spec.json``) as ``git show`` prints it.

    None when git cannot resolve it; ``PATH`` is relative to the repository's top (git's rule),
    or to ``cwd`` when it starts with ``./``.
    """
    result = _git(Path(cwd), "show", revision_path)
    if result is None or result.returncode != 0:
        return None
    return result.stdout
