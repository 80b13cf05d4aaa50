"""Before overwriting a saved spec: what changes, and which edited files are kept as .bak."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Markdown

from specagent.tui.session import SavePreview


class SaveScreen(ModalScreen[bool]):
    """The diff preview; ``y`` saves, ``n`` or Esc goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Save"),
        Binding("n", "answer(False)", "Don't save"),
        Binding("escape", "answer(False)", "Back", show=False),
    ]

    def __init__(self, preview: SavePreview, out_dir: str) -> None:
        super().__init__()
        self.preview = preview
        self.out_dir = out_dir

    def compose(self) -> ComposeResult:
        p = self.preview
        with Vertical(classes="editor"):
            yield Label(f"Save to {self.out_dir}: {p.changes} item change(s) · y save · n back", classes="dialog-title")
            for name in p.edited:
                yield Label(
                    f"{name} was edited since specagent wrote it: kept as {name}.bak; its locked items are merged",
                    classes="warning",
                )
            with VerticalScroll():
                yield Markdown(p.diff_markdown or "_No differences._", id="diff")
        yield Footer()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
