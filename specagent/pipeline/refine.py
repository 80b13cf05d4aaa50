"""Re-draft one item or one section with the model, for a person to accept or not.

The TUI shows the returned items as a diff; nothing here changes the spec it is given.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from specagent.config import Settings, load_settings
from specagent.errors import UsageError
from specagent.events import EventSink, null_sink
from specagent.ingest import ingest
from specagent.pipeline.agent.run import draft_group, open_client
from specagent.pipeline.agent.sections import PLANNERS, SECTION_GROUP, Proposal
from specagent.quality.truth import RepoText
from specagent.spec.model import Item, Spec

if TYPE_CHECKING:  # the index (and chromadb) load only when a model drafts
    from specagent.index.hits import SearchHit


def _section_of(spec: Spec, target: str) -> tuple[str, Item | None]:
    if target in SECTION_GROUP:
        return target, None
    for field, items in spec.item_lists():
        for item in items:
            if item.id == target:
                return field, item
    raise UsageError(f"no item or section {target!r} in the spec (use an ID like FR-002 or a section name)")


def refine_item(
    spec: Spec,
    target: str,
    instruction: str,
    root: Path,
    *,
    settings: Settings | None = None,
    on_event: EventSink = null_sink,
) -> list[Item]:
    """Proposed replacement items for ``target`` (an item ID such as ``FR-002``, or a section
    name such as ``risks``), re-drafted by the model under ``instruction``.

    The same machinery as ``draft --model``: evidence blocks (the item's own citations first,
    then index hits for the instruction), an enum of block IDs for citations, validation and
    repair. Returned items carry placeholder IDs (``FR-999``); ``spec`` is not changed. For
    interfaces and components the result is a copy of the item with a new summary.
    """
    settings = settings or load_settings(root)
    if not settings.model:
        raise UsageError("refining needs a model: set --model or SPECAGENT_MODEL")
    field, item = _section_of(spec, target)
    group = SECTION_GROUP[field]
    ingested = ingest(Path(root), settings=settings, on_event=on_event)
    from specagent.pipeline.indexing import index_repository, open_index

    index_repository(root, settings=settings, on_event=on_event)
    with open_index(root, settings=settings, on_event=on_event) as index:

        def search(query: str, k: int) -> list[SearchHit]:
            return index.search(query, k=k)

        focus_spec = spec.model_copy(deep=True)
        if item is not None and group == "summaries":
            # Re-draft this one summary: present it as bare so the planner lists it.
            for _, other in focus_spec.iter_items():
                if other.id == item.id:
                    if hasattr(other, "summary"):
                        other.summary = None
                    elif hasattr(other, "responsibility"):
                        other.responsibility = ""
        job = PLANNERS[group](focus_spec, dict(ingested.texts), None)
        if job is None:
            return []
        if item is not None:
            job.evidence.blocks.clear()
            job.evidence.add_citations(item.sources)
        for hit in search(instruction, 4):
            job.evidence.add(hit.path, hit.start_line, hit.end_line, hit.cell, hit.text)
        if not job.evidence.blocks:
            return []
        # The schema's enum must list exactly the blocks now in the evidence.
        job.schema = _rebuild_schema(job)
        job.focus = instruction if item is None else f"{instruction} (re-draft {item.id}: {_words(item)})"
    with open_client(settings, on_event) as client:
        outcome = draft_group(job, client, RepoText(ingested.texts), ingested.root.name, settings.repair_rounds)
    return _items(outcome.proposal, field, item, focus_spec)


def _rebuild_schema(job: object) -> type:
    from specagent.pipeline.agent import schemas

    ids = job.evidence.ids  # type: ignore[attr-defined]
    group = job.group  # type: ignore[attr-defined]
    targets = list(job.targets)  # type: ignore[attr-defined]
    if group == "overview":
        return schemas.overview_schema(ids, 5)
    if group == "stories":
        return schemas.stories_schema(ids, 5)
    if group == "risks":
        return schemas.risks_schema(ids, 4)
    if group == "targets":
        return schemas.targets_schema(ids, targets)
    return schemas.summaries_schema(ids, targets)


def _words(item: Item) -> str:
    for name in ("statement", "question", "title", "i_want", "name"):
        value = getattr(item, name, None)
        if isinstance(value, str):
            return value[:200]
    return item.id


def _items(proposal: Proposal | None, field: str, item: Item | None, spec: Spec) -> list[Item]:
    if proposal is None:
        return []
    if proposal.summaries and item is not None:
        summary = proposal.summaries.get(item.id)
        if summary is None:
            return []
        key = "summary" if hasattr(item, "summary") else "responsibility"
        return [item.model_copy(update={key: summary})]
    wanted = {field} if field != "overview" else {"goals", "non_goals", "users"}
    return [
        new for name, new in [*proposal.items, *(("open_questions", q) for _, q in proposal.demoted)] if name in wanted
    ]
