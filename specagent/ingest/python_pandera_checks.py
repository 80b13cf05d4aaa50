"""How pandera's dtypes, checks and options read in a DATA_MODEL fact: a column becomes a field
dict whose constraints are keyed as the drafter words them (``ge`` -> ">=", ``pattern``), and
whole-table options become short phrases for ``table_constraints``.

``pa.Field(ge=0)`` keywords, ``pa.Check.in_range(0, 1)`` calls and custom ``pa.Check(lambda
...)`` checks all land on the same keys, so both ways of writing a schema read alike.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from specagent.ingest.python_common import MISSING, Ctx, kwargs, last_name, literal, unparse
from specagent.ingest.records import ModelField

# A lower-case module path before a class name: ``pa.DateTime`` -> ``DateTime``, ``pl.Int64``.
_MODULE_PREFIX = re.compile(r"\b(?:[a-z_]\w*\.)+(?=[A-Z])")
# ``pa.Field(...)`` / ``pa.Check.<name>(...)`` keywords and built-in checks, by the constraint
# key the drafter words them with (``ge`` -> ">=", ``pattern`` -> "pattern `...`").
_CHECK_KEYS = {
    "ge": "ge",
    "greater_than_or_equal_to": "ge",
    "gt": "gt",
    "greater_than": "gt",
    "le": "le",
    "less_than_or_equal_to": "le",
    "lt": "lt",
    "less_than": "lt",
    "eq": "equal_to",
    "equal_to": "equal_to",
    "ne": "not_equal_to",
    "not_equal_to": "not_equal_to",
    "isin": "one_of",
    "notin": "not_one_of",
    "str_matches": "pattern",
    "str_contains": "contains",
    "str_startswith": "starts_with",
    "str_endswith": "ends_with",
    "unique_values_eq": "unique_values",
    "unique": "unique",
    "coerce": "coerce",
    "raise_warning": "warn_only",
}
# Field/Column keywords that say nothing about the values (or are handled on their own).
_NOT_CHECKS = {
    "nullable",
    "required",
    "alias",
    "name",
    "title",
    "description",
    "default",
    "metadata",
    "dtype_kwargs",
    "ignore_na",
    "n_failure_cases",
    "check_name",
    "checks",
    "dtype",
}
# ``class Config`` / ``DataFrameSchema(...)`` options that hold over the whole table, worded.
_TABLE_FLAGS = {
    "strict": "strict (no other columns)",
    "coerce": "coerced to the declared types",
    "ordered": "columns in this order",
    "unique_column_names": "column names unique",
    "add_missing_columns": "missing columns added",
    "drop_invalid_rows": "invalid rows dropped",
}
#: A check's code is quoted when it is this short, else only its name is given.
CHECK_CHARS = 100


def dtype_text(node: ast.AST | None) -> str:
    """A dtype as a reader knows it: ``pa.DateTime`` -> ``DateTime``, ``"int64"`` -> ``int64``."""
    if node is None:
        return ""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return _MODULE_PREFIX.sub("", unparse(node))


def _range(value: Any, include_min: Any = True, include_max: Any = True) -> dict[str, Any]:
    """``in_range={"min_value": 0, "max_value": 1}`` as the bounds it stands for."""
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        if value.get("min_value") is not None:
            out["ge" if value.get("include_min", include_min) is not False else "gt"] = value["min_value"]
        if value.get("max_value") is not None:
            out["le" if value.get("include_max", include_max) is not False else "lt"] = value["max_value"]
    return out


def _length(value: Any) -> dict[str, Any]:
    """``str_length=5`` or ``{"min_value": 2, "max_value": 2}`` as min/max length."""
    if isinstance(value, int) and not isinstance(value, bool):
        return {"min_length": value, "max_length": value}
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        if value.get("min_value") is not None:
            out["min_length"] = value["min_value"]
        if value.get("max_value") is not None:
            out["max_length"] = value["max_value"]
    return out


def field_checks(ctx: Ctx, call: ast.Call) -> dict[str, Any]:
    """The value checks of a ``pa.Field(...)`` call, keyed as the drafter words them."""
    out: dict[str, Any] = {}
    for key, node in kwargs(call).items():
        if key in _NOT_CHECKS:
            continue
        value = ctx.value_or_text(node)
        if key == "in_range":
            out.update(_range(value))
        elif key == "str_length":
            out.update(_length(value))
        elif key == "regex":
            if value is True:
                out["name_is_pattern"] = True  # the field name matches several columns
        elif key in _CHECK_KEYS:
            if value is not False and value is not None:
                out[_CHECK_KEYS[key]] = value
        else:
            out[key] = value  # a registered custom check: its name says what it checks
    return out


def _check_call(ctx: Ctx, node: ast.expr) -> dict[str, Any]:
    """One ``pa.Check.ge(0)`` / ``pa.Check(lambda s: ..., error="...")`` as constraints."""
    if not isinstance(node, ast.Call):
        return {"check": f"`{_clip(unparse(node))}`"}
    func = node.func
    args = [ctx.value_or_text(a) for a in node.args]
    kw = {k: ctx.value_or_text(v) for k, v in kwargs(node).items()}
    if isinstance(func, ast.Attribute) and last_name(func.value) == "Check":
        name = func.attr
        if name in ("in_range", "between"):
            bounds = {"min_value": args[0] if args else kw.get("min_value")}
            bounds["max_value"] = args[1] if len(args) > 1 else kw.get("max_value")
            return _range(bounds, kw.get("include_min", True), kw.get("include_max", True))
        if name == "str_length":
            low = args[0] if args else kw.get("min_value")
            high = args[1] if len(args) > 1 else kw.get("max_value")
            return _length({"min_value": low, "max_value": high})
        if name in _CHECK_KEYS:
            value = args[0] if args else next(iter(kw.values()), True)
            return {_CHECK_KEYS[name]: value}
        return {"check": f"`{_clip(unparse(node))}`"}
    # A custom check: its error message says what it means better than the lambda does.
    error = kw.get("error") or kw.get("name")
    if isinstance(error, str) and error:
        return {"check": error}
    body = node.args[0] if node.args else None
    code = body.body if isinstance(body, ast.Lambda) else body or node
    return {"check": f"`{_clip(unparse(code))}`"}


def check_constraints(ctx: Ctx, node: ast.expr | None) -> dict[str, Any]:
    """``checks=`` (one check or a list of them) merged into one constraints dict."""
    if node is None:
        return {}
    items = node.elts if isinstance(node, ast.List | ast.Tuple) else [node]
    out: dict[str, Any] = {}
    for item in items:
        for key, value in _check_call(ctx, item).items():
            if key == "check" and "check" in out:
                out["check"] = f"{out['check']}, {value}"
            else:
                out[key] = value
    return out


def _clip(text: str) -> str:
    return text if len(text) <= CHECK_CHARS else text[: CHECK_CHARS - 1].rstrip() + "…"


def schema_field(
    name: str, type_: str, *, present: bool, nullable: bool, default: Any, checks: dict[str, Any], doc: Any
) -> ModelField:
    """The DATA_MODEL field: ``required`` is True when the column must be there, non-null."""
    constraints = dict(checks)
    if not present:
        constraints["may_be_absent"] = True
        if not nullable:
            constraints["nullable"] = False  # absent is allowed, a null value is not
    return ModelField(
        name=name,
        type=type_,
        required=present and not nullable,
        default=default,
        constraints=constraints or None,
        doc=doc if isinstance(doc, str) and doc else None,
    )


def flag_constraints(ctx: Ctx, options: dict[str, ast.expr]) -> list[str]:
    """Whole-table options (``unique``, ``strict``, ``coerce``...) as short phrases."""
    out: list[str] = []
    unique = options.get("unique")
    if unique is not None:
        one = ctx.string(unique)
        cols = ctx.strings(unique) or ([one] if one else None)
        if cols:
            out.append(f"unique ({', '.join(cols)})")
    for key, words in _TABLE_FLAGS.items():
        value = literal(options.get(key)) if key in options else MISSING
        if value is True:
            out.append(words)
        elif key == "strict" and value == "filter":
            out.append("other columns dropped")
    return out
