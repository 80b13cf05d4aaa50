"""Chunks of a Python file for retrieval: one per top-level definition (decorators included) and
windows of module-level code cut at statement starts, each trimmed of blank lines at both ends.
"""

from __future__ import annotations

import ast
import bisect

from specagent.ingest.models import Chunk, ChunkKind, Span, make_chunk_id
from specagent.ingest.python_common import end_line, start_line

#: Lines per module-level chunk (and per chunk when a file does not parse).
WINDOW = 60


def window_chunks(path: str, lines: list[str], kind: ChunkKind) -> list[Chunk]:
    """Chunks of ``WINDOW`` lines each, for text that has no tree to cut along."""
    chunks = []
    for start in range(1, len(lines) + 1, WINDOW):
        chunk = _chunk(path, lines, start, min(len(lines), start + WINDOW - 1), kind, [])
        if chunk is not None:
            chunks.append(chunk)
    return chunks


def _chunk(path: str, lines: list[str], start: int, end: int, kind: ChunkKind, symbols: list[str]) -> Chunk | None:
    """A chunk of exact lines ``start..end``, trimmed of blank lines at both ends."""
    while start <= end and not lines[start - 1].strip():
        start += 1
    while end >= start and not lines[end - 1].strip():
        end -= 1
    if start > end:
        return None
    span = Span.model_construct(start_line=start, end_line=end, cell=None)
    body = "\n".join(lines[start - 1 : end])
    return Chunk.model_construct(  # trusted values; see Ctx.ref
        id=make_chunk_id(path, span, body),
        path=path,
        span=span,
        kind=kind,
        text=body,
        symbols=symbols,
    )


def code_chunks(path: str, lines: list[str], tree: ast.Module) -> list[Chunk]:
    """A chunk per top-level definition and windows of the module-level code between them."""
    total = len(lines)
    chunks: list[Chunk] = []
    # (start, end, symbols) of every top-level definition, decorators included
    defs: list[tuple[int, int, list[str]]] = []
    others: list[ast.stmt] = []
    for stmt in tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            symbols = [stmt.name]
            if isinstance(stmt, ast.ClassDef):
                symbols += [m.name for m in stmt.body if isinstance(m, ast.FunctionDef | ast.AsyncFunctionDef)]
            defs.append((start_line(stmt), min(end_line(stmt), total), symbols))
        else:
            others.append(stmt)
    # statement starts are where a module-level window may be cut
    cuts = sorted({s.lineno for s in others})
    symbols_at: dict[int, list[str]] = {}
    for stmt in others:
        names = _assigned_names(stmt)
        if names:
            symbols_at.setdefault(stmt.lineno, []).extend(names)

    def module_windows(first: int, last: int) -> None:
        start = first
        while start <= last:
            limit = start + WINDOW - 1
            if limit >= last:
                end = last
            else:
                i = bisect.bisect_right(cuts, limit)
                j = bisect.bisect_right(cuts, start)
                if i > j:
                    end = cuts[i - 1] - 1  # the last statement start inside the window
                else:
                    nxt = cuts[j] if j < len(cuts) else last + 1
                    end = min(last, nxt - 1)  # one long statement: keep it whole
            if end < start:
                end = start
            symbols = [
                name
                for line in cuts[bisect.bisect_left(cuts, start) : bisect.bisect_right(cuts, end)]
                for name in symbols_at.get(line, [])
            ]
            chunk = _chunk(path, lines, start, end, ChunkKind.CODE, symbols)
            if chunk is not None:
                chunks.append(chunk)
            start = end + 1

    cursor = 1
    for start, end, symbols in defs:
        if start > cursor:
            module_windows(cursor, start - 1)
        chunk = _chunk(path, lines, start, end, ChunkKind.CODE, symbols)
        if chunk is not None:
            chunks.append(chunk)
        cursor = max(cursor, end + 1)
    if cursor <= total:
        module_windows(cursor, total)
    return chunks


def _assigned_names(stmt: ast.stmt) -> list[str]:
    if isinstance(stmt, ast.Assign):
        return [t.id for t in stmt.targets if isinstance(t, ast.Name)]
    if isinstance(stmt, ast.AnnAssign | ast.AugAssign) and isinstance(stmt.target, ast.Name):
        return [stmt.target.id]
    if isinstance(stmt, ast.If) and _is_main(stmt.test):
        return ["__main__"]
    return []


def _is_main(test: ast.expr) -> bool:
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and len(test.comparators) == 1
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value == "__main__"
    )
