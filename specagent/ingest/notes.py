"""Parse notes (markdown, reStructuredText, plain text) into sections, cue lines and metrics.

- Sections by heading (markdown ``#`` and setext, rst underlines, loose ALL-CAPS / ``Title:``
  lines in .txt) -> NOTE_SECTION facts and SECTION chunks.
- Lines and bullets with cues (must/shall/should/need to, questions, a line *starting* with
  TODO/FIXME or "Idea:", "As a ... I want ...", and every bullet and sentence under a Goals /
  Non-goals / Who uses it / Known problems heading) -> NOTE_LINE facts. A bullet runs on over its continuation
  lines, indented or not.
- Measured numbers ("baseline accuracy: 0.81") -> METRIC facts via :mod:`metrics_text`.

Notebook markdown cells reuse :func:`note_facts` with ``cell`` set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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

__all__ = ["chunk_lines", "metric_fact", "note_facts", "parse_notes"]

CHUNK_MAX_CHARS = 2000
_FIRST_PARAGRAPH_MAX = 400
_TEXT_MAX = 400

#: Fence info strings of source code and data formats: such a block shows an example request,
#: response or config, and its numbers are no measurement.
_EXAMPLE_LANGUAGES = frozenset(
    "json jsonc json5 yaml yml toml ini python py javascript js typescript ts bash sh shell zsh "
    "http sql html xml csv dockerfile go rust java".split()
)
_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
_ATX_EMPTY = re.compile(r"^ {0,3}#{1,6}[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_RST_ADORNMENT = re.compile(r"^([=\-~^\"'`*+#<>:._!$%&,;?@|\\/])\1{2,}[ \t]*$")
_TXT_TITLE = re.compile(r"^([A-Z][A-Za-z0-9 /&()',-]{1,48}):[ \t]*$")
_BULLET = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+•]|\d{1,3}[.)]|#\.|[a-z][.)])[ \t]+")
_TASK = re.compile(r"^\[(?P<mark>[ xX])\][ \t]+")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_SENTENCE_END = re.compile(r"(?<=[.!?])[ \t]+(?=[A-Z\"'(\[`*_])")

_CUE_USER_STORY = re.compile(r"\bas an? \w[^,.;]*?,?\s+I\s+(?:want|need|would like|can)\b", re.I)
_CUE_USER_LINE = re.compile(
    r"^(?:who (?:uses|runs|is) (?:it|this)(?: for)?|users?|audience|personas?|target users?)\s*:", re.I
)
# Markup a cue word may sit behind at the start of a line: emphasis, code, quote, a bracket.
_LEAD_MARKUP = r"^[\s>*_`~(\[]*"
# TODO / FIXME only when the line, bullet or sentence starts with it: "see the FIXME in x.py"
# or a table cell mentioning TODO is prose about a TODO, not one.
_CUE_TODO = re.compile(_LEAD_MARKUP + r"(?:(?:TODO|FIXME)\b|todo\b\s*:?)")
_CUE_QUESTION_START = re.compile(r"^(?:Q\s*:|open question\b|question\s*:)", re.I)
_CUE_MUST = re.compile(r"\b(?:must|shall)\b", re.I)
_CUE_SHOULD = re.compile(r"\bshould\b", re.I)
_CUE_NEED = re.compile(r"\bneeds?\s+to\b|^need\b|\bwe need\b", re.I)
# "Idea: ..." / "Idea - ..." at the start; "the idea: classify reviews" is a description.
_CUE_IDEA = re.compile(_LEAD_MARKUP + r"ideas?\b[*_`]*\s*(?::|[-–—]\s)", re.I)
# A line that starts its own cue ends the paragraph above it ("...\nTODO: x\nTODO: y").
_CUE_LINE_START = re.compile(_LEAD_MARKUP + r"(?:(?:TODO|FIXME)\b|ideas?\s*[:\-–—]|Q\s*:|question\s*:)", re.I)

# Headings whose bullets take the heading's cue, when the heading starts with the words
# ("Goals", "Non-goals", "Target users", "Open questions"), not when it merely has one
# ("Churn prediction for users"). Non-goals are checked before goals.
_HEADING_LEAD = r"^(?:\d+(?:\.\d+)*[.)]?\s+)?(?:(?:our|the|target|primary|main|key)\s+)?"
# A user heading is only the words themselves (maybe "Users and personas", "Users:"), so that
# "User interface" or "Users table" is no audience.
_USER_HEADING_END = r"(?:\s*(?:$|[:?(&/,–—-]|and\b|\+))"
_SECTION_CUES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(_HEADING_LEAD + pattern, re.I), cue)
    for pattern, cue in (
        (r"(?:non[- ]?goals?|out of scope|not in scope|won'?t do)\b", "non-goal"),
        (r"(?:goals?|objectives?|aims?|what we want|success criteria)\b", "goal"),
        (
            r"(?:who (?:uses|runs|is using|needs) (?:it|this)|who is (?:it|this) for|who it is for|"
            r"users?|personas?|audiences?|user stories|stakeholders|customers|"
            r"target (?:users?|audiences?))" + _USER_HEADING_END,
            "user",
        ),
        # Not a bare "Problem": a README's "## Problem" states what the product solves.
        (
            r"(?:known (?:problems?|issues?|bugs?|limitations?|gaps?)|limitations?|risks?|caveats?|"
            r"gotchas?|pitfalls?|rough edges|weak(?:nesses|\s+spots?)|"
            r"what (?:doesn'?t|does not|didn'?t|did not) work)(?![\w-])",
            "risk",
        ),
        (r"(?:open questions?|questions|unknowns|to decide)\b", "question"),
        (r"(?:todos?|to ?do|next steps|backlog|tasks)\b", "todo"),
        (r"(?:requirements?|must[- ]haves?)\b", "must"),
        (r"(?:ideas?|nice to haves?|wishlist|future work|stretch goals?)\b", "idea"),
    )
)
# These heading cues beat whatever a bullet or sentence says; the others only fill in when a
# bullet says nothing.
_STRONG_SECTION_CUES = frozenset({"goal", "non-goal", "user", "risk"})
_QUESTION_MARK = re.compile(r"\?(?:[\s*_)`\"']|$)")


@dataclass(slots=True)
class _Section:
    heading: str
    level: int
    heading_line: int  # 1-based; 0 for the preamble before any heading
    end_line: int = 0
    cue: str | None = None  # the section's own cue (from its heading or a parent's)
    body: list[int] = field(default_factory=list)  # 1-based line numbers of body lines


@dataclass(slots=True)
class _Structure:
    sections: list[_Section]
    heading_lines: set[int]  # lines that are a heading or its adornment
    code_lines: set[int]  # lines inside fenced / literal code blocks
    # lines of fenced blocks tagged as source code or data (```json, ```python, ...): examples,
    # not measurements; untagged and console blocks often hold a run's printed results
    example_lines: set[int] = field(default_factory=set)


def _fmt(path: str) -> str:
    suffix = PurePosixPath(path).suffix.lower()
    if suffix == ".rst":
        return "rst"
    if suffix in {".md", ".markdown", ".mdown", ".mkd"}:
        return "md"
    return "txt"


def _section_cue(heading: str) -> str | None:
    for pattern, cue in _SECTION_CUES:
        if pattern.search(heading):
            return cue
    return None


def _clean_heading(text: str) -> str:
    text = text.strip().strip("*_`").strip()
    return re.sub(r"\s+", " ", text)


def _structure(lines: list[str], fmt: str) -> _Structure:
    """Find headings (with levels) and code blocks."""
    headings: list[tuple[int, int, str]] = []  # (line_no, level, text)
    heading_lines: set[int] = set()
    code_lines: set[int] = set()
    example_lines: set[int] = set()
    example = False
    rst_styles: list[tuple[str, bool]] = []
    fence: str | None = None
    n = len(lines)
    i = 0
    # YAML front matter at the top of a markdown file is metadata, not text.
    if fmt == "md" and lines and lines[0].strip() == "---":
        for j in range(1, min(n, 200)):
            if lines[j].strip() in {"---", "..."}:
                heading_lines.update(range(1, j + 2))
                i = j + 1
                break
    while i < n:
        line = lines[i]
        stripped = line.strip()
        fm = _FENCE.match(line)
        if fence is not None:
            code_lines.add(i + 1)
            if example:
                example_lines.add(i + 1)
            if fm and fm.group(1)[0] == fence[0] and len(fm.group(1)) >= len(fence):
                fence = None
            i += 1
            continue
        if fm and fmt != "rst":
            fence = fm.group(1)
            info = line.strip()[len(fence) :].strip().lower()
            example = info.split()[0] in _EXAMPLE_LANGUAGES if info else False
            code_lines.add(i + 1)
            i += 1
            continue
        if fmt in {"md", "txt"}:
            atx = _ATX.match(line)
            if atx and not _ATX_EMPTY.match(line):
                headings.append((i + 1, len(atx.group(1)), _clean_heading(atx.group(2))))
                heading_lines.add(i + 1)
                i += 1
                continue
        if fmt == "md":
            if (
                stripped
                and i + 1 < n
                and _SETEXT.match(lines[i + 1])
                and not _BULLET.match(line)
                and not line.startswith(("    ", "\t", ">", "|"))
                and (i == 0 or not lines[i - 1].strip() or i in heading_lines)
            ):
                level = 1 if lines[i + 1].strip().startswith("=") else 2
                headings.append((i + 1, level, _clean_heading(line)))
                heading_lines.update({i + 1, i + 2})
                i += 2
                continue
            i += 1
            continue
        # rst, and txt files written with rst-style underlines
        if stripped and not _RST_ADORNMENT.match(line) and i + 1 < n:
            over = i > 0 and bool(_RST_ADORNMENT.match(lines[i - 1])) and (i) not in heading_lines
            under = _RST_ADORNMENT.match(lines[i + 1])
            if under and len(lines[i + 1].strip()) >= max(3, len(stripped) - 2):
                style = (under.group(1), over)
                if style not in rst_styles:
                    rst_styles.append(style)
                headings.append((i + 1, rst_styles.index(style) + 1, _clean_heading(stripped)))
                heading_lines.update({i + 1, i + 2} | ({i} if over else set()))
                i += 2
                continue
        if fmt == "rst" and stripped.endswith("::") and not stripped.startswith(".."):
            # A literal block: the indented lines after "::".
            j = i + 1
            while j < n and (not lines[j].strip() or lines[j].startswith((" ", "\t"))):
                if lines[j].strip():
                    code_lines.add(j + 1)
                j += 1
            i = j
            continue
        if fmt == "rst" and stripped.startswith((".. code", ".. sourcecode")):
            j = i + 1
            while j < n and (not lines[j].strip() or lines[j].startswith((" ", "\t"))):
                if lines[j].strip():
                    code_lines.add(j + 1)
                j += 1
            i = j
            continue
        if fmt == "txt" and stripped and not _BULLET.match(line):
            prev_blank = i == 0 or not lines[i - 1].strip()
            letters = re.sub(r"[^A-Za-z]", "", stripped)
            if (
                prev_blank
                and len(letters) >= 3
                and letters.isupper()
                and len(stripped) <= 60
                and not stripped.endswith((".", ",", ";"))
            ):
                headings.append((i + 1, 1, _clean_heading(stripped.rstrip(":"))))
                heading_lines.add(i + 1)
                i += 1
                continue
            title = _TXT_TITLE.match(stripped)
            if prev_blank and title and len(title.group(1).split()) <= 6:
                headings.append((i + 1, 2, _clean_heading(title.group(1))))
                heading_lines.add(i + 1)
                i += 1
                continue
        i += 1

    sections: list[_Section] = []
    first_line = headings[0][0] if headings else n + 1
    if any(lines[j].strip() for j in range(0, min(first_line - 1, n))):
        sections.append(_Section("", 0, 0))
    for line_no, level, text in headings:
        sections.append(_Section(text, level, line_no))
    # Section ends, body lines and inherited cues (a "Goals" heading covers its subsections).
    stack: list[_Section] = []
    for idx, sec in enumerate(sections):
        nxt = sections[idx + 1].heading_line if idx + 1 < len(sections) else n + 1
        sec.end_line = max(sec.heading_line, nxt - 1)
        # Trailing blank lines belong to nobody.
        while sec.end_line > max(sec.heading_line, 1) and not lines[sec.end_line - 1].strip():
            sec.end_line -= 1
        start = sec.heading_line + 1 if sec.heading_line else 1
        sec.body = [j for j in range(start, sec.end_line + 1) if j not in heading_lines]
        if sec.level:
            while stack and stack[-1].level >= sec.level:
                stack.pop()
            sec.cue = _section_cue(sec.heading) or next((s.cue for s in reversed(stack) if s.cue), None)
            stack.append(sec)
    return _Structure(sections, heading_lines, code_lines, example_lines)


_MARKUP_ONLY = re.compile(r"!\[[^\]]*\]\([^)]*\)|<[^>]+>|\[!\[.*?\]\(.*?\)\]\(.*?\)|https?://\S+")
_LIST_LINE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")


def _is_prose(paragraph: list[str]) -> bool:
    """A paragraph of sentences: not images, badges, HTML, bare links or a list."""
    if all(_LIST_LINE.match(line) for line in paragraph):
        return False
    words = re.findall(r"[A-Za-z][\w'-]*", _MARKUP_ONLY.sub(" ", " ".join(paragraph)))
    return len(words) >= 6


def _first_paragraph(lines: list[str], sec: _Section, code: set[int]) -> str:
    """The section's first prose paragraph (images, badges, HTML and lists are passed over)."""
    found = _prose_paragraphs(lines, sec, code, 1)
    return found[0] if found else ""


def _first_list(lines: list[str], sec: _Section, code: set[int]) -> str:
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


def _prose_paragraphs(lines: list[str], sec: _Section, code: set[int], limit: int = 3) -> list[str]:
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


def _cue_of(text: str, section_cue: str | None, is_bullet: bool) -> str | None:
    """The one cue of a bullet or sentence: strong heading cues, the text's own, then weak.

    Under a Goals / Non-goals / Users heading every bullet takes the heading's cue; a sentence
    there does too unless it is plainly a TODO or a question.
    """
    if is_bullet and section_cue in _STRONG_SECTION_CUES:
        return section_cue
    if _CUE_USER_STORY.search(text) or _CUE_USER_LINE.match(text):
        return "user"
    if _CUE_TODO.match(text):
        return "todo"
    bare = text.rstrip(" *_)`\"'")
    if bare.endswith("?") or _CUE_QUESTION_START.match(text) or (is_bullet and _QUESTION_MARK.search(text)):
        return "question"
    if section_cue in _STRONG_SECTION_CUES:
        # "The desk wants:" introduces the list below it; it is not a goal or user itself.
        return None if text.rstrip(" *_").endswith(":") else section_cue
    if _CUE_MUST.search(text):
        return "must"
    if _CUE_SHOULD.search(text):
        return "should"
    if _CUE_NEED.search(text):
        return "need"
    if _CUE_IDEA.match(text):
        return "idea"
    return section_cue if is_bullet else None


@dataclass(slots=True)
class _Block:
    """A bullet item or a paragraph: (line number, content) pieces."""

    pieces: list[tuple[int, str]]
    bullet: bool
    task: str | None = None  # " " open task, "x" done


def _blocks(lines: list[str], sec: _Section, st: _Structure) -> list[_Block]:
    """Bullets (with their continuation lines) and paragraphs of a section's body."""
    blocks: list[_Block] = []
    current: _Block | None = None
    bullet_indent = 0
    for j in sec.body:
        if j in st.code_lines or j in st.heading_lines:
            current = None
            continue
        raw = lines[j - 1]
        if not raw.strip() or (_TABLE_RULE.match(raw) and "-" in raw):
            current = None
            continue
        bm = _BULLET.match(raw)
        if raw.lstrip().startswith("|"):
            blocks.append(_Block([(j, raw.strip().strip("|").strip())], False))
            current = None
            continue
        if bm:
            content = raw[bm.end() :]
            task = _TASK.match(content)
            current = _Block([(j, content.rstrip())], True)
            if task:
                current.task = task.group("mark").lower()
                current.pieces = [(j, content[task.end() :].rstrip())]
            bullet_indent = len(bm.group("indent"))
            blocks.append(current)
            continue
        # A bullet goes on over the lines below it, indented or not (markdown's lazy
        # continuation), until a blank line or the next bullet; so does a paragraph. A line
        # that starts its own cue ("TODO: ...") begins a new paragraph unless it is indented
        # under a bullet.
        indent = len(raw) - len(raw.lstrip())
        if current is not None and (not _CUE_LINE_START.match(raw) or (current.bullet and indent > bullet_indent)):
            current.pieces.append((j, raw.strip()))
            continue
        current = _Block([(j, raw.strip())], False)
        blocks.append(current)
    return blocks


def _sentences(block: _Block) -> list[tuple[str, int, int, str]]:
    """Split a paragraph into sentences: (text, first line, last line, quote on first line)."""
    joined = ""
    offsets: list[tuple[int, int, str]] = []  # (start offset, line, content)
    for line_no, content in block.pieces:
        if joined:
            joined += " "
        offsets.append((len(joined), line_no, content))
        joined += content
    out: list[tuple[str, int, int, str]] = []
    start = 0
    bounds = [m.start() for m in _SENTENCE_END.finditer(joined)] + [len(joined)]
    for end in bounds:
        sentence = joined[start:end].strip()
        if sentence:
            first = max(k for k, (off, _, _) in enumerate(offsets) if off <= start)
            last = max(k for k, (off, _, _) in enumerate(offsets) if off < max(end, start + 1))
            off, _, content = offsets[first]
            quote = content[start - off : min(len(content), end - off)].strip()
            out.append((sentence, offsets[first][1], offsets[last][1], quote or content.strip()))
        start = end
    return out


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
        detail["row"] = {
            "label": m.row.label,
            "key": m.row.key,
            "rows": m.row.rows,
            "pick": m.row.pick,
            "also": [list(pair) for pair in m.row.also],
        }
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
    st = _structure(lines, fmt)
    facts: list[Fact] = []
    title = next((s.heading for s in st.sections if s.level == 1), None) or doc_title
    sections_out: list[tuple[str, int, int, int, str]] = []
    for sec in st.sections:
        body_text = "\n".join(lines[sec.heading_line - 1 if sec.heading_line else 0 : sec.end_line])
        if sec.level:
            paragraphs = _prose_paragraphs(lines, sec, st.code_lines)
            facts.append(
                Fact(
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
            )
        elif default_heading is not None and len(st.sections) == 1 and body_text.strip():
            facts.append(
                Fact(
                    kind=FactKind.NOTE_SECTION,
                    name=default_heading,
                    detail={
                        "heading": default_heading,
                        "level": 1,
                        "text": _first_paragraph(lines, sec, st.code_lines),
                        "doc_title": title,
                    },
                    source=SourceRef(path=path, span=_span(1, sec.end_line, cell)),
                )
            )
        sections_out.append((sec.heading, sec.level, max(1, sec.heading_line), sec.end_line, body_text))
        for block in _blocks(lines, sec, st):
            if block.bullet:
                joined = " ".join(c for _, c in block.pieces)
                if block.task == "x":
                    continue  # a done task is history, not a cue
                cue = "todo" if block.task == " " else _cue_of(joined, sec.cue, True)
                items = [(joined, block.pieces[0][0], block.pieces[-1][0], block.pieces[0][1])]
            else:
                cue = None
                items = _sentences(block)
            for sentence, first, last, quote in items:
                item_cue = cue if block.bullet else _cue_of(sentence, sec.cue, False)
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
    for m in find_metrics(text):
        if m.line in st.heading_lines or m.line in st.example_lines:
            continue
        facts.append(metric_fact(path, m, _span(m.line, m.line, cell)))
    return facts, sections_out, title


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
