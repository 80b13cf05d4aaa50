"""Draft orchestration: ingest -> draft -> validate -> stable IDs -> render -> write.

Front ends call :func:`draft` (build the spec) and :func:`write_draft` (put it on disk); both
report progress as events and never print.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from specagent import __version__
from specagent.config import Settings, load_settings
from specagent.errors import SpecFileError, UsageError
from specagent.events import EventSink, FileWritten, StageFinished, StageStarted, Warned, null_sink
from specagent.gitinfo import git_state
from specagent.ingest import Ingested, ingest
from specagent.ingest.models import Fact, SourceFile
from specagent.ingest.run import gc_paused
from specagent.llm.usage import Usage
from specagent.pipeline.agent import AgentReport, draft_with_model
from specagent.pipeline.offline import draft_offline
from specagent.pipeline.validate import validate_spec
from specagent.spec.ids import assign_ids
from specagent.spec.markdown import render_markdown
from specagent.spec.model import ModelUsage, Spec
from specagent.spec.spans import stamp_hashes
from specagent.spec.store import SPEC_JSON, SPEC_MD, back_up, check_writable, write_spec_files

if TYPE_CHECKING:  # the index (and chromadb) load only when a model drafts
    from specagent.index.hits import SearchHit

DEFAULT_OUT = "spec"


@dataclass
class DraftResult:
    """A drafted spec and what it was drafted from."""

    spec: Spec
    ingested: Ingested
    warnings: list[str] = field(default_factory=list)
    #: Set when a model drafted: calls, tokens and what validation dropped (see pipeline.agent).
    agent: AgentReport | None = None

    @property
    def usage(self) -> Usage | None:
        """The model usage of this draft (None for an offline draft)."""
        return self.agent.usage if self.agent is not None else None

    @property
    def files(self) -> list[SourceFile]:
        return self.ingested.files

    @property
    def facts(self) -> list[Fact]:
        return self.ingested.facts


def default_out_dir(root: Path) -> Path:
    return Path(root) / DEFAULT_OUT


def draft(
    root: Path,
    *,
    settings: Settings | None = None,
    on_event: EventSink = null_sink,
    out_dir: Path | None = None,
    previous: Spec | None = None,
    edited: Spec | None = None,
    now: datetime | None = None,
    keep_edits: bool = False,
) -> DraftResult:
    """Draft a spec of the prototype at ``root`` (offline unless a model is configured).

    ``previous``/``edited``: the earlier draft (spec.json) and the person's SPEC.md; matching
    items keep their IDs. ``keep_edits`` (``draft --update``) keeps every item the person changed.
    """
    settings = settings or load_settings(root)
    root = Path(root)
    out_dir = Path(out_dir) if out_dir is not None else default_out_dir(root)
    with gc_paused():
        ingested = ingest(root, settings=settings, on_event=on_event, skip_dirs=[out_dir])
        started = time.perf_counter()
        on_event(StageStarted("draft"))
        spec = draft_offline(ingested.facts, ingested.root.name)
    on_event(StageFinished("draft", time.perf_counter() - started))
    agent = None
    if settings.model:
        agent = _model_draft(root, spec, ingested, settings, on_event, out_dir)
    elif settings.replay_dir is not None:
        raise UsageError("--replay needs --model: the model whose exchanges were recorded")
    started = time.perf_counter()
    on_event(StageStarted("validate"))
    warnings = validate_spec(spec, ingested.texts)
    if not ingested.files:
        warnings.insert(0, f"no readable files in {root}: the draft holds only open questions")
    for message in warnings:
        on_event(Warned(message))
    stamp_hashes(spec, ingested.texts)
    assign_ids(spec, previous, edited, keep_edits=keep_edits)
    on_event(StageFinished("validate", time.perf_counter() - started, f"{len(warnings)} repairs"))
    spec.meta.tool_version = __version__
    spec.meta.project = ingested.root.name
    spec.meta.generated_at = (now or datetime.now(UTC)).replace(microsecond=0).isoformat()
    spec.meta.drafter = f"llm:{agent.model}" if agent is not None else "offline"
    if agent is not None:
        spec.meta.model_usage = ModelUsage(
            model=agent.model,
            calls=agent.usage.calls,
            cached_calls=agent.usage.cached,
            tokens_in=agent.usage.tokens_in,
            tokens_out=agent.usage.tokens_out,
            cost_usd=agent.usage.cost_usd,
            added=agent.added,
            dropped=agent.dropped,
            demoted=agent.demoted,
            sections=agent.sections,
        )
    spec.meta.files = len(ingested.files)
    spec.meta.lines = ingested.lines
    spec.meta.fingerprint = ingested.fingerprint
    spec.meta.warnings = [f"{w.path}: {w.message}" for w in ingested.warnings] + warnings
    state = git_state(root, exclude=[out_dir])
    spec.meta.git_commit = state.commit if state else None
    spec.meta.git_dirty = state.dirty if state else None
    if agent is not None:
        spec.meta.warnings += agent.warnings
    return DraftResult(spec=spec, ingested=ingested, warnings=spec.meta.warnings, agent=agent)


def _model_draft(
    root: Path, spec: Spec, ingested: Ingested, settings: Settings, on_event: EventSink, out_dir: Path
) -> AgentReport:
    """Bring the index up to date (incrementally, from the files just read), then let the model
    draft over its hits. The output folder is not indexed: a spec must not cite an earlier one."""
    from specagent.pipeline.indexing import index_repository, open_index

    index_repository(root, settings=settings, on_event=on_event, skip_dirs=[out_dir], ingested=ingested)
    with open_index(root, settings=settings, on_event=on_event) as index:

        def search(query: str, k: int) -> list[SearchHit]:
            return index.search(query, k=k)

        return draft_with_model(
            spec, ingested.texts, settings=settings, search=search, project=ingested.root.name, on_event=on_event
        )


def load_previous(out_dir: Path, on_event: EventSink = null_sink) -> tuple[Spec | None, Spec | None]:
    """The earlier draft in ``out_dir``: (what specagent generated, what the person's SPEC.md says).

    The generated spec.json anchors IDs (it holds the drafted wording items match by); the
    SPEC.md carries the person's edits and locked items. Either may be missing or unreadable.
    """
    from specagent.spec.reader import read_spec

    specs: dict[str, Spec | None] = {}
    for name in (SPEC_JSON, SPEC_MD):
        path = out_dir / name
        specs[name] = None
        if path.exists():
            try:
                specs[name] = read_spec(path)
            except SpecFileError as exc:
                on_event(Warned(f"earlier draft not reused: {exc}", str(path)))
    generated = specs[SPEC_JSON] or specs[SPEC_MD]
    return generated, specs[SPEC_MD] or generated


def write_draft(result: DraftResult, out_dir: Path, root: Path, *, on_event: EventSink = null_sink) -> list[Path]:
    """Render and write SPEC.md and spec.json atomically into ``out_dir``."""
    out_dir = Path(out_dir)
    root_rel = Path(os.path.relpath(Path(root).resolve(), out_dir.resolve())).as_posix()
    markdown = render_markdown(result.spec, root_rel=root_rel)
    spec_json = result.spec.model_dump_json(indent=2) + "\n"
    started = time.perf_counter()
    on_event(StageStarted("write", total=2))
    paths = write_spec_files(out_dir, markdown, spec_json)
    on_event(StageFinished("write", time.perf_counter() - started, f"{len(paths)} files"))
    for path in paths:
        on_event(FileWritten(str(path)))
    return paths


def run_draft(
    root: Path,
    *,
    out_dir: Path | None = None,
    force: bool = False,
    update: bool = False,
    settings: Settings | None = None,
    on_event: EventSink = null_sink,
) -> tuple[DraftResult, list[Path]]:
    """The whole job behind ``specagent draft``: check, draft against the earlier one, write.

    ``update``: re-draft an existing spec keeping IDs, locked items and the person's edits in
    SPEC.md (which it never refuses to merge); ``force``: overwrite an edited SPEC.md keeping
    only locked items, with a ``.bak`` copy.
    """
    root = Path(root)
    out_dir = Path(out_dir) if out_dir is not None else default_out_dir(root)
    edited_names = check_writable(out_dir, force or update)
    previous, edited = load_previous(out_dir, on_event) if out_dir.exists() else (None, None)
    result = draft(
        root,
        settings=settings,
        on_event=on_event,
        out_dir=out_dir,
        previous=previous,
        edited=edited,
        keep_edits=update,
    )
    for backup in back_up(out_dir, edited_names):
        kept = "your edits were kept" if update else "locked items were merged"
        on_event(Warned(f"your edited file was kept as {backup.name}; {kept}", str(backup)))
    return result, write_draft(result, out_dir, root, on_event=on_event)
