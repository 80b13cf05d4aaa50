"""Parse notes (markdown, reStructuredText, plain text) into sections, cue lines and metrics.

- Sections by heading (markdown ``#`` and setext, rst underlines, loose ALL-CAPS / ``Title:``
  lines in .txt) -> NOTE_SECTION facts and SECTION chunks.
- Lines and bullets with cues (must/shall/should/need to, questions, a line *starting* with
  TODO/FIXME or "Idea:", "As a ... I want ...", and every bullet and sentence under a Goals /
  Non-goals / Who uses it / Known problems heading) -> NOTE_LINE facts. A bullet runs on over its continuation
  lines, indented or not.
- Measured numbers ("baseline accuracy: 0.81") -> METRIC facts via :mod:`metrics_text`.

Headings, code blocks and a section's blocks are found by :mod:`notes_structure`; the cue of a
line or heading by :mod:`notes_cues`. Notebook markdown cells reuse :func:`note_facts` with
``cell`` set.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

from specagent.ingest.metrics_text import MetricMatch, find_metrics
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
from specagent.ingest.notes_cues import cue_of
from specagent.ingest.notes_structure import NoteStructure, Section, body_blocks, read_structure, sentences
from specagent.ingest.records import MetricRow

__all__ = ["chunk_lines", "metric_fact", "note_facts", "parse_notes"]

CHUNK_MAX_CHARS = 2000
_FIRST_PARAGRAPH_MAX = 400
_TEXT_MAX = 400


def _fmt(path: str) -> str:
    suffix = PurePosixPath(path).suffix.lower()
    if suffix == ".rst":
        return "rst"
    if suffix in {".md", ".markdown", ".mdown", ".mkd"}:
        return "md"
    return "txt"


_MARKUP_ONLY = re.compile(r"!\[[^\]]*\]\([^)]*\)|<[^>]+>|\[!\[.*?\]\(.*?\)\]\(.*?\)|https?://\S+")
_LIST_LINE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")


def _is_prose(paragraph: list[str]) -> bool:
    """A paragraph of sentences: not images, badges, HTML, bare links or a list."""
    if all(_LIST_LINE.match(line) for line in paragraph):
        return False
    words = re.findall(r"[A-Za-z][\w'-]*", _MARKUP_ONLY.sub(" ", " ".join(paragraph)))
    return len(words) >= 6


def _first_paragraph(lines: list[str], sec: Section, code: set[int]) -> str:
    """The section's first prose paragraph (images, badges, HTML and lists are passed over)."""
    found = _prose_paragraphs(lines, sec, code, 1)
    return found[0] if found else ""


def _first_list(lines: list[str], sec: Section, code: set[int]) -> str:
    """The section's first bulleted or numbered list, its items joined by "; " (markers dropped)."""
    items: list[str] = []
    for j in sec.body:
        text = lines[j - 1].strip()
        if j in code or not text:
            if items:
                break
            continue
        if _LIST_LINE.match(text):
            items.append(re.sub(r"^(?:[-*+]|\d+[.)])\s+", "", text))
        elif items:
            break
    return _trim("; ".join(items), _FIRST_PARAGRAPH_MAX) if len(items) >= 2 else ""


def _prose_paragraphs(lines: list[str], sec: Section, code: set[int], limit: int = 3) -> list[str]:
    """Up to ``limit`` prose paragraphs of the section, in order, each trimmed."""
    paragraphs: list[list[str]] = [[]]
    for j in sec.body:
        text = lines[j - 1].strip()
        if j in code or not text:
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        paragraphs[-1].append(text)
    prose = [p for p in paragraphs if p and _is_prose(p)][:limit]
    return [_trim(" ".join(p), _FIRST_PARAGRAPH_MAX) for p in prose]


def _trim(text: str, limit: int) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + "…"


def _span(start: int, end: int, cell: int | None) -> Span:
    return Span(start_line=max(1, start), end_line=max(1, start, end), cell=cell)


def metric_fact(path: str, m: MetricMatch, span: Span) -> Fact:
    """A METRIC fact from a :class:`~specagent.ingest.metrics_text.MetricMatch`."""
    detail: dict[str, Any] = {
        "value": m.value,
        "unit": m.unit,
        "raw": m.raw,
        "split": m.split,
        "context": m.context,
    }
    if m.row is not None:
        detail["row"] = MetricRow(
            label=m.row.label,
            key=m.row.key,
            rows=m.row.rows,
            pick=m.row.pick,
            also=[list(pair) for pair in m.row.also],
        )
    return Fact(kind=FactKind.METRIC, name=m.name, detail=detail, source=SourceRef(path=path, span=span, quote=m.raw))


def note_facts(
    path: str,
    text: str,
    fmt: str = "md",
    *,
    cell: int | None = None,
    doc_title: str | None = None,
    default_heading: str | None = None,
) -> tuple[list[Fact], list[tuple[str, int, int, int, str]], str | None]:
    """Facts of a notes text; also its sections as (heading, level, start, end, text) and title.

    ``cell`` marks spans as lines of a notebook cell. ``doc_title`` is used when the text has
    no level-1 heading of its own. ``default_heading`` names a single section when the text has
    no heading at all (plain .txt files).
    """
    lines = text.splitlines()
    st = read_structure(lines, fmt)
    facts: list[Fact] = []
    title = next((s.heading for s in st.sections if s.level == 1), None) or doc_title
    sections_out: list[tuple[str, int, int, int, str]] = []
    for sec in st.sections:
        body_text = "\n".join(lines[sec.heading_line - 1 if sec.heading_line else 0 : sec.end_line])
        if sec.level:
            facts.append(_section_fact(path, lines, sec, st, title, cell))
        elif default_heading is not None and len(st.sections) == 1 and body_text.strip():
            facts.append(_headless_section_fact(path, lines, sec, st, default_heading, title, cell))
        sections_out.append((sec.heading, sec.level, max(1, sec.heading_line), sec.end_line, body_text))
        facts.extend(_cue_facts(path, lines, sec, st, cell))
    for m in find_metrics(text):
        if m.line in st.heading_lines or m.line in st.example_lines:
            continue
        facts.append(metric_fact(path, m, _span(m.line, m.line, cell)))
    return facts, sections_out, title


def _section_fact(
    path: str, lines: list[str], sec: Section, st: NoteStructure, title: str | None, cell: int | None
) -> Fact:
    """The NOTE_SECTION fact of a headed section: its heading, first prose and first list."""
    paragraphs = _prose_paragraphs(lines, sec, st.code_lines)
    return Fact(
        kind=FactKind.NOTE_SECTION,
        name=sec.heading,
        detail={
            "heading": sec.heading,
            "level": sec.level,
            "text": paragraphs[0] if paragraphs else "",
            "paragraphs": paragraphs,
            "list": _first_list(lines, sec, st.code_lines),
            "doc_title": title,
        },
        source=SourceRef(
            path=path,
            span=_span(sec.heading_line, sec.end_line, cell),
            quote=sec.heading if sec.heading in lines[sec.heading_line - 1] else None,
        ),
    )


def _headless_section_fact(
    path: str,
    lines: list[str],
    sec: Section,
    st: NoteStructure,
    heading: str,
    title: str | None,
    cell: int | None,
) -> Fact:
    """The NOTE_SECTION fact of a text with no heading at all, named ``heading``."""
    return Fact(
        kind=FactKind.NOTE_SECTION,
        name=heading,
        detail={
            "heading": heading,
            "level": 1,
            "text": _first_paragraph(lines, sec, st.code_lines),
            "doc_title": title,
        },
        source=SourceRef(path=path, span=_span(1, sec.end_line, cell)),
    )


def _cue_facts(path: str, lines: list[str], sec: Section, st: NoteStructure, cell: int | None) -> list[Fact]:
    """NOTE_LINE facts of a section: each bullet, and each sentence of a paragraph, that has a cue."""
    facts: list[Fact] = []
    for block in body_blocks(lines, sec, st):
        if block.bullet:
            joined = " ".join(c for _, c in block.pieces)
            if block.task == "x":
                continue  # a done task is history, not a cue
            cue = "todo" if block.task == " " else cue_of(joined, sec.cue, True)
            items = [(joined, block.pieces[0][0], block.pieces[-1][0], block.pieces[0][1])]
        else:
            cue = None
            items = sentences(block)
        for sentence, first, last, quote in items:
            item_cue = cue if block.bullet else cue_of(sentence, sec.cue, False)
            if item_cue is None or not sentence.strip():
                continue
            clean = _trim(sentence, _TEXT_MAX)
            facts.append(
                Fact(
                    kind=FactKind.NOTE_LINE,
                    name=_trim(clean, 80),
                    detail={"cue": item_cue, "text": clean},
                    source=SourceRef(path=path, span=_span(first, last, cell), quote=quote),
                )
            )
    return facts


def chunk_lines(
    path: str,
    lines: list[str],
    first_line: int,
    kind: ChunkKind,
    symbols: list[str] | None = None,
    *,
    cell: int | None = None,
    max_chars: int = CHUNK_MAX_CHARS,
) -> list[Chunk]:
    """Cut consecutive ``lines`` (the first is line ``first_line``) into chunks of at most
    ``max_chars``, preferring blank lines as cut points; blank-only pieces are dropped."""
    chunks: list[Chunk] = []
    start = 0
    n = len(lines)
    while start < n:
        size = 0
        end = start
        last_blank = -1
        while end < n and (size + len(lines[end]) + 1 <= max_chars or end == start):
            size += len(lines[end]) + 1
            if not lines[end].strip() and end > start:
                last_blank = end
            end += 1
        if end < n and last_blank > start:
            end = last_blank
        # Blank edge lines are left out, so a span never points past a file's last line.
        lo, hi = start, end
        while hi > lo and not lines[hi - 1].strip():
            hi -= 1
        while lo < hi and not lines[lo].strip():
            lo += 1
        # A single line longer than the cap is cut, not dropped.
        text = "\n".join(lines[lo:hi])[: max_chars * 2]
        if text.strip():
            span = Span(start_line=first_line + lo, end_line=first_line + hi - 1, cell=cell)
            chunks.append(
                Chunk(
                    id=make_chunk_id(path, span, text),
                    path=path,
                    span=span,
                    kind=kind,
                    text=text,
                    symbols=list(symbols or []),
                )
            )
        start = end
    return chunks


def parse_notes(path: str, text: str) -> ParseResult:
    """Parse a .md/.markdown/.rst/.txt file; never raises."""
    try:
        fmt = _fmt(path)
        stem = PurePosixPath(path).stem
        facts, sections, _title = note_facts(path, text, fmt, default_heading=stem if fmt == "txt" else None)
        lines = text.splitlines()
        chunks: list[Chunk] = []
        for heading, _level, start, end, _body in sections:
            chunks.extend(
                chunk_lines(
                    path,
                    lines[start - 1 : end],
                    start,
                    ChunkKind.SECTION,
                    [heading] if heading else [],
                )
            )
        return ParseResult(facts=facts, chunks=chunks)
    except Exception as exc:  # a parser bug must not stop ingest
        return ParseResult(warnings=[IngestWarning(path=path, message=f"notes not parsed: {exc!r}"[:200])])
