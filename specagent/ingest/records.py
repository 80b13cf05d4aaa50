"""The records nested in fact details, typed: a CLI option, a route parameter, a model field...

A detail (:mod:`specagent.ingest.details`) holds lists of these; the parser that finds them
builds them and the drafter reads their attributes, so a key renamed on either side shows up in
the type checker instead of silently thinning a draft. Like a detail, a record is frozen,
refuses keys it does not declare, and serialises to exactly the keys its parser gave (see
:class:`Record`), so its JSON is the dict it replaced.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, SerializerFunctionWrapHandler, model_serializer

#: A value as the prototype's source writes it: a literal's value (JSON-friendly: a string,
#: number, bool, None, list or dict; a tuple where one sits inside a literal list) or, where the
#: expression is no literal, its source text. Validated as given: an ``int`` stays an ``int``.
SourceValue = str | int | float | bool | list[Any] | tuple[Any, ...] | dict[str, Any] | None

#: Constraints of a field or parameter, by the keyword the source wrote (``max_length``, ``ge``,
#: ``foreign_key``, ``nullable``, ...). Open-ended: the keys are the prototype's own keywords.
Constraints = dict[str, SourceValue]


class Record(BaseModel):
    """A frozen model that refuses undeclared keys and serialises to the keys it was given."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    def given(self) -> list[str]:
        """The keys the parser gave, as it wrote them (a field's alias where it has one)."""
        return [info.alias or name for name, info in type(self).model_fields.items() if name in self.model_fields_set]

    @model_serializer(mode="wrap")
    def _given_keys_only(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # A record serialises to the keys its parser gave, as the dict it replaces did.
        data: dict[str, Any] = handler(self)
        for name, info in type(self).model_fields.items():
            if info.alias and name in data:  # the key, not the attribute's name
                data[info.alias] = data.pop(name)
        given = set(self.given())
        return {k: v for k, v in data.items() if k in given}


class CliOption(Record):
    """One option or argument of a command (``options`` of CLI_COMMAND)."""

    name: str
    flags: list[str]
    type: str | None
    default: SourceValue
    required: bool
    help: str | None
    choices: list[SourceValue] | None


class QueueUse(Record):
    """A queue a ``__main__`` block reads or writes (``queues`` of CLI_COMMAND)."""

    name: str | None  # None when this file cannot tell it (``settings.queue``)
    expr: str  # the argument as written
    mode: str  # read | write
    call: str | None  # the method, e.g. ``blpop``
    line: int
    quote: str | None


class ParamSpec(Record):
    """One parameter a client sends to an HTTP route (``param_specs`` of HTTP_ROUTE)."""

    name: str
    location: str  # where the client sends it: path, query, header, cookie, body, file...
    type: str | None
    required: bool
    default: SourceValue
    constraints: Constraints
    dependency: str | None  # the FastAPI dependency that reads it


class RouteError(Record):
    """An error status a route answers (``errors`` of HTTP_ROUTE)."""

    status: int
    message: str | None  # what the client reads
    condition: str | None  # the ``if`` test or ``except`` clause it answers
    line: int
    quote: str | None
    via: str | None  # the helper or dependency it was found in


class Mount(Record):
    """A urls.py line that writes part of a Django route's path (``mounts``, ``via`` of HTTP_ROUTE)."""

    path: str
    line: int
    quote: str | None


class ModelField(Record):
    """One field of a data model, a table column or a dataframe column (``fields`` of DATA_MODEL)."""

    name: str
    type: str
    required: bool
    default: SourceValue
    constraints: Constraints | None
    doc: str | None = None  # given by the DDL and pandera readers, and by Django's ``help_text``


class MetricRow(Record):
    """The row of a summarised table a metric's value comes from (``row`` of METRIC)."""

    label: str
    key: str | None
    rows: int
    pick: str  # lowest | highest | best
    also: list[list[str]]  # [row label or column header, value as printed]


class SampleColumn(Record):
    """One column of a data sample (``columns`` of DATA_SCHEMA)."""

    name: str
    type: str
    nullable: bool
    example: str | None = None  # given only when the sample shows one


class UiInput(Record):
    """One input widget of a UI app (``inputs`` of UI_APP)."""

    widget: str
    label: str | None
    line: int
    quote: str | None


__all__ = [
    "CliOption",
    "Constraints",
    "MetricRow",
    "ModelField",
    "Mount",
    "ParamSpec",
    "QueueUse",
    "Record",
    "RouteError",
    "SampleColumn",
    "SourceValue",
    "UiInput",
]
