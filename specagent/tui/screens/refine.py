"""A proposed replacement of items (a model's refinement), shown as a diff to accept or reject."""

from __future__ import annotations

import difflib
from typing import ClassVar

from rich.syntax import Syntax
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Static

from specagent.spec.model import Item
from specagent.tui.session import item_yaml


def _text(items: list[Item]) -> list[str]:
    lines: list[str] = []
    for item in items:
        lines.append(f"# {item.id}")
        lines.extend(item_yaml(item).splitlines())
    return lines


def refine_diff(old: list[Item], proposed: list[Item]) -> str:
    """A unified diff of the items' YAML, old to proposed."""
    return "\n".join(difflib.unified_diff(_text(old), _text(proposed), "current", "proposed", lineterm="", n=2))


class RefineScreen(ModalScreen[bool]):
    """``a`` accepts the proposal (True), ``r`` or Esc rejects it (False)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "answer(True)", "Accept"),
        Binding("r", "answer(False)", "Reject"),
        Binding("escape", "answer(False)", "Reject", show=False),
    ]

    def __init__(self, old: list[Item], proposed: list[Item], instruction: str = "") -> None:
        super().__init__()
        self.old = old
        self.proposed = proposed
        self.instruction = instruction

    def compose(self) -> ComposeResult:
        ids = ", ".join(i.id for i in self.old)
        new_ids = ", ".join(i.id for i in self.proposed)
        with Vertical(classes="editor"):
            yield Label(f"Refine {ids} → {new_ids} · a accept · r reject", classes="dialog-title")
            if self.instruction:
                yield Label(f"“{self.instruction}”", classes="dialog-detail")
            with VerticalScroll():
                yield Static(
                    Syntax(refine_diff(self.old, self.proposed) or " ", "diff", theme="ansi_dark", word_wrap=True)
                )
        yield Footer()

    def action_answer(self, accept: bool) -> None:
        self.dismiss(accept)
