"""A footer that wraps its keys onto two rows, so every binding shows at 80 columns."""

from __future__ import annotations

import math
from typing import TypedDict, Unpack

from textual.app import ComposeResult
from textual.widgets import Footer


class FooterOptions(TypedDict, total=False):
    """The keyword arguments of Textual's :class:`Footer`, passed through as given."""

    name: str | None
    id: str | None
    classes: str | None
    disabled: bool
    show_command_palette: bool
    compact: bool


class WrappingFooter(Footer):
    """Textual's footer, laid out as a grid of ``rows`` rows instead of one long line."""

    DEFAULT_CSS = """
    WrappingFooter {
        layout: grid;
        height: 2;
    }
    """

    def __init__(self, rows: int = 2, **options: Unpack[FooterOptions]) -> None:
        super().__init__(**options)
        self.rows = rows

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        # Footer sizes its grid to one column per key; wrap them onto ``rows`` rows instead.
        self.styles.grid_size_columns = max(1, math.ceil(len(keys) / self.rows))
        yield from keys
