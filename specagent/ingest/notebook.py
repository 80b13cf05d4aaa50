"""Parse a Jupyter notebook: cells as chunks, markdown as notes, outputs as evidence.

- Code cells: a CELL chunk (source plus a short summary of its outputs) and the Python facts of
  the source (via :func:`specagent.ingest.python_parser.parse_python`, spans re-mapped to
  ``Span(cell=N, ...)``).
- Outputs: METRIC facts (printed or displayed metrics), DATAFRAME facts (shapes, columns),
  ERROR_OUTPUT facts (a cell that raised).
- Markdown cells: a CELL chunk and the same facts notes get (headings, cue lines, metrics).

Cells are numbered from 1 in file order, markdown and raw cells included. A fact taken from an
output cites its whole cell and quotes the output text.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any

from specagent.ingest.models import (
    Chunk,
    ChunkKind,
    Fact,
    FactKind,
    IngestWarning,
    ParseResult,
    SourceRef,
    Span,
    make_chunk_id,
)
from specagent.ingest.notebook_cells import cell_text, load_notebook, notebook_language, one_line, output_summary
from specagent.ingest.notebook_frames import dataframe_facts, mark_loaded_frames
from specagent.ingest.notebook_metrics import output_metrics
from specagent.ingest.notes import chunk_lines, metric_fact, note_facts

__all__ = ["parse_notebook"]

_CHUNK_SOURCE_MAX = 3000
_CELL_MAGIC_PYTHON = frozenset({"time", "timeit", "capture", "prun", "memit", "debug"})


def _python_source(source: str) -> str | None:
    """The cell's Python with IPython syntax neutralised, line count unchanged; None if the cell
    is not Python (``%%bash``, ``%%sql``...)."""
    lines = source.split("\n")
    first = lines[0].strip() if lines else ""
    if first.startswith("%%"):
        magic = first[2:].split()[0] if len(first) > 2 else ""
        if magic not in _CELL_MAGIC_PYTHON:
            return None
        lines[0] = ""
    out = []
    for line in lines:
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        if stripped.startswith(("%", "!")) or (
            stripped.endswith("?") and not stripped.startswith("#") and "=" not in stripped
        ):
            # "pass" keeps an indented block non-empty where the magic was its only line.
            out.append(f"{indent}pass" if indent else "")
        elif re.match(r"^[A-Za-z_][\w, ]*=\s*[!%]", stripped):
            out.append(f"{indent}pass" if indent else "")
        else:
            out.append(line)
    return "\n".join(out)


def _python_facts(path: str, cells: list[tuple[int, str]]) -> tuple[list[Fact], list[IngestWarning]]:
    """Facts of all code cells, parsed as one module so imports in one cell count in the next.

    Cells that are not Python or do not compile are left out (as blank lines) with a warning.
    Each fact's span is re-mapped to its cell.
    """
    try:
        from specagent.ingest.python_parser import parse_python
    except Exception:
        return [], []
    warns: list[IngestWarning] = []
    combined: list[str] = []
    owner: list[tuple[int, int]] = []  # per combined line: (cell, line within the cell)
    for cell_no, source in cells:
        code = _python_source(source)
        n_lines = source.count("\n") + 1
        if code is not None:
            try:
                ast.parse(code)
            except (SyntaxError, ValueError) as exc:
                msg = getattr(exc, "msg", None) or one_line(exc)
                warns.append(IngestWarning(path=path, message=f"cell {cell_no}: not valid Python ({msg})"))
                code = None
        body = code.split("\n") if code is not None else [""] * n_lines
        for i, line in enumerate(body, start=1):
            combined.append(line)
            owner.append((cell_no, i))
    if not any(line.strip() for line in combined):
        return [], warns
    try:
        result = parse_python(path, "\n".join(combined))
    except Exception as exc:
        warns.append(IngestWarning(path=path, message=f"cell code not parsed: {one_line(exc)}"))
        return [], warns
    facts: list[Fact] = []
    for fact in result.facts:
        if fact.kind is FactKind.MODULE:
            continue  # a notebook is not a module; its title comes from markdown
        span = fact.source.span
        start = min(max(span.start_line, 1), len(owner))
        end = min(max(span.end_line, start), len(owner))
        cell_no, first = owner[start - 1]
        end_cell, last = owner[end - 1]
        if end_cell != cell_no:  # a span crossing cells: keep the part in the first cell
            last = max(line for c, line in owner if c == cell_no)
        new_span = Span(start_line=first, end_line=max(first, last), cell=cell_no)
        facts.append(fact.model_copy(update={"source": fact.source.model_copy(update={"span": new_span})}))
    return facts, warns


def _cell_chunks(path: str, cell_no: int, source: str, summary: str, symbols: list[str]) -> list[Chunk]:
    lines = source.split("\n")
    if len(source) <= _CHUNK_SOURCE_MAX:
        pieces = [(1, len(lines), source)]
    else:
        pieces = [
            (c.span.start_line, c.span.end_line, c.text)
            for c in chunk_lines(path, lines, 1, ChunkKind.CELL, cell=cell_no)
        ]
    chunks = []
    for idx, (start, end, text) in enumerate(pieces):
        body = text
        if summary and idx == len(pieces) - 1:
            body = f"{text}\n\n# output:\n{summary}" if text.strip() else f"# output:\n{summary}"
        if not body.strip():
            continue
        span = Span(start_line=max(1, start), end_line=max(1, start, end), cell=cell_no)
        chunks.append(
            Chunk(
                id=make_chunk_id(path, span, body),
                path=path,
                span=span,
                kind=ChunkKind.CELL,
                text=body,
                symbols=symbols,
            )
        )
    return chunks


def _doc_title(cells: list[Any]) -> str | None:
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            for line in cell_text(cell.get("source")).split("\n"):
                m = re.match(r"^ {0,3}#[ \t]+(.+?)[ \t]*#*[ \t]*$", line)
                if m:
                    return m.group(1).strip()
    return None


@dataclass(slots=True)
class _CellPending:
    """A code cell whose chunk waits for the symbols the Python parse finds in it."""

    cell: int
    source: str
    summary: str


def parse_notebook(path: str, text: str) -> ParseResult:
    """Parse an .ipynb (any nbformat version); never raises."""
    try:
        return _parse(path, text)
    except Exception as exc:  # a parser bug must not stop ingest
        return ParseResult(warnings=[IngestWarning(path=path, message=f"notebook not parsed: {one_line(exc)}")])


def _parse(path: str, text: str) -> ParseResult:
    nb, warns = load_notebook(path, text)
    if nb is None:
        return ParseResult(warnings=warns)
    cells = list(nb.get("cells") or [])
    is_python = notebook_language(nb) in {"python", "python3", "ipython", "ipython3"}
    title = _doc_title(cells)
    facts: list[Fact] = []
    chunks: list[Chunk | _CellPending] = []
    code_cells: list[tuple[int, str]] = []
    for cell_no, cell in enumerate(cells, start=1):
        source = cell_text(cell.get("source"))
        n_lines = max(1, source.count("\n") + 1)
        whole = Span(start_line=1, end_line=n_lines, cell=cell_no)
        ctype = cell.get("cell_type")
        if ctype == "markdown":
            cell_facts, _sections, _ = note_facts(path, source, "md", cell=cell_no, doc_title=title)
            facts.extend(cell_facts)
            headings = [f.name for f in cell_facts if f.kind is FactKind.NOTE_SECTION]
            chunks.extend(chunk_lines(path, source.split("\n"), 1, ChunkKind.CELL, headings, cell=cell_no))
            continue
        if ctype != "code":
            chunks.extend(chunk_lines(path, source.split("\n"), 1, ChunkKind.CELL, cell=cell_no))
            continue
        outputs = list(cell.get("outputs") or [])
        if is_python:
            code_cells.append((cell_no, source))
        for m in output_metrics(source, outputs):
            facts.append(metric_fact(path, m, whole))
        facts.extend(dataframe_facts(path, source, outputs, whole))
        for o in outputs:
            if o.get("output_type") == "error":
                ename = str(o.get("ename") or "Error")
                evalue = str(o.get("evalue") or "")
                facts.append(
                    Fact(
                        kind=FactKind.ERROR_OUTPUT,
                        name=ename,
                        detail={"ename": ename, "evalue": evalue[:500]},
                        source=SourceRef(path=path, span=whole, quote=ename),
                    )
                )
        chunks.append(_CellPending(cell_no, source, output_summary(outputs)))
    mark_loaded_frames(facts, code_cells)
    py_facts, py_warns = _python_facts(path, code_cells) if code_cells else ([], [])
    facts.extend(py_facts)
    warns.extend(py_warns)
    symbols: dict[int, list[str]] = {}
    for f in py_facts:
        if f.kind in {FactKind.FUNCTION, FactKind.CLASS} and f.source.span.cell is not None:
            symbols.setdefault(f.source.span.cell, []).append(f.name)
    final: list[Chunk] = []
    for c in chunks:
        if isinstance(c, _CellPending):
            final.extend(_cell_chunks(path, c.cell, c.source, c.summary, symbols.get(c.cell, [])))
        else:
            final.append(c)
    return ParseResult(facts=facts, chunks=final, warnings=warns)
