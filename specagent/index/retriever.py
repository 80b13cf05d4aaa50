"""The index as a langchain-core retriever, for the LLM drafter."""

from __future__ import annotations

from collections.abc import Sequence

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from specagent.index.store import Mode, RepoIndex, SearchHit


def hit_document(hit: SearchHit) -> Document:
    """A search hit as a Document: the chunk text, with its citation in the metadata (and its
    score, which ``score_kind`` explains: see :data:`specagent.index.store.SCORE_HELP`)."""
    metadata: dict[str, object] = {
        "id": hit.id,
        "path": hit.path,
        "start_line": hit.start_line,
        "end_line": hit.end_line,
        "kind": hit.kind,
        "score": hit.score,
        "score_kind": hit.score_kind,
    }
    if hit.cell is not None:
        metadata["cell"] = hit.cell
    return Document(page_content=hit.text, metadata=metadata, id=hit.id)


class RepoRetriever(BaseRetriever):
    """Hybrid (dense + BM25, fused by score distribution) retrieval over a :class:`RepoIndex`."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    index: RepoIndex
    k: int = 8
    mode: Mode = "hybrid"
    kinds: Sequence[str] | None = None
    path_prefix: str | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        hits = self.index.search(query, k=self.k, mode=self.mode, kinds=self.kinds, path_prefix=self.path_prefix)
        return [hit_document(hit) for hit in hits]
