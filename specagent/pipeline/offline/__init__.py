"""The offline drafter: a complete Spec from Facts alone, no model.

Every item it writes comes from a fact and cites it. What facts cannot tell (targets, budgets,
users when the notes are silent) becomes an open question, never invented text. Output is
deterministic: the same facts give the same spec. IDs here are provisional and sequential;
:func:`specagent.spec.ids.assign_ids` makes them stable against an earlier draft.
"""

from __future__ import annotations

from specagent.ingest.models import Fact
from specagent.pipeline.offline.architecture import architecture
from specagent.pipeline.offline.book import FactBook
from specagent.pipeline.offline.common import cite
from specagent.pipeline.offline.contracts import data_contracts
from specagent.pipeline.offline.dependencies import dependencies
from specagent.pipeline.offline.interfaces import interfaces
from specagent.pipeline.offline.measures import constraints, metrics
from specagent.pipeline.offline.overview import (
    GOALS_QUESTION,
    PROBLEM_QUESTION,
    REQUIREMENTS_QUESTION,
    STORIES_QUESTION,
    USERS_QUESTION,
    overview,
    requirements,
    user_stories,
)
from specagent.pipeline.offline.risks import open_questions_from_notes, risks
from specagent.quality.checks import unnamed_empty_sections
from specagent.spec.model import Spec

#: What to ask when a section stays empty, so the draft and `specagent check` agree on what a
#: complete draft is: every empty section is named by an open question.
EMPTY_SECTION_QUESTIONS: dict[str, tuple[str, str]] = {
    "overview": ("What problem does the production version solve, and for whom?", "No notes state the problem."),
    "user_stories": ("Which user stories must the first release support?", "No notes state user stories."),
    "requirements": ("Which requirements must the production version meet?", "No tests or notes state any."),
    "interfaces": ("Which interfaces (API, CLI, UI) must the production version expose?", "None was found."),
    "data_contracts": ("What data does the production version take in, store and emit?", "No schema was found."),
    "metrics": ("How will success be measured, and what is the target?", "The prototype reports no metric."),
    "constraints": ("Which latency, cost and privacy constraints apply?", "Nothing in the prototype states one."),
    "dependencies": ("Which packages and services does the production version depend on?", "None were declared."),
    "architecture": ("Which components make up the production architecture?", "No code was found to derive them."),
    "risks": (
        "Which risks must be handled before production (data, security, failure modes)?",
        "No known problem, secret, failing cell or FIXME was found; that is not evidence there are none.",
    ),
}


#: The questions that stand for an empty part of the spec, by the list (or ``problem``) whose
#: filling answers them: a model draft that fills the part removes its question.
GAP_QUESTIONS: dict[str, tuple[str, ...]] = {
    "problem": (PROBLEM_QUESTION, EMPTY_SECTION_QUESTIONS["overview"][0]),
    "goals": (GOALS_QUESTION,),
    "users": (USERS_QUESTION,),
    "user_stories": (STORIES_QUESTION, EMPTY_SECTION_QUESTIONS["user_stories"][0]),
    "requirements": (REQUIREMENTS_QUESTION, EMPTY_SECTION_QUESTIONS["requirements"][0]),
    "risks": (EMPTY_SECTION_QUESTIONS["risks"][0],),
}


def draft_offline(facts: list[Fact], project: str) -> Spec:
    """A complete spec from facts alone (meta is left for the caller to fill).

    Sections run in document order; dependencies run before risks because risks name the
    undeclared packages dependencies found.
    """
    book = FactBook(facts, project)
    spec = Spec(
        overview=overview(book),
        user_stories=user_stories(book),
        requirements=requirements(book),
        interfaces=interfaces(book),
        data_contracts=data_contracts(book),
        metrics=(measured := metrics(book)),
        constraints=constraints(book, measured),
        dependencies=dependencies(book),
        architecture=architecture(book),
        risks=risks(book),
    )
    open_questions_from_notes(book)
    spec.open_questions = book.questions
    for section in unnamed_empty_sections(spec):
        book.ask(*EMPTY_SECTION_QUESTIONS[section])
    return spec


__all__ = ["FactBook", "cite", "draft_offline"]
