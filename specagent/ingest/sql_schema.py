"""Tables declared in SQL: ``CREATE TABLE`` statements in ``.sql`` files and in Python strings.

A prototype without an ORM still stores data, and its ``CREATE TABLE`` text is the contract:
each statement becomes a DATA_MODEL fact (framework ``sql``) with the table, its columns and
their constraints, cited at the statement's lines.

The statements are read by ``sql_ddl`` (tables, indexes, comments) and ``sql_columns`` (column
definitions and constraints); this module turns each table into a fact and finds its lines.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from specagent.ingest.models import Fact, FactKind, SourceRef, Span
from specagent.ingest.python_common import Ctx
from specagent.ingest.sql_ddl import SqlTable, has_create_table, sql_tables
from specagent.ingest.sql_tokens import Lines

__all__ = ["extract_sql_strings", "parse_sql", "table_detail"]


def table_detail(table: SqlTable) -> dict[str, Any]:
    """The DATA_MODEL ``detail`` of a table."""
    return {
        "framework": "sql",
        "doc": table.doc,
        "table": table.name,
        "fields": table.fields,
        "table_constraints": table.table_constraints,
    }


def parse_sql(path: str, text: str) -> list[Fact]:
    """DATA_MODEL facts for the tables a ``.sql`` file creates, each cited at its statement."""
    facts: list[Fact] = []
    lines = text.split("\n")
    line = Lines(text)
    for table in sql_tables(text):
        first, last = line(table.start) + 1, line(max(table.start, table.end - 1)) + 1
        facts.append(
            Fact(
                kind=FactKind.DATA_MODEL,
                name=table.name,
                detail=table_detail(table),
                source=SourceRef(
                    path=path,
                    span=Span(start_line=first, end_line=last),
                    quote=lines[first - 1].strip()[:200] or None,
                ),
            )
        )
    return facts


# ---------------------------------------------------------------------------------------------
# DDL in Python string literals (sqlite3 ``executescript``, ``cursor.execute``, ``text(...)``,
# module constants such as ``SCHEMA = """CREATE TABLE ..."""``)

_CREATE_LINE = re.compile(r"\bcreate\s+(?:[a-z_]+\s+){0,3}table\b", re.IGNORECASE)
_PREFIX_QUOTE = re.compile(r"^[rRuUbBfF]{0,2}(\"\"\"|'''|\"|')")


def _literal_lines(ctx: Ctx, node: ast.Constant, text: str) -> Lines | None:
    """Offset -> line map when the literal's source is its value verbatim (no escapes, one piece)."""
    end_line, end_col = node.end_lineno, node.end_col_offset
    if end_line is None or end_col is None:
        return None
    first, last = node.lineno, end_line
    if last > len(ctx.lines):
        return None
    # AST columns count UTF-8 bytes.
    pieces = [line.encode("utf-8", "surrogatepass") for line in ctx.lines[first - 1 : last]]
    pieces[-1] = pieces[-1][:end_col]
    pieces[0] = pieces[0][node.col_offset :]
    raw = b"\n".join(pieces).decode("utf-8", "surrogatepass")
    m = _PREFIX_QUOTE.match(raw)
    if m is None or not raw.endswith(m.group(1)) or len(raw) < m.end() + len(m.group(1)):
        return None
    if raw[m.end() : len(raw) - len(m.group(1))] != text:
        return None
    return Lines(text)


def _span_in_literal(ctx: Ctx, node: ast.expr, text: str, table: SqlTable, nth: int) -> tuple[int, int, int]:
    """(first, last, quoted) source lines of the ``nth`` table statement in a string literal."""
    first_line = node.lineno
    last_line = node.end_lineno or first_line
    mapped = _literal_lines(ctx, node, text) if isinstance(node, ast.Constant) else None
    if mapped is not None:
        start = first_line + mapped(table.start)
        return start, first_line + mapped(max(table.start, table.end - 1)), start
    # Escapes, implicit concatenation or an f-string: find the statement's CREATE line instead.
    creates = [
        no for no in range(first_line, min(last_line, len(ctx.lines)) + 1) if _CREATE_LINE.search(ctx.lines[no - 1])
    ]
    if nth < len(creates):
        end = creates[nth + 1] - 1 if nth + 1 < len(creates) else last_line
        return creates[nth], max(creates[nth], end), creates[nth]
    return first_line, last_line, first_line


def extract_sql_strings(ctx: Ctx) -> None:
    """DATA_MODEL facts for the ``CREATE TABLE`` statements written in the file's strings."""
    if not any(_CREATE_LINE.search(line) for line in ctx.lines):
        return
    skip: set[int] = set()
    # ast.walk visits a parent before its children, so the skips are known in time.
    for node in ast.walk(ctx.tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant | ast.JoinedStr):
            skip.add(id(node.value))  # a docstring or bare string runs nothing
        if isinstance(node, ast.JoinedStr):
            skip.update(id(v) for v in node.values)  # its pieces are read as one string
            if id(node) in skip:
                continue
            text = ctx.string(node)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            text = node.value
        else:
            continue
        if not text or not has_create_table(text):
            continue
        with ctx.guard("SQL schema", node):
            for nth, table in enumerate(sql_tables(text)):
                first, last, quoted = _span_in_literal(ctx, node, text, table, nth)
                ctx.add(FactKind.DATA_MODEL, table.name, table_detail(table), first, last, quoted)
