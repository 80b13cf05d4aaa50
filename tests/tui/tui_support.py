"""Helpers for the TUI tests: a copied corpus prototype, fixed settings and clock, waiting."""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from textual.pilot import Pilot

from specagent.config import Settings, load_settings

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"
FIXED_NOW = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
#: A small corpus prototype (9 files): a notebook, notes, scripts, open questions.
SMALL = "messy-sentiment"


def copy_prototype(name: str, dest: Path) -> Path:
    """A copy of corpus/<name> under ``dest`` (tests write specs into it)."""
    target = dest / name
    shutil.copytree(CORPUS / name, target, symlinks=True)  # the corpus holds symlink loops on purpose
    return target


def tui_settings(root: Path, index_dir: Path | None = None, **overrides: object) -> Settings:
    """Settings for a test: a fixed author, the index outside the prototype when given."""
    return load_settings(root, author="Ada Lovelace", index_dir=index_dir, **overrides)


def fixed_now() -> datetime:
    return FIXED_NOW


async def wait_until(pilot: Pilot, condition: Callable[[], bool], timeout: float = 60.0) -> None:
    """Let the app run until ``condition()`` holds (fails the test after ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {condition}")
        await pilot.pause(0.05)
    await pilot.pause()


async def wait_drafted(pilot: Pilot) -> None:
    """Wait for the first draft to show in the tree."""
    app = pilot.app
    await wait_until(pilot, lambda: app.session.result is not None and bool(app.query_one("#tree").root.children))
    # The overview's Markdown renders asynchronously after the tree fills.
    await wait_until(pilot, lambda: "Overview" in app.query_one("#item").source)
    await asyncio.sleep(0)
    await pilot.pause()
