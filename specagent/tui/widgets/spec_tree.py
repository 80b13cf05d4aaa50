"""The left pane: sections and their items, with provenance, lock and check marks."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Tree

from specagent.tui.messages import NodeChosen

_BADGES = {"observed": ("obs", "green"), "inferred": ("inf", "cyan"), "decision": ("dec", "magenta")}
_CHECKS = {"error": ("✗", "bold red"), "warning": ("!", "yellow"), "info": ("i", "blue"), "ok": ("✓", "green")}


@dataclass(frozen=True)
class TreeRow:
    """What the tree shows for one item."""

    item_id: str
    title: str
    provenance: str
    locked: bool
    check: str = ""  # "", "ok", "info", "warning" or "error"


def row_label(row: TreeRow) -> Text:
    """``IF-001 obs L ✓ name``: ID, provenance badge, lock mark and check status (when set), title."""
    badge, colour = _BADGES.get(row.provenance, (row.provenance[:3], "white"))
    text = Text(row.item_id, style="bold")
    text.append(" ")
    text.append(badge, style=colour)
    if row.locked:
        text.append(" L", style="bold yellow")
    if row.check in _CHECKS:
        mark, style = _CHECKS[row.check]
        text.append(f" {mark}", style=style)
    text.append(f" {row.title}")
    return text


class SpecTree(Tree[tuple[str, str]]):
    """Sections (expandable) holding their items; data is ("section", key) or ("item", id)."""

    def show(self, sections: list[tuple[str, str, list[TreeRow]]], keep: str | None = None) -> None:
        """Rebuild from (key, title, rows); the cursor goes back to ``keep`` when it still exists."""
        expanded = {n.data[1] for n in self.root.children if n.data and n.is_expanded}
        first = not self.root.children
        self.clear()
        self.root.expand()
        target = None
        for key, title, rows in sections:
            node = self.root.add(Text(f"{title} ({len(rows)})", style="bold"), data=("section", key))
            for row in rows:
                leaf = node.add_leaf(row_label(row), data=("item", row.item_id))
                if row.item_id == keep:
                    target = leaf
            if (first and rows) or key in expanded or (target is not None and target.parent is node):
                node.expand()
        if target is not None:
            # New nodes get their line numbers when the tree next renders.
            self.call_after_refresh(self.move_cursor, target)

    def select_item(self, item_id: str) -> bool:
        """Move the cursor to an item (expanding its section); False when it is not in the tree."""
        for section in self.root.children:
            for leaf in section.children:
                if leaf.data == ("item", item_id):
                    section.expand()
                    self.call_after_refresh(self.move_cursor, leaf)
                    return True
        return False

    def current(self) -> tuple[str, str] | None:
        """("item", id) or ("section", key) under the cursor."""
        node = self.cursor_node
        return node.data if node is not None else None

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[tuple[str, str]]) -> None:
        data = event.node.data
        if data is None:
            return
        kind, value = data
        self.post_message(NodeChosen(value if kind == "item" else None, value if kind == "section" else None))
