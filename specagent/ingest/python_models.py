"""DATA_MODEL facts (pydantic, dataclasses, SQLAlchemy, TypedDict, NamedTuple, attrs; pandera
schemas in ``python_pandera``, Django models in ``python_django``) and the environment variables
that pydantic-settings classes read.

This module decides what each class is; how its fields read lives beside it: ``python_model_fields``
(annotations and ``Field(...)`` calls), ``python_sqlalchemy`` (table columns) and
``python_settings`` (the environment variables of a settings class).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from specagent.ingest.models import FactKind
from specagent.ingest.python_common import (
    MISSING,
    Ctx,
    docstring,
    end_line,
    last_name,
    literal,
    start_line,
    unparse,
)
from specagent.ingest.python_django import extract_django_models
from specagent.ingest.python_model_fields import model_field, plain_fields
from specagent.ingest.python_pandera import extract_pandera
from specagent.ingest.python_settings import settings_env
from specagent.ingest.python_sqlalchemy import sqlalchemy_fields
from specagent.ingest.records import ModelField

_PYDANTIC_BASES = {
    "pydantic.BaseModel",
    "pydantic.main.BaseModel",
    "pydantic.RootModel",
    "pydantic.generics.GenericModel",
    "pydantic.v1.BaseModel",
    "beanie.Document",
    "odmantic.Model",
}
_SETTINGS_BASES = {
    "pydantic_settings.BaseSettings",
    "pydantic.BaseSettings",
    "pydantic.v1.BaseSettings",
}
_DECLARATIVE = {
    "sqlalchemy.orm.DeclarativeBase",
    "sqlalchemy.orm.DeclarativeBaseNoMeta",
    "sqlalchemy.orm.decl_api.DeclarativeBase",
}
_DECLARATIVE_FACTORIES = ("declarative_base", "generate_base")
_DATACLASS_DECORATORS = {"dataclasses.dataclass", "pydantic.dataclasses.dataclass"}
_ATTRS_DECORATORS = {
    "attr.s",
    "attr.attrs",
    "attr.define",
    "attr.frozen",
    "attr.mutable",
    "attr.dataclass",
    "attrs.define",
    "attrs.frozen",
    "attrs.mutable",
}


@dataclass
class _Kinds:
    """What each local class is, so subclasses inherit the answer."""

    pydantic: set[str] = field(default_factory=set)
    settings: set[str] = field(default_factory=set)
    declarative: set[str] = field(default_factory=set)  # SQLAlchemy bases (not tables)
    sqlalchemy: set[str] = field(default_factory=set)
    typeddict: set[str] = field(default_factory=set)
    enums: dict[str, list[Any]] = field(default_factory=dict)


def _enum_values(ctx: Ctx, cls: ast.ClassDef) -> list[Any]:
    values: list[Any] = []
    for stmt in cls.body:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Name):
            value = literal(stmt.value)
            if value is not MISSING and not stmt.targets[0].id.startswith("_"):
                values.append(value)
    return values


def _decorator_names(ctx: Ctx, cls: ast.ClassDef) -> set[str]:
    out = set()
    for dec in cls.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        name = ctx.qual(target)
        if name:
            out.add(name)
            if not ctx.is_imported_name(target):
                out.add(f"?{last_name(target)}")
    return out


def classify_classes(ctx: Ctx) -> _Kinds:
    """Decide, in source order, what each local class is (subclasses inherit it)."""
    kinds = _Kinds()
    for assign in ctx.index.assigns:
        # Base = declarative_base() / registry().generate_base(); db = SQLAlchemy(app)
        if (
            isinstance(assign, ast.Assign)
            and isinstance(assign.value, ast.Call)
            and len(assign.targets) == 1
            and isinstance(assign.targets[0], ast.Name)
        ):
            callee = last_name(assign.value.func)
            if callee in _DECLARATIVE_FACTORIES:
                kinds.declarative.add(assign.targets[0].id)
            elif callee == "SQLAlchemy":
                kinds.declarative.add(f"{assign.targets[0].id}.Model")
    for cls in ctx.index.classes:
        with ctx.guard("class", cls):
            bases = [ctx.qual(b) or "" for b in cls.bases]
            raw = [unparse(b) for b in cls.bases]
            local = {last_name(b) or "" for b in cls.bases}
            if any(b.endswith("Enum") or b in kinds.enums for b in bases):
                kinds.enums[cls.name] = _enum_values(ctx, cls)
            if any(b in _SETTINGS_BASES or r == "BaseSettings" for b, r in zip(bases, raw, strict=False)) or (
                local & kinds.settings
            ):
                kinds.settings.add(cls.name)
                kinds.pydantic.add(cls.name)
            elif any(b in _DECLARATIVE for b in bases):
                kinds.declarative.add(cls.name)
            elif any(b in _PYDANTIC_BASES or r == "BaseModel" for b, r in zip(bases, raw, strict=False)) or (
                local & kinds.pydantic
            ):
                kinds.pydantic.add(cls.name)
            elif any(r in kinds.declarative for r in raw) or (local & kinds.sqlalchemy):
                kinds.sqlalchemy.add(cls.name)
            elif any(b.endswith("TypedDict") for b in bases) or local & kinds.typeddict:
                kinds.typeddict.add(cls.name)
    return kinds


def _framework(ctx: Ctx, cls: ast.ClassDef, kinds: _Kinds) -> str | None:
    bases = [ctx.qual(b) or "" for b in cls.bases]
    decorators = _decorator_names(ctx, cls)
    body_calls = {
        last_name(stmt.value.func)
        for stmt in cls.body
        if isinstance(stmt, ast.Assign | ast.AnnAssign) and isinstance(stmt.value, ast.Call)
    }
    has_table = any(
        isinstance(stmt, ast.Assign | ast.AnnAssign)
        and any(
            isinstance(t, ast.Name) and t.id == "__tablename__"
            for t in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target])
        )
        for stmt in cls.body
    )
    is_sqlmodel = any(b.endswith("SQLModel") for b in bases)
    table_kw = any(kw.arg == "table" and literal(kw.value) is True for kw in cls.keywords)
    if cls.name in kinds.declarative:
        return None
    if is_sqlmodel and table_kw:
        return "sqlmodel"
    if cls.name in kinds.sqlalchemy or has_table or body_calls & {"Column", "mapped_column"}:
        return "sqlalchemy"
    if cls.name in kinds.pydantic or is_sqlmodel:
        return "pydantic"
    if decorators & _DATACLASS_DECORATORS or "?dataclass" in decorators:
        return "dataclass"
    if decorators & _ATTRS_DECORATORS or decorators & {"?define", "?frozen", "?attrs"}:
        return "attrs"
    if cls.name in kinds.typeddict:
        return "typeddict"
    if any(b.endswith("NamedTuple") for b in bases):
        return "namedtuple"
    return None


def _total(cls: ast.ClassDef) -> bool:
    return not any(kw.arg == "total" and literal(kw.value) is False for kw in cls.keywords)


def _functional_models(ctx: Ctx) -> None:
    """``P = namedtuple("P", ["x", "y"])`` and ``TD = TypedDict("TD", {"a": int})``."""
    for assign in ctx.index.assigns:
        if not (
            isinstance(assign, ast.Assign)
            and isinstance(assign.value, ast.Call)
            and len(assign.targets) == 1
            and isinstance(assign.targets[0], ast.Name)
        ):
            continue
        call = assign.value
        callee = last_name(call.func)
        if callee not in ("namedtuple", "NamedTuple", "TypedDict") or len(call.args) < 2:
            continue
        with ctx.guard("model", assign):
            spec = call.args[1]
            fields: list[ModelField] = []
            if callee == "namedtuple":
                names = ctx.string(spec)
                listed = names.replace(",", " ").split() if names else ctx.strings(spec) or []
                fields = [model_field(n, "", True, None, None) for n in listed]
                framework = "namedtuple"
            elif callee == "NamedTuple" and isinstance(spec, ast.List | ast.Tuple):
                for elt in spec.elts:
                    if isinstance(elt, ast.Tuple) and len(elt.elts) == 2:
                        fields.append(
                            model_field(ctx.string(elt.elts[0]) or "", unparse(elt.elts[1]), True, None, None)
                        )
                framework = "namedtuple"
            elif callee == "TypedDict" and isinstance(spec, ast.Dict):
                total = not any(kw.arg == "total" and literal(kw.value) is False for kw in call.keywords)
                for key, value in zip(spec.keys, spec.values, strict=False):
                    fields.append(model_field(ctx.string(key) or "", unparse(value), total, None, None))
                framework = "typeddict"
            else:
                continue
            ctx.add_node(
                FactKind.DATA_MODEL,
                assign.targets[0].id,
                {"framework": framework, "doc": None, "fields": fields},
                assign,
            )


def extract_models(ctx: Ctx) -> _Kinds:
    """DATA_MODEL facts for every model class, ENV_VAR facts for settings classes."""
    kinds = classify_classes(ctx)
    pandera: set[str] = set()
    with ctx.guard("pandera schemas"):
        pandera = extract_pandera(ctx)
    for cls in ctx.index.classes:
        if cls.name in pandera:
            continue  # a dataframe schema, drafted from its columns above
        with ctx.guard("model", cls):
            framework = _framework(ctx, cls, kinds)
            if framework is None:
                continue
            detail: dict[str, Any] = {"framework": framework, "doc": docstring(cls)}
            table: str | None = None
            if framework in ("sqlalchemy", "sqlmodel"):
                fields, table = sqlalchemy_fields(ctx, cls, framework == "sqlmodel")
                detail["framework"] = "sqlalchemy"
                detail["table"] = table
            else:
                total = _total(cls) if framework == "typeddict" else True
                fields = plain_fields(ctx, cls, framework, total)
            detail["fields"] = fields
            if not fields and framework == "sqlalchemy" and table is None:
                continue  # an abstract base or mixin without columns
            ctx.add(FactKind.DATA_MODEL, cls.name, detail, start_line(cls), end_line(cls), cls.lineno)
            if cls.name in kinds.settings:
                settings_env(ctx, cls, fields)
    with ctx.guard("functional models"):
        _functional_models(ctx)
    with ctx.guard("django models"):
        taken = {f.name for f in ctx.facts if f.kind is FactKind.DATA_MODEL}
        extract_django_models(ctx, kinds.enums, taken)
    return kinds
