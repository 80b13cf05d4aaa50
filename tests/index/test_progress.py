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


def test_piped_output_has_a_line_per_stage_and_a_heartbeat_for_long_stages(monkeypatch) -> None:
    from specagent.cli import output
    from specagent.events import StageProgress

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=False, width=80, color_system=None)
    printer = output.EventPrinter(console=console)
    clock = iter([0.0, 1.0, 6.0, 7.0, 13.0])
    monkeypatch.setattr(output.time, "monotonic", lambda: next(clock))
    with printer.running():
        printer(StageStarted("index", total=500))  # t=0
        printer(StageProgress("index", 10, 500))  # t=1: too soon for a line
        printer(StageProgress("index", 200, 500))  # t=6: a heartbeat
        printer(StageProgress("index", 300, 500))  # t=7: too soon again
        printer(StageFinished("index", 13.0, "500 chunks"))
    assert buffer.getvalue().splitlines() == ["index: 200/500", "index: done in 13.0 s, 500 chunks"]


def test_the_progress_bar_fits_80_columns() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=80, color_system=None)
    from specagent.cli.output import EventPrinter

    printer = EventPrinter(console=console)
    with printer.running():
        printer(StageStarted("validate", total=3))
        printer(StageFinished("validate", 0.1, "12 repairs of citations that did not resolve, all listed below"))
    lines = [line for line in buffer.getvalue().splitlines() if line.strip()]
    assert lines and all(len(line) <= 80 for line in lines)
    assert any("validate" in line for line in lines)
