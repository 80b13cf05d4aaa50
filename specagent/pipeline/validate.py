"""Validate a drafted spec against the prototype: repair, demote or drop, never keep silently.

- A citation past the end of its file is clamped when it starts inside it (repair), else dropped.
- A quote not found at its lines is removed from the citation (repair), with a warning.
- An *observed* item left with no citation is demoted: it becomes an open question.
- Duplicate IDs are renumbered by :func:`specagent.spec.ids.assign_ids` afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping

from specagent.spec.model import Citation, Item, OpenQuestion, Spec, item_text
from specagent.spec.resolve import line_count, resolve


def _repair(c: Citation, texts: Mapping[str, str], owner: str, warnings: list[str]) -> Citation | None:
    problem = resolve(c, texts)
    if problem is None:
        return c
    n = line_count(c.path, texts, c.cell)
    if n is None or c.start_line > n:
        warnings.append(f"{owner}: dropped citation {c.label()}: {problem}")
        return None
    fixed = c.model_copy(update={"end_line": min(c.end_line, n)})
    if resolve(fixed, texts) is None:
        return fixed
    fixed = fixed.model_copy(update={"quote": None})
    warnings.append(f"{owner}: removed a quote not found at {c.label()}")
    return fixed


def validate_spec(spec: Spec, texts: Mapping[str, str]) -> list[str]:
    """Fix ``spec`` in place; return one-line warnings for everything repaired or dropped."""
    warnings: list[str] = []
    problem = spec.overview.problem
    if problem is not None:
        problem.sources = [c for c in (_repair(c, texts, "problem", warnings) for c in problem.sources) if c]
        if not problem.sources and problem.provenance == "observed":
            problem.provenance = "inferred"
    demoted: list[OpenQuestion] = []
    for section, items in spec.item_lists():
        keep: list[Item] = []
        for item in items:
            if item.locked:
                # A person's item is theirs: kept as written, but a broken citation is said.
                for c in item.sources:
                    why = resolve(c, texts)
                    if why:
                        warnings.append(f"{item.id} (locked): citation {c.label()} no longer resolves: {why}")
                keep.append(item)
                continue
            item.sources = [c for c in (_repair(c, texts, item.id, warnings) for c in item.sources) if c]
            if item.provenance == "observed" and not item.sources:
                warnings.append(f"{item.id}: no citation resolves; turned into an open question")
                demoted.append(
                    OpenQuestion(
                        id="OQ-999",
                        provenance="decision",
                        question=f"Unverified ({section}): {item_text(item)[:240]}",
                        why="The draft stated this without evidence that resolves in the prototype.",
                    )
                )
                continue
            keep.append(item)
        items[:] = keep
    spec.open_questions.extend(demoted)
    return warnings
