"""The review pass: the model proposes dropping or merging inferred items; code applies a
proposal only when it passes validation.

Only items the drafters inferred, and no person has locked, are offered (observed items never
are), so a proposal cannot name anything else: the item field is an enum of the offered IDs.
A merge must join items of one list that carry a statement (goals, non-goals, requirements), and
a merged requirement must be in EARS form; the first item keeps its ID and takes the union of
the citations. What fails is refused with a warning naming the items.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from specagent.config import Settings
from specagent.llm.local import is_local
from specagent.pipeline.agent.evidence import Evidence
from specagent.pipeline.agent.schemas import review_schema
from specagent.pipeline.agent.sections import Job, bullets, citations, item_words, short
from specagent.quality.ears import classify
from specagent.spec.model import Citation, Item, Spec, distinct

#: Lists whose inferred items are offered for review.
REVIEWED = ("goals", "non_goals", "users", "user_stories", "requirements", "risks")
#: Lists whose items carry a ``statement`` a merge can rewrite.
MERGEABLE = ("goals", "non_goals", "requirements")
#: Items offered per call: each brings its cited lines as evidence.
MAX_REVIEWED = 15


def review_enabled(settings: Settings, model: str) -> bool:
    """Whether to run the review: as set, else on for hosted models and off for the packaged
    local ones (a 1.5B model cannot tell a supported item from an unsupported one)."""
    if settings.review is not None:
        return settings.review
    return not is_local(model)


def _reviewable(spec: Spec) -> list[tuple[str, Item]]:
    lists = dict(spec.item_lists())
    return [
        (name, item) for name in REVIEWED for item in lists[name] if item.provenance == "inferred" and not item.locked
    ][:MAX_REVIEWED]


def plan_review(spec: Spec, texts: dict[str, str]) -> Job | None:
    """The review request over the spec's inferred items and their cited lines (None if none)."""
    offered = _reviewable(spec)
    if not offered:
        return None
    ev = Evidence(texts)
    for _, item in offered:
        ev.add_citations(item.sources[:1])
    if not ev.blocks:
        return None
    known = [f"{item.id} ({name}): {short(item_words(item), 200)}" for name, item in offered]
    targets = {item.id: item for _, item in offered}
    return Job("review", ev, bullets(known), review_schema(ev.ids, list(targets)), 500, targets=targets)


@dataclass
class Merge:
    """Items to join into the first of them, with the statement that replaces theirs."""

    ids: list[str]
    statement: str
    sources: list[Citation]


@dataclass
class Review:
    """A review answer as proposals: drops (ID -> reason) and merges."""

    drops: dict[str, str] = field(default_factory=dict)
    merges: list[Merge] = field(default_factory=list)


def to_review(job: Job, answer: BaseModel) -> Review:
    """The validated answer as a :class:`Review` (its citations mapped to lines)."""
    data: Any = answer
    review = Review()
    for drop in data.drops:
        review.drops.setdefault(drop.item, " ".join(drop.reason.split()))
    for merge in data.merges:
        ids = list(dict.fromkeys(merge.items))
        review.merges.append(Merge(ids, " ".join(merge.statement.split()), citations(job.evidence, merge.cites)))
    return review


def apply_review(spec: Spec, review: Review) -> tuple[int, int, list[str]]:
    """Apply what passes: returns (items dropped, merges made, one warning per action or refusal)."""
    lists = dict(spec.item_lists())
    where = {item.id: (name, item) for name, items in lists.items() for item in items}
    warnings: list[str] = []
    gone: set[str] = set()
    merged = 0
    for merge in review.merges:
        refusal = _merge_refusal(merge, where, gone)
        label = ", ".join(merge.ids)
        if refusal:
            warnings.append(f"review: merge of {label} refused: {refusal}")
            continue
        name, first = where[merge.ids[0]]
        others = [where[i][1] for i in merge.ids[1:]]
        sources = distinct([*first.sources, *(c for o in others for c in o.sources), *merge.sources])
        first_any: Any = first
        first_any.statement = merge.statement
        first.sources = sources
        for other in others:
            lists[name].remove(other)
            gone.add(other.id)
        merged += 1
        warnings.append(f"review: merged {label} into {first.id}: {short(merge.statement, 120)}")
    dropped = 0
    for item_id, reason in review.drops.items():
        if item_id in gone:
            continue
        found = where.get(item_id)
        if found is None or found[1].provenance != "inferred" or found[1].locked:
            warnings.append(f"review: drop of {item_id} refused: only an unlocked inferred item can be dropped")
            continue
        if not reason:
            warnings.append(f"review: drop of {item_id} refused: no reason given")
            continue
        lists[found[0]].remove(found[1])
        gone.add(item_id)
        dropped += 1
        warnings.append(f"review: dropped {item_id}: {short(reason, 160)}")
    return dropped, merged, warnings


def _merge_refusal(merge: Merge, where: dict[str, tuple[str, Item]], gone: set[str]) -> str | None:
    if len(merge.ids) < 2:
        return "it names fewer than two items"
    found = [where.get(i) for i in merge.ids]
    if any(f is None or f[1].id in gone for f in found):
        return "an item is no longer in the draft"
    named = [f for f in found if f is not None]
    if any(item.provenance != "inferred" or item.locked for _, item in named):
        return "only unlocked inferred items can be merged"
    sections = {name for name, _ in named}
    if len(sections) != 1:
        return "the items are in different sections"
    section = sections.pop()
    if section not in MERGEABLE:
        return f"items of {section} cannot be merged into one statement"
    if not merge.statement:
        return "no statement given"
    if section == "requirements" and classify(merge.statement).pattern is None:
        return f"the merged requirement is not in EARS form: {merge.statement!r}"
    return None
