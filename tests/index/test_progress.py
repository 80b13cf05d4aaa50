"""The index command's progress bar shows files, chunks, chunks/s and ETA."""

from __future__ import annotations

import io
import time

from rich.console import Console

from specagent.cli.index import IndexPrinter
from specagent.events import StageFinished, StageStarted, Warned
from specagent.pipeline.indexing import IndexProgress


def test_progress_bar_shows_files_chunks_rate_and_eta() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=160, color_system=None)
    printer = IndexPrinter(console=console)
    with printer.running():
        printer(StageStarted("index", total=40))
        for done in (10, 20, 30):
            time.sleep(0.05)
            printer(IndexProgress("index", done, 40, f"{done // 10}/4 files", files_done=done // 10, files_total=4))
        assert printer.progress is not None
        printer.progress.refresh()
        live = buffer.getvalue()
        printer(Warned("something skipped", "a.py"))
        printer(StageFinished("index", 1.0, "4 files, 40 chunks"))
    assert "30/40" in live and "chunks" in live and "3/4 files" in live
    assert "chunks/s" in live and "ETA" in live
    assert "warning" in buffer.getvalue() and "something skipped" in buffer.getvalue()
