"""Hashes of cited lines, so a spec can tell when the code under a citation changed or moved.

A citation's ``hash`` is over the cited lines' *normalised* text: each line stripped, runs of
whitespace collapsed, blank lines dropped. Re-indenting a function, or adding blank lines inside
it, keeps its hash; changing a word does not. Moving the same lines elsewhere (in the file or to
another file) keeps the hash too, which is how drift and ``draft --update`` find where they went.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from specagent.spec.model import Citation, Spec
from specagent.spec.resolve import file_lines as _lines
from specagent.spec.resolve import notebook_cells as _cells

HASH_LENGTH = 16


def normalise(lines: list[str] | tuple[str, ...]) -> list[str]:
    """The lines a hash covers: stripped, inner whitespace collapsed, blank ones dropped."""
    return [squashed for line in lines if (squashed := " ".join(line.split()))]


def _digest(normalised: list[str]) -> str:
    text = "\n".join(normalised)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_LENGTH]


def hash_lines(lines: list[str] | tuple[str, ...]) -> str:
    """``<16 hex digits of sha256>/<n>``: the lines' normalised text and how many lines it has.

    The count lets a search for moved lines try windows of exactly that size.
    """
    normalised = normalise(lines)
    return f"{_digest(normalised)}/{len(normalised)}"


def hash_size(digest: str) -> int | None:
    """The normalised line count a hash records; None for a malformed hash."""
    _, _, size = digest.partition("/")
    return int(size) if size.isdigit() else None


def unit_lines(path: str, texts: Mapping[str, str], cell: int | None = None) -> tuple[str, ...] | None:
    """The lines citations count in: a file's, or a notebook cell's source; None when missing."""
    text = texts.get(path)
    if text is None:
        return None
    if cell is None:
        return _lines(text)
    cells = _cells(text)
    if cells is None or cell > len(cells):
        return None
    return tuple(cells[cell - 1][0].split("\n"))


def cited_lines(citation: Citation, texts: Mapping[str, str]) -> tuple[str, ...] | None:
    """The lines a citation points at; None when the file, cell or lines are gone."""
    lines = unit_lines(citation.path, texts, citation.cell)
    if lines is None or citation.end_line > len(lines):
        return None
    return lines[citation.start_line - 1 : citation.end_line]


def citation_hash(citation: Citation, texts: Mapping[str, str]) -> str | None:
    """The hash of the lines a citation points at now; None when they do not exist."""
    lines = cited_lines(citation, texts)
    return None if lines is None else hash_lines(lines)


def stamp_hashes(spec: Spec, texts: Mapping[str, str]) -> int:
    """Set every citation's ``hash`` from ``texts`` (in place); returns how many were set."""
    count = 0
    for citation in _all_citations(spec):
        digest = citation_hash(citation, texts)
        if digest is not None:
            citation.hash = digest
            count += 1
    return count


def _all_citations(spec: Spec) -> Iterator[Citation]:
    for _, citation in spec.iter_citations():
        yield citation


@dataclass(frozen=True)
class Place:
    """Where lines were found: a path, 1-based inclusive lines, and a notebook cell when in one."""

    path: str
    start_line: int
    end_line: int
    cell: int | None = None


def _windows(lines: tuple[str, ...], digest: str, size: int) -> Iterator[tuple[int, int]]:
    """(start, end), 1-based, of every run of ``size`` non-blank lines whose hash is ``digest``.

    A window starts and ends on a non-blank line, so blank lines around a moved block do not make
    two answers of one.
    """
    kept = [(i, squashed) for i, line in enumerate(lines) if (squashed := " ".join(line.split()))]
    want = digest.partition("/")[0]
    for first in range(0, len(kept) - size + 1):
        window = kept[first : first + size]
        if _digest([text for _, text in window]) == want:
            yield window[0][0] + 1, window[-1][0] + 1


def find_moved(citation: Citation, texts: Mapping[str, str], *, other_files: bool = True) -> Place | None:
    """Where the lines a citation hashed are now: its own file (or notebook) first, then others.

    Several copies in one file: the one nearest the old place wins. None when nowhere.
    """
    size = hash_size(citation.hash or "")
    if not size:
        return None
    candidates: list[tuple[str, int | None]] = [(citation.path, citation.cell)]
    if citation.cell is not None:
        text = texts.get(citation.path)
        cells = _cells(text) if text is not None else None
        candidates += [(citation.path, n) for n in range(1, len(cells or ()) + 1) if n != citation.cell]
    if other_files:
        candidates += [(path, None) for path in sorted(texts) if path != citation.path and not path.endswith(".ipynb")]
    for path, cell in candidates:
        lines = unit_lines(path, texts, cell)
        if not lines:
            continue
        best: tuple[int, int] | None = None
        for start, end in _windows(lines, citation.hash or "", size):
            if best is None or abs(start - citation.start_line) < abs(best[0] - citation.start_line):
                best = (start, end)
        if best is not None:
            return Place(path, best[0], best[1], cell)
    return None
