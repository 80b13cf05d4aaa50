"""The repository index: a Chroma collection (dense), a BM25 side (lexical) and a manifest.

Layout of the index folder (``<root>/.specagent/index`` unless told otherwise)::

    chroma/          Chroma's PersistentClient data (absent when a Chroma server is used)
    lexical/         bm25s matrices and the chunk records search hits are made from
    manifest.json    embedder, collection, and per file: sha256, size, mtime, chunk ids
    index.lock       held while an index run writes

Re-indexing is incremental. Files are compared by (size, mtime) with the last complete run, so
only new or changed files are read again (:meth:`RepoIndex.plan`); a chunk id is its path, span
and content hash, so an id already in the store is never embedded again, and files whose hash and
chunk ids are unchanged are not touched at all. The manifest is rewritten after every window of
files whose vectors are stored, so a crash loses at most that window; a run that did not finish
leaves ``complete: false``, and the next run reconciles the manifest with what the store holds.

:class:`RepoIndex` ties the parts together; each lives in its own module: the manifest
(:mod:`~specagent.index.manifest`), the write lock (:mod:`~specagent.index.lock`), the Chroma
collection (:mod:`~specagent.index.chroma_store`), the steps of an update
(:mod:`~specagent.index.update`), hits (:mod:`~specagent.index.hits`) and score fusion
(:mod:`~specagent.index.fusion`). Their public names are importable from here as before.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from specagent.errors import IndexUnusableError
from specagent.events import EventSink, Warned, null_sink
from specagent.index.chroma_store import ChromaStore, collection_name, query_hits
from specagent.index.chunking import CHUNKER_VERSION
from specagent.index.embedder import Embedder, EmbedderSpec
from specagent.index.fusion import DENSE_WEIGHT, FUSION_DEPTH, LEXICAL_WEIGHT, Fusion, dbsf, rrf
from specagent.index.hits import SCORE_HELP, SCORE_KINDS, Mode, SearchHit, distinct, hit_of
from specagent.index.lexical import ChunkRecord, LexicalIndex
from specagent.index.lock import LOCK_TIMEOUT_S, ignore_in_git, write_lock
from specagent.index.manifest import (
    MANIFEST_FORMAT,
    FileEntry,
    Manifest,
    Plan,
    file_stamp,
    manifest_summary,
    read_manifest,
    write_manifest,
)
from specagent.index.update import WINDOW_CHUNKS, IndexProgress, IndexStats, IndexWrite, find_changes
from specagent.ingest.models import Chunk, SourceFile

__all__ = [
    "LOCK_TIMEOUT_S",
    "MANIFEST_FORMAT",
    "SCORE_HELP",
    "SCORE_KINDS",
    "WINDOW_CHUNKS",
    "FileEntry",
    "Fusion",
    "IndexProgress",
    "IndexStats",
    "Manifest",
    "Mode",
    "Plan",
    "RepoIndex",
    "SearchHit",
    "collection_name",
    "default_index_dir",
    "distinct",
    "file_stamp",
    "manifest_summary",
]


def default_index_dir(root: Path) -> Path:
    """``<root>/.specagent/index``."""
    return root / ".specagent" / "index"


class RepoIndex:
    """The index of one repository. Use as a context manager, or call :meth:`close`.

    The embedder is loaded only when something must be embedded, so a no-op run never
    loads (or verifies) the model.
    """

    def __init__(
        self,
        root: Path,
        *,
        embedder: EmbedderSpec,
        index_dir: Path | None = None,
        url: str | None = None,
        on_event: EventSink = null_sink,
    ) -> None:
        self.root = Path(root).resolve()
        self.index_dir = Path(index_dir) if index_dir else default_index_dir(self.root)
        self.url = url
        self.spec = embedder
        self.embedder_name = embedder.name
        self._embedder: Embedder | None = None
        self.on_event = on_event
        self.collection_name = collection_name(self.root)
        self._chroma = ChromaStore(
            name=self.collection_name,
            chroma_dir=self.chroma_dir,
            url=url,
            embedder=embedder,
            metadata={"specagent_embedder": self.embedder_name, "specagent_root": str(self.root)},
            check_embedder=self._check_embedder,
        )
        self._lexical: LexicalIndex | None = None
        self.window_chunks = WINDOW_CHUNKS

    # -- paths and files ---------------------------------------------------------------------

    @property
    def chroma_dir(self) -> Path:
        return self.index_dir / "chroma"

    @property
    def manifest_path(self) -> Path:
        return self.index_dir / "manifest.json"

    @property
    def lexical_dir(self) -> Path:
        return self.index_dir / "lexical"

    @property
    def lock_path(self) -> Path:
        return self.index_dir / "index.lock"

    @property
    def where(self) -> str:
        """Where the vectors live, for messages."""
        return self.url or str(self.index_dir)

    def __enter__(self) -> RepoIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the Chroma client (and with it, SQLite's file handles)."""
        self._chroma.close()

    @property
    def embedder(self) -> Embedder:
        """The embedder, loaded on first use."""
        if self._embedder is None:
            self._embedder = self.spec.load()
        return self._embedder

    @contextlib.contextmanager
    def lock(self, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
        """Hold the index's write lock; a second writer waits ``timeout`` seconds, then fails."""
        self.index_dir.mkdir(parents=True, exist_ok=True)
        ignore_in_git(self.index_dir.parent if self.index_dir == default_index_dir(self.root) else self.index_dir)
        with write_lock(self.index_dir, self.lock_path, timeout):
            yield

    # -- manifest ----------------------------------------------------------------------------

    def read_manifest(self) -> Manifest | None:
        """The manifest, ``None`` when there is none; raises ``ValueError`` when unreadable."""
        return read_manifest(self.manifest_path)

    def _write_manifest(self, manifest: Manifest) -> None:
        write_manifest(self.manifest_path, manifest)

    def _check_embedder(self, built_with: str) -> None:
        if built_with != self.embedder_name:
            raise IndexUnusableError(
                f"the index at {self.where} was built with embedder {built_with!r}, not "
                f"{self.embedder_name!r}; run `specagent index {self.root} --rebuild`"
            )

    # -- chroma ------------------------------------------------------------------------------

    def collection(self) -> Any:
        """The Chroma collection (for inspection; writes go through :meth:`update`)."""
        return self._chroma.open(create=False)

    def _wipe(self) -> None:
        """Remove everything this index holds (the lock file stays: another process may wait)."""
        if self.url:
            self._chroma.drop()
        else:
            self.close()
            shutil.rmtree(self.chroma_dir, ignore_errors=True)
        shutil.rmtree(self.lexical_dir, ignore_errors=True)
        self.manifest_path.unlink(missing_ok=True)

    # -- writing -----------------------------------------------------------------------------

    def plan(self, walked: dict[str, tuple[int, int]]) -> Plan | None:
        """Which walked files an incremental run must read, by their (size, mtime) stamps.

        ``None`` when only a full run can be trusted: no manifest, a run that did not finish,
        a damaged lexical side, or a store that disagrees with the manifest. Call under
        :meth:`lock`; raises :class:`IndexUnusableError` for an index of another embedder.
        """
        try:
            manifest = self.read_manifest()
        except ValueError:
            return None
        if manifest is None or not manifest.complete:
            return None
        self._check_embedder(manifest.embedder)
        if manifest.chunker != CHUNKER_VERSION:
            return None
        changed = sorted(p for p, stamp in walked.items() if manifest.walked.get(p) != stamp)
        removed = sorted(p for p in manifest.files if p not in walked)
        if not changed and not removed:
            return Plan(changed=[], removed=[]) if self.lexical_dir.is_dir() else None
        if self._load_lexical() is None:
            return None
        try:
            if self._chroma.open(create=True).count() != len(manifest.chunk_ids()):
                return None
        except IndexUnusableError:
            raise
        except Exception:
            return None  # the full run reports and repairs it
        return Plan(changed=changed, removed=removed)

    def update(
        self,
        files: Sequence[SourceFile],
        chunks: Sequence[Chunk],
        *,
        stamps: dict[str, tuple[int, int]] | None = None,
        rebuild: bool = False,
        scope: Collection[str] | None = None,
    ) -> IndexStats:
        """Bring the index in line with ``files`` and their (already capped) ``chunks``.

        Call under :meth:`lock`. ``stamps`` are the (size, mtime_ns) of every walked file. With
        ``scope`` None, ``files`` are the whole repository; otherwise they are what was read of
        the paths in ``scope`` (from :meth:`plan`), and files outside it keep what the index
        holds. Only chunks the store does not hold are embedded; chunks of files that are gone
        are removed.
        """
        started = time.perf_counter()
        stats = IndexStats()
        stamps = dict(stamps or {})
        self.index_dir.mkdir(parents=True, exist_ok=True)
        manifest = self._manifest_to_build_on(rebuild, stats)
        collection, stored_count, manifest = self._collection_to_write(manifest, stats)
        trusted = manifest is not None and manifest.complete
        if manifest is None:
            manifest = Manifest(embedder=self.embedder_name, chunker=CHUNKER_VERSION, collection=self.collection_name)
        manifest.collection = self.collection_name
        if trusted and stored_count != len(manifest.chunk_ids()):
            trusted = False  # the store and the manifest disagree: reconcile below
        base = self._load_lexical() if scope is not None and trusted else None
        if scope is not None and base is None:
            raise ValueError("an incremental update needs a complete index; run a full one")
        stored = manifest.chunk_ids() if trusted else self._chroma.stored_ids()

        changes = find_changes(manifest, files, chunks, stamps, scope, trusted)
        stats.files_changed = len(changes.changed)
        stats.files_removed = len(changes.removed)
        manifest.walked = stamps
        if not changes.changed and not changes.removed and trusted and self.lexical_dir.is_dir():
            self._write_manifest(manifest)
            stats.noop = True
            stats.files = len(manifest.files)
            stats.chunks = len(manifest.chunk_ids())
            stats.seconds = time.perf_counter() - started
            return stats

        run = IndexWrite(
            manifest=manifest,
            changes=changes,
            store=self._chroma,
            collection=collection,
            stored=stored,
            stats=stats,
            save_manifest=self._write_manifest,
            embed=lambda texts: self.embedder.embed(texts),  # loads the model only when needed
            on_event=self.on_event,
            window_chunks=self.window_chunks,
        )
        run.remove_gone(trusted)
        run.embed_changed()
        self._lexical = run.finish(chunks, base, scope, self.lexical_dir, started)
        return stats

    def _manifest_to_build_on(self, rebuild: bool, stats: IndexStats) -> Manifest | None:
        """The manifest a run may build on; ``None`` (after wiping the index) when there is none
        to trust: a rebuild was asked for, or it is unreadable or from another chunker."""
        manifest: Manifest | None = None
        if rebuild:
            self._wipe()
            stats.rebuilt = True
        else:
            try:
                manifest = self.read_manifest()
            except ValueError as exc:
                self.on_event(Warned(f"{exc}; rebuilding the index", str(self.manifest_path)))
                self._wipe()
                stats.rebuilt = True
        if manifest is not None:
            self._check_embedder(manifest.embedder)
            if manifest.chunker != CHUNKER_VERSION:
                # Same chunk ids, different vectors: nothing stored can be reused.
                self.on_event(
                    Warned(
                        f"the index was built by another version of specagent's chunker "
                        f"({manifest.chunker or 'unknown'}); rebuilding it",
                        str(self.manifest_path),
                    )
                )
                self._wipe()
                stats.rebuilt = True
                manifest = None
        return manifest

    def _collection_to_write(self, manifest: Manifest | None, stats: IndexStats) -> tuple[Any, int, Manifest | None]:
        """(collection, chunks it holds, manifest): an unreadable embedded store is wiped and made
        again (so the manifest is dropped too); a failing server is an error."""
        try:
            collection = self._chroma.open(create=True)
            return collection, collection.count(), manifest
        except IndexUnusableError:
            raise
        except (Exception, sqlite3.Error) as exc:
            if self.url:
                raise IndexUnusableError(
                    f"the Chroma server at {self.url} failed: {type(exc).__name__}: {exc}"
                ) from None
            self.on_event(
                Warned(
                    f"the index at {self.chroma_dir} is unreadable ({type(exc).__name__}); rebuilding it",
                    str(self.chroma_dir),
                )
            )
            self._wipe()
            stats.rebuilt = True
            collection = self._chroma.open(create=True)
            return collection, collection.count(), None

    # -- reading -----------------------------------------------------------------------------

    def _require_index(self) -> Manifest:
        try:
            manifest = self.read_manifest()
        except ValueError:
            raise IndexUnusableError(
                f"the index at {self.index_dir} is unreadable; run `specagent index {self.root} --rebuild`"
            ) from None
        if manifest is None:
            raise IndexUnusableError(f"no index at {self.index_dir}; run `specagent index {self.root}` first")
        self._check_embedder(manifest.embedder)
        return manifest

    def _load_lexical(self) -> LexicalIndex | None:
        if self._lexical is None:
            try:
                self._lexical = LexicalIndex.load(self.lexical_dir)
            except (OSError, ValueError, KeyError):
                return None
        return self._lexical

    def lexical(self) -> LexicalIndex | None:
        """The BM25 side, or ``None`` (with a warning) when it is missing or damaged."""
        lexical = self._load_lexical()
        if lexical is None:
            self.on_event(
                Warned(
                    "the lexical index is missing or unreadable; dense ranking only until the next `specagent index`",
                    str(self.lexical_dir),
                )
            )
        return lexical

    def search(
        self,
        query: str,
        *,
        k: int = 8,
        mode: Mode = "hybrid",
        kinds: Sequence[str] | None = None,
        path_prefix: str | None = None,
        fusion: Fusion = "dbsf",
    ) -> list[SearchHit]:
        """The ``k`` best chunks for ``query``, best first, filtered by kind and path prefix.

        Hits cite distinct places: of two overlapping chunks of a file only the better one is
        returned. ``score`` is normalised per mode (:data:`SCORE_HELP`); ``fusion`` picks how the
        hybrid mode combines its rankings (:data:`Fusion`).
        """
        self._require_index()
        if k <= 0 or not query.strip():
            return []
        lexical = self.lexical() if mode != "dense" else None
        # Extra candidates make up for the overlapping ones :func:`distinct` leaves out.
        depth = max(2 * k, FUSION_DEPTH) if mode == "hybrid" else 2 * k + 4
        kind_set = {str(x) for x in kinds} if kinds else None
        prefix = path_prefix.strip().lstrip("./") if path_prefix else None

        def allowed(path: str, kind: str) -> bool:
            return (kind_set is None or kind in kind_set) and (prefix is None or path.startswith(prefix))

        dense: list[tuple[SearchHit, float]] = []
        if mode != "lexical":
            dense = self._dense(query, depth, kind_set, prefix, lexical, allowed)
        sparse: list[tuple[ChunkRecord, float]] = []
        if mode != "dense" and lexical is not None:
            mask = None
            if kind_set is not None or prefix is not None:
                mask = np.array([allowed(r.path, r.kind) for r in lexical.records], dtype=bool)
            sparse = lexical.search(query, depth, mask=mask)

        kind_name = SCORE_KINDS[mode]
        if mode == "dense":
            return distinct((hit.model_copy(update={"score": s, "score_kind": kind_name}) for hit, s in dense), k)
        if mode == "lexical":
            top = sparse[0][1] if sparse else 1.0
            return distinct((hit_of(r, round(s / top, 6), kind_name) for r, s in sparse), k)
        hits: dict[str, SearchHit] = {hit.id: hit for hit, _ in dense}
        for record, _ in sparse:
            hits.setdefault(record.id, hit_of(record, 0.0, kind_name))
        scored: list[tuple[list[tuple[str, float]], float]] = [([(h.id, s) for h, s in dense], DENSE_WEIGHT)]
        if lexical is not None:  # a missing BM25 side lowers no score: it is not in the best either
            scored.append(([(r.id, s) for r, s in sparse], LEXICAL_WEIGHT))
        if fusion == "rrf":
            fused = rrf([([cid for cid, _ in ranking], weight) for ranking, weight in scored])
        else:
            fused = dbsf(scored)
        ranked = sorted(fused, key=lambda cid: (-fused[cid], cid))
        return distinct(
            (hits[cid].model_copy(update={"score": round(fused[cid], 6), "score_kind": kind_name}) for cid in ranked),
            k,
        )

    def _dense(
        self,
        query: str,
        depth: int,
        kind_set: set[str] | None,
        prefix: str | None,
        lexical: LexicalIndex | None,
        allowed: Callable[[str, str], bool],
    ) -> list[tuple[SearchHit, float]]:
        try:
            collection = self._chroma.open(create=False)
            total = collection.count()
        except IndexUnusableError:
            raise
        except Exception as exc:
            raise IndexUnusableError(
                f"the index at {self.where} is unreadable ({type(exc).__name__}); run "
                f"`specagent index {self.root} --rebuild`"
            ) from None
        if total == 0:
            return []
        where: dict[str, Any] | None = None
        if kind_set is not None:
            where = {"kind": {"$in": sorted(kind_set)}}
        ids: list[str] | None = None
        # Chroma has no prefix operator on metadata: restrict by the ids the lexical records
        # say are under the prefix, or filter afterwards when those are missing.
        if prefix is not None and lexical is not None:
            ids = [r.id for r in lexical.records if allowed(r.path, r.kind)]
            if not ids:
                return []
        n = min(depth if prefix is None or ids is not None else total, total)
        vector = self.embedder.embed_query(query)
        result = collection.query(
            query_embeddings=[vector],
            n_results=n,
            where=where,
            ids=ids,
            include=["metadatas", "documents", "distances"],
        )
        # Filtered here as well: without the lexical side, the prefix is only known afterwards.
        return [(hit, score) for hit, score in query_hits(result) if allowed(hit.path, hit.kind)][:depth]
