"""One column definition of a ``CREATE TABLE`` (name, type, then its constraints) and the
table-level constraints that apply to named columns, as the DATA_MODEL field carries them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from specagent.ingest.records import ModelField
from specagent.ingest.sql_tokens import Tok, column_list, group_end, ident, qualified, render

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
# Column types whose values the database makes itself (so an insert need not give them).
_SERIAL_TYPES = frozenset({"SERIAL", "BIGSERIAL", "SMALLSERIAL", "SERIAL4", "SERIAL8", "SERIAL2"})
_MAX_TEXT = 120


@dataclass
class SqlColumn:
    """One column as declared: ``not_null``, ``default`` and ``generated`` decide whether it is required."""

    name: str
    type: str
    not_null: bool = False
    default: str | None = None
    generated: bool = False
    doc: str | None = None
    constraints: dict[str, Any] = field(default_factory=dict)


def clip(text: str) -> str:
    """``text`` cut to the length a fact quotes SQL at, with an ellipsis when cut."""
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1].rstrip() + "…"


def _references(tokens: list[Tok], i: int) -> tuple[dict[str, Any], int]:
    """Constraints of ``REFERENCES t (col) [ON DELETE x] ...`` with ``i`` just after REFERENCES."""
    out: dict[str, Any] = {}
    target, i = qualified(tokens, i)
    cols, i = column_list(tokens, i)
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


def _expression(tokens: list[Tok], i: int) -> tuple[str, int]:
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
    text = render(tokens[start:i])
    if text.startswith("(") and text.endswith(")") and group_end(tokens, start) == i - 1:
        text = text[1:-1]  # ``DEFAULT (0)`` is ``0``
    return clip(text), i


def parse_column(part: list[Tok]) -> SqlColumn:
    """A column definition: name, type up to the first constraint word, then its constraints."""
    i = 1
    while i < len(part) and part[i].upper not in _COLUMN_CONSTRAINTS:
        if part[i].text == "(":
            i = group_end(part, i)
        i += 1
    col = SqlColumn(name=ident(part[0]), type=clip(render(part[1:i])))
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
            end = group_end(part, i + 1)
            c["check"] = clip(render(part[i + 2 : end]))
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
                    j = group_end(part, j) + 1
            elif j < len(part) and part[j].text == "(":
                end = group_end(part, j)
                c["generated"] = clip(render(part[j + 1 : end]))
                j = end + 1
            i = max(j, i + 1)
        elif word in ("AUTOINCREMENT", "AUTO_INCREMENT", "IDENTITY"):
            c["autoincrement"] = True
            col.generated = True
            i += 1
            if word == "IDENTITY" and i < len(part) and part[i].text == "(":
                i = group_end(part, i) + 1
        elif word == "ON" and nxt == "UPDATE":
            c["onupdate"], i = _expression(part, i + 2)
        elif word == "ON" and nxt == "CONFLICT":
            i += 3  # SQLite's conflict clause changes no contract
        elif word == "COLLATE":
            i += 2
        elif word == "COMMENT" and i + 1 < len(part) and part[i + 1].kind == "string":
            col.doc = clip(part[i + 1].text[1:-1].replace("''", "'"))
            i += 2
        else:
            i += 1  # NULL, ASC/DESC and anything unknown
    if c.get("primary_key") and base_type == "INTEGER":
        col.generated = True  # SQLite: an INTEGER PRIMARY KEY is the rowid, filled on insert
    return col


def apply_table_constraint(part: list[Tok], columns: dict[str, SqlColumn]) -> str | None:
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
    cols, after = column_list(part, j)
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
        return f"check ({clip(render(part[j + 1 : group_end(part, j)]))})"
    if word in ("KEY", "INDEX", "FULLTEXT", "SPATIAL"):
        if len(cols) == 1 and known:
            known[0].constraints["index"] = True
            return None
        return f"index ({', '.join(cols)})" if cols else None
    return clip(render(part[i:])) if word == "EXCLUDE" else None


def column_field(col: SqlColumn) -> ModelField:
    """The DATA_MODEL field (the same shape as the ORM parsers give, with the column's comment)."""
    c = dict(col.constraints)
    nullable = not (col.not_null or c.get("primary_key"))
    required = not nullable and col.default is None and not col.generated
    if col.not_null and not required and not c.get("primary_key"):
        c["nullable"] = False  # NOT NULL with a default: optional on insert, never null
    return ModelField(
        name=col.name, type=col.type, required=required, default=col.default, constraints=c or None, doc=col.doc
    )
