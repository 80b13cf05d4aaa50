"""The section groups the model drafts: what evidence each gets, its schema, and how its
answer becomes spec items.

Five groups, one call each when the answer is valid (repairs add calls): overview; user stories
and requirements; risks and open questions; targets of measured metrics and constraints; summaries
of interfaces and components the offline drafter left bare. Groups with nothing to do are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from specagent.pipeline.agent.evidence import Evidence
from specagent.pipeline.agent.schemas import (
    Out,
    overview_schema,
    risks_schema,
    stories_schema,
    summaries_schema,
    targets_schema,
)
from specagent.pipeline.offline import GAP_QUESTIONS
from specagent.spec.model import (
    AcceptanceCriterion,
    Citation,
    Component,
    Constraint,
    Goal,
    Interface,
    Item,
    Metric,
    NonGoal,
    OpenQuestion,
    Problem,
    Requirement,
    Risk,
    Spec,
    UserGroup,
    UserStory,
    id_prefix,
)

MAX_ITEMS = 5
#: Items of these kinds are listed for summaries at most this many per call.
MAX_SUMMARIES = 6

Search = Callable[[str, int], list[Any]]  # (query, k) -> SearchHit-like objects


@dataclass
class Job:
    """One section group's request: its evidence, what is already known, and its schema."""

    group: str
    evidence: Evidence
    known: str
    schema: type[Out]
    max_tokens: int
    targets: dict[str, Item] = field(default_factory=dict)  # item id -> item (targets, summaries)
    focus: str = ""  # a person's instruction (refine)


def short(text: str | None, limit: int = 140) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _add_hits(evidence: Evidence, search: Search | None, queries: list[str], k: int = 4) -> None:
    if search is None:
        return
    for query in queries:
        for hit in search(query, k):
            evidence.add(hit.path, hit.start_line, hit.end_line, hit.cell, hit.text)


def bullets(lines: list[str]) -> str:
    """``lines`` as a markdown list ("- (nothing)" when empty), for a prompt's known facts."""
    return "\n".join(f"- {line}" for line in lines) or "- (nothing)"


def plan_overview(spec: Spec, texts: dict[str, str], search: Search | None) -> Job | None:
    """Problem, goals, non-goals, users: over the notes the offline overview cites and index hits."""
    ev = Evidence(texts)
    ov = spec.overview
    if ov.problem is not None:
        ev.add_citations(ov.problem.sources)
    for item in [*ov.goals, *ov.users][:4]:
        ev.add_citations(item.sources[:1])
    _add_hits(ev, search, ["what problem does this project solve and for whom", "README overview purpose users"])
    for item in spec.interfaces[:3]:
        ev.add_citations(item.sources[:1])
    known = []
    if ov.problem is not None:
        known.append(f"problem: {short(ov.problem.text, 300)}")
    known += [f"goal: {short(g.statement)}" for g in ov.goals[:5]]
    known += [f"interface: {i.name}" for i in spec.interfaces[:8]]
    return Job("overview", ev, bullets(known), overview_schema(ev.ids, MAX_ITEMS), 600)


def plan_stories(spec: Spec, texts: dict[str, str], search: Search | None) -> Job | None:
    """User stories and EARS requirements: over the interfaces' code and tests the index finds."""
    ev = Evidence(texts)
    for item in spec.interfaces[:4]:
        ev.add_citations(item.sources[:1])
    _add_hits(ev, search, ["test asserts expected behaviour", "handle request input validate output"], k=3)
    if spec.overview.problem is not None:
        ev.add_citations(spec.overview.problem.sources[:1])
    known = [f"interface {i.kind}: {i.name} {short(i.summary, 80)}".rstrip() for i in spec.interfaces[:10]]
    known += [f"requirement: {short(r.statement)}" for r in spec.requirements[:6]]
    return Job("stories", ev, bullets(known), stories_schema(ev.ids, MAX_ITEMS), 900)


def plan_risks(spec: Spec, texts: dict[str, str], search: Search | None) -> Job | None:
    """Risks that need reading the code, and open questions: over hits for auth, errors, secrets, TODOs."""
    ev = Evidence(texts)
    _add_hits(
        ev,
        search,
        [
            "authentication api key token check dependency",
            "except error handling retry timeout external call",
            "print log password secret credential",
            "TODO FIXME hack known issue limitation",
        ],
        k=3,
    )
    known = [f"{r.title}" for r in spec.risks[:10]]
    return Job("risks", ev, bullets(known), risks_schema(ev.ids, 4), 700)


def plan_targets(spec: Spec, texts: dict[str, str], search: Search | None) -> Job | None:
    """Proposed targets for measured metrics and constraints that have none (None when all have one)."""
    items: list[Metric | Constraint] = [m for m in spec.metrics if not m.target and m.provenance == "observed"]
    items += [c for c in spec.constraints if not c.target and c.provenance == "observed"]
    items = items[:6]
    if not items:
        return None
    ev = Evidence(texts)
    for item in items:
        ev.add_citations(item.sources[:1])
    _add_hits(ev, search, ["evaluation results metric baseline latency"], k=3)
    if not ev.blocks:
        return None
    known = []
    for item in items:
        if isinstance(item, Metric):
            base = item.baseline.raw if item.baseline else "not measured"
            known.append(f"{item.id}: metric {item.name}, baseline {base}")
        else:
            known.append(f"{item.id}: {item.category} constraint: {short(item.statement)}")
    targets: dict[str, Item] = {item.id: item for item in items}
    return Job("targets", ev, bullets(known), targets_schema(ev.ids, list(targets)), 400, targets=targets)


def plan_summaries(spec: Spec, texts: dict[str, str], search: Search | None) -> Job | None:
    """One-line summaries of interfaces and components the offline drafter left bare."""
    bare: list[Interface | Component] = [i for i in spec.interfaces if not i.summary and i.sources]
    bare += [c for c in spec.architecture if not c.responsibility.strip() and c.sources]
    bare = bare[:MAX_SUMMARIES]
    if not bare:
        return None
    ev = Evidence(texts)
    kept = []
    for item in bare:
        before = len(ev.blocks)
        ev.add_citations(item.sources[:1])
        if len(ev.blocks) > before:
            kept.append(item)
    if not kept:
        return None
    known = [f"{i.id}: {getattr(i, 'kind', 'component')}, {i.name}" for i in kept]
    targets: dict[str, Item] = {i.id: i for i in kept}
    return Job("summaries", ev, bullets(known), summaries_schema(ev.ids, list(targets)), 500, targets=targets)


PLANNERS: dict[str, Callable[[Spec, dict[str, str], Search | None], Job | None]] = {
    "overview": plan_overview,
    "stories": plan_stories,
    "risks": plan_risks,
    "targets": plan_targets,
    "summaries": plan_summaries,
}

#: Which group drafts each spec section (refine picks the group by an item's section).
SECTION_GROUP: dict[str, str] = {
    "overview": "overview",
    "goals": "overview",
    "non_goals": "overview",
    "users": "overview",
    "user_stories": "stories",
    "requirements": "stories",
    "risks": "risks",
    "open_questions": "risks",
    "metrics": "targets",
    "constraints": "targets",
    "interfaces": "summaries",
    "architecture": "summaries",
}


# --- answers -> items ------------------------------------------------------------------------


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def citations(evidence: Evidence, ids: list[str], quote: str | None = None) -> list[Citation]:
    """Citations for the block IDs of an answer (the quote, if any, goes on the first)."""
    out: list[Citation] = []
    for n, block_id in enumerate(dict.fromkeys(ids)):
        out.append(evidence.citation(block_id, quote if n == 0 else None))
    return out


@dataclass
class Proposal:
    """What one group's answer adds or fills in, before it is applied to the spec."""

    items: list[tuple[str, Item]] = field(default_factory=list)  # (field name, new item)
    problem: Problem | None = None
    summaries: dict[str, str] = field(default_factory=dict)  # item id -> summary (bare items)
    demoted: list[tuple[str, OpenQuestion]] = field(default_factory=list)  # (risk title, its question)


def to_proposal(job: Job, answer: BaseModel, demote: dict[str, str]) -> Proposal:
    """Turn a validated answer into new items. ``demote`` maps item paths (``risks[0]``) whose
    quote failed to the reason: those become open questions instead."""
    proposal = Proposal()
    _READERS[job.group](job, answer, demote, proposal)
    return proposal


def _overview(job: Job, data: Any, demote: dict[str, str], p: Proposal) -> None:
    ev = job.evidence
    if data.problem.text.strip():
        p.problem = Problem(
            text=data.problem.text.strip(), provenance="inferred", sources=citations(ev, data.problem.cites)
        )
    for g in data.goals:
        goal = Goal(id="G-999", statement=g.statement, provenance="inferred", sources=citations(ev, g.cites))
        p.items.append(("goals", goal))
    for g in data.non_goals:
        non_goal = NonGoal(id="NG-999", statement=g.statement, provenance="inferred", sources=citations(ev, g.cites))
        p.items.append(("non_goals", non_goal))
    for u in data.users:
        user = UserGroup(
            id="U-999",
            name=u.name,
            description=u.description or None,
            provenance="inferred",
            sources=citations(ev, u.cites),
        )
        p.items.append(("users", user))


# "As a <user group>" is how a story reads; a model that writes "a user" for the group would
# render as "As a a user".
_ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.IGNORECASE)


def _stories(job: Job, data: Any, demote: dict[str, str], p: Proposal) -> None:
    ev = job.evidence
    for s in data.user_stories:
        story = UserStory(
            id="US-999",
            as_a=_ARTICLE.sub("", s.as_a.strip()),
            i_want=s.i_want,
            so_that=s.so_that or None,
            acceptance=[AcceptanceCriterion(given=a.given, when=a.when, then=a.then) for a in s.acceptance],
            provenance="inferred",
            sources=citations(ev, s.cites),
        )
        p.items.append(("user_stories", story))
    for r in data.requirements:
        req = Requirement(
            id="FR-999",
            kind=r.kind,
            statement=r.statement,
            priority=r.priority,
            provenance="inferred",
            sources=citations(ev, r.cites),
        )
        p.items.append(("requirements", req))


def _risks(job: Job, data: Any, demote: dict[str, str], p: Proposal) -> None:
    ev = job.evidence
    for n, r in enumerate(data.risks):
        why = demote.get(f"risks[{n}]")
        if why:
            question = OpenQuestion(
                id="OQ-999",
                provenance="decision",
                question=f"Is this a risk: {r.title}?",
                why=f"The model named it but it could not be verified: {why}",
                sources=citations(ev, r.cites),
            )
            p.demoted.append((r.title, question))
            continue
        risk = Risk(
            id="RK-999",
            title=r.title,
            detail=r.detail or None,
            likelihood=r.likelihood,
            impact=r.impact,
            mitigation=r.mitigation or None,
            provenance="inferred",
            sources=citations(ev, r.cites, r.quote.strip() or None),
        )
        p.items.append(("risks", risk))
    for q in data.open_questions:
        question = OpenQuestion(
            id="OQ-999",
            question=q.question,
            why=q.why or None,
            options=[o for o in q.options if o.strip()],
            provenance="decision",
            sources=citations(ev, q.cites),
        )
        p.items.append(("open_questions", question))


def _targets(job: Job, data: Any, demote: dict[str, str], p: Proposal) -> None:
    for t in data.targets:
        item = job.targets[t.item]
        sources = [*item.sources[:1], *citations(job.evidence, t.cites)]
        if isinstance(item, Metric):
            metric = Metric(
                id="SM-999",
                name=item.name,
                definition=f"Proposed production target for {item.name}: {t.rationale}".strip(),
                baseline=item.baseline,
                target=t.target,
                provenance="decision",
                sources=sources,
            )
            p.items.append(("metrics", metric))
        elif isinstance(item, Constraint):
            constraint = Constraint(
                id="MC-999",
                category=item.category,
                statement=f"Proposed target for {item.id}: {t.rationale}".strip(),
                target=t.target,
                provenance="decision",
                sources=sources,
            )
            p.items.append(("constraints", constraint))


def _summaries(job: Job, data: Any, demote: dict[str, str], p: Proposal) -> None:
    for s in data.summaries:
        if s.summary.strip():
            p.summaries[s.item] = s.summary.strip()


_READERS: dict[str, Callable[[Job, Any, dict[str, str], Proposal], None]] = {
    "overview": _overview,
    "stories": _stories,
    "risks": _risks,
    "targets": _targets,
    "summaries": _summaries,
}


def apply(spec: Spec, proposal: Proposal) -> int:
    """Add a proposal to ``spec``: new items get fresh IDs; observed items are never changed,
    except that a bare interface's empty ``summary`` (or a component's empty responsibility) is
    filled in. Returns how many items were added or filled."""
    count = 0
    ov = spec.overview
    if proposal.problem is not None and ov.problem is None:
        ov.problem = proposal.problem
        count += 1
    lists = dict(spec.item_lists())
    used = {item.id for _, item in spec.iter_items()}
    # A risk that could not be verified is asked about, unless the draft already holds it.
    risks = {_key(r.title) for r in spec.risks}
    asked = [("open_questions", q) for title, q in proposal.demoted if _key(title) not in risks]
    for name, item in [*proposal.items, *asked]:
        target = lists[name]
        text_key = _key(item_words(item))
        if any(_key(item_words(other)) == text_key for other in target):
            continue  # the offline draft (or another group) already says this
        prefix = id_prefix(name, item)
        n = 1
        while f"{prefix}-{n:03d}" in used:
            n += 1
        item.id = f"{prefix}-{n:03d}"
        used.add(item.id)
        target.append(item)
        count += 1
    by_id = {item.id: item for _, item in spec.iter_items()}
    for item_id, summary in proposal.summaries.items():
        described = by_id.get(item_id)
        if isinstance(described, Interface) and not described.summary and not described.locked:
            described.summary = summary
            count += 1
        elif isinstance(described, Component) and not described.responsibility.strip() and not described.locked:
            described.responsibility = summary
            count += 1
    return count


#: What a gap question becomes once the model has filled its part.
_CONFIRM = {
    "problem": "Is the inferred problem statement right?",
    "goals": "Are the inferred goals the production version's goals?",
    "users": "Are the inferred users the target users?",
    "user_stories": "Must the first release support the inferred user stories?",
    "requirements": "Are the inferred requirements the production version's requirements?",
    "risks": "Are the inferred risks the ones to handle before production?",
}


def settle_gaps(spec: Spec) -> int:
    """Turn the offline drafter's gap questions ("What problem does ... solve?") whose part the
    model has now filled into requests to confirm it, keeping why the part was empty (no notes
    state it: a reviewer must know the model wrote it from code). A locked question stays as it
    is. Returns how many were turned."""
    filled = {"problem": spec.overview.problem is not None}
    filled.update((name, bool(items)) for name, items in spec.item_lists())
    parts = {q: part for part, questions in GAP_QUESTIONS.items() if filled.get(part) for q in questions}
    turned = 0
    for question in spec.open_questions:
        part = parts.get(question.question)
        if part is None or question.locked:
            continue
        question.question = _CONFIRM[part]
        reason = (question.why or "").split(";")[0].rstrip(".")
        question.why = f"{reason}; the model wrote it from the code." if reason else "The model wrote it from the code."
        turned += 1
    return turned


def item_words(item: Item) -> str:
    """The words that say what ``item`` is (its statement, question, title, want or name)."""
    for name in ("statement", "question", "title", "i_want", "name"):
        value = getattr(item, name, None)
        if isinstance(value, str):
            return value + (f" {item.target}" if isinstance(item, Metric | Constraint) and item.target else "")
    return ""
