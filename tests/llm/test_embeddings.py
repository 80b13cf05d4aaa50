"""``--embedder openai:<model>``: the real langchain-openai client against a local OpenAI-protocol server."""

from __future__ import annotations

from pathlib import Path

import pytest
from openai_server import DIM, ScriptedOpenAI

from specagent.config import load_settings
from specagent.errors import IndexUnusableError, UsageError
from specagent.llm.embeddings import make_embeddings


def test_missing_key_is_one_line_that_says_how_to_fix_it(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="set OPENAI_API_KEY") as info:
        make_embeddings("text-embedding-3-small", load_settings(tmp_path))
    assert "\n" not in str(info.value)


def test_embeddings_go_to_the_configured_endpoint(server: ScriptedOpenAI, tmp_path: Path) -> None:
    embeddings = make_embeddings("text-embedding-3-small", load_settings(tmp_path))
    vectors = embeddings.embed_documents(["load the customer export", "score each row"])
    assert len(vectors) == 2 and all(len(v) == DIM for v in vectors)
    assert len(embeddings.embed_query("customer export")) == DIM
    sent = [r for r in server.requests if r["path"].endswith("/embeddings")]
    assert sent and sent[0]["body"]["model"] == "text-embedding-3-small"
    assert sent[0]["auth"] == f"Bearer {server.require_key}"


def test_index_and_search_with_the_openai_embedder(server: ScriptedOpenAI, tmp_path: Path) -> None:
    from specagent.pipeline.indexing import index_repository, search_repository

    root = tmp_path / "proto"
    root.mkdir()
    (root / "features.py").write_text('def load_customers(path):\n    """Read the customer export."""\n')
    (root / "notes.md").write_text("# Scoring\n\nEach row gets a churn score every week.\n")
    settings = load_settings(root, embedder="openai:text-embedding-3-small")
    report = index_repository(root, settings=settings)
    assert report.embedder == "openai:text-embedding-3-small" and report.stats.chunks_embedded > 0
    hits = search_repository(root, "customer export", settings=settings, k=2)
    assert hits and hits[0].path == "features.py"
    embedded = [r for r in server.requests if r["path"].endswith("/embeddings")]
    assert embedded, "the index must have embedded through the server"
    # The index remembers its embedder: the default one may not write into it.
    with pytest.raises(IndexUnusableError, match="--rebuild"):
        index_repository(root, settings=load_settings(root))
