"""Chunks are capped at the embedder's window, split with overlap, with exact line spans."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from specagent.index.chunking import CHUNK_TOKENS, cap_chunk, cap_chunks, embed_text
from specagent.index.embedder import load_tokenizer
from specagent.ingest.models import Chunk, ChunkKind, Span, make_chunk_id

COUNT = load_tokenizer().count


def make_chunk(text: str, *, start: int = 1, kind: ChunkKind = ChunkKind.CODE, cell: int | None = None) -> Chunk:
    span = Span(start_line=start, end_line=start + text.count("\n"), cell=cell)
    return Chunk(id=make_chunk_id("pkg/mod.py", span, text), path="pkg/mod.py", span=span, kind=kind, text=text)


def long_function(n: int = 60) -> str:
    body = "\n".join(f"    total_{i} = compute_value({i}, factor={i * 3})  # step {i}" for i in range(n))
    return f"def big_function(data):\n    '''Sum many values.'''\n{body}\n    return total_0\n"


def assert_spans_exact(parent: Chunk, pieces: list[Chunk]) -> None:
    lines = parent.text.split("\n")
    for piece in pieces:
        first = piece.span.start_line - parent.span.start_line
        last = piece.span.end_line - parent.span.start_line
        window = "\n".join(lines[first : last + 1])
        assert piece.text in window, (piece.span, piece.text[:60])
        # Tight: the first and last lines of the span hold text of the piece.
        assert piece.text.split("\n")[0].strip() in lines[first]
        assert piece.text.split("\n")[-1].strip() in lines[last]


def test_short_chunk_is_kept_as_is() -> None:
    chunk = make_chunk("def f():\n    return 1\n")
    assert cap_chunk(chunk, COUNT) == [chunk]


def test_long_unit_is_split_under_the_cap_with_exact_spans_and_overlap() -> None:
    text = long_function()
    chunk = make_chunk(text, start=40)
    assert COUNT(text) > CHUNK_TOKENS
    pieces = cap_chunk(chunk, COUNT)
    assert len(pieces) >= 3
    assert all(COUNT(p.text) <= CHUNK_TOKENS for p in pieces)
    assert_spans_exact(chunk, pieces)
    # Every line of the unit lands in some piece, and consecutive pieces overlap.
    for line in text.splitlines():
        if line.strip():
            assert any(line.strip() in p.text for p in pieces), line
    assert any(a.span.end_line >= b.span.start_line for a, b in itertools.pairwise(pieces))
    assert pieces[0].span.start_line == 40
    assert pieces[-1].span.end_line <= chunk.span.end_line
    # Ids are stable and distinct.
    assert len({p.id for p in pieces}) == len(pieces)
    assert [p.id for p in cap_chunk(chunk, COUNT)] == [p.id for p in pieces]


def test_notebook_cell_pieces_keep_their_cell() -> None:
    chunk = make_chunk(long_function(), start=1, kind=ChunkKind.CELL, cell=7)
    pieces = cap_chunk(chunk, COUNT)
    assert len(pieces) > 1 and {p.span.cell for p in pieces} == {7}


def test_one_enormous_line_is_split_inside_the_line() -> None:
    line = "values = [" + ", ".join(str(i * 7919) for i in range(600)) + "]"
    chunk = make_chunk(f"# header\n{line}\n", start=10, kind=ChunkKind.DATA)
    pieces = cap_chunk(chunk, COUNT)
    assert len(pieces) > 2
    assert all(COUNT(p.text) <= CHUNK_TOKENS for p in pieces)
    assert all(10 <= p.span.start_line <= p.span.end_line <= 11 for p in pieces)


def test_cap_chunks_drops_empty_and_duplicate_chunks() -> None:
    a = make_chunk("x = 1\n")
    blank = make_chunk("   \n\n")
    big = make_chunk(long_function(), start=100)
    out = cap_chunks([a, blank, a, big], COUNT, count_batch=load_tokenizer().count_batch)
    assert out[0] == a
    assert blank not in out
    assert len([c for c in out if c.id == a.id]) == 1
    # What the model sees, path header included, fits its window.
    assert all(COUNT(embed_text(c)) <= CHUNK_TOKENS for c in out)
    # The batch count path and the one-by-one path agree.
    assert [c.id for c in cap_chunks([a, blank, a, big], COUNT)] == [c.id for c in out]


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from("abc xyz_().:=\t0123456789"), min_size=0, max_size=120),
        min_size=1,
        max_size=80,
    ),
    st.integers(min_value=1, max_value=500),
)
def test_any_text_is_capped_with_spans_inside_the_unit(lines: list[str], start: int) -> None:
    text = "\n".join(lines)
    if not text.strip():
        return
    chunk = make_chunk(text, start=start, kind=ChunkKind.TEXT)
    pieces = cap_chunk(chunk, COUNT)
    for piece in pieces:
        assert COUNT(piece.text) <= CHUNK_TOKENS
        assert chunk.span.start_line <= piece.span.start_line <= piece.span.end_line <= chunk.span.end_line
    assert_spans_exact(chunk, pieces)
