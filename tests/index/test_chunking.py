"""Chunks are capped at the embedder's window, split with overlap, with exact line spans."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from specagent.index.chunking import CHUNK_TOKENS, cap_chunk, cap_chunks, embed_text, is_thin, merge_thin
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


# -- thin chunks are merged into their neighbours -----------------------------------------------

REFUNDS = """# Refunds

## Eligibility

Most items can be returned within 30 days of delivery for a full refund. Items must be unused
and in their original packaging.

## Timing

Refunds are issued within 2 business days of the return reaching the warehouse.
The money reaches the original payment method 5-10 business days later.
"""


def section_chunks(path: str, text: str) -> list[Chunk]:
    """One chunk per markdown heading, trimmed of blank edge lines, as ingest cuts notes."""
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if line.startswith("#")] + [len(lines)]
    chunks = []
    for lo, hi in itertools.pairwise(starts):
        while hi > lo and not lines[hi - 1].strip():
            hi -= 1
        body = "\n".join(lines[lo:hi])
        span = Span(start_line=lo + 1, end_line=hi)
        chunks.append(
            Chunk(
                id=make_chunk_id(path, span, body),
                path=path,
                span=span,
                kind=ChunkKind.SECTION,
                text=body,
                symbols=[lines[lo].lstrip("# ")],
            )
        )
    return chunks


def cited(text: str, chunk: Chunk) -> str:
    return "\n".join(text.split("\n")[chunk.span.start_line - 1 : chunk.span.end_line])


def test_a_heading_without_body_joins_the_next_chunk_with_an_exact_span() -> None:
    raw = section_chunks("docs/refunds.md", REFUNDS)
    assert [c.span.start_line for c in raw] == [1, 3, 8] and is_thin(raw[0])
    out = cap_chunks(raw, COUNT, texts={"docs/refunds.md": REFUNDS})
    assert [(c.span.start_line, c.span.end_line) for c in out] == [(1, 6), (8, 11)]
    for chunk in out:
        assert chunk.text == cited(REFUNDS, chunk)  # the text is exactly the cited lines
        assert chunk.id == make_chunk_id(chunk.path, chunk.span, chunk.text)
    assert out[0].symbols == ["Refunds", "Eligibility"]


def test_headings_in_a_row_all_join_the_body_that_follows() -> None:
    text = "# Guide\n\n## Refunds\n\n### Timing\n\nRefunds take two days.\nThey go to the card.\nAsk support.\n"
    out = merge_thin(section_chunks("g.md", text), COUNT, texts={"g.md": text})
    assert len(out) == 1 and (out[0].span.start_line, out[0].span.end_line) == (1, 9)
    assert out[0].text == cited(text, out[0])


def test_without_the_file_text_only_touching_chunks_join() -> None:
    raw = section_chunks("docs/refunds.md", REFUNDS)
    # Line 2 (between the heading and the next section) is unknown without the text.
    assert [c.span.start_line for c in merge_thin(raw, COUNT)] == [1, 3, 8]
    decorator = make_chunk('@app.post("/ask")', start=10)
    body = make_chunk("def ask(q):\n    '''Answer.'''\n    return q\n", start=11)
    (joined,) = merge_thin([decorator, body], COUNT)
    assert (joined.span.start_line, joined.span.end_line) == (10, 14)
    assert joined.text.startswith('@app.post("/ask")\ndef ask(q):')


def test_thin_chunks_stay_when_joining_would_be_wrong() -> None:
    text = "x = 1\n# a comment the parser dropped\ndef f():\n    a = 1\n    return a\n"
    lines = text.split("\n")
    thin = make_chunk(lines[0], start=1)
    after_comment = make_chunk("\n".join(lines[2:5]), start=3)
    # Something other than blank lines lies between them.
    assert len(merge_thin([thin, after_comment], COUNT, texts={"pkg/mod.py": text})) == 2
    # Too big together: the cap wins.
    big = cap_chunk(make_chunk(long_function(), start=2), COUNT)[0]
    assert len(merge_thin([make_chunk("X = 1", start=1), big], COUNT, limit=COUNT(big.text) + 2)) == 2
    # Other kinds, other files and notebook cells are never joined.
    other_kind = make_chunk("a: 1\nb: 2\nc: 3", start=2, kind=ChunkKind.CONFIG)
    assert len(merge_thin([make_chunk("X = 1"), other_kind], COUNT)) == 2
    cell_a = make_chunk("import os", start=1, kind=ChunkKind.CELL, cell=2)
    cell_b = make_chunk("a = 1\nb = 2\nc = 3", start=2, kind=ChunkKind.CELL, cell=2)
    assert len(merge_thin([cell_a, cell_b], COUNT)) == 2


def test_a_thin_last_chunk_joins_the_one_before() -> None:
    text = "def main():\n    run()\n    return 0\n\n\nmain()\n"
    first = make_chunk("def main():\n    run()\n    return 0", start=1)
    last = make_chunk("main()", start=6)
    (joined,) = merge_thin([first, last], COUNT, texts={"pkg/mod.py": text})
    assert (joined.span.start_line, joined.span.end_line) == (1, 6)
    assert joined.text == cited(text, joined)


def test_pieces_of_a_split_unit_keep_only_the_symbols_they_hold() -> None:
    consts = "\n".join(f"SETTING_{i} = int(os.getenv('SETTING_{i}', '{i}'))  # knob {i}" for i in range(40))
    module = make_chunk(consts + "\nLAST_ONE = 1\n")
    module = module.model_copy(update={"symbols": [f"SETTING_{i}" for i in range(40)] + ["LAST_ONE"]})
    pieces = cap_chunk(module, COUNT)
    assert len(pieces) > 1
    for piece in pieces:
        assert piece.symbols and all(s in piece.text for s in piece.symbols)
    # A def's pieces all keep the def's name: they are all part of it.
    func = make_chunk(long_function()).model_copy(update={"symbols": ["big_function"]})
    assert {tuple(p.symbols) for p in cap_chunk(func, COUNT)} == {("big_function",)}
