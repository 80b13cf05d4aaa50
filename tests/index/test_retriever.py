"""The index as a langchain-core retriever."""

from __future__ import annotations

from pathlib import Path

from index_support import CountingEmbedder, counting_spec
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from specagent.index.retriever import RepoRetriever
from specagent.pipeline.indexing import index_repository, open_index


def test_retriever_returns_cited_documents(repo: Path) -> None:
    spec = counting_spec(CountingEmbedder())
    index_repository(repo, embedder=spec)
    with open_index(repo, embedder=spec) as index:
        retriever = RepoRetriever(index=index, k=3)
        assert isinstance(retriever, BaseRetriever)
        docs = retriever.invoke("which HTTP route scores a customer")
        assert 1 <= len(docs) <= 3 and all(isinstance(d, Document) for d in docs)
        top = docs[0]
        assert top.metadata["path"] == "app/serve.py"
        assert {"start_line", "end_line", "kind", "score", "score_kind", "id"} <= set(top.metadata)
        assert top.metadata["score_kind"] == "fused" and 0 < top.metadata["score"] <= 1
        lines = (repo / top.metadata["path"]).read_text().split("\n")
        cited = "\n".join(lines[top.metadata["start_line"] - 1 : top.metadata["end_line"]])
        assert top.page_content.strip() in cited

        narrowed = RepoRetriever(index=index, k=5, path_prefix="docs/").invoke("churn")
        assert narrowed and {d.metadata["path"] for d in narrowed} == {"docs/notes.md"}
