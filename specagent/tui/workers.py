"""The workers that call the library, and the messages that bring their outcomes back to the app.

Every call into the library runs in a ``@work`` thread worker, through the same functions the
CLI uses (``index_repository`` in a child process, ``draft``, ``run_checks``,
``search_repository``, ``write_draft``). A worker never touches a widget: its pipeline events
come back as :class:`PipelineEvented` messages (they drive the progress bar), its outcome as one
message of :mod:`specagent.tui.messages`, and a failure as a one-line :class:`WorkFailed`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import work
from textual.message import Message
from textual.worker import get_current_worker

from specagent.errors import SpecagentError
from specagent.events import Event, StageFinished, StageProgress, StageStarted, Warned
from specagent.pipeline.draft import DraftResult
from specagent.tui.evidence import blocks_for_hits
from specagent.tui.messages import (
    Checked,
    Drafted,
    Indexed,
    IndexFailed,
    PipelineEvented,
    Saved,
    Searched,
    WorkFailed,
)
from specagent.tui.screens import FindingsScreen
from specagent.tui.view import SpecView
from specagent.tui.widgets import EvidencePanel, ItemView, PipelineProgress, SpecTree, StatusLine


def internal_error(exc: Exception) -> str:
    """The one line a worker reports for an error that is a bug, not the person's input."""
    return f"internal error: {type(exc).__name__}: {exc}"


class PipelineWorkers(SpecView):
    """Index, draft, check, search and save in workers; show their progress and outcomes."""

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

    def _post_outcome(self, what: str, job: Callable[[], Message]) -> None:
        """Run ``job`` in the worker's thread and post the message it returns, or WorkFailed."""
        outcome: Message
        try:
            outcome = job()
        except SpecagentError as exc:
            outcome = WorkFailed(what, str(exc))
        except Exception as exc:
            outcome = WorkFailed(what, internal_error(exc))
        self.post_message(outcome)

    def on_work_failed(self, message: WorkFailed) -> None:
        self.query_one(PipelineProgress).finished()
        self.notify(f"{message.what}: {message.reason}", severity="error", timeout=8)

    # --- index ---------------------------------------------------------------------------------

    def start_index(self) -> None:
        """Index the repository in a worker; Esc cancels."""
        self.index_running = True
        self.query_one(StatusLine).index_state = "building"
        self.index_worker()

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def index_worker(self) -> None:
        """Bring the index up to date; posts Indexed, or IndexFailed (cancelled or an error)."""
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
            self.post_message(IndexFailed(internal_error(exc)))
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

    # --- draft ---------------------------------------------------------------------------------

    def start_draft(self) -> None:
        """Draft in a worker: offline at once, against the saved spec (IDs and locks are kept)."""
        self.query_one(ItemView).update("Drafting…")
        self.draft_worker()

    @work(thread=True, exclusive=True, group="draft", exit_on_error=False)
    def draft_worker(self) -> None:
        """Draft the prototype; posts Drafted."""
        self._post_outcome("draft", lambda: Drafted(self._draft()))

    def _draft(self) -> DraftResult:
        """A new draft: this session's locks, edits and answers carry into it."""
        from specagent.pipeline.draft import draft, load_previous

        sink = self._sink()
        out_dir = self.session.out_dir
        previous, edited = load_previous(out_dir, sink) if out_dir.exists() else (None, None)
        if self.session.spec is not None:
            # This session's locks, edits and answers win over the saved file's.
            edited = self.session.spec.model_copy(deep=True)
            previous = previous or edited
        return draft(
            self.root,
            settings=self.settings,
            on_event=sink,
            out_dir=out_dir,
            previous=previous,
            edited=edited,
            now=self.session.now(),
        )

    def on_drafted(self, message: Drafted) -> None:
        keep = self._current_item_id()
        self.session.drafted(message.result)
        self.query_one(PipelineProgress).finished()
        status = self.query_one(StatusLine)
        status.unsaved = self.session.dirty
        spec = message.result.spec  # the session's spec from now on
        usage = spec.meta.model_usage
        if usage is not None:  # what drafting with the model cost, as the CLI reports it
            status.calls, status.tokens = usage.calls, usage.tokens_in + usage.tokens_out
            status.cost = usage.cost_usd or 0.0
        self.refresh_tree(keep)
        if keep is None:
            self.show_overview()
        counts = sum(len(items) for _, _, items in self.session.sections())
        self.notify(f"drafted {counts} items from {spec.meta.files} files", timeout=3)

    # --- check, search, save -------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="check", exit_on_error=False)
    def check_worker(self) -> None:
        """Run the quality checks on the spec as it is now; posts Checked."""
        self._post_outcome("check", lambda: Checked(self.session.check()))

    def on_checked(self, message: Checked) -> None:
        self.refresh_tree(self._current_item_id())

        def jump(item_id: str | None) -> None:
            if item_id and not self.query_one(SpecTree).select_item(item_id):
                self.notify(f"{item_id} is not in the spec", severity="warning")

        self.push_screen(FindingsScreen(message.report), jump)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def search_worker(self, query: str) -> None:
        """Search the repository's index; posts Searched with the best hits."""
        from specagent.pipeline.indexing import search_repository

        def search() -> Searched:
            hits = search_repository(self.root, query, k=8, settings=self.settings, on_event=self._sink())
            return Searched(query, hits)

        self._post_outcome("search", search)

    def on_searched(self, message: Searched) -> None:
        blocks = blocks_for_hits(message.hits, self.session.texts)
        self.query_one(EvidencePanel).show(
            f"Search: {message.query} ({len(blocks)} hits)", blocks, "No hits (is the index built? press i)"
        )
        self.evidence_targets = [(h.path, h.start_line if h.cell is None else 1) for h in message.hits]
        self._open_next = 0

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def save_worker(self) -> None:
        """Write SPEC.md and spec.json (backing up files a person edited); posts Saved."""
        self._post_outcome("save", lambda: Saved([str(p) for p in self.session.save(on_event=self._sink())]))

    def on_saved(self, message: Saved) -> None:
        self.query_one(StatusLine).unsaved = False
        self.refresh_tree(self._current_item_id())
        self.notify(f"saved {', '.join(self._shown(Path(p)) for p in message.paths)}", timeout=4)
