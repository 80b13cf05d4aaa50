"""The Textual app: watch the draft, browse it with its evidence, edit, lock, answer, check, save.

The app is the only part of the TUI that calls the library, always from ``@work`` thread
workers and through the same functions the CLI uses (``index_repository``, ``draft``,
``run_checks``, ``search_repository``, ``write_draft``); the pipeline's events come back as
:class:`PipelineEvented` messages and drive the progress bar. Widgets only show what they are
given. Every action is guarded: a one-line notification instead of a crash, and an edit is
never dropped (a refused one stays in its editor).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import wraps
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from textual import work
from textual.app import App, ComposeResult, SuspendNotSupported, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.worker import get_current_worker

from specagent.config import Settings, load_settings
from specagent.errors import SpecagentError
from specagent.events import Event, StageFinished, StageProgress, StageStarted, Warned
from specagent.ingest.run import check_root
from specagent.spec.diff import item_title
from specagent.spec.markdown import SECTION_TITLES
from specagent.spec.model import Item, OpenQuestion
from specagent.tui.evidence import blocks_for, blocks_for_hits
from specagent.tui.messages import (
    Checked,
    Drafted,
    Indexed,
    IndexFailed,
    NodeChosen,
    PipelineEvented,
    Saved,
    Searched,
    WorkFailed,
)
from specagent.tui.screens import ConfirmScreen, EditScreen, FindingsScreen, PromptScreen, RefineScreen, SaveScreen
from specagent.tui.session import EditRejected, Session, item_yaml
from specagent.tui.widgets import (
    EvidencePanel,
    ItemView,
    PipelineProgress,
    SpecTree,
    StatusLine,
    TreeRow,
    WrappingFooter,
    item_markdown,
)

F = TypeVar("F", bound=Callable[..., Any])

#: Seconds the TUI waits for another process's index lock before saying so (the CLI waits longer).
TUI_LOCK_TIMEOUT_S = 5.0
REFINE_NEEDS_MODEL = "refine needs a model: set SPECAGENT_MODEL (and OPENAI_BASE_URL/OPENAI_API_KEY) or pass --model"

#: (binding id, default key, action, footer label, palette help). The ids are what
#: ``keymap`` in the settings overrides, e.g. ``[keymap] save = "ctrl+s"`` in .specagent.toml.
ACTIONS: tuple[tuple[str, str, str, str, str], ...] = (
    ("edit", "e", "edit", "Edit", "Edit the selected item inline (YAML)"),
    ("lock", "l", "lock", "Lock", "Lock or unlock the selected item (locked items survive re-drafts)"),
    ("answer", "a", "answer", "Answer", "Answer the selected open question (it becomes a decision)"),
    ("check", "c", "check", "Check", "Run the quality checks and list the findings"),
    ("search", "slash", "search", "Search", "Search the repository (hits show as evidence)"),
    ("save", "s", "save", "Save", "Save SPEC.md and spec.json (diff preview first)"),
    ("quit", "q", "quit", "Quit", "Quit (asks when there are unsaved changes)"),
    ("refine", "r", "refine", "Refine", "Ask the model to refine the selected item or section"),
    ("open_source", "o", "open_source", "Open", "Open the cited file at its line in $EDITOR"),
    ("edit_external", "E", "edit_external", "Editor", "Edit the selected item in $EDITOR"),
    ("goto", "g", "goto", "Go to", "Go to an item by its ID"),
    ("index", "i", "reindex", "Index", "Bring the repository index up to date"),
    ("draft", "d", "redraft", "Draft", "Draft again (locked items are kept)"),
    ("cancel", "escape", "cancel", "Cancel", "Cancel indexing"),
)


def guarded(func: F) -> F:
    """Report any error of an action or handler as a notification: the app never crashes."""

    @wraps(func)
    def wrapper(self: SpecApp, *args: Any, **kwargs: Any) -> Any:
        try:
            return func(self, *args, **kwargs)
        except SpecagentError as exc:
            self.notify(str(exc), severity="error")
        except Exception as exc:  # a bug must not cost the person their session
            self.log.error(exc)
            self.notify(f"internal error: {type(exc).__name__}: {exc}", severity="error")
        return None

    return wrapper  # type: ignore[return-value]


class SpecApp(App[None]):
    """``specagent tui``: one prototype's spec, its evidence and the person's decisions."""

    CSS_PATH = "app.tcss"
    TITLE = "specagent"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(key, action, label, id=binding_id, show=binding_id != "cancel")
        for binding_id, key, action, label, _ in ACTIONS
    ]

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

    # --- layout --------------------------------------------------------------------------------

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

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action is in the command palette, beside Textual's own commands."""
        yield from super().get_system_commands(screen)
        for _, _, action, label, help_text in ACTIONS:
            yield SystemCommand(label, help_text, self._runner(action))

    def _runner(self, action: str) -> Callable[[], Any]:
        return lambda: self.run_action(action)

    # --- pipeline events -----------------------------------------------------------------------

    def _sink(self) -> Callable[[Event], None]:
        """An event sink for a worker thread: events become messages (post_message is thread-safe)."""

        def sink(event: Event) -> None:
            self.post_message(PipelineEvented(event))

        return sink

    def on_pipeline_evented(self, message: PipelineEvented) -> None:
        self.show_event(message.event)

    def show_event(self, event: Event) -> None:
        """Render one pipeline event: the progress bar, the index state, warnings."""
        progress = self.query_one(PipelineProgress)
        unit = "chunks" if getattr(event, "stage", "") == "index" else "files"
        if isinstance(event, StageStarted):
            progress.started(event.stage, event.total, unit)
        elif isinstance(event, StageProgress):
            progress.advanced(event.stage, event.done, event.total, unit)
            if event.stage == "index" and self.index_running:
                self.query_one(StatusLine).index_state = f"building {event.done}/{event.total or '?'}"
        elif isinstance(event, StageFinished):
            progress.finished()
        elif isinstance(event, Warned):
            self.warnings.append(event.message)

    # --- index ---------------------------------------------------------------------------------

    def start_index(self) -> None:
        """Index the repository in a worker; Esc cancels."""
        self.index_running = True
        self.query_one(StatusLine).index_state = "building"
        self.index_worker()

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def index_worker(self) -> None:
        from specagent.tui.indexer import IndexCancelled, index_in_process

        worker = get_current_worker()
        try:
            # A child process, so that the interface never waits for the GIL (see indexer.py).
            report = index_in_process(
                self.root,
                self.settings,
                lock_timeout=self.lock_timeout,
                on_event=self._sink(),
                cancelled=lambda: worker.is_cancelled,
            )
        except IndexCancelled:
            self.post_message(IndexFailed("cancelled", cancelled=True))
        except SpecagentError as exc:
            self.post_message(IndexFailed(str(exc)))
        except Exception as exc:
            self.post_message(IndexFailed(f"internal error: {type(exc).__name__}: {exc}"))
        else:
            stats = report.stats
            summary = "up to date" if stats.noop else f"{stats.chunks_embedded} chunks embedded"
            self.post_message(Indexed(summary, stats.chunks))

    def on_indexed(self, message: Indexed) -> None:
        self.index_running = False
        self.query_one(PipelineProgress).finished()
        self.query_one(StatusLine).index_state = f"ready {message.chunks}"
        self.notify(f"index {message.summary}", timeout=3)
        self._after_index()

    def on_index_failed(self, message: IndexFailed) -> None:
        self.index_running = False
        self.query_one(PipelineProgress).finished()
        self.query_one(StatusLine).index_state = "cancelled" if message.cancelled else "failed"
        if message.cancelled:
            self.notify("indexing cancelled; search needs the index (press i to build it)", severity="warning")
        else:
            self.notify(f"index: {message.reason}", severity="error", timeout=8)
        self._after_index()

    def _after_index(self) -> None:
        if self.session.result is None and not self._draft_running():
            self.start_draft()

    def _draft_running(self) -> bool:
        return any(w.group == "draft" and w.is_running for w in self.workers)

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

    # --- draft ---------------------------------------------------------------------------------

    def start_draft(self) -> None:
        """Draft in a worker: offline at once, against the saved spec (IDs and locks are kept)."""
        self.query_one(ItemView).update("Drafting…")
        self.draft_worker()

    @work(thread=True, exclusive=True, group="draft", exit_on_error=False)
    def draft_worker(self) -> None:
        from specagent.pipeline.draft import draft, load_previous

        try:
            sink = self._sink()
            out_dir = self.session.out_dir
            previous, edited = load_previous(out_dir, sink) if out_dir.exists() else (None, None)
            if self.session.spec is not None:
                # This session's locks, edits and answers win over the saved file's.
                edited = self.session.spec.model_copy(deep=True)
                previous = previous or edited
            result = draft(
                self.root,
                settings=self.settings,
                on_event=sink,
                out_dir=out_dir,
                previous=previous,
                edited=edited,
                now=self.session.now(),
            )
        except SpecagentError as exc:
            self.post_message(WorkFailed("draft", str(exc)))
        except Exception as exc:
            self.post_message(WorkFailed("draft", f"internal error: {type(exc).__name__}: {exc}"))
        else:
            self.post_message(Drafted(result))

    def on_drafted(self, message: Drafted) -> None:
        keep = self._current_item_id()
        self.session.drafted(message.result)
        self.query_one(PipelineProgress).finished()
        status = self.query_one(StatusLine)
        status.unsaved = self.session.dirty
        usage = message.result.spec.meta.model_usage
        if usage is not None:  # what drafting with the model cost, as the CLI reports it
            status.calls, status.tokens = usage.calls, usage.tokens_in + usage.tokens_out
            status.cost = usage.cost_usd or 0.0
        self.refresh_tree(keep)
        if keep is None:
            self.show_overview()
        counts = sum(len(items) for _, _, items in self.session.sections())
        self.notify(f"drafted {counts} items from {self.session.spec.meta.files} files", timeout=3)

    @guarded
    def action_redraft(self) -> None:
        if self._draft_running():
            self.notify("a draft is already running")
            return
        self.start_draft()

    def on_work_failed(self, message: WorkFailed) -> None:
        self.query_one(PipelineProgress).finished()
        self.notify(f"{message.what}: {message.reason}", severity="error", timeout=8)

    # --- browsing ------------------------------------------------------------------------------

    def _rows(self, items: list[Item]) -> list[TreeRow]:
        rows = []
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
        findings = []
        if self.session.report is not None:
            findings = [
                f"{f.severity}: {f.message} [{f.code}]" for f in self.session.report.findings if f.item_id == item_id
            ]
        self.query_one(ItemView).update(item_markdown(item, findings))
        self.query_one(EvidencePanel).show(f"Evidence for {item_id}", blocks_for(item.sources, self.session.texts))
        self.evidence_targets = [(c.path, c.start_line if c.cell is None else 1) for c in item.sources]
        self._open_next = 0

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
        self.query_one(EvidencePanel).show(f"Evidence for {title}", blocks_for(sources, self.session.texts))
        self.evidence_targets = [(c.path, c.start_line if c.cell is None else 1) for c in sources]
        self._open_next = 0

    def show_overview(self) -> None:
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

    # --- edit, lock, answer ----------------------------------------------------------------------

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

    # --- refine --------------------------------------------------------------------------------

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
            self.post_message(WorkFailed("refine", f"internal error: {type(exc).__name__}: {exc}"))
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

    # --- check ---------------------------------------------------------------------------------

    @guarded
    def action_check(self) -> None:
        if self.session.spec is None:
            self.notify("no draft yet: wait for the draft to finish", severity="warning")
            return
        self.check_worker()

    @work(thread=True, exclusive=True, group="check", exit_on_error=False)
    def check_worker(self) -> None:
        try:
            report = self.session.check()
        except SpecagentError as exc:
            self.post_message(WorkFailed("check", str(exc)))
        except Exception as exc:
            self.post_message(WorkFailed("check", f"internal error: {type(exc).__name__}: {exc}"))
        else:
            self.post_message(Checked(report))

    def on_checked(self, message: Checked) -> None:
        self.refresh_tree(self._current_item_id())

        def jump(item_id: str | None) -> None:
            if item_id and not self.query_one(SpecTree).select_item(item_id):
                self.notify(f"{item_id} is not in the spec", severity="warning")

        self.push_screen(FindingsScreen(message.report), jump)

    # --- search and sources ----------------------------------------------------------------------

    @guarded
    def action_search(self) -> None:
        def asked(query: str | None) -> None:
            if query and query.strip():
                self.search_worker(query.strip())

        self.push_screen(PromptScreen("Search the repository", placeholder="words, identifiers…"), asked)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def search_worker(self, query: str) -> None:
        from specagent.pipeline.indexing import search_repository

        try:
            hits = search_repository(self.root, query, k=8, settings=self.settings, on_event=self._sink())
        except SpecagentError as exc:
            self.post_message(WorkFailed("search", str(exc)))
        except Exception as exc:
            self.post_message(WorkFailed("search", f"internal error: {type(exc).__name__}: {exc}"))
        else:
            self.post_message(Searched(query, hits))

    def on_searched(self, message: Searched) -> None:
        blocks = blocks_for_hits(message.hits, self.session.texts)
        self.query_one(EvidencePanel).show(
            f"Search: {message.query} ({len(blocks)} hits)", blocks, "No hits (is the index built? press i)"
        )
        self.evidence_targets = [(h.path, h.start_line if h.cell is None else 1) for h in message.hits]
        self._open_next = 0

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

    # --- save and quit -------------------------------------------------------------------------

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

    def _shown(self, path: Path) -> str:
        """A path as the person knows it: relative to the prototype when inside it."""
        try:
            return Path(self.root.name, path.resolve().relative_to(self.root.resolve())).as_posix()
        except ValueError:
            return str(path)

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def save_worker(self) -> None:
        try:
            paths = self.session.save(on_event=self._sink())
        except SpecagentError as exc:
            self.post_message(WorkFailed("save", str(exc)))
        except Exception as exc:
            self.post_message(WorkFailed("save", f"internal error: {type(exc).__name__}: {exc}"))
        else:
            self.post_message(Saved([str(p) for p in paths]))

    def on_saved(self, message: Saved) -> None:
        self.query_one(StatusLine).unsaved = False
        self.refresh_tree(self._current_item_id())
        self.notify(f"saved {', '.join(self._shown(Path(p)) for p in message.paths)}", timeout=4)

    async def action_quit(self) -> None:
        if not self.session.dirty:
            self.exit()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(ConfirmScreen("Unsaved changes. Quit without saving?"), answered)


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
