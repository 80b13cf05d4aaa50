"""The app's state and what it shows of the spec: the tree, the selected item or section, its evidence.

:class:`SpecView` is the base of the app: it holds the session and the settings, and renders what
the person moves to in the tree. The actions and the workers (the other modules of this package)
build on it; widgets only show what they are given.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from textual.app import App

from specagent.config import Settings
from specagent.spec.diff import item_title
from specagent.spec.markdown import SECTION_TITLES
from specagent.spec.model import Citation, Item
from specagent.tui.evidence import blocks_for
from specagent.tui.guard import guarded
from specagent.tui.messages import NodeChosen
from specagent.tui.screens import PromptScreen
from specagent.tui.session import Session
from specagent.tui.widgets import EvidencePanel, ItemView, SpecTree, StatusLine, TreeRow, item_markdown

#: Seconds the TUI waits for another process's index lock before saying so (the CLI waits longer).
TUI_LOCK_TIMEOUT_S = 5.0


class SpecView(App[None]):
    """The session's spec in the three panes: tree, item (or section) and evidence."""

    def __init__(
        self,
        root: Path,
        settings: Settings,
        *,
        out_dir: Path | None = None,
        index: bool = True,
        auto_start: bool = True,
        now: Callable[[], datetime] | None = None,
        lock_timeout: float = TUI_LOCK_TIMEOUT_S,
    ) -> None:
        super().__init__()
        self.root = Path(root)
        self.settings = settings
        self.session = Session(self.root, settings, out_dir=out_dir, now=now)
        self.index_enabled = index
        self.auto_start = auto_start
        self.lock_timeout = lock_timeout
        self.index_running = False
        self.warnings: list[str] = []
        self.evidence_targets: list[tuple[str, int]] = []
        self._open_next = 0

    def _rows(self, items: list[Item]) -> list[TreeRow]:
        rows: list[TreeRow] = []
        for item in items:
            severities = self.session.findings_for(item.id)
            check = ""
            if self.session.report is not None:
                check = next((s for s in ("error", "warning", "info") if s in severities), "ok")
            rows.append(TreeRow(item.id, item_title(item), item.provenance, item.locked, check))
        return rows

    def refresh_tree(self, keep: str | None = None) -> None:
        """Show the session's spec in the tree (the cursor stays on ``keep``)."""
        if self.session.spec is None:
            return
        sections = [(key, title, self._rows(items)) for key, title, items in self.session.sections()]
        self.query_one(SpecTree).show(sections, keep)
        self.query_one(StatusLine).unsaved = self.session.dirty
        if keep is not None:
            self.show_item(keep)

    def _current_item_id(self) -> str | None:
        current = self.query_one(SpecTree).current()
        return current[1] if current and current[0] == "item" else None

    def _current_section(self) -> str | None:
        current = self.query_one(SpecTree).current()
        return current[1] if current and current[0] == "section" else None

    @guarded
    def on_node_chosen(self, message: NodeChosen) -> None:
        if message.item_id is not None:
            self.show_item(message.item_id)
        elif message.section is not None:
            self.show_section(message.section)

    def show_item(self, item_id: str) -> None:
        """The item in the middle, its sources in the evidence panel."""
        if self.session.spec is None:
            return
        item = self.session.item(item_id)
        findings: list[str] = []
        if self.session.report is not None:
            findings = [
                f"{f.severity}: {f.message} [{f.code}]" for f in self.session.report.findings if f.item_id == item_id
            ]
        self.query_one(ItemView).update(item_markdown(item, findings))
        self._show_evidence(f"Evidence for {item_id}", item.sources)

    def show_section(self, key: str) -> None:
        """A section's items as a list (the overview also shows the problem statement)."""
        if self.session.spec is None:
            return
        title = SECTION_TITLES[key]
        lines = [f"## {title}", ""]
        problem = self.session.spec.overview.problem
        if key == "overview" and problem is not None:
            lines += [f"**Problem** (*{problem.provenance}*): {problem.text}", ""]
        items = self.session.spec.section_items(key)
        lines += [f"- **{i.id}** {item_title(i)}" for i in items] or ["_None._"]
        self.query_one(ItemView).update("\n".join(lines) + "\n")
        sources = problem.sources if key == "overview" and problem is not None else []
        self._show_evidence(f"Evidence for {title}", sources)

    def _show_evidence(self, title: str, sources: list[Citation]) -> None:
        """The cited sources in the evidence panel; ``o`` opens them in turn from the first."""
        self.query_one(EvidencePanel).show(title, blocks_for(sources, self.session.texts))
        self.evidence_targets = [(c.path, c.start_line if c.cell is None else 1) for c in sources]
        self._open_next = 0

    def show_overview(self) -> None:
        """The overview section: what the app shows once a first draft is in."""
        self.show_section("overview")

    @guarded
    def action_goto(self) -> None:
        def chosen(value: str | None) -> None:
            if value and not self.query_one(SpecTree).select_item(value.strip().upper()):
                self.notify(f"{value.strip()}: no such item", severity="warning")

        self.push_screen(PromptScreen("Go to item", placeholder="e.g. FR-001"), chosen)

    def _need_item(self, verb: str) -> str | None:
        if self.session.spec is None:
            self.notify("no draft yet: wait for the draft to finish", severity="warning")
            return None
        item_id = self._current_item_id()
        if item_id is None:
            self.notify(f"select an item to {verb}", severity="warning")
        return item_id

    def _shown(self, path: Path) -> str:
        """A path as the person knows it: relative to the prototype when inside it."""
        try:
            return Path(self.root.name, path.resolve().relative_to(self.root.resolve())).as_posix()
        except ValueError:
            return str(path)
