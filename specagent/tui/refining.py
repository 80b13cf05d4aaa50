"""Refine: the model rewrites the selected item or section; the person accepts or rejects the diff."""

from __future__ import annotations

from textual import work
from textual.worker import get_current_worker

from specagent.errors import SpecagentError
from specagent.spec.model import Item
from specagent.tui.guard import guarded
from specagent.tui.messages import WorkFailed
from specagent.tui.screens import PromptScreen, RefineScreen
from specagent.tui.workers import PipelineWorkers, internal_error

REFINE_NEEDS_MODEL = "refine needs a model: set SPECAGENT_MODEL (and OPENAI_BASE_URL/OPENAI_API_KEY) or pass --model"


class RefineActions(PipelineWorkers):
    """Ask for an instruction, refine in a worker, show the proposal as a diff to accept or reject."""

    @guarded
    def action_refine(self) -> None:
        if not self.settings.model:
            self.notify(REFINE_NEEDS_MODEL, severity="warning")
            return
        item_id = self._current_item_id()
        section = self._current_section()
        if item_id is None and section is None:
            self.notify("select an item or a section to refine", severity="warning")
            return
        target = item_id or section or ""

        def instructed(text: str | None) -> None:
            if text:
                self.notify(f"refining {target} with {self.settings.model}; Esc cancels", timeout=4)
                self.refine_worker(target, text)

        self.push_screen(PromptScreen(f"Refine {target}", placeholder="e.g. make the target concrete"), instructed)

    @work(thread=True, exclusive=True, group="refine", exit_on_error=False)
    def refine_worker(self, target: str, instruction: str) -> None:
        """Ask the model for replacements of ``target`` (an item ID or a section key)."""
        from specagent.pipeline.refine import refine_item

        try:
            spec = self.session.spec
            assert spec is not None
            ids = [target] if "-" in target else [i.id for i in spec.section_items(target)]
            old = [self.session.item(i) for i in ids]
            # The same library call as the CLI's drafter: evidence-bound, validated, repaired.
            proposed = refine_item(spec, target, instruction, self.root, settings=self.settings, on_event=self._sink())
            if get_current_worker().is_cancelled:
                return  # Esc: the answer came back after the person gave up on it
        except SpecagentError as exc:
            self.post_message(WorkFailed("refine", str(exc)))
        except Exception as exc:
            self.post_message(WorkFailed("refine", internal_error(exc)))
        else:
            self.call_from_thread(self.show_refinement, old, list(proposed), instruction)

    def show_refinement(self, old: list[Item], proposed: list[Item], instruction: str = "") -> None:
        """The proposal as a diff; accepting replaces the old items."""

        def decided(accept: bool | None) -> None:
            if accept:
                self._accept_refinement(old, proposed)
            else:
                self.notify("refinement rejected; nothing changed", timeout=3)

        self.push_screen(RefineScreen(old, proposed, instruction), decided)

    @guarded
    def _accept_refinement(self, old: list[Item], proposed: list[Item]) -> None:
        self.session.replace([i.id for i in old], proposed)
        self.refresh_tree(proposed[0].id if proposed else None)
        self.notify(f"replaced {', '.join(i.id for i in old)}", timeout=3)
