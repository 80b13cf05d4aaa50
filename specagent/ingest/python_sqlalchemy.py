"""The columns and table name of a SQLAlchemy (or SQLModel) model class: ``Column(...)``,
``mapped_column(...)`` and ``Mapped[...]`` annotations, with nullability, defaults, keys and the
SQL type as the DATA_MODEL field carries them.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from specagent.ingest.python_common import MISSING, Ctx, kwargs, last_name, literal, unparse
from specagent.ingest.python_model_fields import (
    annotation_wrapper,
    call_constraints,
    default_of,
    field_call,
    model_field,
    type_and_constraints,
)
from specagent.ingest.records import ModelField

_SA_PREFIX = re.compile(r"^(?:[a-z_][\w]*\.)+(?=[A-Z])")


def _sa_type(node: ast.expr) -> str:
    return _SA_PREFIX.sub("", unparse(node))


def _sa_column(ctx: Ctx, call: ast.Call, python_type: ast.expr | None) -> tuple[str, bool, Any, dict[str, Any]]:
    """(type, required, default, constraints) of a Column(...)/mapped_column(...)."""
    kw = kwargs(call)
    constraints: dict[str, Any] = {}
    sql_type: str | None = None
    for arg in call.args:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            constraints["column_name"] = arg.value
            continue
        callee = last_name(arg.func) if isinstance(arg, ast.Call) else None
        if callee == "ForeignKey":
            target = ctx.string(arg.args[0]) if arg.args else None  # type: ignore[attr-defined]
            constraints["foreign_key"] = target or unparse(arg)
        elif callee in ("Sequence", "Identity", "Computed", "CheckConstraint"):
            constraints[callee.lower()] = unparse(arg)
        elif sql_type is None:
            sql_type = _sa_type(arg)
    for key in ("primary_key", "nullable", "unique", "index", "autoincrement", "server_default", "onupdate", "comment"):
        if key in kw:
            constraints[key] = ctx.value_or_text(kw[key])
    default = ctx.value_or_text(kw["default"]) if "default" in kw else None
    has_default = "default" in kw or "server_default" in kw or "insert_default" in kw
    primary = literal(kw.get("primary_key")) is True
    optional_type = False
    if python_type is not None:
        text = unparse(python_type)
        optional_type = "Optional[" in text or "| None" in text or "None |" in text
    nullable_value = literal(kw.get("nullable")) if "nullable" in kw else MISSING
    if nullable_value is MISSING:
        nullable = optional_type if python_type is not None else not primary
    else:
        nullable = bool(nullable_value)
    if python_type is not None:
        type_ = unparse(python_type)
        if sql_type:
            constraints["sql_type"] = sql_type
    else:
        type_ = sql_type or ""
    generated = primary and (
        type_.startswith(("Integer", "BigInteger", "int"))
        or (constraints.get("sql_type", "").startswith(("Integer", "BigInteger")))
    )
    required = not nullable and not has_default and not generated
    return type_, required, default, constraints


def sqlalchemy_fields(ctx: Ctx, cls: ast.ClassDef, sqlmodel: bool) -> tuple[list[ModelField], str | None]:
    """(fields, table name) of a SQLAlchemy or SQLModel table class; a SQLModel table is named after its class."""
    fields: list[ModelField] = []
    table: str | None = None
    for stmt in cls.body:
        with ctx.guard("table column", stmt):
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                name = stmt.targets[0].id
                if name == "__tablename__":
                    table = ctx.string(stmt.value) or unparse(stmt.value)
                    continue
                if isinstance(stmt.value, ast.Call) and last_name(stmt.value.func) in (
                    "Column",
                    "mapped_column",
                ):
                    type_, required, default, constraints = _sa_column(ctx, stmt.value, None)
                    fields.append(model_field(name, type_, required, default, constraints))
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                name = stmt.target.id
                if name == "__tablename__":
                    table = ctx.string(stmt.value) if stmt.value is not None else None
                    continue
                if name.startswith("__") or annotation_wrapper(ctx, stmt.annotation) == "ClassVar":
                    continue
                value = stmt.value
                if isinstance(value, ast.Call) and last_name(value.func) in (
                    "relationship",
                    "Relationship",
                    "association_proxy",
                    "column_property",
                ):
                    continue
                ann = stmt.annotation
                if isinstance(ann, ast.Subscript) and last_name(ann.value) == "Mapped":
                    python_type: ast.expr = ann.slice
                else:
                    python_type = ann
                if isinstance(value, ast.Call) and last_name(value.func) in (
                    "Column",
                    "mapped_column",
                ):
                    type_, required, default, constraints = _sa_column(ctx, value, python_type)
                elif sqlmodel:
                    type_, constraints = type_and_constraints(ctx, python_type)
                    call = field_call(ctx, value)
                    if call is not None:
                        has_default, default = default_of(ctx, call, positional_default=True)
                        constraints.update(call_constraints(ctx, call))
                    else:
                        has_default = value is not None
                        default = ctx.value_or_text(value) if value is not None else None
                    if constraints.get("primary_key") is True and "| None" in type_:
                        has_default = True
                    required = not has_default
                else:
                    type_ = unparse(python_type)
                    text = type_
                    optional = "Optional[" in text or "| None" in text or "None |" in text
                    required = not optional and value is None
                    default = ctx.value_or_text(value) if value is not None else None
                    constraints = {"nullable": True} if optional else {}
                fields.append(model_field(name, type_, required, default, constraints))
    if table is None and sqlmodel:
        table = cls.name.lower()
    return fields, table
