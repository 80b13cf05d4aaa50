"""The actions that start or stop the pipeline's workers: index, draft, check, search, save; cancel, quit."""

from __future__ import annotations

from specagent.tui.guard import guarded
from specagent.tui.screens import ConfirmScreen, PromptScreen, SaveScreen
from specagent.tui.widgets import StatusLine
from specagent.tui.workers import PipelineWorkers


class PipelineActions(PipelineWorkers):
    """The keys that run the library: each checks it can start, then hands over to a worker."""

    @guarded
    def action_reindex(self) -> None:
        if self.index_running:
            self.notify("the index is already building")
            return
        self.start_index()

    def action_cancel(self) -> None:
        if self.index_running:
            self.workers.cancel_group(self, "index")
            self.query_one(StatusLine).index_state = "cancelling"
        if any(w.group == "refine" and w.is_running for w in self.workers):
            # The HTTP call cannot be interrupted; its answer is dropped when it arrives.
            self.workers.cancel_group(self, "refine")
            self.notify("refine cancelled; nothing changed", timeout=3)

    @guarded
    def action_redraft(self) -> None:
        if self._draft_running():
            self.notify("a draft is already running")
            return
        self.start_draft()

    @guarded
    def action_check(self) -> None:
        if self.session.spec is None:
            self.notify("no draft yet: wait for the draft to finish", severity="warning")
            return
        self.check_worker()

    @guarded
    def action_search(self) -> None:
        def asked(query: str | None) -> None:
            if query and query.strip():
                self.search_worker(query.strip())

        self.push_screen(PromptScreen("Search the repository", placeholder="words, identifiers…"), asked)

    @guarded
    def action_save(self) -> None:
        if self.session.spec is None:
            self.notify("no draft yet: nothing to save", severity="warning")
            return
        preview = self.session.save_preview()
        if not preview.exists:
            self.save_worker()
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.save_worker()

        self.push_screen(SaveScreen(preview, self._shown(self.session.out_dir)), confirmed)

    async def action_quit(self) -> None:
        if not self.session.dirty:
            self.exit()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(ConfirmScreen("Unsaved changes. Quit without saving?"), answered)
