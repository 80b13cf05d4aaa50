"""TODO facts of a Python file: tagged comments (``# TODO: ...``) and docstring lines that open
with an upper-case tag (``FIXME: ...``), each with the lines that carry its note on.

Comments are found with ``tokenize`` so a ``# TODO`` inside a string does not count; a file that
does not parse is scanned line by line instead (:func:`text_todo_facts`).
"""

from __future__ import annotations

import ast
import bisect
import io
import re
import tokenize

from specagent.ingest.models import Fact, FactKind, SourceRef, Span
from specagent.ingest.python_common import MAX_QUOTE, Ctx, end_line, start_line

_TODO_ANY = re.compile(r"todo|fixme|hack|xxx", re.IGNORECASE)
# Upper-case tags anywhere in a comment; lower-case ones only when they open it ("# todo: ...").
_TODO_TAG = re.compile(r"\b(TODO|FIXME|HACK|XXX)\b(?:\([^)]*\))?[\s:;,.\-]*(.*)")
_TODO_LEAD = re.compile(r"^#+\s*(todo|fixme|hack|xxx)\b(?:\([^)]*\))?[\s:;,.\-]*(.*)", re.I)
# A comment line that starts its own note: "FIXME: ...", "NOTE - ...", "XXX".
_NEW_TAG = re.compile(r"^(?:[A-Z]{2,}\b(?:\([^)]*\))?\s*[:\-]|(?:TODO|FIXME|HACK|XXX)\b)")
# Characters without which a comment line is prose even when it happens to parse ("# later").
_CODE_HINT = re.compile(r"[()=\[\]]|^(?:import|from|return|def|class|print)\b")
# A docstring line that opens with an upper-case tag (after the opening quotes, if any).
_DOC_TAG = re.compile(r"^\s*(?:[rRuU]?(?:\"{3}|'{3}))?\s*(TODO|FIXME|HACK|XXX)\b(?:\([^)]*\))?\s*[:\-]?\s+(\S.*)")
_DOC_CLOSE = re.compile(r"(?:\"{3}|'{3})\s*$")
#: A TODO carries on over at most this many comment lines.
MAX_TODO_LINES = 8


def text_todo_facts(path: str, lines: list[str]) -> list[Fact]:
    """TODO facts found line by line, for a file whose tree is not available."""
    facts: list[Fact] = []
    for number, line in enumerate(lines, start=1):
        if "#" not in line or not _TODO_ANY.search(line):
            continue
        comment = line[line.index("#") :]
        fact = _todo_from_comment(path, number, comment, lines)
        if fact is not None:
            facts.append(fact)
    return facts


def _todo_from_comment(path: str, line_no: int, comment: str, lines: list[str]) -> Fact | None:
    """A TODO fact for the tagged comment on ``line_no``, with its continuation lines joined."""
    match = _TODO_TAG.search(comment) or _TODO_LEAD.match(comment)
    if match is None:
        return None
    tag = match.group(1).upper()
    line = lines[line_no - 1]
    parts = [match.group(2).strip()]
    end = line_no
    if line.lstrip().startswith("#"):
        more, end = _continuation(lines, line_no)
        parts.extend(more)
    body = " ".join(p for p in parts if p)
    quote = line.strip()[:MAX_QUOTE].rstrip()
    return Fact(
        kind=FactKind.TODO,
        name=(body or tag)[:80],
        detail={"tag": tag, "text": body},
        source=SourceRef(path=path, span=Span(start_line=line_no, end_line=end), quote=quote),
    )


def _continuation(lines: list[str], line_no: int) -> tuple[list[str], int]:
    """The comment lines that carry on a tagged comment line: (their texts, last line number).

    A run of whole-line comments after the tag, indented at least as deep, continues it; a
    blank line, an empty ``#``, code, another tag (``# FIXME: ...``, ``# NOTE: ...``) or
    commented-out code ends it. Lines after a whole-line comment cannot sit inside a string, so
    no tokenizing is needed here.
    """
    texts: list[str] = []
    end = line_no
    indent = len(lines[line_no - 1]) - len(lines[line_no - 1].lstrip())
    for number in range(line_no + 1, min(len(lines), line_no + MAX_TODO_LINES) + 1):
        line = lines[number - 1]
        stripped = line.strip()
        if not stripped.startswith("#") or len(line) - len(line.lstrip()) < indent:
            break  # code, a blank line, or a comment that belongs to an outer block
        text = stripped.lstrip("#").strip()
        if not text or _NEW_TAG.match(text) or _TODO_LEAD.match(stripped) or _looks_like_code(text):
            break
        texts.append(text)
        end = number
    return texts, end


def _looks_like_code(text: str) -> bool:
    """Commented-out code (``# plt.savefig("x.png")``), which is no part of a TODO's prose."""
    if not _CODE_HINT.search(text):
        return False
    try:
        ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return True


def _comments(ctx: Ctx) -> list[tuple[int, str]]:
    """(line, comment text) of comments that may hold a tag, found with ``tokenize``.

    Only the top-level statements around candidate lines are tokenized: a top-level statement
    is a complete unit for the tokenizer, and a file with two TODOs should not pay for 10k lines.
    """
    candidates = [n for n, line in enumerate(ctx.lines, start=1) if "#" in line and _TODO_ANY.search(line)]
    if not candidates:
        return []
    starts = [start_line(stmt) for stmt in ctx.tree.body]
    ends = [end_line(stmt) for stmt in ctx.tree.body]
    segments: set[tuple[int, int]] = set()
    for number in candidates:
        i = bisect.bisect_right(starts, number) - 1
        segments.add((starts[i], ends[i]) if i >= 0 and ends[i] >= number else (number, number))
    wanted = set(candidates)
    found: list[tuple[int, str]] = []
    for first, last in sorted(segments):
        segment = "\n".join(ctx.lines[first - 1 : last]) + "\n"
        try:
            for token in tokenize.generate_tokens(io.StringIO(segment).readline):
                number = token.start[0] + first - 1
                if token.type == tokenize.COMMENT and number in wanted:
                    found.append((number, token.string))
        except (tokenize.TokenError, SyntaxError):
            found.extend(
                (n, ctx.lines[n - 1][ctx.lines[n - 1].index("#") :]) for n in range(first, last + 1) if n in wanted
            )
    return sorted(set(found))


def extract_todos(ctx: Ctx) -> None:
    """TODO facts for the file's tagged comments and docstring lines."""
    for number, comment in _comments(ctx):
        fact = _todo_from_comment(ctx.path, number, comment, ctx.lines)
        if fact is not None:
            ctx.facts.append(fact)
    _docstring_todos(ctx)


def _docstring_todos(ctx: Ctx) -> None:
    """TODO facts for docstring lines that open with an upper-case tag (``FIXME: ...``).

    A docstring is the developer's own prose, so a note there is as much a note as a comment;
    other strings (prompts, messages) are data and stay out. The tag must open its line, and
    the note carries on over the docstring's next lines up to a blank line, another tag or the
    closing quotes.
    """
    owners: list[ast.AST] = [ctx.tree, *ctx.index.classes, *ctx.index.funcs]
    for owner in owners:
        body = getattr(owner, "body", None)
        first = body[0] if body else None
        if not (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
            and _TODO_ANY.search(first.value.value)
        ):
            continue
        last = min(end_line(first), len(ctx.lines))
        number = first.lineno
        while number <= last:
            match = _DOC_TAG.match(ctx.lines[number - 1])
            if match is None:
                number += 1
                continue
            parts = [_DOC_CLOSE.sub("", match.group(2)).strip()]
            end = number
            closed = _DOC_CLOSE.search(match.group(2)) is not None
            while not closed and end < min(last, number + MAX_TODO_LINES - 1):
                text = ctx.lines[end].strip()  # the line after ``end``
                closed = _DOC_CLOSE.search(text) is not None
                text = _DOC_CLOSE.sub("", text).strip()
                if not text or _DOC_TAG.match(text) or _NEW_TAG.match(text):
                    break
                parts.append(text)
                end += 1
            body_text = " ".join(p for p in parts if p)
            ctx.facts.append(
                Fact(
                    kind=FactKind.TODO,
                    name=body_text[:80] or match.group(1),
                    detail={"tag": match.group(1), "text": body_text},
                    source=SourceRef(
                        path=ctx.path,
                        span=Span(start_line=number, end_line=end),
                        quote=ctx.lines[number - 1].strip()[:MAX_QUOTE].rstrip(),
                    ),
                )
            )
            number = end + 1
