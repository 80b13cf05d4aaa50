"""The fields of a model class as DATA_MODEL fields: name, type, whether it is required, its
default and its constraints, read from annotations (``Annotated[...]``, ``constr(...)``) and from
``Field(...)`` / ``field(...)`` / ``attr.ib(...)`` calls. Shared by the pydantic, dataclass,
attrs, TypedDict and NamedTuple readers and by SQLModel tables.
"""

from __future__ import annotations

import ast
from typing import Any

from specagent.ingest.python_common import Ctx, is_ellipsis, kwargs, last_name, unparse
from specagent.ingest.records import ModelField

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


def model_field(name: str, type_: str, required: bool, default: Any, constraints: dict[str, Any] | None) -> ModelField:
    """The DATA_MODEL field; empty constraints are kept as None."""
    return ModelField(name=name, type=type_, required=required, default=default, constraints=constraints or None)


def _unwrap_annotated(ctx: Ctx, ann: ast.expr) -> tuple[ast.expr, list[ast.expr]]:
    """``Annotated[T, m1, m2]`` -> (T, [m1, m2]); anything else -> (ann, [])."""
    if isinstance(ann, ast.Subscript) and (ctx.qual(ann.value) or "").endswith("Annotated"):
        inner = ann.slice
        if isinstance(inner, ast.Tuple) and inner.elts:
            return inner.elts[0], list(inner.elts[1:])
    return ann, []


def annotation_wrapper(ctx: Ctx, ann: ast.expr) -> str | None:
    """``ClassVar``/``Required``/``NotRequired``/``InitVar``/... of ``X[...]``, or None."""
    if isinstance(ann, ast.Subscript):
        return last_name(ann.value)
    if isinstance(ann, ast.Name | ast.Attribute):
        return last_name(ann)
    return None


def call_constraints(ctx: Ctx, call: ast.Call) -> dict[str, Any]:
    """The keywords of a ``Field(...)``-like call that constrain the value (not its default or doc)."""
    return {key: ctx.value_or_text(value) for key, value in kwargs(call).items() if key not in _NOT_CONSTRAINTS}


def type_and_constraints(ctx: Ctx, ann: ast.expr) -> tuple[str, dict[str, Any]]:
    """The type an annotation names and the constraints written into it (``Annotated``, ``conint``)."""
    base, meta = _unwrap_annotated(ctx, ann)
    constraints: dict[str, Any] = {}
    for item in meta:
        if isinstance(item, ast.Call):
            name = last_name(item.func) or ""
            if name in _ANNOTATED_TYPES and item.args:
                constraints[_ANNOTATED_TYPES[name]] = ctx.value_or_text(item.args[0])
            elif name in ("Field", "field"):
                constraints.update(call_constraints(ctx, item))
    if isinstance(base, ast.Call) and (last_name(base.func) or "") in _CON_TYPES:
        constraints.update(call_constraints(ctx, base))
        return _CON_TYPES[last_name(base.func) or ""], constraints
    return unparse(base), constraints


def field_call(ctx: Ctx, value: ast.expr | None) -> ast.Call | None:
    """``value`` when it is a ``Field(...)`` / ``field(...)`` / ``attr.ib(...)`` call."""
    if isinstance(value, ast.Call) and (last_name(value.func) or "") in _FIELD_CALLS:
        return value
    return None


def default_of(ctx: Ctx, call: ast.Call, positional_default: bool) -> tuple[bool, Any]:
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


def plain_fields(ctx: Ctx, cls: ast.ClassDef, framework: str, total: bool = True) -> list[ModelField]:
    """The annotated fields of a pydantic, dataclass, attrs, TypedDict or NamedTuple class.

    ``total`` is a TypedDict's default for whether a key is required.
    """
    fields: list[ModelField] = []
    for stmt in cls.body:
        with ctx.guard("model field", stmt):
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                name = stmt.target.id
                if name.startswith("__") or name == "model_config":
                    continue
                if framework == "pydantic" and name.startswith("_"):
                    continue
                wrapper = annotation_wrapper(ctx, stmt.annotation)
                if wrapper in ("ClassVar", "KW_ONLY", "PrivateAttr"):
                    continue
                ann = stmt.annotation
                required_override: bool | None = None
                if wrapper in ("Required", "NotRequired") and isinstance(ann, ast.Subscript):
                    required_override = wrapper == "Required"
                    ann = ann.slice
                type_, constraints = type_and_constraints(ctx, ann)
                has_default, default = False, None
                call = field_call(ctx, stmt.value)
                if call is not None:
                    has_default, default = default_of(ctx, call, positional_default=framework == "pydantic")
                    constraints.update(call_constraints(ctx, call))
                elif stmt.value is not None:
                    has_default, default = True, ctx.value_or_text(stmt.value)
                if framework == "typeddict":
                    required = total if required_override is None else required_override
                else:
                    required = not has_default
                fields.append(model_field(name, type_, required, default, constraints))
            elif (
                framework == "attrs"
                and isinstance(stmt, ast.Assign)
                and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name)
                and field_call(ctx, stmt.value) is not None
            ):
                call = field_call(ctx, stmt.value)
                assert call is not None
                has_default, default = default_of(ctx, call, positional_default=False)
                type_node = kwargs(call).get("type")
                fields.append(
                    model_field(
                        stmt.targets[0].id,
                        unparse(type_node) if type_node is not None else "",
                        not has_default,
                        default,
                        call_constraints(ctx, call),
                    )
                )
    return fields
