"""The header line: repository, drafter, index state, model calls, tokens and cost."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static


class StatusLine(Static):
    """One line of state at the top of the screen."""

    repo: reactive[str] = reactive("")
    drafter: reactive[str] = reactive("offline")
    index_state: reactive[str] = reactive("not built")
    calls: reactive[int] = reactive(0)
    tokens: reactive[int] = reactive(0)
    cost: reactive[float] = reactive(0.0)
    unsaved: reactive[bool] = reactive(False)

    def render(self) -> Text:
        text = Text()
        text.append(f" {self.repo} ", style="bold reverse")
        text.append(f" drafter {self.drafter}")
        text.append(f" │ index {self.index_state}")
        text.append(f" │ {self.calls} calls {self.tokens} tok ${self.cost:.2f}")
        if self.unsaved:
            text.append(" │ ", style="")
            text.append("unsaved", style="bold yellow")
        return text
