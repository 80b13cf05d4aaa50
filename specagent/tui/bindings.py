"""The app's actions: their keys (overridable by binding id), footer labels and palette help."""

from __future__ import annotations

from typing import NamedTuple

from textual.binding import Binding, BindingType


class ActionSpec(NamedTuple):
    """One action of the app, as the footer, the keymap and the command palette know it."""

    binding_id: str
    key: str
    action: str
    label: str
    help: str


#: The ids are what ``keymap`` in the settings overrides, e.g. ``[keymap] save = "ctrl+s"`` in
#: .specagent.toml.
ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("edit", "e", "edit", "Edit", "Edit the selected item inline (YAML)"),
    ActionSpec("lock", "l", "lock", "Lock", "Lock or unlock the selected item (locked items survive re-drafts)"),
    ActionSpec("answer", "a", "answer", "Answer", "Answer the selected open question (it becomes a decision)"),
    ActionSpec("check", "c", "check", "Check", "Run the quality checks and list the findings"),
    ActionSpec("search", "slash", "search", "Search", "Search the repository (hits show as evidence)"),
    ActionSpec("save", "s", "save", "Save", "Save SPEC.md and spec.json (diff preview first)"),
    ActionSpec("quit", "q", "quit", "Quit", "Quit (asks when there are unsaved changes)"),
    ActionSpec("refine", "r", "refine", "Refine", "Ask the model to refine the selected item or section"),
    ActionSpec("open_source", "o", "open_source", "Open", "Open the cited file at its line in $EDITOR"),
    ActionSpec("edit_external", "E", "edit_external", "Editor", "Edit the selected item in $EDITOR"),
    ActionSpec("goto", "g", "goto", "Go to", "Go to an item by its ID"),
    ActionSpec("index", "i", "reindex", "Index", "Bring the repository index up to date"),
    ActionSpec("draft", "d", "redraft", "Draft", "Draft again (locked items are kept)"),
    ActionSpec("cancel", "escape", "cancel", "Cancel", "Cancel indexing"),
)


def key_bindings() -> list[BindingType]:
    """A binding per action, in the table's order; Esc (cancel) works but takes no footer space."""
    return [Binding(a.key, a.action, a.label, id=a.binding_id, show=a.binding_id != "cancel") for a in ACTIONS]
