"""TUI benchmark: time to the first screen, and keypress latency while an index builds.

    .venv/bin/python benchmarks/tui_bench.py [--prototype NAME] [--repeat 3] [--presses 40] [--json OUT]

Runs the real app headless (Textual's ``run_test``) in this process on a copy of a corpus
prototype (default: the largest) and prints
- first screen: from building the app to its first composed screen, against a bare Textual app
  with one widget in the same process (Textual's own start-up): a ratio;
- draft shown: until the drafted tree is on screen, against the library's ``draft()`` alone on
  the same prototype: the TUI's overhead as a ratio;
- keypress latency while the index builds (a full build into a fresh index folder), against the
  same keypresses once the index is done: median and p95, and the ratio of medians.
Figures are measurements, not pass/fail: nothing here is asserted by a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Static

from specagent.config import load_settings
from specagent.pipeline.draft import draft
from specagent.tui import make_app
from specagent.tui.widgets import SpecTree

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SIZE = (80, 24)


def largest_prototype() -> str:
    """The corpus prototype with the most bytes of files."""
    return max(
        (p for p in CORPUS.iterdir() if p.is_dir()),
        key=lambda p: sum(f.stat().st_size for f in p.rglob("*") if f.is_file() and not f.is_symlink()),
    ).name


class BareApp(App[None]):
    """The baseline: Textual starting one widget, nothing of specagent."""

    def compose(self) -> ComposeResult:
        yield Static("baseline")


async def _first_screen(factory) -> float:
    started = time.perf_counter()
    app = factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        return time.perf_counter() - started


async def _draft_shown(root: Path) -> float:
    started = time.perf_counter()
    app = make_app(root, load_settings(root), index=False)
    async with app.run_test(size=SIZE) as pilot:
        while app.session.result is None or not app.query_one("#tree").root.children:
            await pilot.pause(0.01)
        await pilot.pause()
        return time.perf_counter() - started


async def _latency(app: App, tree: SpecTree, key: str) -> float:
    """Seconds from a key reaching the app to the tree's cursor moving."""
    before = tree.cursor_line
    started = time.perf_counter()
    app.post_message(events.Key(key, None))
    while tree.cursor_line == before:
        await asyncio.sleep(0.0005)
    return time.perf_counter() - started


async def _keypresses(root: Path, index_dir: Path, presses: int) -> tuple[list[float], list[float], int]:
    """Latencies of arrow keys in the tree while a full index builds (``i``), and once it is done."""
    settings = load_settings(root, index_dir=index_dir)
    app = make_app(root, settings, index=False)
    busy: list[float] = []
    idle: list[float] = []
    keys = ("down", "up")
    async with app.run_test(size=SIZE) as pilot:
        while app.session.result is None:
            await pilot.pause(0.05)
        tree = app.query_one(SpecTree)
        tree.focus()
        tree.cursor_line = 3  # away from the top, so "up" moves too
        await pilot.pause()
        for n in range(max(presses // 2, 5)):
            idle.append(await _latency(app, tree, keys[n % 2]))
            await asyncio.sleep(0.02)
        await pilot.press("i")
        while not app.index_running:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.5)  # past the model load, into reading and embedding
        while app.index_running and len(busy) < presses:
            latency = await _latency(app, tree, keys[len(busy) % 2])
            if app.index_running:  # only keys answered while the index was still building
                busy.append(latency)
            await asyncio.sleep(0.05)
        while app.index_running:
            await asyncio.sleep(0.05)
        await pilot.pause()
        chunks = int(str(app.query_one("#status").index_state).split()[-1] or 0)
    return busy, idle, chunks


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prototype", default=None, help="corpus prototype (default: the largest)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each start-up figure (best is kept)")
    parser.add_argument("--presses", type=int, default=40, help="keypresses timed while the index builds")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    name = args.prototype or largest_prototype()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / name
        shutil.copytree(CORPUS / name, root, symlinks=True)
        files = sum(1 for f in root.rglob("*") if f.is_file())
        settings = load_settings(root)
        bare = min(asyncio.run(_first_screen(BareApp)) for _ in range(args.repeat))
        first = min(
            asyncio.run(_first_screen(lambda: make_app(root, settings, index=False, auto_start=False)))
            for _ in range(args.repeat)
        )
        library = min(_timed(lambda: draft(root, settings=settings)) for _ in range(args.repeat))
        shown = min(asyncio.run(_draft_shown(root)) for _ in range(args.repeat))
        busy, idle, chunks = asyncio.run(_keypresses(root, Path(tmp) / "index", args.presses))
    figures = {
        "prototype": name,
        "files": files,
        "first_screen_s": first,
        "bare_app_s": bare,
        "first_screen_ratio": first / bare,
        "draft_shown_s": shown,
        "library_draft_s": library,
        "draft_shown_ratio": shown / library,
        "keypress_busy_median_ms": statistics.median(busy) * 1000 if busy else None,
        "keypress_busy_p95_ms": _p95(busy) * 1000 if busy else None,
        "keypress_idle_median_ms": statistics.median(idle) * 1000,
        "keypress_ratio": statistics.median(busy) / statistics.median(idle) if busy else None,
        "keypresses_while_indexing": len(busy),
        "index_chunks": chunks,
    }
    print(f"prototype {name} ({files} files), headless {SIZE[0]}x{SIZE[1]}")
    print(f"first screen      {first:7.3f} s   bare Textual app {bare:7.3f} s   {first / bare:5.1f}x")
    print(f"draft shown       {shown:7.3f} s   library draft()  {library:7.3f} s   {shown / library:5.1f}x")
    if busy:
        print(
            f"keypress indexing median {figures['keypress_busy_median_ms']:6.1f} ms  p95 "
            f"{figures['keypress_busy_p95_ms']:6.1f} ms   idle median {figures['keypress_idle_median_ms']:6.1f} ms   "
            f"{figures['keypress_ratio']:5.1f}x  ({len(busy)} presses, index of {chunks} chunks)"
        )
    else:
        print(f"keypress indexing: the index ({chunks} chunks) finished before a key could be timed")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


def _timed(func) -> float:
    started = time.perf_counter()
    func()
    return time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main())
