"""Output schemas, built per call: citations are an enum of the evidence IDs given.

Every field is required and every string and list is bounded, so a strict ``json_schema`` server
enforces the whole shape (a small model cannot loop past ``maxItems`` or cite ``E99``).
"""

from __future__ import annotations

from types import GenericAlias
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

# Named, so a type checker reads them as types where they are passed to create_model as values.
RequirementKind = Literal["functional", "non_functional"]
Priority = Literal["must", "should", "could"]


class Out(BaseModel):
    """Base of every answer model: no extra keys."""

    model_config = ConfigDict(extra="forbid")


def _enum(values: list[str]) -> Any:
    # Literal[...] over a runtime list: pydantic renders it as a JSON Schema enum.
    return Literal[tuple(values)]


def _cites(ids: list[str]) -> Any:
    # GenericAlias(list, ...) is what ``list[...]`` builds at run time; spelled as a call because
    # the item type is a runtime value, which a type checker does not accept inside ``[...]``.
    return (
        GenericAlias(list, (_enum(ids),)),
        Field(min_length=1, max_length=3, description="IDs of the evidence blocks."),
    )


def _text(limit: int, description: str = "") -> Any:
    return (str, Field(max_length=limit, description=description))


def overview_schema(ids: list[str], max_items: int) -> type[Out]:
    problem = create_model("ProblemOut", __base__=Out, text=_text(600), cites=_cites(ids))
    goal = create_model("GoalOut", __base__=Out, statement=_text(200), cites=_cites(ids))
    user = create_model("UserOut", __base__=Out, name=_text(60), description=_text(200), cites=_cites(ids))
    return create_model(
        "OverviewOut",
        __base__=Out,
        problem=(problem, ...),
        goals=(list[goal], Field(max_length=max_items)),
        non_goals=(list[goal], Field(max_length=3)),
        users=(list[user], Field(max_length=4)),
    )


def stories_schema(ids: list[str], max_items: int) -> type[Out]:
    criterion = create_model("CriterionOut", __base__=Out, given=_text(160), when=_text(160), then=_text(160))
    story = create_model(
        "StoryOut",
        __base__=Out,
        as_a=_text(60),
        i_want=_text(200),
        so_that=_text(200),
        acceptance=(list[criterion], Field(max_length=2)),
        cites=_cites(ids),
    )
    requirement = create_model(
        "RequirementOut",
        __base__=Out,
        statement=_text(240, "EARS: When <trigger>, the <system> shall <response>."),
        kind=(RequirementKind, ...),
        priority=(Priority, ...),
        cites=_cites(ids),
    )
    return create_model(
        "StoriesOut",
        __base__=Out,
        # Fewer stories than requirements: a story with criteria costs ~150 output tokens.
        user_stories=(list[story], Field(max_length=min(3, max_items))),
        requirements=(list[requirement], Field(max_length=min(4, max_items))),
    )


def risks_schema(ids: list[str], max_items: int) -> type[Out]:
    level = Literal["low", "medium", "high"]
    risk = create_model(
        "RiskOut",
        __base__=Out,
        title=_text(120),
        detail=_text(300),
        likelihood=(level, ...),
        impact=(level, ...),
        mitigation=_text(200),
        quote=_text(120, "A few words copied exactly from the first cited block."),
        cites=_cites(ids),
    )
    question = create_model(
        "QuestionOut",
        __base__=Out,
        question=_text(200),
        why=_text(200),
        options=(list[str], Field(max_length=3)),
        cites=_cites(ids),
    )
    return create_model(
        "RisksOut",
        __base__=Out,
        risks=(list[risk], Field(max_length=max_items)),
        open_questions=(list[question], Field(max_length=max_items)),
    )


def targets_schema(ids: list[str], items: list[str]) -> type[Out]:
    target = create_model(
        "TargetOut",
        __base__=Out,
        item=(_enum(items), ...),
        target=_text(80),
        rationale=_text(200),
        cites=_cites(ids),
    )
    return create_model(
        "TargetsOut",
        __base__=Out,
        targets=(list[target], Field(max_length=len(items))),
    )


def summaries_schema(ids: list[str], items: list[str]) -> type[Out]:
    summary = create_model("SummaryOut", __base__=Out, item=(_enum(items), ...), summary=_text(200), cites=_cites(ids))
    return create_model(
        "SummariesOut",
        __base__=Out,
        summaries=(list[summary], Field(max_length=len(items))),
    )


def _item_ids(items: list[str]) -> Any:
    return (GenericAlias(list, (_enum(items),)), Field(min_length=2, max_length=4))


def review_schema(ids: list[str], items: list[str]) -> type[Out]:
    """Drops and merges of the inferred items ``items`` (IDs), each with its reason or wording."""
    drop = create_model("DropOut", __base__=Out, item=(_enum(items), ...), reason=_text(200), cites=_cites(ids))
    merge = create_model(
        "MergeOut",
        __base__=Out,
        items=_item_ids(items),
        statement=_text(240, "The one statement that replaces the merged items."),
        cites=_cites(ids),
    )
    return create_model(
        "ReviewOut",
        __base__=Out,
        drops=(list[drop], Field(max_length=5)),
        merges=(list[merge], Field(max_length=3)),
    )
