"""The offline drafter: a complete Spec from Facts alone, no model.

Every item it writes comes from a fact and cites it. What facts cannot tell (targets, budgets,
users when the notes are silent) becomes an open question, never invented text. Output is
deterministic: the same facts give the same spec. IDs here are provisional and sequential;
:func:`specagent.spec.ids.assign_ids` makes them stable against an earlier draft.
"""

from __future__ import annotations

from specagent.ingest.models import Fact
from specagent.pipeline.offline.book import FactBook
from specagent.pipeline.offline.common import cite
from specagent.pipeline.offline.context import architecture, dependencies
from specagent.pipeline.offline.contracts import data_contracts
from specagent.pipeline.offline.interfaces import interfaces
from specagent.pipeline.offline.measures import constraints, metrics
from specagent.pipeline.offline.overview import overview, requirements, user_stories
from specagent.pipeline.offline.risks import open_questions_from_notes, risks
from specagent.spec.model import Spec


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
    return spec


__all__ = ["FactBook", "cite", "draft_offline"]
