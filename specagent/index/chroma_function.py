"""The default embedder as a Chroma embedding function, registered under its own name.

Kept apart from :mod:`specagent.index.embedder` so that commands which never open Chroma (a
no-op ``index`` run) do not pay for importing it.
"""

from __future__ import annotations

from typing import Any

from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

from specagent.index.embedder import load_minilm


@register_embedding_function
class MiniLMEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma's view of :class:`MiniLMEmbedder`, registered under its own name.

    A collection stores ``name()`` and ``get_config()``; when it is reopened Chroma rebuilds this
    class from them instead of falling back to its own default, which downloads a model.
    """

    def __init__(self, threads: int = 0) -> None:
        self.threads = threads

    def __call__(self, input: Documents) -> Embeddings:
        return list(load_minilm(self.threads).embed(list(input)))

    def embed_query(self, input: Documents) -> Embeddings:
        embedder = load_minilm(self.threads)
        return [embedder.embed_query(text) for text in input]

    @staticmethod
    def name() -> str:
        return "specagent-minilm-l6-v2-int8"

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine"]

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> MiniLMEmbeddingFunction:
        return MiniLMEmbeddingFunction(threads=int(config.get("threads", 0)))

    def get_config(self) -> dict[str, Any]:
        return {"threads": self.threads}
