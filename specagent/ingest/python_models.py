"""DATA_MODEL facts (pydantic, dataclasses, SQLAlchemy, TypedDict, NamedTuple, attrs; pandera
schemas in ``python_pandera``, Django models in ``python_django``) and the environment variables
that pydantic-settings classes read."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

from specagent.ingest.models import FactKind
from specagent.ingest.python_calls import add_setting_env
from specagent.ingest.python_common import (
    MISSING,
    Ctx,
    docstring,
    end_line,
    is_ellipsis,
    kwargs,
    last_name,
    literal,
    start_line,
    unparse,
)
from specagent.ingest.python_django import extract_django_models
from specagent.ingest.python_pandera import extract_pandera

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
_FIELD_CALLS = {"Field", "field", "ib", "attrib"}
# Field(...) keywords that describe, rather than constrain, a field.
_NOT_CONSTRAINTS = {
    "default",
    "default_factory",
    "factory",
    "description",
    "title",
    "examples",
    "example",
    "json_schema_extra",
    "repr",
    "hash",
    "compare",
    "metadata",
    "init",
    "kw_only",
    "type",
    "doc",
    "comment",
    "info",
}
_CON_TYPES = {
    "constr": "str",
    "conint": "int",
    "confloat": "float",
    "condecimal": "Decimal",
    "conlist": "list",
    "conset": "set",
    "conbytes": "bytes",
    "condate": "date",
    "confrozenset": "frozenset",
}
_ANNOTATED_TYPES = {
    "Gt": "gt",
    "Ge": "ge",
    "Lt": "lt",
    "Le": "le",
    "MinLen": "min_length",
    "MaxLen": "max_length",
    "MultipleOf": "multiple_of",
}
_SA_PREFIX = re.compile(r"^(?:[a-z_][\w]*\.)+(?=[A-Z])")


@dataclass
class _Kinds:
    """What each local class is, so subclasses inherit the answer."""

    pydantic: set[str] = field(default_factory=set)
    settings: set[str] = field(default_factory=set)
    declarative: set[str] = field(default_factory=set)  # SQLAlchemy bases (not tables)
    sqlalchemy: set[str] = field(default_factory=set)
    typeddict: set[str] = field(default_factory=set)
    enums: dict[str, list[Any]] = field(default_factory=dict)


def _field(name: str, type_: str, required: bool, default: Any, constraints: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "name": name,
        "type": type_,
        "required": required,
        "default": default,
        "constraints": constraints or None,
    }


def _unwrap_annotated(ctx: Ctx, ann: ast.expr) -> tuple[ast.expr, list[ast.expr]]:
    """``Annotated[T, m1, m2]`` -> (T, [m1, m2]); anything else -> (ann, [])."""
    if isinstance(ann, ast.Subscript) and (ctx.qual(ann.value) or "").endswith("Annotated"):
        inner = ann.slice
        if isinstance(inner, ast.Tuple) and inner.elts:
            return inner.elts[0], list(inner.elts[1:])
    return ann, []


def _wrapper(ctx: Ctx, ann: ast.expr) -> str | None:
    """``ClassVar``/``Required``/``NotRequired``/``InitVar``/... of ``X[...]``, or None."""
    if isinstance(ann, ast.Subscript):
        return last_name(ann.value)
    if isinstance(ann, ast.Name | ast.Attribute):
        return last_name(ann)
    return None


def _call_constraints(ctx: Ctx, call: ast.Call) -> dict[str, Any]:
    return {key: ctx.value_or_text(value) for key, value in kwargs(call).items() if key not in _NOT_CONSTRAINTS}


def _type_and_constraints(ctx: Ctx, ann: ast.expr) -> tuple[str, dict[str, Any]]:
    base, meta = _unwrap_annotated(ctx, ann)
    constraints: dict[str, Any] = {}
    for item in meta:
        if isinstance(item, ast.Call):
            name = last_name(item.func) or ""
            if name in _ANNOTATED_TYPES and item.args:
                constraints[_ANNOTATED_TYPES[name]] = ctx.value_or_text(item.args[0])
            elif name in ("Field", "field"):
                constraints.update(_call_constraints(ctx, item))
    if isinstance(base, ast.Call) and (last_name(base.func) or "") in _CON_TYPES:
        constraints.update(_call_constraints(ctx, base))
        return _CON_TYPES[last_name(base.func) or ""], constraints
    return unparse(base), constraints


def _field_call(ctx: Ctx, value: ast.expr | None) -> ast.Call | None:
    if isinstance(value, ast.Call) and (last_name(value.func) or "") in _FIELD_CALLS:
        return value
    return None


def _default_of(ctx: Ctx, call: ast.Call, positional_default: bool) -> tuple[bool, Any]:
    """(has_default, default) from Field(...)/field(...)/attr.ib(...)."""
    kw = kwargs(call)
    if positional_default and call.args:
        node = call.args[0]
        if is_ellipsis(node):
            return False, None
        return True, ctx.value_or_text(node)
    if "default" in kw:
        if is_ellipsis(kw["default"]):
            return False, None
        return True, ctx.value_or_text(kw["default"])
    for key in ("default_factory", "factory"):
        if key in kw:
            return True, f"{unparse(kw[key])}()"
    return False, None


def _plain_fields(ctx: Ctx, cls: ast.ClassDef, framework: str, total: bool = True) -> list[dict[str, Any]]:
    fields: list[dict[str, Any]] = []
    for stmt in cls.body:
        with ctx.guard("model field", stmt):
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                name = stmt.target.id
                if name.startswith("__") or name == "model_config":
                    continue
                if framework == "pydantic" and name.startswith("_"):
                    continue
                wrapper = _wrapper(ctx, stmt.annotation)
                if wrapper in ("ClassVar", "KW_ONLY", "PrivateAttr"):
                    continue
                ann = stmt.annotation
                required_override: bool | None = None
                if wrapper in ("Required", "NotRequired") and isinstance(ann, ast.Subscript):
                    required_override = wrapper == "Required"
                    ann = ann.slice
                type_, constraints = _type_and_constraints(ctx, ann)
                has_default, default = False, None
                call = _field_call(ctx, stmt.value)
                if call is not None:
                    has_default, default = _default_of(ctx, call, positional_default=framework == "pydantic")
                    constraints.update(_call_constraints(ctx, call))
                elif stmt.value is not None:
                    has_default, default = True, ctx.value_or_text(stmt.value)
                if framework == "typeddict":
                    required = total if required_override is None else required_override
                else:
                    required = not has_default
                fields.append(_field(name, type_, required, default, constraints))
            elif (
                framework == "attrs"
                and isinstance(stmt, ast.Assign)
                and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name)
                and _field_call(ctx, stmt.value) is not None
            ):
                call = _field_call(ctx, stmt.value)
                assert call is not None
                has_default, default = _default_of(ctx, call, positional_default=False)
                type_node = kwargs(call).get("type")
                fields.append(
                    _field(
                        stmt.targets[0].id,
                        unparse(type_node) if type_node is not None else "",
                        not has_default,
                        default,
                        _call_constraints(ctx, call),
                    )
                )
    return fields


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


def _sqlalchemy_fields(ctx: Ctx, cls: ast.ClassDef, sqlmodel: bool) -> tuple[list[dict[str, Any]], str | None]:
    fields: list[dict[str, Any]] = []
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
                    fields.append(_field(name, type_, required, default, constraints))
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                name = stmt.target.id
                if name == "__tablename__":
                    table = ctx.string(stmt.value) if stmt.value is not None else None
                    continue
                if name.startswith("__") or _wrapper(ctx, stmt.annotation) == "ClassVar":
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
                    type_, constraints = _type_and_constraints(ctx, python_type)
                    call = _field_call(ctx, value)
                    if call is not None:
                        has_default, default = _default_of(ctx, call, positional_default=True)
                        constraints.update(_call_constraints(ctx, call))
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
                fields.append(_field(name, type_, required, default, constraints))
    if table is None and sqlmodel:
        table = cls.name.lower()
    return fields, table


def _settings_prefix(ctx: Ctx, cls: ast.ClassDef) -> tuple[str, bool]:
    """(env_prefix, case_sensitive) from ``model_config`` or an inner ``class Config``."""
    prefix, case_sensitive = "", False
    for stmt in cls.body:
        target: ast.expr | None = None
        if isinstance(stmt, ast.AnnAssign):
            target = stmt.target
        elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
        if isinstance(target, ast.Name) and target.id == "model_config":
            value = stmt.value  # type: ignore[attr-defined]
            items: dict[str, ast.expr] = {}
            if isinstance(value, ast.Call):
                items = kwargs(value)
            elif isinstance(value, ast.Dict):
                items = {
                    k.value: v
                    for k, v in zip(value.keys, value.values, strict=False)
                    if isinstance(k, ast.Constant) and isinstance(k.value, str)
                }
            if "env_prefix" in items:
                prefix = ctx.string(items["env_prefix"]) or ""
            if "case_sensitive" in items:
                case_sensitive = literal(items["case_sensitive"]) is True
        elif isinstance(stmt, ast.ClassDef) and stmt.name == "Config":
            for inner in stmt.body:
                if isinstance(inner, ast.Assign) and isinstance(inner.targets[0], ast.Name):
                    if inner.targets[0].id == "env_prefix":
                        prefix = ctx.string(inner.value) or ""
                    elif inner.targets[0].id == "case_sensitive":
                        case_sensitive = literal(inner.value) is True
    return prefix, case_sensitive


def _settings_env(ctx: Ctx, cls: ast.ClassDef, fields: list[dict[str, Any]]) -> None:
    prefix, case_sensitive = _settings_prefix(ctx, cls)
    by_name = {f["name"]: f for f in fields}
    for stmt in cls.body:
        if not (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)):
            continue
        spec = by_name.get(stmt.target.id)
        if spec is None:
            continue
        with ctx.guard("settings field", stmt):
            env_name = None
            call = _field_call(ctx, stmt.value)
            if call is not None:
                kw = kwargs(call)
                for key in ("validation_alias", "alias", "env"):
                    if key in kw:
                        env_name = ctx.string(kw[key])
                        if env_name:
                            break
            if not env_name:
                env_name = prefix + spec["name"]
                if not case_sensitive:
                    env_name = env_name.upper()
            secret = "Secret" in spec["type"]
            add_setting_env(
                ctx,
                env_name,
                default=spec["default"],
                required=spec["required"],
                node=stmt,
                secret=secret,
            )


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
            fields: list[dict[str, Any]] = []
            if callee == "namedtuple":
                names = ctx.string(spec)
                listed = names.replace(",", " ").split() if names else ctx.strings(spec) or []
                fields = [_field(n, "", True, None, None) for n in listed]
                framework = "namedtuple"
            elif callee == "NamedTuple" and isinstance(spec, ast.List | ast.Tuple):
                for elt in spec.elts:
                    if isinstance(elt, ast.Tuple) and len(elt.elts) == 2:
                        fields.append(_field(ctx.string(elt.elts[0]) or "", unparse(elt.elts[1]), True, None, None))
                framework = "namedtuple"
            elif callee == "TypedDict" and isinstance(spec, ast.Dict):
                total = not any(kw.arg == "total" and literal(kw.value) is False for kw in call.keywords)
                for key, value in zip(spec.keys, spec.values, strict=False):
                    fields.append(_field(ctx.string(key) or "", unparse(value), total, None, None))
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
            if framework in ("sqlalchemy", "sqlmodel"):
                fields, table = _sqlalchemy_fields(ctx, cls, framework == "sqlmodel")
                detail["framework"] = "sqlalchemy"
                detail["table"] = table
            else:
                total = _total(cls) if framework == "typeddict" else True
                fields = _plain_fields(ctx, cls, framework, total)
            detail["fields"] = fields
            if not fields and framework == "sqlalchemy" and detail.get("table") is None:
                continue  # an abstract base or mixin without columns
            ctx.add(FactKind.DATA_MODEL, cls.name, detail, start_line(cls), end_line(cls), cls.lineno)
            if cls.name in kinds.settings:
                _settings_env(ctx, cls, fields)
    with ctx.guard("functional models"):
        _functional_models(ctx)
    with ctx.guard("django models"):
        taken = {f.name for f in ctx.facts if f.kind is FactKind.DATA_MODEL}
        extract_django_models(ctx, kinds.enums, taken)
    return kinds
