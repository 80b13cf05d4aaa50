"""The tables declared in SQL text: every ``CREATE TABLE`` statement with its columns, table
constraints and comments, and the ``CREATE INDEX`` statements applied to those tables.

This is a tolerant tokenizer, not a SQL grammar: it reads the common SQLite, Postgres and MySQL
forms (quoted identifiers, ``IF NOT EXISTS``, column and table constraints, ``CREATE INDEX`` on
a table declared in the same text) and skips what it does not understand rather than failing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from specagent.ingest.records import ModelField
from specagent.ingest.sql_columns import SqlColumn, apply_table_constraint, clip, column_field, parse_column
from specagent.ingest.sql_tokens import (
    Comments,
    Lines,
    Tok,
    column_list,
    comment_text,
    group_end,
    is_ident,
    qualified,
    split_top,
    tokenize,
)

#: Cheap test before any tokenizing: most files and strings hold no DDL at all.
_CREATE_TABLE = re.compile(r"\bcreate\s+(?:[a-z_]+\s+){0,3}table\b", re.IGNORECASE)

# Words that open a table-level constraint rather than a column.
_TABLE_CONSTRAINTS = frozenset(
    {"CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK", "KEY", "INDEX", "EXCLUDE", "FULLTEXT", "SPATIAL"}
)
# ``CREATE <these> TABLE|INDEX``: still a table (a virtual one is skipped), still an index.
_CREATE_MODIFIERS = frozenset(
    {"TEMP", "TEMPORARY", "GLOBAL", "LOCAL", "UNLOGGED", "OR", "REPLACE", "UNIQUE", "VIRTUAL", "CONCURRENTLY"}
)
_MAX_COLUMNS = 200


@dataclass
class SqlTable:
    """One ``CREATE TABLE``: offsets are into the text it was parsed from.

    ``end`` (exclusive) is past the statement and past any ``CREATE INDEX`` applied to it, so a
    citation of ``start..end`` covers every line its facts come from.
    """

    name: str
    start: int
    end: int
    fields: list[ModelField] = field(default_factory=list)
    table_constraints: list[str] = field(default_factory=list)
    doc: str | None = None


def has_create_table(text: str) -> bool:
    """Whether ``text`` may hold a ``CREATE TABLE`` statement (a quick pre-filter)."""
    return _CREATE_TABLE.search(text) is not None


def _attach_comments(
    parts: list[list[Tok]], close: Tok, comments: Comments, line: Lines, columns: list[SqlColumn | None]
) -> None:
    """A ``-- comment`` on a column's line (after it) or on the lines just above it documents it."""
    for k, (part, col) in enumerate(zip(parts, columns, strict=True)):
        if col is None or col.doc:
            continue
        last_line = line(part[-1].start)
        upper = parts[k + 1][0].start if k + 1 < len(parts) else close.start
        trailing = [c for c in comments.within(part[-1].end, upper) if line(c.start) == last_line]
        if trailing:
            col.doc = clip(comment_text(trailing[0])) or None
            continue
        lower = parts[k - 1][-1].end if k else part[0].start
        prev_line = line(parts[k - 1][-1].start) if k else -1
        above = [c for c in comments.within(lower, part[0].start) if line(c.start) != prev_line]
        if above:
            col.doc = clip(" ".join(comment_text(c) for c in above)) or None


def _doc_above(start: int, comments: Comments, sql: str) -> str | None:
    """The comment right above a statement (nothing but whitespace between): its first line."""
    lines: list[str] = []
    cursor = start
    for c in comments.before(start):
        gap = sql[c.end : cursor]
        line_start = sql.rfind("\n", 0, c.start) + 1
        # Adjacent, and alone on its line (not the trailing remark of an earlier statement).
        if gap.strip() or gap.count("\n") > 1 or sql[line_start : c.start].strip():
            break
        lines.insert(0, comment_text(c))
        cursor = c.start
    text = next((t for t in lines if t), None)
    return clip(text) if text else None


def sql_tables(sql: str) -> list[SqlTable]:
    """Every ``CREATE TABLE name (...)`` in ``sql``, with ``CREATE INDEX`` on those tables applied.

    ``CREATE TABLE ... AS SELECT`` and virtual tables are skipped: they declare no columns.
    """
    if not has_create_table(sql):
        return []
    tokens, found = tokenize(sql)
    comments = Comments(found)
    line = Lines(sql)
    tables: list[SqlTable] = []
    # Parallel to ``tables`` (a name may be created twice: after a DROP, or per dialect).
    columns_of: list[dict[str, SqlColumn]] = []
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
        name, j = qualified(tokens, j)
        if name is None or j >= n or tokens[j].text != "(":
            i = j
            continue
        close_at = group_end(tokens, j)
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
        table.fields = [column_field(c) for c in columns.values()]  # in declaration order
    return tables


def _create_index(tokens: list[Tok], j: int, unique: bool, indexes: list[tuple[str, list[str], bool, int]]) -> int:
    """Read ``CREATE [UNIQUE] INDEX ... ON table (columns)`` from just after ``INDEX``; the index
    goes to ``indexes`` as (table, columns, unique, end). Returns where reading stopped."""
    n = len(tokens)
    if j < n and tokens[j].upper == "CONCURRENTLY":
        j += 1
    if j + 2 < n and [t.upper for t in tokens[j : j + 3]] == ["IF", "NOT", "EXISTS"]:
        j += 3
    if j < n and tokens[j].upper != "ON":
        _, j = qualified(tokens, j)  # the index name
    if j < n and tokens[j].upper == "ON":
        j += 1
        if j < n and tokens[j].upper == "ONLY":
            j += 1
        target, j = qualified(tokens, j)
        if j + 1 < n and tokens[j].upper == "USING":
            j += 2
        cols, j = column_list(tokens, j)
        if target and cols:
            indexes.append((target, cols, unique, tokens[j - 1].end))
    return j


def _table_columns(
    tokens: list[Tok], j: int, close_at: int, table: SqlTable, comments: Comments, line: Lines
) -> dict[str, SqlColumn]:
    """The columns between the parentheses at ``j`` and ``close_at``, by name in declaration
    order; table constraints go to ``table``, comments to the columns they describe."""
    parts = split_top(tokens[j + 1 : close_at])
    columns: dict[str, SqlColumn] = {}
    ordered: list[SqlColumn | None] = []
    pending: list[list[Tok]] = []
    for part in parts[:_MAX_COLUMNS]:
        if part[0].upper in _TABLE_CONSTRAINTS and not (len(part) > 1 and part[0].upper == "KEY" and _is_col(part)):
            ordered.append(None)
            pending.append(part)
        elif is_ident(part[0]):
            col = parse_column(part)
            columns[col.name] = col
            ordered.append(col)
        else:
            ordered.append(None)
    for part in pending:  # table constraints may name columns declared after them
        text = apply_table_constraint(part, columns)
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


def _is_col(part: list[Tok]) -> bool:
    """``key VARCHAR(8)`` is a column named ``key``; ``KEY idx (a)`` is a MySQL index.

    Only the index lists bare names in its parentheses; a type takes numbers (or nothing).
    """
    if part[1].text == "(":
        return False  # ``KEY (a, b)``
    if len(part) < 3 or part[2].text != "(":
        return True
    inner = part[3 : group_end(part, 2)]
    return not all(is_ident(t) or t.text == "," for t in inner)
