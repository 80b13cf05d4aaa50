"""The tokens of SQL text, for :mod:`specagent.ingest.sql_ddl`: a tolerant tokenizer (quoted
identifiers, comments, strings, parameters of several dialects) and helpers that walk the
tokens by parenthesis group, qualified name and comma-separated part.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

#: Keywords a parenthesis after them stays apart from when tokens are rendered back to text.
SPACED_KEYWORDS = frozenset({"IN", "AND", "OR", "NOT", "AS", "IS", "THEN", "ELSE", "WHEN", "BETWEEN", "CHECK"})

TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>--[^\n]*|/\*.*?(?:\*/|\Z))
    | (?P<string>[EeNn]?'(?:[^']|'')*(?:'|\Z))
    | (?P<quoted>"(?:[^"]|"")*"|`[^`]*`)
    | (?P<number>\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+)
    | (?P<word>[^\W\d][\w$]*)
    | (?P<param>\{[^{}\n]*\}|\$\d+|[?]|:[A-Za-z_]\w*)
    | (?P<punct>::|<=|>=|<>|!=|\|\||.)
    """,
    re.DOTALL | re.VERBOSE,
)


@dataclass(frozen=True)
class Tok:
    kind: str
    text: str
    start: int
    end: int

    @property
    def upper(self) -> str:
        return self.text.upper() if self.kind == "word" else ""


def tokenize(sql: str) -> tuple[list[Tok], list[Tok]]:
    """(tokens, comments) of ``sql``; whitespace is dropped."""
    tokens: list[Tok] = []
    comments: list[Tok] = []
    for m in TOKEN.finditer(sql):
        kind = m.lastgroup or "punct"
        if kind == "ws":
            continue
        tok = Tok(kind, m.group(), m.start(), m.end())
        (comments if kind == "comment" else tokens).append(tok)
    return tokens, comments


def ident(tok: Tok) -> str:
    """An identifier without its quotes."""
    if tok.kind == "quoted":
        return tok.text[1:-1].replace('""', '"')
    return tok.text


def is_ident(tok: Tok) -> bool:
    return tok.kind in ("word", "quoted", "param")


def render(tokens: list[Tok]) -> str:
    """Tokens back to compact SQL text: ``VARCHAR(255)``, ``NUMERIC(10, 2)``, ``total >= 0``."""
    out: list[str] = []
    prev: Tok | None = None
    unary = False  # a ``-``/``+`` at the start, after ``(``, ``,`` or an operator: a sign, glued on
    for tok in tokens:
        text = tok.text
        if prev is not None:
            glue = (
                text in (")", ",", ".", "]", "[", "::")
                or prev.text in ("(", ".", "[", "::")
                or (text == "(" and is_ident(prev) and prev.upper not in SPACED_KEYWORDS)
                or (prev.text in ("-", "+") and unary)
            )
            if not glue:
                out.append(" ")
        unary = text in ("-", "+") and (prev is None or (prev.kind == "punct" and prev.text not in (")", "]")))
        out.append(text)
        prev = tok
    return "".join(out)


def group_end(tokens: list[Tok], i: int) -> int:
    """Index of the ``)`` closing the ``(`` at ``i`` (or len(tokens) when unbalanced)."""
    depth = 0
    for j in range(i, len(tokens)):
        if tokens[j].text == "(":
            depth += 1
        elif tokens[j].text == ")":
            depth -= 1
            if depth == 0:
                return j
    return len(tokens)


def split_top(tokens: list[Tok]) -> list[list[Tok]]:
    """Split at the commas that are not nested in parentheses."""
    parts: list[list[Tok]] = [[]]
    depth = 0
    for tok in tokens:
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
        if tok.text == "," and depth == 0:
            parts.append([])
        else:
            parts[-1].append(tok)
    return [p for p in parts if p]


def qualified(tokens: list[Tok], i: int) -> tuple[str | None, int]:
    """(``schema.name``, index after it) starting at ``i``."""
    if i >= len(tokens) or not is_ident(tokens[i]):
        return None, i
    parts = [ident(tokens[i])]
    i += 1
    while i < len(tokens):
        if is_ident(tokens[i]) and tokens[i].start == tokens[i - 1].end:
            parts[-1] += ident(tokens[i])  # ``{prefix}_log``: a template part glued to a word
            i += 1
        elif i + 1 < len(tokens) and tokens[i].text == "." and is_ident(tokens[i + 1]):
            parts.append(ident(tokens[i + 1]))
            i += 2
        else:
            break
    return ".".join(parts), i


def column_list(tokens: list[Tok], i: int) -> tuple[list[str], int]:
    """(names, index after the group) of a ``(a, b DESC, ...)`` list at ``i``."""
    if i >= len(tokens) or tokens[i].text != "(":
        return [], i
    end = group_end(tokens, i)
    names = []
    for part in split_top(tokens[i + 1 : end]):
        # ``col``, ``col DESC``, ``col COLLATE x``: the name; an expression stays as text.
        names.append(ident(part[0]) if is_ident(part[0]) and len(part) <= 3 else render(part))
    return names, end + 1


def comment_text(tok: Tok) -> str:
    text = tok.text[2:] if tok.text.startswith("--") else tok.text[2:].removesuffix("*/")
    return " ".join(text.split())


class Lines:
    """Offset -> 0-based line index in one text."""

    def __init__(self, text: str) -> None:
        self._breaks = [m.start() for m in re.finditer("\n", text)]

    def __call__(self, offset: int) -> int:
        return bisect.bisect_left(self._breaks, offset)  # the line breaks before ``offset``


class Comments:
    """The comments of one text, found by offset without a scan of them all (dumps hold many)."""

    def __init__(self, comments: list[Tok]) -> None:
        self.all = comments
        self._starts = [c.start for c in comments]

    def within(self, lo: int, hi: int) -> list[Tok]:
        """Comments starting in ``lo..hi`` (``hi`` exclusive), in order."""
        return self.all[bisect.bisect_left(self._starts, lo) : bisect.bisect_left(self._starts, hi)]

    def before(self, offset: int) -> Iterator[Tok]:
        """Comments starting before ``offset``, nearest first."""
        for k in range(bisect.bisect_left(self._starts, offset) - 1, -1, -1):
            yield self.all[k]
