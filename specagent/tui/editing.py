"""The person's own changes: edit an item (inline or in $EDITOR), lock it, answer a question; open a source.

An edit is never dropped: one the session refuses stays in its editor (or reopens inline, after
$EDITOR), to be fixed there.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from textual.app import SuspendNotSupported

from specagent.errors import SpecagentError
from specagent.spec.model import OpenQuestion
from specagent.tui.guard import guarded
from specagent.tui.screens import EditScreen, PromptScreen
from specagent.tui.session import EditRejected, item_yaml
from specagent.tui.view import SpecView
from specagent.tui.widgets import SpecTree


class EditActions(SpecView):
    """Edit, lock and answer the selected item; open the cited files in the person's editor."""

    def _validate_edit(self, item_id: str) -> Callable[[str], str | None]:
        def validate(text: str) -> str | None:
            try:
                self.session.parse_edit(item_id, text)
            except EditRejected as exc:
                return str(exc)
            return None

        return validate

    def _apply(self, item_id: str, text: str) -> None:
        self.session.apply_edit(item_id, text)
        self.refresh_tree(item_id)
        self.notify(f"{item_id} edited and locked (re-drafts keep it)", timeout=3)

    @guarded
    def action_edit(self, text: str | None = None) -> None:
        item_id = self._need_item("edit")
        if item_id is None:
            return
        start = text if text is not None else item_yaml(self.session.item(item_id))

        def done(result: str | None) -> None:
            if result is not None:
                self._guarded_apply(item_id, result)

        self.push_screen(EditScreen(item_id, start, self._validate_edit(item_id)), done)

    @guarded
    def _guarded_apply(self, item_id: str, text: str) -> None:
        self._apply(item_id, text)

    def editor_command(self) -> list[str]:
        """$VISUAL or $EDITOR (``vi`` when neither is set), split like a shell would."""
        return shlex.split(os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi")

    def run_editor(self, args: list[str]) -> int:
        """Run the editor in the terminal the app gives up while it runs."""
        command = [*self.editor_command(), *args]
        try:
            with self.suspend():
                return subprocess.run(command, check=False).returncode
        except SuspendNotSupported:  # headless or web: nothing to hand over, run it as is
            return subprocess.run(command, check=False, stdin=subprocess.DEVNULL).returncode
        except FileNotFoundError:
            raise SpecagentError(f"editor not found: {command[0]} (set $EDITOR)") from None

    @guarded
    def action_edit_external(self) -> None:
        item_id = self._need_item("edit")
        if item_id is None:
            return
        original = item_yaml(self.session.item(item_id))
        fd, name = tempfile.mkstemp(prefix=f"specagent-{item_id}-", suffix=".yaml")
        path = Path(name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(original)
            code = self.run_editor([str(path)])
            text = path.read_text(encoding="utf-8")
        finally:
            path.unlink(missing_ok=True)
        if code != 0:
            self.notify(f"the editor exited with {code}; {item_id} is unchanged", severity="warning")
            return
        if text == original:
            self.notify(f"{item_id} unchanged")
            return
        try:
            self._apply(item_id, text)
        except EditRejected as exc:
            # Never lose what the person typed: it opens inline, to be fixed there.
            self.notify(str(exc), title="Edit refused", severity="error")
            self.action_edit(text)

    @guarded
    def action_lock(self) -> None:
        item_id = self._need_item("lock")
        if item_id is None:
            return
        locked = self.session.toggle_lock(item_id)
        self.refresh_tree(item_id)
        self.notify(f"{item_id} {'locked' if locked else 'unlocked'}", timeout=3)

    @guarded
    def action_answer(self) -> None:
        item_id = self._need_item("answer")
        if item_id is None:
            return
        question = self.session.item(item_id)
        if not isinstance(question, OpenQuestion):
            self.notify("select an open question (OQ-…) to answer", severity="warning")
            return

        def answered(text: str | None) -> None:
            if text is not None:
                self._record_answer(item_id, text)

        self.push_screen(PromptScreen(f"Answer {item_id}", question.question, "your decision"), answered)

    @guarded
    def _record_answer(self, question_id: str, text: str) -> None:
        decision = self.session.answer(question_id, text)
        self.refresh_tree(decision.id)
        self.query_one(SpecTree).select_item(decision.id)
        self.notify(f"{question_id} answered: {decision.id} (decision, locked)", timeout=4)

    @guarded
    def action_open_source(self) -> None:
        if not self.evidence_targets:
            self.notify("nothing cited here to open", severity="warning")
            return
        index = self._open_next % len(self.evidence_targets)
        self._open_next += 1
        rel, line = self.evidence_targets[index]
        path = (self.root / rel).resolve()
        if not path.is_file() or not path.is_relative_to(self.root.resolve()):
            raise SpecagentError(f"{rel}: not a readable file in the prototype")
        code = self.run_editor([f"+{line}", str(path)])
        where = f"{rel}:{line} ({index + 1} of {len(self.evidence_targets)})"
        if code != 0:
            self.notify(f"the editor exited with {code} on {where}", severity="warning")
        else:
            self.notify(f"opened {where}", timeout=3)
