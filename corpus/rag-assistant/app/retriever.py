"""Chroma-backed retrieval over the help-centre articles.

Articles are Markdown files; each is split at its ``##`` headings into chunks, embedded with
OpenAI embeddings and stored in one persistent Chroma collection.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import chromadb
from chromadb.utils import embedding_functions

CHROMA_PATH = os.getenv("CHROMA_PATH", "./.chroma")
COLLECTION_NAME = os.getenv("CHROMA_COLLECTION", "support_kb")
EMBED_MODEL = os.getenv("EMBED_MODEL", "text-embedding-3-small")
TOP_K = int(os.getenv("TOP_K", "5"))
CHUNK_SIZE = int(os.getenv("CHUNK_SIZE", "1200"))

_HEADING = re.compile(r"^## +(.+)$", re.MULTILINE)


@dataclass
class Hit:
    doc_id: str
    title: str
    text: str
    score: float


def chunk_markdown(text: str, source: str, max_chars: int = CHUNK_SIZE) -> list[dict]:
    """Split one article at its ``##`` headings; long sections are cut at ``max_chars``."""
    title_match = re.search(r"^# +(.+)$", text, re.MULTILINE)
    title = title_match.group(1).strip() if title_match else Path(source).stem
    positions = [m.start() for m in _HEADING.finditer(text)] or [0]
    if positions[0] != 0:
        positions.insert(0, 0)
    positions.append(len(text))
    chunks = []
    for start, end in zip(positions, positions[1:]):
        section = text[start:end].strip()
        if not section:
            continue
        heading = _HEADING.match(section)
        anchor = _slug(heading.group(1)) if heading else "intro"
        for i in range(0, len(section), max_chars):
            piece = section[i : i + max_chars]
            suffix = f"-{i // max_chars}" if len(section) > max_chars else ""
            chunks.append(
                {"id": f"{Path(source).stem}#{anchor}{suffix}", "title": title, "text": piece}
            )
    return chunks


def _slug(heading: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-")


class Retriever:
    """Thin wrapper around one Chroma collection."""

    def __init__(self, path: str = CHROMA_PATH, collection: str = COLLECTION_NAME) -> None:
        self.client = chromadb.PersistentClient(path=path)
        self.embedder = embedding_functions.OpenAIEmbeddingFunction(
            api_key=os.getenv("OPENAI_API_KEY"), model_name=EMBED_MODEL
        )
        self.collection_name = collection
        self.collection = self.client.get_or_create_collection(
            name=collection,
            embedding_function=self.embedder,
            metadata={"hnsw:space": "cosine"},
        )

    def ingest_dir(self, folder: str, reset: bool = False) -> tuple[int, int]:
        """Index every ``*.md`` file under ``folder``; returns (files, chunks)."""
        if reset:
            self.client.delete_collection(self.collection_name)
            self.collection = self.client.get_or_create_collection(
                name=self.collection_name,
                embedding_function=self.embedder,
                metadata={"hnsw:space": "cosine"},
            )
        files = sorted(Path(folder).glob("**/*.md"))
        total = 0
        for path in files:
            text = path.read_text(encoding="utf-8")
            chunks = chunk_markdown(text, source=path.name)
            self.collection.upsert(
                ids=[c["id"] for c in chunks],
                documents=[c["text"] for c in chunks],
                metadatas=[
                    {
                        "title": c["title"],
                        "path": str(path),
                        "sha1": hashlib.sha1(text.encode()).hexdigest(),
                    }
                    for c in chunks
                ],
            )
            total += len(chunks)
        # FIXME: chunks of articles that were deleted from docs/kb stay in the index forever
        return len(files), total

    def search(self, query: str, k: int = TOP_K) -> list[Hit]:
        """The ``k`` chunks closest to ``query`` (cosine), best first."""
        res = self.collection.query(query_texts=[query], n_results=k)
        hits = []
        for doc_id, doc, meta, dist in zip(
            res["ids"][0], res["documents"][0], res["metadatas"][0], res["distances"][0]
        ):
            hits.append(Hit(doc_id=doc_id, title=meta["title"], text=doc, score=1.0 - dist))
        return hits

    def count(self) -> int:
        return self.collection.count()
