"""Search quality on a small real index: exact identifiers first, no body-less chunks, scores
that mean something, and hits that cite distinct places."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

import numpy as np
import pytest
from index_support import CountingEmbedder, counting_spec, write_repo

from specagent.index.fusion import dbsf, rrf
from specagent.index.store import RepoIndex, SearchHit
from specagent.pipeline.indexing import index_repository, open_index

LONG_BODY = "\n".join(
    f"    refund_amount_{i} = apply_refund_policy(order, step={i})  # adjust the refund for rule {i}" for i in range(40)
)

FILES = {
    "app/retriever.py": '''"""Retrieval over the help-centre articles, stored in one Chroma collection."""

import os
import re

CHROMA_PATH = os.getenv("CHROMA_PATH", "./.chroma")
TOP_K = int(os.getenv("TOP_K", "5"))
CHUNK_SIZE = int(os.getenv("CHUNK_SIZE", "1200"))


def split_article(text: str) -> list[str]:
    """Split one article at its headings; long sections are cut at CHUNK_SIZE characters."""
    parts = re.split(r"^## ", text, flags=re.MULTILINE)
    return [p[i : i + CHUNK_SIZE] for p in parts for i in range(0, len(p), CHUNK_SIZE)]
''',
    "app/main.py": '''"""HTTP API of the support assistant."""

from pydantic import BaseModel


class IngestResponse(BaseModel):
    files: int
    chunks: int
    collection_size: int


class AskRequest(BaseModel):
    question: str
    top_k: int = 5
''',
    ".env.example": "OPENAI_MODEL=gpt-4o-mini\nEMBED_MODEL=text-embedding-3-small\nTOP_K=5\nCHUNK_SIZE=1200\n",
    "docs/kb/refunds.md": """# Refunds

## Eligibility

Most items can be returned within 30 days of delivery for a full refund. Items must be unused
and in their original packaging. Digital products and gift cards cannot be refunded.

## Timing

Once the warehouse receives the return, refunds are issued within 2 business days. The money
reaches the original payment method 5-10 business days later, depending on the bank.
""",
    "app/refunds.py": f'''"""Refund rules."""


def compute_refund(order):
    """Apply every refund rule to an order, one after the other."""
{LONG_BODY}
    return refund_amount_0
''',
}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RepoIndex]:
    root = write_repo(tmp_path_factory.mktemp("quality") / "proto", FILES)
    spec = counting_spec(CountingEmbedder())
    index_repository(root, embedder=spec)
    with open_index(root, embedder=spec) as opened:
        yield opened


def lines_of(index: RepoIndex, hit: SearchHit) -> str:
    text = (index.root / hit.path).read_text(encoding="utf-8").split("\n")
    return "\n".join(text[hit.start_line - 1 : hit.end_line])


def test_an_exact_identifier_ranks_the_chunks_that_hold_it_first(index: RepoIndex) -> None:
    holders = {"app/retriever.py", ".env.example"}
    for mode in ("hybrid", "lexical"):
        hits = index.search("CHUNK_SIZE", k=3, mode=mode)  # type: ignore[arg-type]
        assert len(hits) == 3
        assert all("CHUNK_SIZE" in h.text for h in hits), (mode, [(h.path, h.start_line) for h in hits])
        assert {h.path for h in hits} == holders
    # Natural words still find it first.
    assert "CHUNK_SIZE" in index.search("chunk size", k=3)[0].text


def test_a_heading_without_body_is_not_a_hit_of_its_own(index: RepoIndex) -> None:
    hits = index.search("how are refunds handled", k=8)
    assert all(h.text.strip() != "# Refunds" for h in hits)
    first = next(h for h in hits if h.path == "docs/kb/refunds.md" and h.start_line == 1)
    assert first.end_line > 1 and "## Eligibility" in first.text
    for hit in hits:  # spans stay exact
        assert hit.text == lines_of(index, hit)


def test_scores_are_normalised_per_mode(index: RepoIndex) -> None:
    query = "how long do refunds take"
    hybrid = index.search(query, k=5)
    assert {h.score_kind for h in hybrid} == {"fused"}
    assert all(0 < h.score <= 1 for h in hybrid)
    assert [h.score for h in hybrid] == sorted((h.score for h in hybrid), reverse=True)
    assert hybrid[0].score == 1.0  # relative to the top hit
    rrf = index.search(query, k=5, fusion="rrf")
    assert rrf[0].score > 0.9 and {h.path for h in rrf} & {h.path for h in hybrid}  # near the top of both

    lexical = index.search(query, k=5, mode="lexical")
    assert lexical[0].score == 1.0 and all(0 < h.score <= 1 for h in lexical)
    assert {h.score_kind for h in lexical} == {"bm25_relative"}

    dense = index.search(query, k=3, mode="dense")
    assert {h.score_kind for h in dense} == {"cosine"}
    embedder = index.embedder
    q = np.asarray(embedder.embed_query(query))
    for hit in dense:
        v = np.asarray(embedder.embed([f"{hit.path}\n{hit.text}"])[0])
        assert hit.score == pytest.approx(float(q @ v / np.linalg.norm(q) / np.linalg.norm(v)), abs=2e-3)


def test_fusion_is_one_for_first_in_every_ranking() -> None:
    fused = rrf([(["a", "b", "c"], 1.0), (["a", "c"], 1.0)], k=60)
    assert fused["a"] == pytest.approx(1.0)
    assert fused["b"] == pytest.approx((1 / 62) / (2 / 61))
    assert fused["c"] == pytest.approx((1 / 63 + 1 / 62) / (2 / 61))
    assert rrf([(["x"], 1.0), ([], 1.0)])["x"] == pytest.approx(0.5)  # first in one of two
    assert rrf([(["x", "y"], 2.0), (["y", "x"], 1.0)])["x"] > 0.5


def test_score_fusion_keeps_a_standout_ahead_where_rank_fusion_ties() -> None:
    # Dense barely prefers b; BM25 puts a far above everything (an exact identifier, say).
    dense = [("b", 0.52), ("a", 0.51), ("c", 0.30), ("d", 0.29), ("e", 0.28)]
    lexical = [("a", 9.0), ("b", 1.1), ("c", 1.0), ("d", 0.9), ("e", 0.8)]
    ranks = [([cid for cid, _ in dense], 1.0), ([cid for cid, _ in lexical], 1.0)]
    assert rrf(ranks)["a"] == pytest.approx(rrf(ranks)["b"])  # ranks alone cannot tell them apart
    fused = dbsf([(dense, 1.0), (lexical, 1.0)])
    assert fused["a"] == 1.0 and fused["b"] < fused["a"]
    assert all(0 <= score <= 1 for score in fused.values())


def test_score_fusion_edge_cases() -> None:
    assert dbsf([([("x", 3.0)], 1.0), ([], 1.0)]) == {"x": 1.0}  # a lone hit is the best its side found
    tied = dbsf([([("x", 0.5), ("y", 0.5)], 1.0)])
    assert tied == {"x": 1.0, "y": 1.0}
    one_side = dbsf([([("x", 0.9), ("y", 0.1)], 1.0), ([("y", 5.0), ("z", 1.0)], 1.0)])
    assert one_side["y"] == 1.0 and one_side["x"] < 1.0 and one_side["z"] < 1.0
    assert dbsf([]) == {} and dbsf([([], 1.0)]) == {}


def test_overlapping_hits_of_a_file_are_shown_once(index: RepoIndex) -> None:
    lexical = index.lexical()
    assert lexical is not None
    pieces = [r for r in lexical.records if r.path == "app/refunds.py"]
    # The long function is split into overlapping pieces that all match the query.
    assert any(a.end_line >= b.start_line for a, b in combinations(sorted(pieces, key=lambda r: r.start_line), 2))
    for mode in ("hybrid", "dense", "lexical"):
        hits = index.search("refund_amount apply_refund_policy", k=len(pieces) + 2, mode=mode)  # type: ignore[arg-type]
        assert not any(a.overlaps(b) for a, b in combinations(hits, 2)), mode
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    # k distinct places when there are k: more hits of other files fill the list.
    assert len(index.search("refund", k=4)) == 4
