"""Cap ingest's chunks at what the embedder sees: 256 tokens, longer units split with overlap.

Ingest cuts chunks by unit (function or class, notebook cell, markdown section, config file) with
exact spans. A unit longer than the model's window would be silently truncated at embedding
time, so it is split here into overlapping pieces, each with its own accurate line span.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from specagent.index.embedder import MAX_TOKENS
from specagent.ingest.models import Chunk, ChunkKind, Span, make_chunk_id

#: Tokens per embedded input: the model's window less [CLS] and [SEP]. The chunk's path header
#: (see :func:`embed_text`) comes out of this budget too.
CHUNK_TOKENS = MAX_TOKENS - 2
#: Content tokens a chunk keeps however long its path is.
MIN_CONTENT_TOKENS = 64
#: Tokens repeated between consecutive pieces of a split unit, so no statement loses its context.
OVERLAP_TOKENS = 32
#: Bumped when chunking, the embedded text or lexical tokens change: an index built by another
#: version is rebuilt.
CHUNKER_VERSION = "3"

CountTokens = Callable[[str], int]


def embed_text(chunk: Chunk) -> str:
    """What the embedder sees of a chunk: its path, then its text.

    The path names what a unit is about ("config/params.yaml", "app/routes.py") when the text
    alone does not; on the corpus eval it lifted dense recall@8 from 0.92 to 0.96.
    """
    return f"{chunk.path}\n{chunk.text}"


def content_limit(path: str, count: CountTokens, limit: int = CHUNK_TOKENS) -> int:
    """Tokens left for a chunk's text once its path header is counted."""
    return max(MIN_CONTENT_TOKENS, limit - count(f"{path}\n"))


def _separators(kind: ChunkKind) -> list[str]:
    from langchain_text_splitters import Language, RecursiveCharacterTextSplitter

    if kind in (ChunkKind.CODE, ChunkKind.CELL):
        return RecursiveCharacterTextSplitter.get_separators_for_language(Language.PYTHON)
    if kind == ChunkKind.SECTION:
        return RecursiveCharacterTextSplitter.get_separators_for_language(Language.MARKDOWN)
    return ["\n\n", "\n", " ", ""]


def _hard_split(text: str, count: CountTokens, limit: int) -> list[str]:
    """Split ``text`` into pieces of at most ``limit`` tokens by bisection on characters.

    Only reached for text the recursive splitter could not bring under the limit (token counts
    are not additive, so its merged pieces can overshoot by a token or two).
    """
    pieces: list[str] = []
    rest = text
    while rest and count(rest) > limit:
        lo, hi = 1, len(rest)
        while lo < hi:  # longest prefix within the limit
            mid = (lo + hi + 1) // 2
            if count(rest[:mid]) <= limit:
                lo = mid
            else:
                hi = mid - 1
        cut = rest.rfind("\n", 0, lo)
        cut = cut + 1 if cut > lo // 2 else lo  # prefer a line break when one is near
        pieces.append(rest[:cut])
        rest = rest[cut:]
    if rest.strip():
        pieces.append(rest)
    return pieces


def split_text(
    text: str,
    kind: ChunkKind,
    count: CountTokens,
    *,
    limit: int = CHUNK_TOKENS,
    overlap: int = OVERLAP_TOKENS,
) -> list[tuple[int, str]]:
    """Pieces of ``text`` of at most ``limit`` tokens, each with its start offset in ``text``."""
    # Imported here: only a run that has long units to split pays for langchain's import.
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(
        separators=_separators(kind),
        # A little headroom: the splitter adds token counts of parts, which undercounts joins.
        chunk_size=max(16, limit - 8),
        chunk_overlap=min(overlap, limit // 4),
        length_function=count,
        is_separator_regex=True,
        strip_whitespace=False,
    )
    pieces: list[tuple[int, str]] = []
    cursor = 0
    for piece in splitter.split_text(text):
        for part in _hard_split(piece, count, limit) if count(piece) > limit else [piece]:
            if not part.strip():
                continue
            # Pieces appear in order; overlap means the next one may start before the end of
            # the previous, never before its start.
            start = text.find(part, cursor)
            if start < 0:
                start = max(0, text.find(part))
            cursor = start + 1
            # Blank lines at either end would only widen the span a citation shows.
            trimmed = part.lstrip("\n")
            pieces.append((start + len(part) - len(trimmed), trimmed.rstrip()))
    return pieces


def _line_span(chunk: Chunk, text: str, start: int, piece: str) -> Span:
    first = chunk.span.start_line + text.count("\n", 0, start)
    body = piece.rstrip("\n")
    last = first + body.count("\n")
    # A cell chunk may carry an output summary after its source lines: clamp to the unit.
    end = min(max(first, last), chunk.span.end_line)
    first = min(first, end)
    return Span(start_line=first, end_line=end, cell=chunk.span.cell)


def cap_chunk(chunk: Chunk, count: CountTokens, *, limit: int = CHUNK_TOKENS) -> list[Chunk]:
    """``chunk`` itself when it fits in ``limit`` tokens, else its overlapping pieces."""
    if count(chunk.text) <= limit:
        return [chunk]
    out: list[Chunk] = []
    for start, piece in split_text(chunk.text, chunk.kind, count, limit=limit):
        span = _line_span(chunk, chunk.text, start, piece)
        out.append(chunk.model_copy(update={"id": make_chunk_id(chunk.path, span, piece), "span": span, "text": piece}))
    return out


def cap_chunks(
    chunks: Iterable[Chunk],
    count: CountTokens,
    *,
    limit: int = CHUNK_TOKENS,
    count_batch: Callable[[list[str]], list[int]] | None = None,
) -> list[Chunk]:
    """Every chunk capped so that its :func:`embed_text` fits ``limit`` tokens; empty ones and
    duplicates (same id) dropped, order kept.

    ``count_batch`` (optional) counts all chunks in one call, so only the few over the limit
    are counted again piece by piece.
    """
    items = [c for c in chunks if c.text.strip()]
    sizes = count_batch([c.text for c in items]) if count_batch else [count(c.text) for c in items]
    limits: dict[str, int] = {}
    seen: set[str] = set()
    out: list[Chunk] = []
    for chunk, size in zip(items, sizes, strict=True):
        if chunk.path not in limits:
            limits[chunk.path] = content_limit(chunk.path, count, limit)
        room = limits[chunk.path]
        pieces = [chunk] if size <= room else cap_chunk(chunk, count, limit=room)
        for piece in pieces:
            if piece.id not in seen:
                seen.add(piece.id)
                out.append(piece)
    return out
