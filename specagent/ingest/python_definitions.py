"""The facts that say what a Python module defines and needs: its MODULE fact (docstring), a
FUNCTION or CLASS fact per public top-level definition (methods included, with signatures and
the schemas each validates data with) and an IMPORT fact per top-level package it imports.
"""

from __future__ import annotations

import ast

from specagent.ingest.models import FactKind
from specagent.ingest.python_common import (
    STDLIB_NAMES,
    Ctx,
    FuncNode,
    docstring,
    end_line,
    last_name,
    module_name,
    start_line,
    unparse,
)
from specagent.ingest.python_pandera_validation import ValidationIndex


def extract_module_doc(ctx: Ctx) -> None:
    """The MODULE fact: the module's dotted name and docstring, cited at the docstring."""
    tree = ctx.tree
    doc = docstring(tree, first_line=True)
    first = tree.body[0] if tree.body else None
    if doc and isinstance(first, ast.Expr):
        start, end = first.lineno, end_line(first)
    else:
        start, end = 1, max(1, len(ctx.lines))
    ctx.add(FactKind.MODULE, module_name(ctx.path), {"doc": doc}, start, end)


def _arg_text(arg: ast.arg, default: ast.expr | None) -> str:
    text = arg.arg
    if arg.annotation is not None:
        text += f": {unparse(arg.annotation, 1000)}"
    if default is not None:
        text += f" = {unparse(default)}" if arg.annotation is not None else f"={unparse(default)}"
    return text


def signature(func: FuncNode, *, method: bool = False) -> str:
    """``name(a: int, b: str = "x", *, c=1) -> T``, without ``self``/``cls`` for methods."""
    args = func.args
    positional = args.posonlyargs + args.args
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    parts: list[str] = []
    for i, (arg, default) in enumerate(zip(positional, defaults, strict=False)):
        if not (method and i == 0 and arg.arg in ("self", "cls", "mcs")):
            parts.append(_arg_text(arg, default))
        if args.posonlyargs and i == len(args.posonlyargs) - 1 and parts:
            parts.append("/")
    if args.vararg is not None:
        parts.append("*" + _arg_text(args.vararg, None))
    elif args.kwonlyargs:
        parts.append("*")
    for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=False):
        parts.append(_arg_text(arg, default))
    if args.kwarg is not None:
        parts.append("**" + _arg_text(args.kwarg, None))
    returns = f" -> {unparse(func.returns, 1000)}" if func.returns is not None else ""
    return f"{func.name}({', '.join(parts)}){returns}"


def _is_public(name: str) -> bool:
    return not name.startswith("_") or name in ("__init__", "__call__")


def _function_fact(ctx: Ctx, func: FuncNode, owner: str | None, validations: ValidationIndex) -> None:
    is_static = any(last_name(d) == "staticmethod" for d in func.decorator_list)
    detail = {
        "signature": signature(func, method=owner is not None and not is_static),
        "doc": docstring(func),
        "is_async": isinstance(func, ast.AsyncFunctionDef),
        "decorators": [unparse(d) for d in func.decorator_list],
        "qualname": f"{owner}.{func.name}" if owner else func.name,
    }
    validates = validations.of(func)
    if validates:
        detail["validates"] = validates
    ctx.add(FactKind.FUNCTION, func.name, detail, start_line(func), end_line(func), func.lineno)


def extract_definitions(ctx: Ctx) -> None:
    """FUNCTION and CLASS facts for the public top-level definitions and their public methods."""
    validations = ValidationIndex(ctx)
    for stmt in ctx.tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            if not stmt.name.startswith("_"):
                with ctx.guard("function", stmt):
                    _function_fact(ctx, stmt, None, validations)
        elif isinstance(stmt, ast.ClassDef) and not stmt.name.startswith("_"):
            with ctx.guard("class", stmt):
                methods = [
                    m for m in stmt.body if isinstance(m, ast.FunctionDef | ast.AsyncFunctionDef) and _is_public(m.name)
                ]
                ctx.add(
                    FactKind.CLASS,
                    stmt.name,
                    {
                        "bases": [unparse(b) for b in stmt.bases],
                        "doc": docstring(stmt),
                        "methods": [m.name for m in methods],
                    },
                    start_line(stmt),
                    end_line(stmt),
                    stmt.lineno,
                )
                for method in methods:
                    with ctx.guard("method", method):
                        _function_fact(ctx, method, stmt.name, validations)


def extract_imports(ctx: Ctx) -> None:
    """One IMPORT fact per top-level package imported (absolute imports only), first import cited."""
    seen: set[str] = set()
    for node in sorted(ctx.index.imports, key=lambda n: (n.lineno, n.col_offset)):
        if isinstance(node, ast.ImportFrom):
            if node.level or not node.module:
                continue
            names = [node.module]
        else:
            names = [alias.name for alias in node.names]
        for name in names:
            top = name.split(".")[0]
            if not top or top in seen or top == "__future__":
                continue
            seen.add(top)
            ctx.add_node(FactKind.IMPORT, top, {"module": top, "stdlib": top in STDLIB_NAMES}, node)
