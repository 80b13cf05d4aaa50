"""Checks on a model's answer beyond its schema: quotes, identifiers, requirement smells and EARS form.

Each check returns one-line errors by item path (``risks[0]``), which go back to the model in a
repair round; what still fails afterwards is dropped or demoted by the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from specagent.pipeline.agent.evidence import Evidence
from specagent.quality.ears import classify, normalize
from specagent.quality.smells import detect
from specagent.quality.truth import RepoText, backticked, is_checkable

_NOT_TEXT = {"cites", "kind", "priority", "likelihood", "impact", "item", "quote"}


@dataclass
class ItemErrors:
    """Errors found in one answer, by the path of the item they belong to."""

    hard: dict[str, list[str]] = field(default_factory=dict)  # invented names: drop the item
    quote: dict[str, list[str]] = field(default_factory=dict)  # quote not in its block: demote
    smells: dict[str, list[str]] = field(default_factory=dict)  # vague or not EARS: repair once

    def add(self, kind: dict[str, list[str]], path: str, message: str) -> None:
        kind.setdefault(path, []).append(message)

    def lines(self, *, with_smells: bool) -> list[str]:
        """The errors as the model reads them: one line each, with how to fix a wording error."""
        kinds = [self.hard, self.quote] + ([self.smells] if with_smells else [])
        return [f"{path}: {_with_hint(m)}" for kind in kinds for path, messages in kind.items() for m in messages]

    def any(self, *, with_smells: bool) -> bool:
        return bool(self.lines(with_smells=with_smells))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, BaseModel):
        return [s for name, sub in value for s in ([] if name in _NOT_TEXT else _strings(sub))]
    if isinstance(value, list):
        return [s for sub in value for s in _strings(sub)]
    return []


def _squash(text: str) -> str:
    return " ".join(text.split())


def check_answer(answer: BaseModel, evidence: Evidence, repo: RepoText) -> ItemErrors:
    """Errors of every item of ``answer`` (lists of items are the top-level fields)."""
    errors = ItemErrors()
    for name, value in answer:
        items = value if isinstance(value, list) else [value]
        for n, item in enumerate(items):
            if not isinstance(item, BaseModel):
                continue
            path = f"{name}[{n}]" if isinstance(value, list) else name
            for text in _strings(item):
                for span in backticked(text):
                    if is_checkable(span) and not repo.has(span):
                        errors.add(
                            errors.hard,
                            path,
                            f"`{span}` does not exist in the repository; name only what the evidence shows",
                        )
            quote = getattr(item, "quote", None)
            cites = getattr(item, "cites", None) or []
            if quote is not None and cites:
                block = evidence.get(cites[0])
                if not quote.strip():
                    errors.add(errors.quote, path, f"quote is empty; copy a few words exactly from {cites[0]}")
                elif block is None or _squash(quote) not in _squash(block.text):
                    errors.add(errors.quote, path, f"quote {quote!r} does not occur in {cites[0]}; copy it exactly")
            if name == "requirements":
                statement = getattr(item, "statement", "")
                for smell in detect(statement):
                    errors.add(errors.smells, path, f"requirement smell: {smell.message()}")
                ears = classify(statement)
                if ears.pattern is None:
                    errors.add(errors.smells, path, f"{NOT_EARS} ({ears.problem})")
    return errors


NOT_EARS = "not in EARS form"
EARS_FORMS = "write 'When <trigger>, the <system> shall <response>.' or 'The <system> shall <response>.'"


def _with_hint(message: str) -> str:
    # The model is told how to write the form; the person reading warnings already knows.
    return f"{message}: {EARS_FORMS}" if message.startswith(NOT_EARS) else message


def with_ears_wording(answer: BaseModel) -> BaseModel:
    """``answer`` with each requirement rewritten into EARS where that is mechanical (a "must"
    for "shall", a missing comma after "When ..."), so no repair call is spent on wording alone."""
    requirements = getattr(answer, "requirements", None)
    if not requirements:
        return answer
    fixed = [r.model_copy(update={"statement": normalize(r.statement)}) for r in requirements]
    return answer.model_copy(update={"requirements": fixed})


def without(answer: BaseModel, paths: set[str]) -> BaseModel:
    """``answer`` with the items at ``paths`` removed (lists only; a lone object is kept)."""
    update: dict[str, Any] = {}
    for name, value in answer:
        if isinstance(value, list):
            update[name] = [item for n, item in enumerate(value) if f"{name}[{n}]" not in paths]
    return answer.model_copy(update=update)


_MODAL = frozenset("must shall should will would does do can cannot not no never be able to".split())


def _gist(text: str) -> str:
    return " ".join(w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _MODAL)


def negated_goals(answer: BaseModel) -> set[str]:
    """Non-goals that only negate one of the answer's goals (small models write these to fill
    the list): they say nothing the goals do not, so they are dropped without a repair call."""
    goals = {_gist(g.statement) for g in getattr(answer, "goals", [])}
    return {f"non_goals[{n}]" for n, ng in enumerate(getattr(answer, "non_goals", [])) if _gist(ng.statement) in goals}
