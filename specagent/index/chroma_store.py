"""The dense side of the index: one Chroma collection, embedded (PersistentClient) or on a server.

``chromadb`` is imported where a client is made, not at module level: it takes about a second to
import, and a no-op index run, a lexical search or ``--help`` never need it.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from specagent.errors import IndexUnusableError
from specagent.index.embedder import EmbedderSpec
from specagent.index.hits import SearchHit
from specagent.ingest.models import Chunk


def collection_name(root: Path) -> str:
    """A Chroma collection name for ``root``: readable, and unique per absolute path.

    Chroma allows 3-512 characters of ``[a-zA-Z0-9._-]``, starting and ending alphanumeric.
    """
    resolved = root.resolve()
    slug = re.sub(r"[^a-zA-Z0-9._-]+", "-", resolved.name).strip("-._")[:48] or "repo"
    digest = hashlib.sha256(str(resolved).encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"specagent-{slug}-{digest}"


def _chroma_settings() -> Any:
    from chromadb.config import Settings as ChromaSettings

    # No telemetry: the tool runs offline and must not try to phone home.
    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


class ChromaStore:
    """A client and the collection of one repository; both opened on first use.

    ``check_embedder`` is called with the embedder a collection was built with, and raises when
    it is not the one in use.
    """

    def __init__(
        self,
        *,
        name: str,
        chroma_dir: Path,
        url: str | None,
        embedder: EmbedderSpec,
        metadata: dict[str, str],
        check_embedder: Callable[[str], None],
    ) -> None:
        self.name = name
        self.chroma_dir = chroma_dir
        self.url = url
        self.embedder = embedder
        self.metadata = metadata
        self.check_embedder = check_embedder
        self._client: Any = None
        self._collection: Any = None

    def close(self) -> None:
        """Release the client (and with it, SQLite's file handles)."""
        if self._client is not None:
            with contextlib.suppress(Exception):
                self._client.close()
        self._client = None
        self._collection = None

    def _connect(self) -> Any:
        import chromadb

        if self.url:
            parsed = urlparse(self.url if "://" in self.url else f"http://{self.url}")
            try:
                client = chromadb.HttpClient(
                    host=parsed.hostname or "localhost",
                    port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                    ssl=parsed.scheme == "https",
                    settings=_chroma_settings(),
                )
                client.heartbeat()
            except Exception as exc:
                raise IndexUnusableError(
                    f"cannot reach the Chroma server at {self.url}: {type(exc).__name__}: {exc}"
                ) from None
            return client
        self.chroma_dir.mkdir(parents=True, exist_ok=True)
        try:
            return chromadb.PersistentClient(path=str(self.chroma_dir), settings=_chroma_settings())
        except Exception:
            self._forget_system()
            raise

    def _forget_system(self) -> None:
        """Drop Chroma's cached System for our folder after it failed to start.

        Chroma caches one System per persist directory and keeps it even when ``start()``
        fails; every later client for the folder would then reuse the broken one.
        """
        from chromadb.api.shared_system_client import SharedSystemClient

        key = str(self.chroma_dir)
        system = SharedSystemClient._identifier_to_system.pop(key, None)
        SharedSystemClient._identifier_to_refcount.pop(key, None)
        if system is not None:
            with contextlib.suppress(Exception):
                system.stop()

    def open(self, *, create: bool) -> Any:
        """The collection; with ``create``, made when absent. Checks the embedder it was built with."""
        if self._collection is not None:
            return self._collection
        if self._client is None:
            self._client = self._connect()
        ef = self.embedder.chroma_function()
        if create:
            collection = self._client.get_or_create_collection(
                self.name,
                # Always pass ours: Chroma's default would download a model on first use.
                embedding_function=ef,
                configuration={"hnsw": {"space": "cosine"}},
                metadata=self.metadata,
            )
        else:
            collection = self._client.get_collection(self.name, embedding_function=ef)
        built_with = (collection.metadata or {}).get("specagent_embedder")
        if built_with:
            self.check_embedder(str(built_with))
        self._collection = collection
        return collection

    def drop(self) -> None:
        """Delete the collection (on a server, where the folder cannot simply be removed)."""
        if self._client is None:
            self._client = self._connect()
        with contextlib.suppress(Exception):  # absent is fine
            self._client.delete_collection(self.name)
        self._collection = None

    def stored_ids(self) -> set[str]:
        """Every chunk id the collection holds, read a page at a time."""
        collection = self.open(create=True)
        ids: set[str] = set()
        offset, page = 0, 5000
        while True:
            got = collection.get(include=[], limit=page, offset=offset)["ids"]
            ids.update(got)
            if len(got) < page:
                return ids
            offset += page

    def _batch_size(self) -> int:
        try:
            return max(1, min(1000, int(self._client.get_max_batch_size())))
        except Exception:
            return 500

    def delete(self, collection: Any, ids: set[str]) -> None:
        """Remove ``ids``, in batches the server accepts."""
        ordered = sorted(ids)
        step = self._batch_size()
        for start in range(0, len(ordered), step):
            collection.delete(ids=ordered[start : start + step])

    def upsert(self, collection: Any, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        """Store ``chunks`` with their ``vectors`` and the metadata a hit is made from."""
        step = self._batch_size()
        for start in range(0, len(chunks), step):
            part = chunks[start : start + step]
            collection.upsert(
                ids=[c.id for c in part],
                embeddings=vectors[start : start + step],
                documents=[c.text for c in part],
                metadatas=[_metadata(c) for c in part],
            )


def _metadata(chunk: Chunk) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "path": chunk.path,
        "start_line": chunk.span.start_line,
        "end_line": chunk.span.end_line,
        "kind": str(chunk.kind),
    }
    if chunk.span.cell is not None:
        meta["cell"] = chunk.span.cell
    if chunk.symbols:
        meta["symbols"] = " ".join(chunk.symbols)
    return meta


def query_hits(result: dict[str, Any]) -> list[tuple[SearchHit, float]]:
    """The hits of a Chroma query for one embedding, each with its cosine similarity."""
    out: list[tuple[SearchHit, float]] = []
    for cid, meta, doc, dist in zip(
        result["ids"][0],
        result["metadatas"][0],
        result["documents"][0],
        result["distances"][0],
        strict=True,
    ):
        meta = meta or {}
        hit = SearchHit(
            id=cid,
            path=str(meta.get("path", "")),
            start_line=int(meta.get("start_line", 1)),
            end_line=int(meta.get("end_line", 1)),
            cell=int(meta["cell"]) if meta.get("cell") is not None else None,
            kind=str(meta.get("kind", "")),
            score=0.0,
            text=doc or "",
        )
        out.append((hit, round(1.0 - float(dist), 6)))  # cosine similarity
    return out
