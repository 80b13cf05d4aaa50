"""Read a table printed as aligned text: a pandas repr, ``to_string()``, an f-string report.

Layout only: which lines belong to the table and which characters form each column. What the
columns mean is for the caller (:mod:`specagent.ingest.metric_tables`).

Columns are found from character positions, not by splitting on spaces: a position that is
blank on the header and on every row separates two columns. So a header closed up to its
neighbour (``threshold error_rate`` over a narrow column), a label with a space in it
(``macro avg``) and a short value all land in the right column. Pandas right-aligns its
columns and left-aligns the index; a printed report aligns a header with its values' left or
right edge. A line that ends at neither edge of the header's last column is not a row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["TextTable", "read_text_table"]

_TOKEN = re.compile(r"\S+")
# Lines pandas prints under a frame or a series: they end it.
_FOOTER = re.compile(r"^\s*(?:\[\d+ rows x \d+ columns\]|\d+ rows × \d+ columns|Name: |dtype: |Length: )")
# Pandas' truncation row ("..     ...   ...") stands for hidden rows; it is skipped.
_ELLIPSIS_ROW = re.compile(r"^[\s.…]+$")


@dataclass(frozen=True, slots=True)
class TextTable:
    """An aligned table: cells by column, ``""`` where the header or a row has nothing."""

    header: list[str]
    index_name: str | None  # pandas prints a named index on its own line under the header
    rows: list[tuple[int, list[str]]]  # (0-based line number, cells)
    end: int  # the first line after the table


def _index_name(line: str, first_header_col: int) -> str | None:
    """Pandas' index-name line: one short label at the left, clear of every column header."""
    text = line.rstrip()
    if not text or text[0].isspace() or len(text) >= first_header_col or re.search(r"\s{2,}", text):
        return None
    return text.strip()


def _is_row(line: str, last_start: int, last_end: int) -> bool:
    """A row ends where the header's last column ends (right-aligned) or starts there
    (left-aligned); one position of slack covers a header typed by hand."""
    tokens = list(_TOKEN.finditer(line))
    if not tokens:
        return False
    return abs(tokens[-1].end() - last_end) <= 1 or abs(tokens[-1].start() - last_start) <= 1


def _segments(block: list[str]) -> list[tuple[int, int]]:
    """Runs of character positions that hold text on some line of ``block``."""
    width = max(len(line) for line in block)
    filled = [any(c < len(line) and not line[c].isspace() for line in block) for c in range(width)]
    out: list[tuple[int, int]] = []
    start = None
    for c, full in enumerate([*filled, False]):
        if full and start is None:
            start = c
        elif not full and start is not None:
            out.append((start, c))
            start = None
    return out


def _merge(segments: list[tuple[int, int]], header: str, rows: list[str]) -> list[tuple[int, int]]:
    """Join pieces of one column that a space split: header words with no value under them
    ("p95 latency (ms)" over values under "(ms)"), and pieces of a value with no header over
    them ("naive bayes"). The leading pieces with no header are the index, kept as one column.
    A piece joins the nearer neighbour; on a tie the right one, as pandas right-aligns."""
    segs = list(segments)

    def has_header(seg: tuple[int, int]) -> bool:
        return bool(header[seg[0] : seg[1]].strip())

    def has_data(seg: tuple[int, int]) -> bool:
        return any(row[seg[0] : seg[1]].strip() for row in rows)

    lead = 0
    while lead < len(segs) and not has_header(segs[lead]):
        lead += 1
    if 1 < lead < len(segs):
        segs = [(segs[0][0], segs[lead - 1][1]), *segs[lead:]]
    changed = True
    while changed and len(segs) > 1:
        changed = False
        for k, seg in enumerate(segs):
            if k == 0 and not has_header(seg):
                continue  # the index
            if has_header(seg) and has_data(seg):
                continue
            left = seg[0] - segs[k - 1][1] if k > 0 else None
            right = segs[k + 1][0] - seg[1] if k + 1 < len(segs) else None
            if right is not None and (left is None or right <= left):
                segs[k : k + 2] = [(seg[0], segs[k + 1][1])]
            elif left is not None:
                segs[k - 1 : k + 1] = [(segs[k - 1][0], seg[1])]
            else:
                continue
            changed = True
            break
    return segs


def read_text_table(lines: list[str], start: int, max_rows: int = 200) -> TextTable | None:
    """The aligned table whose header is ``lines[start]``, or None when no row lines up under it.

    Rows run to a blank line, a pandas footer (``[5 rows x 3 columns]``, ``Name: ...``) or a
    line that does not line up; at most ``max_rows`` are read.
    """
    header = lines[start].rstrip()
    tokens = list(_TOKEN.finditer(header))
    if not tokens or header.endswith("\\"):  # a wide frame pandas wrapped: not read
        return None
    last_start, last_end = tokens[-1].start(), tokens[-1].end()
    i = start + 1
    index_name = None
    name = _index_name(lines[i], tokens[0].start()) if i + 1 < len(lines) else None
    if name is not None and _is_row(lines[i + 1], last_start, last_end):
        index_name, i = name, i + 1
    row_lines: list[int] = []
    while i < len(lines) and len(row_lines) < max_rows:
        line = lines[i].rstrip()
        if not line.strip() or _FOOTER.match(line):
            break
        if _ELLIPSIS_ROW.match(line):
            i += 1
            continue
        if not _is_row(line, last_start, last_end):
            break
        row_lines.append(i)
        i += 1
    if not row_lines:
        return None
    rows = [lines[r].rstrip() for r in row_lines]
    segments = _merge(_segments([header, *rows]), header, rows)
    table_rows = [
        (r, [" ".join(text[s:e].split()) for s, e in segments]) for r, text in zip(row_lines, rows, strict=True)
    ]
    return TextTable(
        header=[" ".join(header[s:e].split()) for s, e in segments],
        index_name=index_name,
        rows=table_rows,
        end=i,
    )
