"""The Textual app: watch the draft, browse it with its evidence, edit, lock, answer, check, save.

The app is the only part of the TUI that calls the library, always from ``@work`` thread
workers (:mod:`specagent.tui.workers`) and through the same functions the CLI uses; the
pipeline's events come back as messages and drive the progress bar. Widgets only show what they
are given. Every action is guarded (:mod:`specagent.tui.guard`): a one-line notification instead
of a crash, and an edit is never dropped (a refused one stays in its editor).

:class:`SpecApp` lays the panes out and puts the actions together: the tree and item view
(:mod:`~specagent.tui.view`), the person's edits (:mod:`~specagent.tui.editing`), refine
(:mod:`~specagent.tui.refining`) and the pipeline's actions (:mod:`~specagent.tui.pipeline_actions`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from textual.app import ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen

from specagent.config import Settings, load_settings
from specagent.ingest.run import check_root
from specagent.tui.bindings import ACTIONS, key_bindings
from specagent.tui.editing import EditActions
from specagent.tui.pipeline_actions import PipelineActions
from specagent.tui.refining import REFINE_NEEDS_MODEL, RefineActions
from specagent.tui.view import TUI_LOCK_TIMEOUT_S
from specagent.tui.widgets import EvidencePanel, ItemView, PipelineProgress, SpecTree, StatusLine, WrappingFooter

# REFINE_NEEDS_MODEL: the tests read the refusal from here, beside the app that shows it.
__all__ = ["REFINE_NEEDS_MODEL", "SpecApp", "make_app"]


class SpecApp(EditActions, RefineActions, PipelineActions):
    """``specagent tui``: one prototype's spec, its evidence and the person's decisions."""

    CSS_PATH = "app.tcss"
    TITLE = "specagent"
    BINDINGS: ClassVar[list[BindingType]] = key_bindings()

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
        yield PipelineProgress(id="progress")
        with Horizontal(id="panes"):
            yield SpecTree("Spec", id="tree")
            with Vertical(id="middle"):
                yield ItemView("Drafting… the spec appears here when the draft is ready.", id="item")
            yield EvidencePanel(id="evidence")
        yield WrappingFooter(compact=True)

    def on_mount(self) -> None:
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        status = self.query_one(StatusLine)
        status.repo = self.root.resolve().name
        status.drafter = self.settings.model or "offline"
        status.index_state = "waiting" if self.index_enabled else "off"
        self.query_one(SpecTree).show_root = False
        self.query_one(PipelineProgress).display = False
        self.query_one(EvidencePanel).show("Evidence", [], "Cited sources show here.")
        self.query_one(SpecTree).focus()
        if self.auto_start:
            # Both at once: the index builds in a child process while the offline draft (a second
            # or two) fills the screen, so a person can browse long before the index is ready.
            if self.index_enabled:
                self.start_index()
            self.start_draft()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every action is in the command palette, beside Textual's own commands."""
        yield from super().get_system_commands(screen)
        for spec in ACTIONS:
            yield SystemCommand(spec.label, spec.help, self._runner(spec.action))

    def _runner(self, action: str) -> Callable[[], Awaitable[bool]]:
        return lambda: self.run_action(action)


def make_app(
    root: Path,
    settings: Settings | None = None,
    *,
    out_dir: Path | None = None,
    index: bool = True,
    auto_start: bool = True,
    now: Callable[[], datetime] | None = None,
    lock_timeout: float = TUI_LOCK_TIMEOUT_S,
) -> SpecApp:
    """The TUI for the prototype at ``root``; the CLI and the tests both build it here.

    ``index=False`` skips indexing at start (search then asks for ``i``); ``auto_start=False``
    starts nothing, for tests that drive events themselves; ``now`` fixes the clock.
    Raises InputPathError (one line) for a missing or unreadable root.
    """
    root = check_root(Path(root))
    settings = settings or load_settings(root)
    return SpecApp(
        root,
        settings,
        out_dir=out_dir,
        index=index,
        auto_start=auto_start,
        now=now or (lambda: datetime.now(UTC)),
        lock_timeout=lock_timeout,
    )
