"""Progress of the pipeline's current stage, driven by its events."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar


class PipelineProgress(Horizontal):
    """A stage name, a bar and a count; hidden when nothing runs."""

    def compose(self) -> ComposeResult:
        yield Label("", id="stage")
        yield ProgressBar(total=None, show_eta=False, show_percentage=False, id="bar")
        yield Label("", id="count")

    def started(self, stage: str, total: int | None, unit: str = "") -> None:
        """A stage began (``total`` units, when known)."""
        self.display = True
        self.query_one("#stage", Label).update(stage)
        bar = self.query_one(ProgressBar)
        bar.update(total=total, progress=0)
        self.query_one("#count", Label).update(f"0/{total} {unit}".rstrip() if total else "")

    def advanced(self, stage: str, done: int, total: int | None, unit: str = "") -> None:
        """A stage made progress."""
        self.display = True
        self.query_one("#stage", Label).update(stage)
        self.query_one(ProgressBar).update(total=total, progress=done)
        self.query_one("#count", Label).update(f"{done}/{total} {unit}".rstrip() if total else f"{done} {unit}")

    def finished(self) -> None:
        """Nothing runs any more."""
        self.display = False
