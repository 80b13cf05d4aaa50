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
``table_constraints``; ``python_pandera_checks`` holds how dtypes, checks and options read.
:class:`~specagent.ingest.python_pandera_validation.ValidationIndex` finds which names a function
validates data with, so the drafter can say which function reads or writes each contract.
"""

from __future__ import annotations

import ast
from typing import Any

from specagent.ingest.models import FactKind
from specagent.ingest.python_common import (
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
from specagent.ingest.python_pandera_checks import (
    CHECK_CHARS,
    check_constraints,
    dtype_text,
    field_checks,
    flag_constraints,
    schema_field,
)
from specagent.ingest.records import ModelField

_MODEL_BASES = {"DataFrameModel", "SchemaModel"}


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
        return dtype_text(ann.slice), last_name(ann.value) == "Index", optional
    return dtype_text(ann), False, optional  # polars models annotate the dtype itself


def _single_return(func: FuncNode) -> str | None:
    """The expression of a check that is one ``return`` (a docstring aside), if short."""
    body = [s for s in func.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    if len(body) == 1 and isinstance(body[0], ast.Return) and body[0].value is not None:
        text = unparse(body[0].value)
        return text if len(text) <= CHECK_CHARS else None
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
    fields: list[ModelField] = []
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
            checks = field_checks(ctx, call) if call is not None else {}
            if is_index:
                checks = {"row_index": True, **checks}
            fields.append(
                schema_field(
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
    by_name = {f.name: i for i, f in enumerate(fields)}  # a repeated name: its last field
    for columns, words in column_checks:
        known = [by_name[c] for c in columns if c in by_name]
        for i in known:
            constraints = dict(fields[i].constraints or {})
            constraints["check"] = f"{constraints['check']}, {words}" if "check" in constraints else words
            fields[i] = fields[i].model_copy(update={"constraints": constraints})
        if not known:  # a regex or an inherited column: still a rule of this table
            table.append(f"check {words} on {', '.join(columns)}")
    detail: dict[str, Any] = {
        "framework": "pandera",
        "dataframe": library,
        "doc": docstring(cls) or config_doc,
        "fields": fields,
        "table_constraints": table + flag_constraints(ctx, options),
    }
    ctx.add(FactKind.DATA_MODEL, cls.name, detail, start_line(cls), end_line(cls), cls.lineno)


# --------------------------------------------------------------------------------------------
# object-based: pa.DataFrameSchema({...})
# --------------------------------------------------------------------------------------------


def _column(ctx: Ctx, name: str, call: ast.expr, *, index: bool = False) -> ModelField:
    """A field from ``pa.Column(dtype, checks, nullable, unique, coerce, required, ...)``."""
    if not isinstance(call, ast.Call):
        return schema_field(name, dtype_text(call), present=True, nullable=False, default=None, checks={}, doc=None)
    kw = kwargs(call)
    # Positional order of Column/Index: dtype, checks, nullable, unique, coerce, required.
    for i, key in enumerate(("dtype", "checks", "nullable", "unique", "coerce", "required")):
        if i < len(call.args) and key not in kw:
            kw[key] = call.args[i]
    checks = check_constraints(ctx, kw.get("checks"))
    for key in ("unique", "coerce"):
        if literal(kw.get(key)) is True:
            checks[key] = True
    if literal(kw.get("regex")) is True:
        checks["name_is_pattern"] = True
    if index:
        checks = {"row_index": True, **checks}
    return schema_field(
        (ctx.string(kw["name"]) or name) if "name" in kw else name,
        dtype_text(kw.get("dtype")),
        present=literal(kw.get("required")) is not False,
        nullable=literal(kw.get("nullable")) is True,
        default=ctx.value_or_text(kw["default"]) if "default" in kw else None,
        checks=checks,
        doc=ctx.string(kw["description"]) if "description" in kw else None,
    )


def _index_fields(ctx: Ctx, node: ast.expr | None) -> list[ModelField]:
    """``index=pa.Index(int, name="id")`` or ``pa.MultiIndex([pa.Index(...), ...])``."""
    if not isinstance(node, ast.Call):
        return []
    if last_name(node.func) == "MultiIndex" and node.args and isinstance(node.args[0], ast.List | ast.Tuple):
        return [f for i, part in enumerate(node.args[0].elts) for f in _index_fields_one(ctx, part, i)]
    return _index_fields_one(ctx, node, 0)


def _index_fields_one(ctx: Ctx, node: ast.expr, position: int) -> list[ModelField]:
    if not isinstance(node, ast.Call):
        return []
    return [_column(ctx, "index" if position == 0 else f"index_{position}", node, index=True)]


def _schema_fact(ctx: Ctx, name: str, call: ast.Call, node: ast.AST) -> None:
    kw = kwargs(call)
    columns = call.args[0] if call.args else kw.get("columns")
    if isinstance(columns, ast.Name) and columns.id in ctx.constants:
        columns = ctx.constants[columns.id]  # the column dict written out first, then passed
    fields: list[ModelField] = []
    if isinstance(columns, ast.Dict):
        for key, value in zip(columns.keys, columns.values, strict=False):
            column = ctx.string(key) if key is not None else None
            if column is not None:
                fields.append(_column(ctx, column, value))
    fields.extend(_index_fields(ctx, kw.get("index")))
    table = []
    for check, value in check_constraints(ctx, kw.get("checks")).items():
        table.append(f"check {value}" if check == "check" else f"{check.replace('_', ' ')} {value}")
    detail: dict[str, Any] = {
        "framework": "pandera",
        "dataframe": _dataframe_library(ctx, call.func),
        "doc": ctx.string(kw.get("description")) or ctx.string(kw.get("title")),
        "fields": fields,
        "table_constraints": table + flag_constraints(ctx, kw),
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
