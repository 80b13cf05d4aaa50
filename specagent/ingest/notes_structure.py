"""The structure of a notes text: headings, code blocks, sections, and the blocks of a section's body.

Headings are markdown ``#`` and setext, rst underlines (also in .txt files), and loose ALL-CAPS
or ``Title:`` lines in .txt. Code blocks are fenced (markdown, txt) or rst literal blocks. A
section runs from its heading to the next; its body is cut into bullets (with their
continuation lines) and paragraphs, and a paragraph into sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from specagent.ingest.notes_cues import CUE_LINE_START, section_cue

__all__ = ["Block", "NoteStructure", "Section", "body_blocks", "read_structure", "sentences"]

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


@dataclass(slots=True)
class Section:
    """A heading and the lines up to the next one (the preamble before any heading has level 0)."""

    heading: str
    level: int
    heading_line: int  # 1-based; 0 for the preamble before any heading
    end_line: int = 0
    cue: str | None = None  # the section's own cue (from its heading or a parent's)
    body: list[int] = field(default_factory=list)  # 1-based line numbers of body lines


@dataclass(slots=True)
class NoteStructure:
    """What :func:`read_structure` finds: the sections, and which lines are headings or code."""

    sections: list[Section]
    heading_lines: set[int]  # lines that are a heading or its adornment
    code_lines: set[int]  # lines inside fenced / literal code blocks
    # lines of fenced blocks tagged as source code or data (```json, ```python, ...): examples,
    # not measurements; untagged and console blocks often hold a run's printed results
    example_lines: set[int] = field(default_factory=set)


def _clean_heading(text: str) -> str:
    text = text.strip().strip("*_`").strip()
    return re.sub(r"\s+", " ", text)


class _HeadingScanner:
    """One pass over the lines of a notes text: its headings (with levels) and code blocks.

    Each reader looks at the line with index ``i``; when the line starts what it reads, it
    records it and returns the index of the line after it, else None.
    """

    def __init__(self, lines: list[str], fmt: str) -> None:
        self.lines = lines
        self.fmt = fmt
        self.headings: list[tuple[int, int, str]] = []  # (line_no, level, text)
        self.heading_lines: set[int] = set()
        self.code_lines: set[int] = set()
        self.example_lines: set[int] = set()
        self._rst_styles: list[tuple[str, bool]] = []  # underline styles in order of first use: the levels

    def scan(self) -> None:
        """Read every line once, from after any front matter to the end."""
        i = self._front_matter_end()
        while i < len(self.lines):
            i = self._step(i)

    def _step(self, i: int) -> int:
        fence = _FENCE.match(self.lines[i])
        if fence and self.fmt != "rst":
            return self._fenced_block(i, fence.group(1))
        if self.fmt in {"md", "txt"} and (after := self._atx_heading(i)) is not None:
            return after
        if self.fmt == "md":
            after = self._setext_heading(i)
            return i + 1 if after is None else after
        # rst, and txt files written with rst-style underlines
        readers = [self._underlined_heading, self._literal_block if self.fmt == "rst" else self._txt_heading]
        for read in readers:
            if (after := read(i)) is not None:
                return after
        return i + 1

    def _add_heading(self, line_no: int, level: int, text: str, lines: set[int]) -> None:
        self.headings.append((line_no, level, _clean_heading(text)))
        self.heading_lines.update(lines)

    def _front_matter_end(self) -> int:
        """The index of the first line after YAML front matter, which is metadata, not text; 0 when none."""
        lines = self.lines
        if self.fmt == "md" and lines and lines[0].strip() == "---":
            for j in range(1, min(len(lines), 200)):
                if lines[j].strip() in {"---", "..."}:
                    self.heading_lines.update(range(1, j + 2))
                    return j + 1
        return 0

    def _fenced_block(self, i: int, fence: str) -> int:
        """A fenced block, through its closing fence (or the end of the text)."""
        info = self.lines[i].strip()[len(fence) :].strip().lower()
        example = info.split()[0] in _EXAMPLE_LANGUAGES if info else False
        self.code_lines.add(i + 1)
        j = i + 1
        while j < len(self.lines):
            self.code_lines.add(j + 1)
            if example:
                self.example_lines.add(j + 1)
            close = _FENCE.match(self.lines[j])
            j += 1
            if close and close.group(1)[0] == fence[0] and len(close.group(1)) >= len(fence):
                break
        return j

    def _atx_heading(self, i: int) -> int | None:
        line = self.lines[i]
        atx = _ATX.match(line)
        if not atx or _ATX_EMPTY.match(line):
            return None
        self._add_heading(i + 1, len(atx.group(1)), atx.group(2), {i + 1})
        return i + 1

    def _setext_heading(self, i: int) -> int | None:
        lines = self.lines
        line = lines[i]
        if not (
            line.strip()
            and i + 1 < len(lines)
            and _SETEXT.match(lines[i + 1])
            and not _BULLET.match(line)
            and not line.startswith(("    ", "\t", ">", "|"))
            and (i == 0 or not lines[i - 1].strip() or i in self.heading_lines)
        ):
            return None
        level = 1 if lines[i + 1].strip().startswith("=") else 2
        self._add_heading(i + 1, level, line, {i + 1, i + 2})
        return i + 2

    def _underlined_heading(self, i: int) -> int | None:
        """An rst heading: a line underlined (maybe also overlined) with a repeated character."""
        lines = self.lines
        line = lines[i]
        stripped = line.strip()
        if not stripped or _RST_ADORNMENT.match(line) or i + 1 >= len(lines):
            return None
        under = _RST_ADORNMENT.match(lines[i + 1])
        if not under or len(lines[i + 1].strip()) < max(3, len(stripped) - 2):
            return None
        over = i > 0 and bool(_RST_ADORNMENT.match(lines[i - 1])) and i not in self.heading_lines
        style = (under.group(1), over)
        if style not in self._rst_styles:
            self._rst_styles.append(style)
        self._add_heading(i + 1, self._rst_styles.index(style) + 1, stripped, {i + 1, i + 2} | ({i} if over else set()))
        return i + 2

    def _literal_block(self, i: int) -> int | None:
        """An rst literal block (the indented lines after "::") or code directive."""
        lines = self.lines
        stripped = lines[i].strip()
        literal = stripped.endswith("::") and not stripped.startswith("..")
        if not literal and not stripped.startswith((".. code", ".. sourcecode")):
            return None
        j = i + 1
        while j < len(lines) and (not lines[j].strip() or lines[j].startswith((" ", "\t"))):
            if lines[j].strip():
                self.code_lines.add(j + 1)
            j += 1
        return j

    def _txt_heading(self, i: int) -> int | None:
        """A loose heading of a .txt file after a blank line: an ALL-CAPS line or a short ``Title:``."""
        line = self.lines[i]
        stripped = line.strip()
        if not stripped or _BULLET.match(line) or not (i == 0 or not self.lines[i - 1].strip()):
            return None
        letters = re.sub(r"[^A-Za-z]", "", stripped)
        if len(letters) >= 3 and letters.isupper() and len(stripped) <= 60 and not stripped.endswith((".", ",", ";")):
            self._add_heading(i + 1, 1, stripped.rstrip(":"), {i + 1})
            return i + 1
        title = _TXT_TITLE.match(stripped)
        if title and len(title.group(1).split()) <= 6:
            self._add_heading(i + 1, 2, title.group(1), {i + 1})
            return i + 1
        return None


def read_structure(lines: list[str], fmt: str) -> NoteStructure:
    """Find headings (with levels) and code blocks, and the sections they make."""
    scanner = _HeadingScanner(lines, fmt)
    scanner.scan()
    sections = _sections(lines, scanner.headings, scanner.heading_lines)
    return NoteStructure(sections, scanner.heading_lines, scanner.code_lines, scanner.example_lines)


def _sections(lines: list[str], headings: list[tuple[int, int, str]], heading_lines: set[int]) -> list[Section]:
    """The sections the headings make, with their ends, body lines and cues."""
    n = len(lines)
    sections: list[Section] = []
    first_line = headings[0][0] if headings else n + 1
    if any(lines[j].strip() for j in range(0, min(first_line - 1, n))):
        sections.append(Section("", 0, 0))
    for line_no, level, text in headings:
        sections.append(Section(text, level, line_no))
    # Section ends, body lines and inherited cues (a "Goals" heading covers its subsections).
    stack: list[Section] = []
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
            sec.cue = section_cue(sec.heading) or next((s.cue for s in reversed(stack) if s.cue), None)
            stack.append(sec)
    return sections


@dataclass(slots=True)
class Block:
    """A bullet item or a paragraph: (line number, content) pieces."""

    pieces: list[tuple[int, str]]
    bullet: bool
    task: str | None = None  # " " open task, "x" done


def body_blocks(lines: list[str], sec: Section, st: NoteStructure) -> list[Block]:
    """Bullets (with their continuation lines) and paragraphs of a section's body."""
    blocks: list[Block] = []
    current: Block | None = None
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
            blocks.append(Block([(j, raw.strip().strip("|").strip())], False))
            current = None
            continue
        if bm:
            content = raw[bm.end() :]
            task = _TASK.match(content)
            current = Block([(j, content.rstrip())], True)
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
        if current is not None and (not CUE_LINE_START.match(raw) or (current.bullet and indent > bullet_indent)):
            current.pieces.append((j, raw.strip()))
            continue
        current = Block([(j, raw.strip())], False)
        blocks.append(current)
    return blocks


def sentences(block: Block) -> list[tuple[str, int, int, str]]:
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
