"""Tables declared in SQL: ``CREATE TABLE`` statements in ``.sql`` files and in Python strings.

A prototype without an ORM still stores data, and its ``CREATE TABLE`` text is the contract:
each statement becomes a DATA_MODEL fact (framework ``sql``) with the table, its columns and
their constraints, cited at the statement's lines.

This is a tolerant tokenizer, not a SQL grammar: it reads the common SQLite, Postgres and MySQL
forms (quoted identifiers, ``IF NOT EXISTS``, column and table constraints, ``CREATE INDEX`` on
a table declared in the same text) and skips what it does not understand rather than failing.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

from specagent.ingest.models import Fact, FactKind, SourceRef, Span
from specagent.ingest.python_common import Ctx
from specagent.ingest.sql_tokens import (
    Comments as _Comments,
)
from specagent.ingest.sql_tokens import (
    Lines as _Lines,
)
from specagent.ingest.sql_tokens import (
    Tok as _Tok,
)
from specagent.ingest.sql_tokens import (
    column_list as _column_list,
)
from specagent.ingest.sql_tokens import (
    comment_text as _comment_text,
)
from specagent.ingest.sql_tokens import (
    group_end as _group_end,
)
from specagent.ingest.sql_tokens import (
    ident as _ident,
)
from specagent.ingest.sql_tokens import (
    is_ident as _is_ident,
)
from specagent.ingest.sql_tokens import (
    qualified as _qualified,
)
from specagent.ingest.sql_tokens import (
    render as _render,
)
from specagent.ingest.sql_tokens import (
    split_top as _split_top,
)
from specagent.ingest.sql_tokens import (
    tokenize as _tokenize,
)

__all__ = ["SqlTable", "extract_sql_strings", "has_create_table", "parse_sql", "sql_tables", "table_detail"]

#: Cheap test before any tokenizing: most files and strings hold no DDL at all.
_CREATE_TABLE = re.compile(r"\bcreate\s+(?:[a-z_]+\s+){0,3}table\b", re.IGNORECASE)


# Words that end a column's type and start its constraints.
_COLUMN_CONSTRAINTS = frozenset(
    {
        "CONSTRAINT",
        "NOT",
        "NULL",
        "PRIMARY",
        "UNIQUE",
        "DEFAULT",
        "CHECK",
        "REFERENCES",
        "COLLATE",
        "GENERATED",
        "AUTOINCREMENT",
        "AUTO_INCREMENT",
        "IDENTITY",
        "AS",
        "COMMENT",
        "ON",
    }
)
# Words that open a table-level constraint rather than a column.
_TABLE_CONSTRAINTS = frozenset(
    {"CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK", "KEY", "INDEX", "EXCLUDE", "FULLTEXT", "SPATIAL"}
)
# ``CREATE <these> TABLE|INDEX``: still a table (a virtual one is skipped), still an index.
_CREATE_MODIFIERS = frozenset(
    {"TEMP", "TEMPORARY", "GLOBAL", "LOCAL", "UNLOGGED", "OR", "REPLACE", "UNIQUE", "VIRTUAL", "CONCURRENTLY"}
)
# Column types whose values the database makes itself (so an insert need not give them).
_SERIAL_TYPES = frozenset({"SERIAL", "BIGSERIAL", "SMALLSERIAL", "SERIAL4", "SERIAL8", "SERIAL2"})
# Keywords after which ``(`` is not a call: ``IN (1, 2)`` reads better with its space.
_MAX_COLUMNS = 200
_MAX_TEXT = 120


@dataclass
class SqlTable:
    """One ``CREATE TABLE``: offsets are into the text it was parsed from.

    ``end`` (exclusive) is past the statement and past any ``CREATE INDEX`` applied to it, so a
    citation of ``start..end`` covers every line its facts come from.
    """

    name: str
    start: int
    end: int
    fields: list[dict[str, Any]] = field(default_factory=list)
    table_constraints: list[str] = field(default_factory=list)
    doc: str | None = None


@dataclass
class _Column:
    name: str
    type: str
    not_null: bool = False
    default: str | None = None
    generated: bool = False
    doc: str | None = None
    constraints: dict[str, Any] = field(default_factory=dict)


def has_create_table(text: str) -> bool:
    """Whether ``text`` may hold a ``CREATE TABLE`` statement (a quick pre-filter)."""
    return _CREATE_TABLE.search(text) is not None


def _clip(text: str) -> str:
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1].rstrip() + "…"


def _references(tokens: list[_Tok], i: int) -> tuple[dict[str, Any], int]:
    """Constraints of ``REFERENCES t (col) [ON DELETE x] ...`` with ``i`` just after REFERENCES."""
    out: dict[str, Any] = {}
    target, i = _qualified(tokens, i)
    cols, i = _column_list(tokens, i)
    if target:
        out["foreign_key"] = (
            f"{target}.{cols[0]}" if len(cols) == 1 else target + (f"({', '.join(cols)})" if cols else "")
        )
    n = len(tokens)
    while i < n:
        word = tokens[i].upper
        if word == "ON" and i + 2 < n and tokens[i + 1].upper in ("DELETE", "UPDATE"):
            event, k = tokens[i + 1].text.lower(), i + 2
            # CASCADE | RESTRICT | SET NULL | SET DEFAULT | NO ACTION
            width = 2 if tokens[k].upper in ("SET", "NO") and k + 1 < n else 1
            out[f"on_{event}"] = " ".join(t.text.lower() for t in tokens[k : k + width])
            i = k + width
        elif word in ("MATCH", "INITIALLY"):
            i += 2
        elif word == "DEFERRABLE":
            i += 1
        elif word == "NOT" and i + 1 < n and tokens[i + 1].upper == "DEFERRABLE":
            i += 2
        else:
            break
    return out, i


def _expression(tokens: list[_Tok], i: int) -> tuple[str, int]:
    """A ``DEFAULT``/``ON UPDATE`` value: one term (with its call or cast) up to the next keyword."""
    start = i
    depth = 0
    while i < len(tokens):
        tok = tokens[i]
        if depth == 0 and i > start and tok.upper in _COLUMN_CONSTRAINTS and tok.upper != "NULL":
            break
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
        i += 1
    text = _render(tokens[start:i])
    if text.startswith("(") and text.endswith(")") and _group_end(tokens, start) == i - 1:
        text = text[1:-1]  # ``DEFAULT (0)`` is ``0``
    return _clip(text), i


def _column(part: list[_Tok]) -> _Column:
    """A column definition: name, type up to the first constraint word, then its constraints."""
    i = 1
    while i < len(part) and part[i].upper not in _COLUMN_CONSTRAINTS:
        if part[i].text == "(":
            i = _group_end(part, i)
        i += 1
    col = _Column(name=_ident(part[0]), type=_clip(_render(part[1:i])))
    c = col.constraints
    base_type = col.type.split("(")[0].strip().upper()
    if base_type in _SERIAL_TYPES:
        col.generated = True
    while i < len(part):
        word = part[i].upper
        nxt = part[i + 1].upper if i + 1 < len(part) else ""
        if word == "CONSTRAINT":
            i += 2
        elif word == "NOT" and nxt == "NULL":
            col.not_null = True
            i += 2
        elif word == "PRIMARY":
            c["primary_key"] = True
            i += 2
        elif word == "UNIQUE":
            c["unique"] = True
            i += 2 if nxt == "KEY" else 1
        elif word == "DEFAULT":
            col.default, i = _expression(part, i + 1)
        elif word == "CHECK" and i + 1 < len(part) and part[i + 1].text == "(":
            end = _group_end(part, i + 1)
            c["check"] = _clip(_render(part[i + 2 : end]))
            i = end + 1
        elif word == "REFERENCES":
            refs, i = _references(part, i + 1)
            c.update({k: v for k, v in refs.items() if v})
        elif word == "GENERATED" or word == "AS":
            # GENERATED {ALWAYS|BY DEFAULT} AS IDENTITY | AS (expr) [STORED]
            col.generated = True
            j = i + 1
            while j < len(part) and part[j].upper in ("ALWAYS", "BY", "DEFAULT", "AS"):
                j += 1
            if j < len(part) and part[j].upper == "IDENTITY":
                c["generated"] = "identity"
                j += 1
                if j < len(part) and part[j].text == "(":
                    j = _group_end(part, j) + 1
            elif j < len(part) and part[j].text == "(":
                end = _group_end(part, j)
                c["generated"] = _clip(_render(part[j + 1 : end]))
                j = end + 1
            i = max(j, i + 1)
        elif word in ("AUTOINCREMENT", "AUTO_INCREMENT", "IDENTITY"):
            c["autoincrement"] = True
            col.generated = True
            i += 1
            if word == "IDENTITY" and i < len(part) and part[i].text == "(":
                i = _group_end(part, i) + 1
        elif word == "ON" and nxt == "UPDATE":
            c["onupdate"], i = _expression(part, i + 2)
        elif word == "ON" and nxt == "CONFLICT":
            i += 3  # SQLite's conflict clause changes no contract
        elif word == "COLLATE":
            i += 2
        elif word == "COMMENT" and i + 1 < len(part) and part[i + 1].kind == "string":
            col.doc = _clip(part[i + 1].text[1:-1].replace("''", "'"))
            i += 2
        else:
            i += 1  # NULL, ASC/DESC and anything unknown
    if c.get("primary_key") and base_type == "INTEGER":
        col.generated = True  # SQLite: an INTEGER PRIMARY KEY is the rowid, filled on insert
    return col


def _table_constraint(part: list[_Tok], columns: dict[str, _Column]) -> str | None:
    """Apply a table-level constraint to its columns; return text for what no one column holds."""
    i = 0
    if part[0].upper == "CONSTRAINT":
        i = 2
    if i >= len(part):
        return None
    word = part[i].upper
    # Skip to the column list: ``PRIMARY KEY (..)``, ``UNIQUE [KEY|INDEX] [name] (..)``, ``KEY name (..)``.
    j = i
    while j < len(part) and part[j].text != "(":
        j += 1
    cols, after = _column_list(part, j)
    known = [columns[c] for c in cols if c in columns]
    if word == "PRIMARY":
        for col in known:
            col.not_null = True
        if len(cols) == 1 and known:
            known[0].constraints["primary_key"] = True
            return None
        return f"primary key ({', '.join(cols)})"
    if word == "UNIQUE":
        if len(cols) == 1 and known:
            known[0].constraints["unique"] = True
            return None
        return f"unique ({', '.join(cols)})"
    if word == "FOREIGN" and after < len(part) and part[after].upper == "REFERENCES":
        refs, _ = _references(part, after + 1)
        if len(cols) == 1 and known and refs.get("foreign_key"):
            known[0].constraints.update({k: v for k, v in refs.items() if v})
            return None
        return f"foreign key ({', '.join(cols)}) references {refs.get('foreign_key', '?')}"
    if word == "CHECK" and j < len(part):
        return f"check ({_clip(_render(part[j + 1 : _group_end(part, j)]))})"
    if word in ("KEY", "INDEX", "FULLTEXT", "SPATIAL"):
        if len(cols) == 1 and known:
            known[0].constraints["index"] = True
            return None
        return f"index ({', '.join(cols)})" if cols else None
    return _clip(_render(part[i:])) if word == "EXCLUDE" else None


def _attach_comments(
    parts: list[list[_Tok]], close: _Tok, comments: _Comments, line: _Lines, columns: list[_Column | None]
) -> None:
    """A ``-- comment`` on a column's line (after it) or on the lines just above it documents it."""
    for k, (part, col) in enumerate(zip(parts, columns, strict=True)):
        if col is None or col.doc:
            continue
        last_line = line(part[-1].start)
        upper = parts[k + 1][0].start if k + 1 < len(parts) else close.start
        trailing = [c for c in comments.within(part[-1].end, upper) if line(c.start) == last_line]
        if trailing:
            col.doc = _clip(_comment_text(trailing[0])) or None
            continue
        lower = parts[k - 1][-1].end if k else part[0].start
        prev_line = line(parts[k - 1][-1].start) if k else -1
        above = [c for c in comments.within(lower, part[0].start) if line(c.start) != prev_line]
        if above:
            col.doc = _clip(" ".join(_comment_text(c) for c in above)) or None


def _doc_above(start: int, comments: _Comments, sql: str) -> str | None:
    """The comment right above a statement (nothing but whitespace between): its first line."""
    lines: list[str] = []
    cursor = start
    for c in comments.before(start):
        gap = sql[c.end : cursor]
        line_start = sql.rfind("\n", 0, c.start) + 1
        # Adjacent, and alone on its line (not the trailing remark of an earlier statement).
        if gap.strip() or gap.count("\n") > 1 or sql[line_start : c.start].strip():
            break
        lines.insert(0, _comment_text(c))
        cursor = c.start
    text = next((t for t in lines if t), None)
    return _clip(text) if text else None


def _field(col: _Column) -> dict[str, Any]:
    """The DATA_MODEL field dict (the same shape as the ORM parsers give)."""
    c = dict(col.constraints)
    nullable = not (col.not_null or c.get("primary_key"))
    required = not nullable and col.default is None and not col.generated
    if col.not_null and not required and not c.get("primary_key"):
        c["nullable"] = False  # NOT NULL with a default: optional on insert, never null
    return {
        "name": col.name,
        "type": col.type,
        "required": required,
        "default": col.default,
        "constraints": c or None,
        "doc": col.doc,
    }


def sql_tables(sql: str) -> list[SqlTable]:
    """Every ``CREATE TABLE name (...)`` in ``sql``, with ``CREATE INDEX`` on those tables applied.

    ``CREATE TABLE ... AS SELECT`` and virtual tables are skipped: they declare no columns.
    """
    if not has_create_table(sql):
        return []
    tokens, found = _tokenize(sql)
    comments = _Comments(found)
    line = _Lines(sql)
    tables: list[SqlTable] = []
    # Parallel to ``tables`` (a name may be created twice: after a DROP, or per dialect).
    columns_of: list[dict[str, _Column]] = []
    indexes: list[tuple[str, list[str], bool, int]] = []
    i = 0
    n = len(tokens)
    while i < n:
        if tokens[i].upper != "CREATE":
            i += 1
            continue
        start = tokens[i].start
        j = i + 1
        modifiers = set()
        while j < n and tokens[j].upper in _CREATE_MODIFIERS:
            modifiers.add(tokens[j].upper)
            j += 1
        kind = tokens[j].upper if j < n else ""
        j += 1
        if j + 2 < n and [t.upper for t in tokens[j : j + 3]] == ["IF", "NOT", "EXISTS"]:
            j += 3
        if kind == "INDEX":
            i = max(_create_index(tokens, j, "UNIQUE" in modifiers, indexes), i + 1)
            continue
        if kind != "TABLE" or "VIRTUAL" in modifiers:
            i = j
            continue
        name, j = _qualified(tokens, j)
        if name is None or j >= n or tokens[j].text != "(":
            i = j
            continue
        close_at = _group_end(tokens, j)
        if close_at >= n:
            break  # unbalanced: the rest of the text is not a statement we can read
        table = SqlTable(name=name, start=start, end=tokens[close_at].end, doc=_doc_above(start, comments, sql))
        columns = _table_columns(tokens, j, close_at, table, comments, line)
        tables.append(table)
        columns_of.append(columns)
        i = close_at + 1
    # An index applies to the last table of its name created before it.
    for target, cols, unique, end in indexes:
        at = _table_for(tables, target, end)
        if at is None:
            continue
        table, known = tables[at], columns_of[at]
        table.end = max(table.end, end)
        if len(cols) == 1 and cols[0] in known:
            known[cols[0]].constraints["unique" if unique else "index"] = True
        else:
            table.table_constraints.append(f"{'unique ' if unique else ''}index ({', '.join(cols)})")
    for table, columns in zip(tables, columns_of, strict=True):
        table.fields = [_field(c) for c in columns.values()]  # in declaration order
    return tables


def _create_index(tokens: list[_Tok], j: int, unique: bool, indexes: list[tuple[str, list[str], bool, int]]) -> int:
    """Read ``CREATE [UNIQUE] INDEX ... ON table (columns)`` from just after ``INDEX``; the index
    goes to ``indexes`` as (table, columns, unique, end). Returns where reading stopped."""
    n = len(tokens)
    if j < n and tokens[j].upper == "CONCURRENTLY":
        j += 1
    if j + 2 < n and [t.upper for t in tokens[j : j + 3]] == ["IF", "NOT", "EXISTS"]:
        j += 3
    if j < n and tokens[j].upper != "ON":
        _, j = _qualified(tokens, j)  # the index name
    if j < n and tokens[j].upper == "ON":
        j += 1
        if j < n and tokens[j].upper == "ONLY":
            j += 1
        target, j = _qualified(tokens, j)
        if j + 1 < n and tokens[j].upper == "USING":
            j += 2
        cols, j = _column_list(tokens, j)
        if target and cols:
            indexes.append((target, cols, unique, tokens[j - 1].end))
    return j


def _table_columns(
    tokens: list[_Tok], j: int, close_at: int, table: SqlTable, comments: _Comments, line: _Lines
) -> dict[str, _Column]:
    """The columns between the parentheses at ``j`` and ``close_at``, by name in declaration
    order; table constraints go to ``table``, comments to the columns they describe."""
    parts = _split_top(tokens[j + 1 : close_at])
    columns: dict[str, _Column] = {}
    ordered: list[_Column | None] = []
    pending: list[list[_Tok]] = []
    for part in parts[:_MAX_COLUMNS]:
        if part[0].upper in _TABLE_CONSTRAINTS and not (len(part) > 1 and part[0].upper == "KEY" and _is_col(part)):
            ordered.append(None)
            pending.append(part)
        elif _is_ident(part[0]):
            col = _column(part)
            columns[col.name] = col
            ordered.append(col)
        else:
            ordered.append(None)
    for part in pending:  # table constraints may name columns declared after them
        text = _table_constraint(part, columns)
        if text:
            table.table_constraints.append(text)
    _attach_comments(parts[:_MAX_COLUMNS], tokens[close_at], comments, line, ordered)
    return columns


def _table_for(tables: list[SqlTable], target: str, before: int) -> int | None:
    """Index of the table an index ``ON target`` names; ``users`` also names ``public.users``."""
    wanted = target.lower()
    short = wanted.rsplit(".", 1)[-1]
    exact = [k for k, t in enumerate(tables) if t.start < before and t.name.lower() == wanted]
    if exact:
        return exact[-1]
    loose = {t.name.lower() for t in tables if t.name.lower().rsplit(".", 1)[-1] == short}
    if len(loose) != 1:
        return None  # ``ON users`` with ``a.users`` and ``b.users``: no telling which
    near = [k for k, t in enumerate(tables) if t.start < before and t.name.lower() in loose]
    return near[-1] if near else None


def _is_col(part: list[_Tok]) -> bool:
    """``key VARCHAR(8)`` is a column named ``key``; ``KEY idx (a)`` is a MySQL index.

    Only the index lists bare names in its parentheses; a type takes numbers (or nothing).
    """
    if part[1].text == "(":
        return False  # ``KEY (a, b)``
    if len(part) < 3 or part[2].text != "(":
        return True
    inner = part[3 : _group_end(part, 2)]
    return not all(_is_ident(t) or t.text == "," for t in inner)


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
    line = _Lines(text)
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


def _literal_lines(ctx: Ctx, node: ast.Constant, text: str) -> _Lines | None:
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
    return _Lines(text)


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
