"""What the evidence panel shows: the cited lines of each source, with some context.

Built by the app from the draft's redacted texts (never from the raw files, so a secret the
draft redacted is not shown either) and handed to the panel as plain data.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from specagent.spec.model import Citation

if TYPE_CHECKING:  # the index (and chromadb) loads only when a search runs
    from specagent.pipeline.indexing import SearchHit

#: Lines of context shown around cited lines.
CONTEXT = 3
_LEXERS = {
    ".py": "python",
    ".ipynb": "python",
    ".md": "markdown",
    ".toml": "toml",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json",
    ".cfg": "ini",
    ".ini": "ini",
    ".sql": "sql",
    ".sh": "bash",
    ".txt": "text",
    ".csv": "text",
}


@dataclass(frozen=True)
class EvidenceBlock:
    """One source in the evidence panel: ``code`` starts at line ``first_line``; the cited lines
    are ``cited`` (inclusive). A notebook cell carries its ``outputs`` as text."""

    title: str
    path: str
    code: str
    lexer: str
    first_line: int
    cited: tuple[int, int]
    outputs: str = ""
    problem: str = ""
    cell: int | None = None


def lexer_for(path: str) -> str:
    """The Pygments lexer name for a file (``text`` when unknown)."""
    name = PurePosixPath(path).name
    if name == "Dockerfile":
        return "docker"
    return _LEXERS.get(PurePosixPath(path).suffix.lower(), "text")


def notebook_cells(text: str) -> list[tuple[str, str]] | None:
    """(source, outputs as text) of each cell of a notebook's JSON, or None if it is not one."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    cells = data.get("cells")
    if cells is None:  # nbformat v3 keeps cells in worksheets
        cells = [c for ws in data.get("worksheets", []) for c in ws.get("cells", [])]
    found = []
    for cell in cells:
        source = cell.get("source", cell.get("input", ""))
        source = "".join(source) if isinstance(source, list) else str(source)
        outputs = []
        for output in cell.get("outputs", []) or []:
            for key in ("text", "evalue"):
                value = output.get(key)
                if value:
                    outputs.append("".join(value) if isinstance(value, list) else str(value))
            data_out = output.get("data") or {}
            value = data_out.get("text/plain")
            if value:
                outputs.append("".join(value) if isinstance(value, list) else str(value))
        found.append((source, "\n".join(o.rstrip("\n") for o in outputs)))
    return found


def _window(lines: list[str], start: int, end: int) -> tuple[str, int]:
    first = max(1, start - CONTEXT)
    last = min(len(lines), end + CONTEXT)
    return "\n".join(lines[first - 1 : last]), first


def block_for(citation: Citation, texts: Mapping[str, str]) -> EvidenceBlock:
    """The evidence block of one citation (with ``problem`` set when it cannot be shown)."""
    text = texts.get(citation.path)
    title = citation.label()
    lexer = lexer_for(citation.path)
    span = (citation.start_line, citation.end_line)
    if text is None:
        return EvidenceBlock(title, citation.path, "", lexer, 1, span, problem="not readable in the prototype")
    if citation.cell is not None:
        cells = notebook_cells(text)
        if cells is None or citation.cell > len(cells):
            return EvidenceBlock(title, citation.path, "", lexer, 1, span, problem="no such notebook cell")
        source, outputs = cells[citation.cell - 1]
        # A notebook cell is shown whole, as a notebook shows it: source, then its outputs.
        return EvidenceBlock(
            title, citation.path, source.rstrip("\n"), "python", 1, span, outputs=outputs, cell=citation.cell
        )
    lines = text.split("\n")
    if citation.start_line > len(lines):
        return EvidenceBlock(title, citation.path, "", lexer, 1, span, problem=f"past the end ({len(lines)} lines)")
    code, first = _window(lines, citation.start_line, citation.end_line)
    return EvidenceBlock(title, citation.path, code, lexer, first, span)


def blocks_for(citations: list[Citation], texts: Mapping[str, str]) -> list[EvidenceBlock]:
    """Evidence blocks of an item's citations, in the order the item cites them."""
    return [block_for(c, texts) for c in citations]


def blocks_for_hits(hits: list[SearchHit], texts: Mapping[str, str]) -> list[EvidenceBlock]:
    """Evidence blocks of search hits: the hit's own lines, with its score in the title."""
    blocks = []
    for hit in hits:
        citation = Citation(path=hit.path, start_line=hit.start_line, end_line=hit.end_line, cell=hit.cell)
        block = block_for(citation, texts)
        if block.problem:  # not in the draft's texts (a file changed since): show the indexed chunk
            block = EvidenceBlock(
                citation.label(),
                hit.path,
                hit.text,
                lexer_for(hit.path),
                hit.start_line,
                (hit.start_line, hit.end_line),
            )
        blocks.append(
            EvidenceBlock(
                f"{block.title}  score {hit.score:.2f}",
                block.path,
                block.code,
                block.lexer,
                block.first_line,
                block.cited,
                block.outputs,
                block.problem,
                block.cell,
            )
        )
    return blocks
