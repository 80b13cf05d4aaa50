"""Edit an item inline as YAML. A broken edit is refused and stays in the editor."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, TextArea

from specagent.tui.screens.confirm import ConfirmScreen


class EditScreen(ModalScreen[str | None]):
    """A TextArea holding the item's YAML. Ctrl+S applies (when ``validate`` accepts it); Esc
    leaves, asking first when the text was changed, so an edit is never dropped by a slip."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "apply", "Apply", priority=True),
        Binding("escape", "leave", "Cancel"),
    ]

    def __init__(self, item_id: str, text: str, validate: Callable[[str], str | None]) -> None:
        super().__init__()
        self.item_id = item_id
        self.original = text
        self.text = text
        self.validate = validate

    def compose(self) -> ComposeResult:
        with Vertical(classes="editor"):
            yield Label(f"Edit {self.item_id} (YAML) · ctrl+s apply · esc cancel", classes="dialog-title")
            yield TextArea(self.text, id="editor", soft_wrap=True, show_line_numbers=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_apply(self) -> None:
        text = self.query_one(TextArea).text
        problem = self.validate(text)
        if problem:
            self.notify(problem, title="Edit refused", severity="error")
            return  # the text stays where it is, to be fixed
        self.dismiss(text)

    def action_leave(self) -> None:
        if self.query_one(TextArea).text == self.original:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen(f"Discard your changes to {self.item_id}?"), answered)
