"""The right pane: each cited source, syntax highlighted around the cited lines."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.syntax import Syntax
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from specagent.tui.evidence import EvidenceBlock


def block_renderable(block: EvidenceBlock) -> Group:
    """A block as Rich renderables: its title, the code with cited lines highlighted, outputs."""
    parts: list[RenderableType] = [Text(block.title, style="bold underline")]
    if block.problem:
        parts.append(Text(block.problem, style="red"))
        return Group(*parts)
    if block.cell is not None:
        parts.append(Text(f"In [{block.cell}]:", style="bold blue"))
    start, end = block.cited
    parts.append(
        Syntax(
            block.code or " ",
            block.lexer,
            line_numbers=True,
            start_line=block.first_line,
            highlight_lines=set(range(start, end + 1)),
            word_wrap=True,
            theme="ansi_dark",
        )
    )
    if block.outputs:
        parts.append(Text(f"Out[{block.cell}]:", style="bold red"))
        parts.append(Text(block.outputs))
    return Group(*parts)


class EvidencePanel(VerticalScroll):
    """A heading and one block per source."""

    heading: str = ""
    blocks: tuple[EvidenceBlock, ...] = ()

    def show(self, heading: str, blocks: list[EvidenceBlock], empty: str = "No sources cited.") -> None:
        """Replace what the panel shows."""
        self.heading = heading
        self.blocks = tuple(blocks)
        self.remove_children()
        widgets = [Static(Text(heading, style="bold"), classes="evidence-heading")]
        if not blocks:
            widgets.append(Static(empty, classes="evidence-empty"))
        widgets.extend(Static(block_renderable(b), classes="evidence-block") for b in blocks)
        self.mount_all(widgets)
        self.scroll_home(animate=False)
