"""Helpers for the index tests: small real repositories and a counting real embedder."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from specagent.index.chroma_function import MiniLMEmbeddingFunction
from specagent.index.embedder import EmbedderSpec, load_minilm
from specagent.index.store import RepoIndex

REPO = Path(__file__).resolve().parents[2]
CHROMA = Path(sys.executable).with_name("chroma")

FILES: dict[str, str] = {
    "app/train.py": '''"""Train the churn classifier."""

import os

MAX_RETRIES = int(os.getenv("MAX_RETRIES", "3"))


def load_dataset(path: str) -> list[dict]:
    """Read customer rows from a CSV file."""
    with open(path) as handle:
        return [dict(line=row) for row in handle]


def train_model(rows: list[dict]) -> float:
    """Fit gradient boosting and return validation accuracy."""
    return 0.83
''',
    "app/serve.py": '''"""Serve predictions over HTTP."""

from fastapi import FastAPI

app = FastAPI()


@app.post("/predict")
def predict(payload: dict) -> dict:
    """Score one customer and return the churn probability."""
    return {"churn_probability": 0.5}


def healthCheckHandler() -> str:
    return "ok"
''',
    "docs/notes.md": """# Churn prototype

## Goals

The model must flag customers likely to cancel their subscription next month.

## Open questions

Should we retrain weekly or monthly? Latency of scoring should stay under 50 ms.
""",
    "config/settings.yaml": """database_url: postgres://localhost/churn
batch_size: 64
learning_rate: 0.1
""",
}


def write_repo(root: Path, files: dict[str, str] | None = None) -> Path:
    """A small prototype on disk."""
    for rel, text in (files or FILES).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


class CountingEmbedder:
    """The real MiniLM embedder, counting what it is asked to embed; can fail on demand."""

    def __init__(self, fail_after: int | None = None) -> None:
        self._inner = load_minilm()
        self.name = self._inner.name
        self.dim = self._inner.dim
        self.embedded: list[str] = []
        self.fail_after = fail_after

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if self.fail_after is not None and len(self.embedded) + len(texts) > self.fail_after:
            raise RuntimeError("simulated crash while embedding")
        self.embedded.extend(texts)
        return self._inner.embed(texts)

    def embed_query(self, text: str) -> np.ndarray:
        return self._inner.embed_query(text)


def counting_spec(embedder: CountingEmbedder) -> EmbedderSpec:
    return EmbedderSpec(name=embedder.name, load=lambda: embedder, chroma_function=MiniLMEmbeddingFunction)


def make_index(root: Path, url: str | None, embedder: CountingEmbedder, index_dir: Path | None = None) -> RepoIndex:
    return RepoIndex(root, embedder=counting_spec(embedder), url=url, index_dir=index_dir)
