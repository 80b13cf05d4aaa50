"""Search hits: what a search returns, what its score means in each mode, and de-duplication."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel

from specagent.index.lexical import ChunkRecord

Mode = Literal["hybrid", "dense", "lexical"]

#: What ``SearchHit.score`` is in each mode (also in ``--json`` as ``score_kind``).
SCORE_KINDS: dict[str, str] = {
    "hybrid": "fused",
    "dense": "cosine",
    "lexical": "bm25_relative",
}
#: What a score means in each mode, for help texts.
SCORE_HELP = (
    "hybrid (score_kind fused): the sum of the embedding and BM25 scores, each scaled by the "
    "spread of the query's own candidates (mean - 3 standard deviations = 0, mean + 3 = 1), over "
    "the top hit's sum, so the top hit is 1. dense (cosine): cosine similarity of query and chunk, -1..1, in practice "
    "0..1. lexical (bm25_relative): BM25 score over the top hit's, so the top hit is 1. A "
    "score ranks the hits of one query; it is not comparable across queries or modes."
)


class SearchHit(BaseModel):
    """One search result, best first; what ``score`` is depends on the mode, named by
    ``score_kind`` (see :data:`SCORE_HELP`)."""

    id: str
    path: str
    start_line: int
    end_line: int
    cell: int | None = None
    kind: str
    score: float
    score_kind: str = ""
    text: str

    def public(self) -> dict[str, Any]:
        """The documented ``--json`` shape of a hit (``score_kind`` says what ``score`` is)."""
        return {
            "path": self.path,
            "start_line": self.start_line,
            "end_line": self.end_line,
            "kind": self.kind,
            "score": self.score,
            "score_kind": self.score_kind,
            "text": self.text,
        }

    def overlaps(self, other: SearchHit) -> bool:
        """Whether both hits cite some of the same lines (of one file, and one cell)."""
        return (
            self.path == other.path
            and self.cell == other.cell
            and self.start_line <= other.end_line
            and other.start_line <= self.end_line
        )


def hit_of(record: ChunkRecord, score: float, score_kind: str = "") -> SearchHit:
    """The hit a lexical record makes, with ``score``."""
    return SearchHit(
        id=record.id,
        path=record.path,
        start_line=record.start_line,
        end_line=record.end_line,
        cell=record.cell,
        kind=record.kind,
        score=score,
        score_kind=score_kind,
        text=record.text,
    )


def distinct(hits: Iterable[SearchHit], k: int) -> list[SearchHit]:
    """The first ``k`` hits that cite distinct places: a hit that overlaps a better one of the
    same file (the overlapping pieces of a split unit, say) is left out."""
    kept: list[SearchHit] = []
    for hit in hits:
        if len(kept) >= k:
            break
        if not any(hit.overlaps(other) for other in kept):
            kept.append(hit)
    return kept
