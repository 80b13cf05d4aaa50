"""The repository index: ChromaDB with an offline embedder, a BM25 side, hybrid retrieval.

Only this package imports ``chromadb``. Public API::

    from specagent.index import RepoIndex, minilm_spec, cap_chunks
    with RepoIndex(root, embedder=minilm_spec()) as index:
        with index.lock():
            index.update(files, cap_chunks(chunks, load_tokenizer().count))
        hits = index.search("where is the model trained", k=8)
"""

from specagent.index.chunking import CHUNK_TOKENS, cap_chunks
from specagent.index.embedder import Embedder, EmbedderSpec, MiniLMEmbedder, load_tokenizer, minilm_spec
from specagent.index.store import (
    IndexProgress,
    IndexStats,
    Manifest,
    RepoIndex,
    SearchHit,
    collection_name,
    default_index_dir,
)

__all__ = [
    "CHUNK_TOKENS",
    "Embedder",
    "EmbedderSpec",
    "IndexProgress",
    "IndexStats",
    "Manifest",
    "MiniLMEmbedder",
    "RepoIndex",
    "SearchHit",
    "cap_chunks",
    "collection_name",
    "default_index_dir",
    "load_tokenizer",
    "minilm_spec",
]
