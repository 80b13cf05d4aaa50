"""The offline embedder: integrity checks, vectors, batching, Chroma registration."""

from __future__ import annotations

import shutil
from pathlib import Path

import chromadb
import numpy as np
import pytest
from chromadb.config import Settings as ChromaSettings
from chromadb.utils.embedding_functions import known_embedding_functions

from specagent.errors import ModelIntegrityError
from specagent.index.chroma_function import MiniLMEmbeddingFunction
from specagent.index.embedder import (
    MAX_TOKENS,
    TOKENIZER_PATH,
    MiniLMEmbedder,
    Tokenizer,
    default_model_path,
    load_minilm,
)


@pytest.fixture(scope="module")
def embedder() -> MiniLMEmbedder:
    return load_minilm()


def test_tampered_tokenizer_is_refused_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "tokenizer.json"
    data = TOKENIZER_PATH.read_bytes()
    bad.write_bytes(data.replace(b'"[PAD]"', b'"[PAX]"', 1))
    with pytest.raises(ModelIntegrityError) as info:
        MiniLMEmbedder(tokenizer_path=bad)
    message = str(info.value)
    assert "\n" not in message
    assert "tokenizer" in message and "sha256" in message and str(bad) in message
    with pytest.raises(ModelIntegrityError):
        Tokenizer(bad)


def test_tampered_model_is_refused_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "model.onnx"
    shutil.copyfile(default_model_path(), bad)
    with bad.open("r+b") as handle:  # flip one byte in the middle of the weights
        handle.seek(bad.stat().st_size // 2)
        byte = handle.read(1)
        handle.seek(-1, 1)
        handle.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(ModelIntegrityError) as info:
        MiniLMEmbedder(model_path=bad)
    assert "\n" not in str(info.value) and "embedding model" in str(info.value)


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelIntegrityError, match="cannot be read"):
        MiniLMEmbedder(model_path=tmp_path / "absent.onnx")


def test_vectors_are_unit_length_and_meaningful(embedder: MiniLMEmbedder) -> None:
    texts = [
        "Train a gradient boosting model to predict customer churn.",
        "Fit a classifier that forecasts which customers will cancel.",
        "The office coffee machine is broken again.",
    ]
    vectors = embedder.embed(texts)
    assert vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similar = float(vectors[0] @ vectors[1])
    unrelated = float(vectors[0] @ vectors[2])
    assert similar > unrelated + 0.2


def test_batching_and_padding_do_not_change_vectors(embedder: MiniLMEmbedder) -> None:
    texts = ["short", "a somewhat longer sentence about loading data", "def f(x):\n    return x * 2\n" * 5]
    together = embedder.embed(texts)
    alone = np.stack([embedder.embed_query(t) for t in texts])
    np.testing.assert_allclose(together, alone, atol=1e-4)
    # Input order is kept even though batches are sorted by length.
    reversed_ = embedder.embed(texts[::-1])
    np.testing.assert_allclose(reversed_[::-1], together, atol=1e-5)


def test_long_inputs_are_truncated_at_256_not_128(embedder: MiniLMEmbedder) -> None:
    tokenizer = Tokenizer()
    words = [f"word{i}" for i in range(300)]
    mid = " ".join(words[:90])  # past the shipped file's 128-token cap, within 256
    assert 128 < tokenizer.count(mid) < MAX_TOKENS - 8
    long = " ".join(words)
    assert tokenizer.count(long) > MAX_TOKENS + 8
    a, b, c, d = embedder.embed([f"{mid} apple", f"{mid} zebra", f"{long} apple", f"{long} zebra"])
    # A word after token 128 still counts: nothing truncates at 128 any more.
    assert float(a @ b) < 0.9999
    # A word after token 256 does not: inputs are truncated there, never rejected.
    np.testing.assert_allclose(c, d, atol=1e-6)


def test_empty_input_gives_empty_matrix(embedder: MiniLMEmbedder) -> None:
    assert embedder.embed([]).shape == (0, 384)


def test_chroma_rebuilds_our_function_when_a_collection_is_reopened(tmp_path: Path) -> None:
    assert known_embedding_functions[MiniLMEmbeddingFunction.name()] is MiniLMEmbeddingFunction
    settings = ChromaSettings(anonymized_telemetry=False)
    client = chromadb.PersistentClient(path=str(tmp_path / "db"), settings=settings)
    client.create_collection(
        "reopen-test",
        embedding_function=MiniLMEmbeddingFunction(threads=1),
        configuration={"hnsw": {"space": "cosine"}},
    )
    client.close()
    again = chromadb.PersistentClient(path=str(tmp_path / "db"), settings=settings)
    collection = again.get_collection("reopen-test", embedding_function=None)
    config = collection.configuration_json["embedding_function"]
    assert config["name"] == MiniLMEmbeddingFunction.name()
    assert config["config"] == {"threads": 1}
    # Chroma's own path: documents without embeddings go through the rebuilt function, which
    # is ours (the default would try to download a model and fail offline).
    collection.add(ids=["a"], documents=["load the customer csv"])
    got = collection.get(ids=["a"], include=["embeddings"])
    assert len(got["embeddings"][0]) == 384
    again.close()


def test_function_round_trips_its_config() -> None:
    ef = MiniLMEmbeddingFunction(threads=2)
    rebuilt = MiniLMEmbeddingFunction.build_from_config(ef.get_config())
    assert rebuilt.threads == 2
    assert ef.default_space() == "cosine"
    assert not ef.is_legacy()
