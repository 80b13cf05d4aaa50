"""Does a citation point at real lines? Shared by the drafter's validation and ``check``."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import lru_cache

from specagent.spec.model import Citation


def _squash(text: str) -> str:
    return " ".join(text.split())


@lru_cache(maxsize=256)
def _cells(notebook_text: str) -> tuple[tuple[str, str], ...] | None:
    """(source, outputs text) per cell of a notebook, or None when it is not notebook JSON."""
    try:
        data = json.loads(notebook_text)
    except ValueError:
        return None
    cells = data.get("cells") if isinstance(data, dict) else None
    if cells is None and isinstance(data, dict):  # nbformat v3: cells live in worksheets
        cells = [c for ws in data.get("worksheets", []) for c in ws.get("cells", [])]
    out = []
    for cell in cells or []:
        source = cell.get("source", cell.get("input", ""))
        source = "".join(source) if isinstance(source, list) else str(source)
        parts = []
        for output in cell.get("outputs", []) or []:
            for key in ("text", "evalue", "ename"):
                value = output.get(key)
                if value:
                    parts.append("".join(value) if isinstance(value, list) else str(value))
            for mime, value in (output.get("data") or {}).items():
                if mime.startswith("text/"):
                    parts.append("".join(value) if isinstance(value, list) else str(value))
        out.append((source, "\n".join(parts)))
    return tuple(out)


@lru_cache(maxsize=64)
def _lines(text: str) -> tuple[str, ...]:
    """A file's lines, without the empty piece after a final newline (split once per file)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return tuple(lines)


def resolve(citation: Citation, texts: Mapping[str, str]) -> str | None:
    """None when the citation resolves; otherwise why not, in a few words.

    ``texts`` maps relative paths to their (secret-redacted) text, as ingest read them.
    """
    text = texts.get(citation.path)
    if text is None:
        return f"{citation.path} is not in the prototype"
    if citation.cell is not None:
        cells = _cells(text)
        if cells is None:
            return f"{citation.path} is not a readable notebook"
        if citation.cell > len(cells):
            return f"{citation.path} has {len(cells)} cells, not {citation.cell}"
        source, outputs = cells[citation.cell - 1]
        lines: Sequence[str] = source.split("\n")
        haystack = "\n".join(lines[citation.start_line - 1 : citation.end_line]) + "\n" + outputs
        n_lines = max(len(lines), 1)
        where = f"cell {citation.cell}"
    else:
        lines = _lines(text)
        n_lines = len(lines)
        haystack = "\n".join(lines[citation.start_line - 1 : citation.end_line])
        where = citation.path
    if citation.start_line > n_lines or citation.end_line > n_lines:
        return f"lines {citation.start_line}-{citation.end_line} are past the end of {where} ({n_lines} lines)"
    if citation.quote and _squash(citation.quote.rstrip("…")) not in _squash(haystack):
        return f"quote not found at {citation.label()}"
    return None


def line_count(path: str, texts: Mapping[str, str], cell: int | None = None) -> int | None:
    """Lines in a file (or a notebook cell's source), None when unknown."""
    text = texts.get(path)
    if text is None:
        return None
    if cell is not None:
        cells = _cells(text)
        if not cells or cell > len(cells):
            return None
        return max(len(cells[cell - 1][0].split("\n")), 1)
    return len(_lines(text))


#: Public names for the spec modules that read cited lines (spans, drift).
notebook_cells = _cells
file_lines = _lines
