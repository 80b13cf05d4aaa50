"""The check's findings; Enter jumps to the item a finding is about."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, OptionList
from textual.widgets.option_list import Option

from specagent.quality.findings import CheckReport

_STYLE = {"error": "bold red", "warning": "yellow", "info": "blue"}
_ORDER = {"error": 0, "warning": 1, "info": 2}


class FindingsScreen(ModalScreen[str | None]):
    """Findings, worst first; Enter returns the item ID of the highlighted one, Esc None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def __init__(self, report: CheckReport) -> None:
        super().__init__()
        self.report = report

    def compose(self) -> ComposeResult:
        r = self.report
        s = r.scores
        findings = sorted(r.findings, key=lambda f: (_ORDER[f.severity], f.item_id or ""))
        options = []
        for index, f in enumerate(findings):
            label = Text(f"{f.severity:<7} ", style=_STYLE[f.severity])
            label.append(f.text())
            options.append(Option(label, id=f"{index}:{f.item_id or ''}"))
        with Vertical(classes="editor"):
            yield Label(
                f"Check: {r.count('error')} error(s), {r.count('warning')} warning(s), {r.count('info')} info; "
                f"citations {s.citations_resolved}/{s.citations} resolve · enter go to item · esc close",
                classes="dialog-title",
            )
            yield OptionList(*options, id="findings")
        yield Footer()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        item_id = (event.option.id or ":").split(":", 1)[1]
        if item_id:
            self.dismiss(item_id)
        else:
            self.notify("this finding is about the whole spec, not one item")

    def action_close(self) -> None:
        self.dismiss(None)
