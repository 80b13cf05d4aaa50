"""Evidence for one section: numbered blocks E1..En (path, lines, text) the model may cite.

Code chooses the evidence (the offline items' own cited lines, then hybrid hits from the index),
so the model only writes sentences over it and cites block IDs; :meth:`Evidence.citation` maps
an ID back to a :class:`Citation`. Every block's text comes from the secret-redacted texts ingest
read, and is redacted once more before it is sent (a belt to the braces).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from specagent.ingest.secrets import redact
from specagent.spec.model import Citation

#: Lines and characters one block may carry: small models read ~70 tokens/s on two cores.
BLOCK_LINES = 30
BLOCK_CHARS = 1200


@dataclass(frozen=True)
class Block:
    """One evidence block."""

    id: str
    path: str
    start_line: int
    end_line: int
    cell: int | None
    text: str

    def label(self) -> str:
        where = (
            f"cell {self.cell} lines {self.start_line}-{self.end_line}"
            if self.cell
            else (f"lines {self.start_line}-{self.end_line}")
        )
        return f"[{self.id}] {self.path} {where}"

    def render(self) -> str:
        return f"{self.label()}\n{self.text}"


def _cell_source(notebook: str, cell: int) -> str | None:
    try:
        data = json.loads(notebook)
        source = data["cells"][cell - 1].get("source", "")
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return None
    return "".join(source) if isinstance(source, list) else str(source)


def lines_of(texts: Mapping[str, str], path: str, start: int, end: int, cell: int | None = None) -> str | None:
    """The text of lines ``start..end`` of ``path`` (of a notebook cell's source with ``cell``)."""
    text = texts.get(path)
    if text is None:
        return None
    if cell is not None:
        text = _cell_source(text, cell)
        if text is None:
            return None
    lines = text.split("\n")
    if start > len(lines):
        return None
    return "\n".join(lines[start - 1 : end])


@dataclass
class Evidence:
    """The blocks of one section, within a character budget."""

    texts: Mapping[str, str]
    max_chars: int = 5000
    max_blocks: int = 8
    blocks: list[Block] = field(default_factory=list)

    @property
    def chars(self) -> int:
        return sum(len(b.text) for b in self.blocks)

    @property
    def ids(self) -> list[str]:
        return [b.id for b in self.blocks]

    def _overlaps(self, path: str, cell: int | None, start: int, end: int) -> bool:
        return any(
            b.path == path and b.cell == cell and b.start_line <= end and start <= b.end_line for b in self.blocks
        )

    def add(self, path: str, start: int, end: int, cell: int | None = None, text: str | None = None) -> Block | None:
        """Add the lines as a block unless they overlap one, or the budget is spent."""
        if len(self.blocks) >= self.max_blocks or self._overlaps(path, cell, start, end):
            return None
        body: str | None
        if cell is not None and text is not None:
            body = text  # a notebook hit may carry the cell's outputs, which citations allow
        else:
            body = lines_of(self.texts, path, start, min(end, start + BLOCK_LINES - 1), cell)
            if body is None:
                body = text
        if body is None:
            return None
        kept = body.split("\n")[:BLOCK_LINES]
        body = redact(path, "\n".join(kept)).text[:BLOCK_CHARS].rstrip()
        if not body.strip() or self.chars + len(body) > self.max_chars:
            return None
        last = end if cell is not None else start + body.count("\n")
        block = Block(f"E{len(self.blocks) + 1}", path, start, max(start, last), cell, body)
        self.blocks.append(block)
        return block

    def add_citations(self, citations: Iterable[Citation]) -> None:
        for c in citations:
            self.add(c.path, c.start_line, c.end_line, c.cell)

    def get(self, block_id: str) -> Block | None:
        return next((b for b in self.blocks if b.id == block_id), None)

    def citation(self, block_id: str, quote: str | None = None) -> Citation:
        """The citation a block ID stands for."""
        b = self.get(block_id)
        if b is None:
            raise KeyError(block_id)
        return Citation(path=b.path, start_line=b.start_line, end_line=b.end_line, cell=b.cell, quote=quote)

    def render(self) -> str:
        return "\n\n".join(b.render() for b in self.blocks) or "(no evidence found)"
