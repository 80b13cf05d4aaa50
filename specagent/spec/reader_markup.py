"""The markup of SPEC.md's items: citation links, tags, ``- label: value`` blocks and tables.

:mod:`specagent.spec.reader_items` reads items with these; the grammar is the one
:mod:`specagent.spec.markdown` writes.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from pydantic import ValidationError

from specagent.errors import SpecFileError
from specagent.spec.markdown import LOCK
from specagent.spec.model import Citation

__all__ = [
    "BULLET_RE",
    "HEADED_RE",
    "LINK_RE",
    "ItemBlock",
    "item_blocks",
    "or_none",
    "parse_citations",
    "parse_tags",
    "rows_by_header",
    "table_rows",
    "yes_no",
]

LINK_RE = re.compile(r'\[(?P<label>[^\]]*)\]\((?P<href>[^\s)]+)(?: "(?P<title>(?:[^"\\]|\\.)*)")?\)')
ANCHOR_RE = re.compile(r"^(?:cell-(?P<cell>\d+)-)?L(?P<start>\d+)(?:-L(?P<end>\d+))?$")
BULLET_RE = re.compile(r"^- \*\*(?P<id>[A-Z]+-\d+)\*\* \((?P<tags>[^)]*)\) ?(?P<text>.*)$")
HEADED_RE = re.compile(r"^### (?P<id>[A-Z]+-\d+) `(?P<name>.*)`\s*$")
FIELD_RE = re.compile(r"^(?P<indent> *)- (?P<label>[a-z][a-z _-]*):(?: (?P<value>.*))?$")


def parse_citations(text: str, root_rel: str) -> list[Citation]:
    """Citations from the Markdown links in ``text`` (links that are not citations are ignored)."""
    prefix = "" if root_rel in ("", ".") else root_rel.rstrip("/") + "/"
    out = []
    for match in LINK_RE.finditer(text):
        href = match["href"]
        path, _, anchor = href.partition("#")
        if prefix and not path.startswith(prefix):
            continue
        path = unquote(path[len(prefix) :])
        found = ANCHOR_RE.match(anchor)
        if not found:
            continue
        start = int(found["start"])
        title = match["title"]
        quote = re.sub(r"\\(.)", r"\1", title) if title is not None else None
        try:
            out.append(
                Citation(
                    path=path,
                    start_line=start,
                    end_line=int(found["end"] or start),
                    cell=int(found["cell"]) if found["cell"] else None,
                    quote=quote,
                )
            )
        except ValidationError as exc:
            raise SpecFileError(f"bad citation {href}: {exc.errors()[0]['msg']}") from None
    return out


def parse_tags(raw: str) -> tuple[list[str], str, bool]:
    """An item's tags: its other words, its provenance (observed unless it says) and whether it is locked."""
    words = [w.strip() for w in raw.split(",") if w.strip()]
    locked = LOCK in words
    words = [w for w in words if w != LOCK]
    provenance = words.pop() if words and words[-1] in {"observed", "inferred", "decision"} else "observed"
    return words, provenance, locked


def _split_cells(row: str) -> list[str]:
    """Cells of a table row; ``\\|`` is a pipe inside a cell (the only escape tables use)."""
    body = row.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return [cell.replace("\\|", "|").strip() for cell in re.split(r"(?<!\\)\|", body)]


def yes_no(value: str) -> bool | None:
    """A table's yes / no cell as a bool; None when it says neither."""
    return {"yes": True, "no": False}.get(value.strip().lower())


def or_none(value: str | None) -> str | None:
    """An optional field's value: an empty one is absent."""
    return value if value else None


class ItemBlock:
    """An item's lines: its head match and its ``- label: value`` fields and lists."""

    def __init__(self, head: re.Match[str]) -> None:
        self.head = head
        self.fields: dict[str, str] = {}
        self.lists: dict[str, list[str]] = {}
        self.tables: list[list[list[str]]] = []
        self._list: str | None = None

    def feed(self, line: str) -> None:
        """Take one line below the head: a table row, a field, or an entry of the list being read."""
        if line.startswith("|"):
            if not self.tables or self._list != "|":
                self.tables.append([])
                self._list = "|"
            if not re.match(r"^\|(\s*:?-+:?\s*\|)+\s*$", line):
                self.tables[-1].append(_split_cells(line))
            return
        field = FIELD_RE.match(line)
        if field and len(field["indent"]) <= 2:
            label = field["label"]
            if field["value"] is None:
                self._list = label
                self.lists[label] = []
            else:
                self.fields[label] = field["value"]
                self._list = None
            return
        stripped = line.strip()
        if self._list and self._list != "|" and stripped.startswith("- "):
            self.lists[self._list].append(stripped[2:])


def item_blocks(lines: list[str], head_re: re.Pattern[str]) -> list[ItemBlock]:
    """The items of a section's lines: each line ``head_re`` matches starts one."""
    blocks: list[ItemBlock] = []
    for line in lines:
        head = head_re.match(line)
        if head:
            blocks.append(ItemBlock(head))
        elif blocks and line.strip():
            blocks[-1].feed(line)
    return blocks


def rows_by_header(table: list[list[str]]) -> list[dict[str, str]]:
    """An item's table as rows keyed by the lower-case header."""
    if not table:
        return []
    header = [h.lower() for h in table[0]]
    return [dict(zip(header, row, strict=False)) for row in table[1:]]


def table_rows(lines: list[str]) -> list[dict[str, str]]:
    """The rows of a section that is one table, keyed by the lower-case header."""
    rows: list[list[str]] = []
    for line in lines:
        if line.startswith("|") and not re.match(r"^\|(\s*:?-+:?\s*\|)+\s*$", line):
            rows.append(_split_cells(line))
    if not rows:
        return []
    header = [h.lower() for h in rows[0]]
    return [dict(zip(header, row, strict=False)) for row in rows[1:]]
