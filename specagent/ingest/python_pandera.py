"""DATA_MODEL facts for pandera dataframe schemas: the table contracts a data pipeline declares.

Both ways pandera is written are read, for pandas, polars and pyspark alike:

- class-based: ``class Sales(pa.DataFrameModel)`` (or the older ``SchemaModel``) with fields
  ``units: Series[int] = pa.Field(ge=0)``, ``Index[...]`` fields, an inner ``class Config``
  (``strict``, ``coerce``, ``unique``...) and ``@pa.check`` / ``@pa.dataframe_check`` methods;
- object-based: ``sales = pa.DataFrameSchema({"units": pa.Column(int, pa.Check.ge(0)), ...},
  index=..., unique=[...], strict=True)``.

Each column becomes a field with the exact column name (an ``alias`` wins over the attribute),
its dtype, whether it must be present and non-null, and its checks as constraints; what holds
over several columns (a composite key, a dataframe-level check, strictness) becomes
``table_constraints``. :func:`validated_schemas` finds which names a function validates data
with, so the drafter can say which function reads or writes each contract.
"""

from __future__ import annotations

import ast
import bisect
import re
from typing import Any

from specagent.ingest.models import FactKind
from specagent.ingest.python_common import (
    MISSING,
    Ctx,
    FuncNode,
    docstring,
    end_line,
    kwargs,
    last_name,
    literal,
    start_line,
    unparse,
)

_MODEL_BASES = {"DataFrameModel", "SchemaModel"}
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
_CHECK_CHARS = 100


def _is_pandera(ctx: Ctx, node: ast.AST | None, names: set[str]) -> bool:
    """``node`` names one of ``names`` imported from pandera (``pa.X``, ``pandera.polars.X``)."""
    qual = ctx.qual(node) or ""
    return qual.startswith("pandera.") and qual.rsplit(".", 1)[-1] in names


def _dataframe_library(ctx: Ctx, node: ast.AST | None) -> str:
    """pandas unless the pandera import says polars/pyspark/modin/dask (``pandera.polars``)."""
    qual = ctx.qual(node) or ""
    for library in ("polars", "pyspark", "modin", "dask", "ibis"):
        if f".{library}" in qual:
            return library
    return "pandas"


def _type_text(node: ast.AST | None) -> str:
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


def _field_checks(ctx: Ctx, call: ast.Call) -> dict[str, Any]:
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


def _checks(ctx: Ctx, node: ast.expr | None) -> dict[str, Any]:
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
    return text if len(text) <= _CHECK_CHARS else text[: _CHECK_CHARS - 1].rstrip() + "…"


def _field(
    name: str, type_: str, *, present: bool, nullable: bool, default: Any, checks: dict[str, Any], doc: Any
) -> dict[str, Any]:
    """The DATA_MODEL field dict: ``required`` is True when the column must be there, non-null."""
    constraints = dict(checks)
    if not present:
        constraints["may_be_absent"] = True
        if not nullable:
            constraints["nullable"] = False  # absent is allowed, a null value is not
    return {
        "name": name,
        "type": type_,
        "required": present and not nullable,
        "default": default,
        "constraints": constraints or None,
        "doc": doc if isinstance(doc, str) and doc else None,
    }


def _flag_constraints(ctx: Ctx, options: dict[str, ast.expr]) -> list[str]:
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


# --------------------------------------------------------------------------------------------
# class-based: pa.DataFrameModel
# --------------------------------------------------------------------------------------------


def _series_type(ctx: Ctx, ann: ast.expr) -> tuple[str, bool, bool]:
    """(dtype text, is an index, may be absent) of ``Series[int]``, ``Optional[Index[str]]``..."""
    optional = False
    if isinstance(ann, ast.Subscript) and last_name(ann.value) == "Optional":
        ann, optional = ann.slice, True
    elif isinstance(ann, ast.BinOp) and isinstance(ann.op, ast.BitOr):
        sides = [ann.left, ann.right]
        rest = [s for s in sides if not (isinstance(s, ast.Constant) and s.value is None)]
        if len(rest) == 1:
            ann, optional = rest[0], True
    if isinstance(ann, ast.Subscript) and last_name(ann.value) in ("Series", "Index", "Column"):
        return _type_text(ann.slice), last_name(ann.value) == "Index", optional
    return _type_text(ann), False, optional  # polars models annotate the dtype itself


def _single_return(func: FuncNode) -> str | None:
    """The expression of a check that is one ``return`` (a docstring aside), if short."""
    body = [s for s in func.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    if len(body) == 1 and isinstance(body[0], ast.Return) and body[0].value is not None:
        text = unparse(body[0].value)
        return text if len(text) <= _CHECK_CHARS else None
    return None


def _check_method(ctx: Ctx, func: FuncNode) -> tuple[str, list[str]] | None:
    """("column" | "dataframe", columns) when ``func`` is a ``@pa.check``/``@pa.dataframe_check``."""
    for dec in func.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        name = last_name(target)
        if name == "dataframe_check":
            return "dataframe", []
        if name == "check" and isinstance(dec, ast.Call):
            cols = [s for s in (ctx.string(a) for a in dec.args) if s]
            return "column", cols
    return None


def _model_fact(ctx: Ctx, cls: ast.ClassDef, library: str) -> None:
    fields: list[dict[str, Any]] = []
    options: dict[str, ast.expr] = {}
    table: list[str] = []
    column_checks: list[tuple[list[str], str]] = []
    config_doc: str | None = None
    for stmt in cls.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            name = stmt.target.id
            if name.startswith("_") or last_name(getattr(stmt.annotation, "value", None)) == "ClassVar":
                continue
            type_, is_index, optional = _series_type(ctx, stmt.annotation)
            call = stmt.value if isinstance(stmt.value, ast.Call) and last_name(stmt.value.func) == "Field" else None
            kw = kwargs(call) if call is not None else {}
            alias = ctx.string(kw["alias"]) if "alias" in kw else None
            checks = _field_checks(ctx, call) if call is not None else {}
            if is_index:
                checks = {"row_index": True, **checks}
            fields.append(
                _field(
                    alias or name,
                    type_,
                    present=not optional,
                    nullable=literal(kw.get("nullable")) is True,
                    default=ctx.value_or_text(kw["default"]) if "default" in kw else None,
                    checks=checks,
                    doc=ctx.string(kw["description"]) if "description" in kw else None,
                )
            )
        elif isinstance(stmt, ast.ClassDef) and stmt.name == "Config":
            for inner in stmt.body:
                if isinstance(inner, ast.Assign) and len(inner.targets) == 1 and isinstance(inner.targets[0], ast.Name):
                    options[inner.targets[0].id] = inner.value
            config_doc = ctx.string(options.get("description")) or ctx.string(options.get("title"))
        elif isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            kind = _check_method(ctx, stmt)
            if kind is None:
                continue
            code = _single_return(stmt)
            words = f"`{stmt.name}`: `{code}`" if code else f"`{stmt.name}`"
            if kind[0] == "dataframe":
                table.append(f"check {words}")
            else:
                column_checks.append((kind[1], words))
    by_name = {f["name"]: f for f in fields}
    for columns, words in column_checks:
        known = [by_name[c] for c in columns if c in by_name]
        for spec in known:
            constraints = spec["constraints"] or {}
            constraints["check"] = f"{constraints['check']}, {words}" if "check" in constraints else words
            spec["constraints"] = constraints
        if not known:  # a regex or an inherited column: still a rule of this table
            table.append(f"check {words} on {', '.join(columns)}")
    detail: dict[str, Any] = {
        "framework": "pandera",
        "dataframe": library,
        "doc": docstring(cls) or config_doc,
        "fields": fields,
        "table_constraints": table + _flag_constraints(ctx, options),
    }
    ctx.add(FactKind.DATA_MODEL, cls.name, detail, start_line(cls), end_line(cls), cls.lineno)


# --------------------------------------------------------------------------------------------
# object-based: pa.DataFrameSchema({...})
# --------------------------------------------------------------------------------------------


def _column(ctx: Ctx, name: str, call: ast.expr, *, index: bool = False) -> dict[str, Any]:
    """A field from ``pa.Column(dtype, checks, nullable, unique, coerce, required, ...)``."""
    if not isinstance(call, ast.Call):
        return _field(name, _type_text(call), present=True, nullable=False, default=None, checks={}, doc=None)
    kw = kwargs(call)
    # Positional order of Column/Index: dtype, checks, nullable, unique, coerce, required.
    for i, key in enumerate(("dtype", "checks", "nullable", "unique", "coerce", "required")):
        if i < len(call.args) and key not in kw:
            kw[key] = call.args[i]
    checks = _checks(ctx, kw.get("checks"))
    for key in ("unique", "coerce"):
        if literal(kw.get(key)) is True:
            checks[key] = True
    if literal(kw.get("regex")) is True:
        checks["name_is_pattern"] = True
    if index:
        checks = {"row_index": True, **checks}
    return _field(
        (ctx.string(kw["name"]) or name) if "name" in kw else name,
        _type_text(kw.get("dtype")),
        present=literal(kw.get("required")) is not False,
        nullable=literal(kw.get("nullable")) is True,
        default=ctx.value_or_text(kw["default"]) if "default" in kw else None,
        checks=checks,
        doc=ctx.string(kw["description"]) if "description" in kw else None,
    )


def _index_fields(ctx: Ctx, node: ast.expr | None) -> list[dict[str, Any]]:
    """``index=pa.Index(int, name="id")`` or ``pa.MultiIndex([pa.Index(...), ...])``."""
    if not isinstance(node, ast.Call):
        return []
    if last_name(node.func) == "MultiIndex" and node.args and isinstance(node.args[0], ast.List | ast.Tuple):
        return [f for i, part in enumerate(node.args[0].elts) for f in _index_fields_one(ctx, part, i)]
    return _index_fields_one(ctx, node, 0)


def _index_fields_one(ctx: Ctx, node: ast.expr, position: int) -> list[dict[str, Any]]:
    if not isinstance(node, ast.Call):
        return []
    return [_column(ctx, "index" if position == 0 else f"index_{position}", node, index=True)]


def _schema_fact(ctx: Ctx, name: str, call: ast.Call, node: ast.AST) -> None:
    kw = kwargs(call)
    columns = call.args[0] if call.args else kw.get("columns")
    if isinstance(columns, ast.Name) and columns.id in ctx.constants:
        columns = ctx.constants[columns.id]  # the column dict written out first, then passed
    fields: list[dict[str, Any]] = []
    if isinstance(columns, ast.Dict):
        for key, value in zip(columns.keys, columns.values, strict=False):
            column = ctx.string(key) if key is not None else None
            if column is not None:
                fields.append(_column(ctx, column, value))
    fields.extend(_index_fields(ctx, kw.get("index")))
    table = []
    for check, value in _checks(ctx, kw.get("checks")).items():
        table.append(f"check {value}" if check == "check" else f"{check.replace('_', ' ')} {value}")
    detail: dict[str, Any] = {
        "framework": "pandera",
        "dataframe": _dataframe_library(ctx, call.func),
        "doc": ctx.string(kw.get("description")) or ctx.string(kw.get("title")),
        "fields": fields,
        "table_constraints": table + _flag_constraints(ctx, kw),
    }
    ctx.add_node(FactKind.DATA_MODEL, name, detail, node)


# --------------------------------------------------------------------------------------------
# entry points
# --------------------------------------------------------------------------------------------


def extract_pandera(ctx: Ctx) -> set[str]:
    """DATA_MODEL facts for the pandera schemas of a file; returns the classes it claimed."""
    if "pandera" not in ctx.imported:
        return set()  # the usual case: no qualified name can start with ``pandera.``
    claimed: dict[str, str] = {}  # class -> dataframe library, subclasses inherit it
    for cls in ctx.index.classes:
        with ctx.guard("pandera model", cls):
            for base in cls.bases:
                if _is_pandera(ctx, base, _MODEL_BASES):
                    claimed[cls.name] = _dataframe_library(ctx, base)
                elif last_name(base) in claimed:
                    claimed[cls.name] = claimed[last_name(base) or ""]
            if cls.name in claimed:
                _model_fact(ctx, cls, claimed[cls.name])
    for assign in ctx.index.assigns:
        value = assign.value
        if not (isinstance(value, ast.Call) and _is_pandera(ctx, value.func, {"DataFrameSchema"})):
            continue
        with ctx.guard("pandera schema", assign):
            target = assign.targets[0] if isinstance(assign, ast.Assign) else assign.target
            name = target.id if isinstance(target, ast.Name) else last_name(target)
            name = name or ctx.string(kwargs(value).get("name"))
            if name:
                _schema_fact(ctx, name, value, assign)
    return set(claimed)


class ValidationIndex:
    """Which names each function validates data with, from one pass over the file's calls.

    ``Schema.validate(df)``, ``df.pipe(Schema.validate)``, ``@pa.check_input(schema)`` /
    ``@pa.check_output`` / ``@pa.check_io`` arguments, and, under ``@pa.check_types``, the
    ``DataFrame[Schema]`` annotations. Names are kept as written (last part); the drafter keeps
    those that name a schema.
    """

    def __init__(self, ctx: Ctx) -> None:
        self.lines: list[int] = []
        self.names: list[str] = []
        for call in ctx.index.calls:  # sorted by position
            func = call.func
            if isinstance(func, ast.Attribute) and func.attr == "validate":
                self._add(call.lineno, last_name(func.value))
            for arg in call.args:
                if isinstance(arg, ast.Attribute) and arg.attr == "validate":
                    self._add(call.lineno, last_name(arg.value))

    def _add(self, line: int, name: str | None) -> None:
        if name and name != "self":
            self.lines.append(line)
            self.names.append(name)

    def of(self, func: FuncNode) -> list[str]:
        """The names ``func`` validates with, in source order, each once."""
        out: list[str] = []
        first = bisect.bisect_left(self.lines, func.lineno)
        last = bisect.bisect_right(self.lines, end_line(func))
        out.extend(self.names[first:last])
        for dec in func.decorator_list:
            target = dec.func if isinstance(dec, ast.Call) else dec
            name = last_name(target)
            if name in ("check_input", "check_output", "check_io") and isinstance(dec, ast.Call):
                for arg in [*dec.args, *(k.value for k in dec.keywords)]:
                    if isinstance(arg, ast.Name | ast.Attribute):
                        out.append(last_name(arg) or "")
            elif name == "check_types":
                out.extend(_annotated_frames(func))
        return [n for n in dict.fromkeys(out) if n]


def _annotated_frames(func: FuncNode) -> list[str]:
    """``Schema`` of each ``DataFrame[Schema]`` / ``LazyFrame[Schema]`` parameter or return."""
    args = func.args
    annotations = [a.annotation for a in [*args.posonlyargs, *args.args, *args.kwonlyargs] if a.annotation]
    if func.returns is not None:
        annotations.append(func.returns)
    out: list[str] = []
    for ann in annotations:
        for node in ast.walk(ann):
            if isinstance(node, ast.Subscript) and last_name(node.value) in ("DataFrame", "LazyFrame", "DataFrameBase"):
                name = last_name(node.slice)
                if name:
                    out.append(name)
    return out
