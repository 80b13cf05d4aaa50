"""Embeddings from an OpenAI-compatible endpoint, for ``--embedder openai:<model>``."""

from __future__ import annotations

from langchain_core.embeddings import Embeddings
from langchain_openai import OpenAIEmbeddings

from specagent.config import Settings
from specagent.llm.provider import provider_from


def make_embeddings(model: str, settings: Settings) -> Embeddings:
    """A langchain ``Embeddings`` for ``model`` on the configured endpoint.

    Token counting is left to the server: langchain's client-side length check would fetch
    tiktoken's vocabulary from the internet, which an offline machine cannot do.
    """
    provider = provider_from(settings, f"the embedder openai:{model}")
    return OpenAIEmbeddings(
        model=model,
        openai_api_key=provider.api_key,
        openai_api_base=provider.base_url,
        request_timeout=provider.timeout_s,
        max_retries=provider.max_retries,
        check_embedding_ctx_length=False,
        tiktoken_enabled=False,
    )
