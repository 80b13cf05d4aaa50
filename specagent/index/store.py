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
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import shutil
import sqlite3
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

import numpy as np
from pydantic import BaseModel, Field, ValidationError

from specagent.errors import IndexUnusableError
from specagent.events import EventSink, StageFinished, StageProgress, StageStarted, Warned, null_sink
from specagent.fileio import atomic_write_text
from specagent.index.chunking import CHUNKER_VERSION, embed_text
from specagent.index.embedder import Embedder, EmbedderSpec
from specagent.index.lexical import ChunkRecord, LexicalIndex
from specagent.ingest.models import Chunk, SourceFile

MANIFEST_FORMAT = 1
#: Chunks embedded between two manifest writes: what a crash can cost at most.
WINDOW_CHUNKS = 128
#: Candidates each ranking contributes before fusion.
FUSION_DEPTH = 50
#: Reciprocal rank fusion constant (Cormack et al.): damps the weight of the very top ranks.
RRF_K = 60
#: Weight of each ranking in the fusion. Equal: neither side is trusted more on every query.
DENSE_WEIGHT = 1.0
LEXICAL_WEIGHT = 1.0
#: Standard deviations either side of the mean that :func:`_dbsf` maps onto 0..1.
DBSF_SPREAD = 3.0
#: How hybrid search fuses its two rankings: ``dbsf`` (the default) adds scores scaled by each
#: query's own score distribution; ``rrf`` adds reciprocal ranks and ignores how far apart the
#: scores are. On the corpus eval (``evals/retrieval.py``) dbsf ranks the source file first for
#: 78% of the gold facts, rrf for 68%, BM25 alone for 75%: a BM25 hit that stands far above the
#: rest (an exact identifier) keeps its lead under dbsf, while rrf averages it away.
Fusion = Literal["dbsf", "rrf"]
#: What ``SearchHit.score`` is in each mode (also in ``--json`` as ``score_kind``).
SCORE_KINDS: dict[str, str] = {
    "hybrid": "fused",
    "dense": "cosine",
    "lexical": "bm25_relative",
}
#: What a score means in each mode, for help texts.
SCORE_HELP = (
    "hybrid (score_kind fused): the sum of the embedding and BM25 scores, each scaled by the "
    "spread of the query's own candidates (mean - 3 standard deviations = 0, mean + 3 = 1), over "
    "the top hit's sum, so the top hit is 1. dense (cosine): cosine similarity of query and chunk, -1..1, in practice "
    "0..1. lexical (bm25_relative): BM25 score over the top hit's, so the top hit is 1. A "
    "score ranks the hits of one query; it is not comparable across queries or modes."
)
#: Seconds a second writer waits for the lock before giving up.
LOCK_TIMEOUT_S = 600.0

Mode = Literal["hybrid", "dense", "lexical"]


@dataclass(frozen=True, slots=True)
class IndexProgress(StageProgress):
    """Progress of an index run: ``done``/``total`` count chunks; files are counted too."""

    files_done: int = 0
    files_total: int = 0


class Plan(BaseModel):
    """What an incremental run must read: files new or changed by stamp, and files gone."""

    changed: list[str]
    removed: list[str]


class FileEntry(BaseModel):
    """What the index holds for one file."""

    sha256: str
    size: int = -1
    mtime_ns: int = -1
    chunks: list[str] = Field(default_factory=list)


class Manifest(BaseModel):
    """The index's own record of what it holds and how it was built."""

    format: int = MANIFEST_FORMAT
    embedder: str
    #: How chunks were cut and what of them was embedded; another version means re-embedding.
    chunker: str = ""
    collection: str
    complete: bool = False  # False while a run is writing (or after one crashed)
    files: dict[str, FileEntry] = Field(default_factory=dict)
    #: (size, mtime_ns) of every file the walker offered at the last complete run, read or
    #: skipped: when the walk finds exactly these again, the run is a no-op without reading.
    walked: dict[str, tuple[int, int]] = Field(default_factory=dict)

    def chunk_ids(self) -> set[str]:
        return {cid for entry in self.files.values() for cid in entry.chunks}


class IndexStats(BaseModel):
    """What an index run did."""

    files: int = 0
    files_changed: int = 0
    files_removed: int = 0
    chunks: int = 0
    chunks_embedded: int = 0
    chunks_removed: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0
    noop: bool = False
    rebuilt: bool = False


class SearchHit(BaseModel):
    """One search result, best first; what ``score`` is depends on the mode, named by
    ``score_kind`` (see :data:`SCORE_HELP`)."""

    id: str
    path: str
    start_line: int
    end_line: int
    cell: int | None = None
    kind: str
    score: float
    score_kind: str = ""
    text: str

    def public(self) -> dict[str, Any]:
        """The documented ``--json`` shape of a hit (``score_kind`` says what ``score`` is)."""
        return {
            "path": self.path,
            "start_line": self.start_line,
            "end_line": self.end_line,
            "kind": self.kind,
            "score": self.score,
            "score_kind": self.score_kind,
            "text": self.text,
        }

    def overlaps(self, other: SearchHit) -> bool:
        """Whether both hits cite some of the same lines (of one file, and one cell)."""
        return (
            self.path == other.path
            and self.cell == other.cell
            and self.start_line <= other.end_line
            and other.start_line <= self.end_line
        )


def collection_name(root: Path) -> str:
    """A Chroma collection name for ``root``: readable, and unique per absolute path.

    Chroma allows 3-512 characters of ``[a-zA-Z0-9._-]``, starting and ending alphanumeric.
    """
    resolved = root.resolve()
    slug = re.sub(r"[^a-zA-Z0-9._-]+", "-", resolved.name).strip("-._")[:48] or "repo"
    digest = hashlib.sha256(str(resolved).encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"specagent-{slug}-{digest}"


def _ignore_in_git(folder: Path) -> None:
    """Put a ``.gitignore`` of ``*`` in the tool's folder, so the index never shows in ``git status``."""
    marker = folder / ".gitignore"
    if not marker.exists():
        with contextlib.suppress(OSError):  # a read-only folder only costs the convenience
            marker.write_text("# specagent's index: rebuilt from the code, never committed\n*\n", encoding="utf-8")


def default_index_dir(root: Path) -> Path:
    """``<root>/.specagent/index``."""
    return root / ".specagent" / "index"


def file_stamp(path: Path) -> tuple[int, int]:
    """(size, mtime_ns): enough to tell a no-op run without reading any file."""
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def _chroma_settings() -> Any:
    from chromadb.config import Settings as ChromaSettings

    # No telemetry: the tool runs offline and must not try to phone home.
    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def _rrf(rankings: Sequence[tuple[Sequence[str], float]], k: int = RRF_K) -> dict[str, float]:
    """Weighted reciprocal rank fusion, normalised by the best possible fused score (ranked
    first by every ranking): 1.0 at best, and 0 for what no ranking holds."""
    best = sum(weight for _, weight in rankings) / (k + 1)
    scores: dict[str, float] = {}
    for ranking, weight in rankings:
        for rank, cid in enumerate(ranking, start=1):
            scores[cid] = scores.get(cid, 0.0) + weight / (k + rank)
    return {cid: score / best for cid, score in scores.items()} if best > 0 else scores


def _dbsf(
    rankings: Sequence[tuple[Sequence[tuple[str, float]], float]], spread: float = DBSF_SPREAD
) -> dict[str, float]:
    """Distribution-based score fusion, over the best fused score (so the best is 1.0).

    Each ranking's scores are scaled by their own distribution: mean - ``spread`` standard
    deviations maps to 0 (and lower is clipped there), mean + ``spread`` to 1, and a standout
    above that keeps its lead instead of being clipped. The scaled scores are added by weight;
    a candidate missing from a ranking gets 0 there. A ranking whose scores are all equal (one
    hit, say) gives each of them 1: they are all the best it found.
    """
    scores: dict[str, float] = {}
    for ranking, weight in rankings:
        if not ranking:
            continue
        values = np.array([score for _, score in ranking], dtype=np.float64)
        mean, std = float(values.mean()), float(values.std())
        low, high = mean - spread * std, mean + spread * std
        scaled = np.maximum((values - low) / (high - low), 0.0) if high > low else np.ones_like(values)
        for (cid, _), value in zip(ranking, scaled, strict=True):
            scores[cid] = scores.get(cid, 0.0) + weight * float(value)
    best = max(scores.values(), default=0.0)
    return {cid: score / best for cid, score in scores.items()} if best > 0 else scores


def distinct(hits: Iterable[SearchHit], k: int) -> list[SearchHit]:
    """The first ``k`` hits that cite distinct places: a hit that overlaps a better one of the
    same file (the overlapping pieces of a split unit, say) is left out."""
    kept: list[SearchHit] = []
    for hit in hits:
        if len(kept) >= k:
            break
        if not any(hit.overlaps(other) for other in kept):
            kept.append(hit)
    return kept


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
        self._client: Any = None
        self._collection: Any = None
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
        if self._client is not None:
            with contextlib.suppress(Exception):
                self._client.close()
        self._client = None
        self._collection = None

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = self.spec.load()
        return self._embedder

    @contextlib.contextmanager
    def lock(self, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
        """Hold the index's write lock; a second writer waits ``timeout`` seconds, then fails."""
        from filelock import FileLock, Timeout

        self.index_dir.mkdir(parents=True, exist_ok=True)
        _ignore_in_git(self.index_dir.parent if self.index_dir == default_index_dir(self.root) else self.index_dir)
        lock = FileLock(str(self.lock_path), timeout=timeout)
        try:
            lock.acquire()
        except Timeout:
            raise IndexUnusableError(
                f"the index at {self.index_dir} is being written by another specagent process "
                f"(waited {timeout:g} s for {self.lock_path}); try again when it finishes"
            ) from None
        try:
            yield
        finally:
            lock.release()

    # -- manifest ----------------------------------------------------------------------------

    def read_manifest(self) -> Manifest | None:
        """The manifest, ``None`` when there is none; raises ``ValueError`` when unreadable."""
        try:
            raw = self.manifest_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        try:
            manifest = Manifest.model_validate_json(raw)
        except ValidationError as exc:
            raise ValueError(f"manifest {self.manifest_path} is unreadable") from exc
        if manifest.format != MANIFEST_FORMAT:
            raise ValueError(f"manifest format {manifest.format} is not {MANIFEST_FORMAT}")
        return manifest

    def _write_manifest(self, manifest: Manifest) -> None:
        atomic_write_text(self.manifest_path, manifest.model_dump_json())

    def _check_embedder(self, built_with: str) -> None:
        if built_with != self.embedder_name:
            raise IndexUnusableError(
                f"the index at {self.where} was built with embedder {built_with!r}, not "
                f"{self.embedder_name!r}; run `specagent index {self.root} --rebuild`"
            )

    # -- chroma ------------------------------------------------------------------------------

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

    def _open_collection(self, *, create: bool) -> Any:
        if self._collection is not None:
            return self._collection
        if self._client is None:
            self._client = self._connect()
        ef = self.spec.chroma_function()
        if create:
            collection = self._client.get_or_create_collection(
                self.collection_name,
                # Always pass ours: Chroma's default would download a model on first use.
                embedding_function=ef,
                configuration={"hnsw": {"space": "cosine"}},
                metadata={"specagent_embedder": self.embedder_name, "specagent_root": str(self.root)},
            )
        else:
            collection = self._client.get_collection(self.collection_name, embedding_function=ef)
        built_with = (collection.metadata or {}).get("specagent_embedder")
        if built_with:
            self._check_embedder(str(built_with))
        self._collection = collection
        return collection

    def collection(self) -> Any:
        """The Chroma collection (for inspection; writes go through :meth:`update`)."""
        return self._open_collection(create=False)

    def _drop_collection(self) -> None:
        if self._client is None:
            self._client = self._connect()
        with contextlib.suppress(Exception):  # absent is fine
            self._client.delete_collection(self.collection_name)
        self._collection = None

    def _wipe(self) -> None:
        """Remove everything this index holds (the lock file stays: another process may wait)."""
        if self.url:
            self._drop_collection()
        else:
            self.close()
            shutil.rmtree(self.chroma_dir, ignore_errors=True)
        shutil.rmtree(self.lexical_dir, ignore_errors=True)
        self.manifest_path.unlink(missing_ok=True)

    def _stored_ids(self) -> set[str]:
        collection = self._open_collection(create=True)
        ids: set[str] = set()
        offset, page = 0, 5000
        while True:
            got = collection.get(include=[], limit=page, offset=offset)["ids"]
            ids.update(got)
            if len(got) < page:
                return ids
            offset += page

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
            if self._open_collection(create=True).count() != len(manifest.chunk_ids()):
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
        try:
            collection = self._open_collection(create=True)
            stored_count = collection.count()
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
            manifest = None
            collection = self._open_collection(create=True)
            stored_count = collection.count()

        trusted = manifest is not None and manifest.complete
        if manifest is None:
            manifest = Manifest(embedder=self.embedder_name, chunker=CHUNKER_VERSION, collection=self.collection_name)
        manifest.collection = self.collection_name
        if trusted and stored_count != len(manifest.chunk_ids()):
            trusted = False  # the store and the manifest disagree: reconcile below
        base = self._load_lexical() if scope is not None and trusted else None
        if scope is not None and base is None:
            raise ValueError("an incremental update needs a complete index; run a full one")
        stored = manifest.chunk_ids() if trusted else self._stored_ids()

        by_file: dict[str, list[Chunk]] = {f.path: [] for f in files}
        for chunk in chunks:
            by_file.setdefault(chunk.path, []).append(chunk)
        wanted = {c.id for c in chunks}
        sha = {f.path: f.sha256 for f in files}
        in_scope = set(scope) if scope is not None else None

        def entry_for(path: str) -> FileEntry:
            size, mtime = stamps.get(path, (-1, -1))
            return FileEntry(
                sha256=sha.get(path, ""), size=size, mtime_ns=mtime, chunks=[c.id for c in by_file.get(path, [])]
            )

        if in_scope is None:
            removed = [p for p in manifest.files if p not in by_file]
        else:  # gone from the walk, or read again and now skipped (binary, too large...)
            removed = [p for p in manifest.files if p not in stamps or (p in in_scope and p not in by_file)]
        changed: list[str] = []
        for path in by_file:
            old = manifest.files.get(path)
            if not trusted or old is None or old.sha256 != sha.get(path) or old.chunks != [c.id for c in by_file[path]]:
                changed.append(path)
            elif (old.size, old.mtime_ns) != stamps.get(path, (-1, -1)):
                manifest.files[path] = entry_for(path)  # touched, not changed: new stamp only

        stats.files_changed = len(changed)
        stats.files_removed = len(removed)
        manifest.walked = stamps
        if not changed and not removed and trusted and self.lexical_dir.is_dir():
            self._write_manifest(manifest)
            stats.noop = True
            stats.files = len(manifest.files)
            stats.chunks = len(manifest.chunk_ids())
            stats.seconds = time.perf_counter() - started
            return stats

        manifest.complete = False
        self._write_manifest(manifest)

        # Chunks nobody wants any more: files deleted, and (after a crash) strays.
        doomed = {cid for p in removed for cid in manifest.files[p].chunks}
        if not trusted:
            doomed |= stored - wanted
        doomed -= wanted
        self._delete(collection, doomed)
        stats.chunks_removed += len(doomed)
        stored -= doomed
        for path in removed:
            del manifest.files[path]
        self._write_manifest(manifest)

        to_embed_total = sum(1 for p in changed for c in by_file[p] if c.id not in stored)
        files_total = len(manifest.files.keys() | by_file.keys())
        self.on_event(StageStarted("index", total=to_embed_total))
        done_chunks = 0
        done_files = files_total - len(changed)
        window: list[str] = []
        pending = 0

        def flush() -> None:
            nonlocal done_chunks, done_files, window, pending
            todo = [c for p in window for c in by_file[p] if c.id not in stored]
            if todo:
                t0 = time.perf_counter()
                vectors = self.embedder.embed([embed_text(c) for c in todo])
                stats.embed_seconds += time.perf_counter() - t0
                self._upsert(collection, todo, vectors)
                stored.update(c.id for c in todo)
            stale = {
                cid
                for p in window
                for cid in (manifest.files[p].chunks if p in manifest.files else [])
                if cid not in wanted
            }
            self._delete(collection, stale)
            stored.difference_update(stale)
            stats.chunks_removed += len(stale)
            for p in window:
                manifest.files[p] = entry_for(p)
            self._write_manifest(manifest)
            done_chunks += len(todo)
            done_files += len(window)
            stats.chunks_embedded += len(todo)
            self.on_event(
                IndexProgress(
                    "index",
                    done_chunks,
                    to_embed_total,
                    f"{done_files}/{files_total} files",
                    files_done=done_files,
                    files_total=files_total,
                )
            )
            window, pending = [], 0

        for path in changed:
            window.append(path)
            pending += sum(1 for c in by_file[path] if c.id not in stored)
            if pending >= self.window_chunks:
                flush()
        if window:
            flush()

        records = [ChunkRecord.of(c) for c in chunks]
        if base is not None and in_scope is not None:
            kept = manifest.files.keys() - in_scope
            lexical = base.merged(lambda r: r.path in kept, records)
        else:
            lexical = LexicalIndex(records)
        lexical.save(self.lexical_dir)
        self._lexical = lexical
        manifest.complete = True
        self._write_manifest(manifest)
        stats.files = len(manifest.files)
        stats.chunks = len(lexical)
        stats.seconds = time.perf_counter() - started
        self.on_event(
            StageFinished(
                "index",
                stats.seconds,
                f"{stats.files} files, {stats.chunks} chunks, {stats.chunks_embedded} embedded, "
                f"{stats.chunks_removed} removed",
            )
        )
        return stats

    def _batch_size(self) -> int:
        try:
            return max(1, min(1000, int(self._client.get_max_batch_size())))
        except Exception:
            return 500

    def _delete(self, collection: Any, ids: set[str]) -> None:
        ordered = sorted(ids)
        step = self._batch_size()
        for start in range(0, len(ordered), step):
            collection.delete(ids=ordered[start : start + step])

    def _upsert(self, collection: Any, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        step = self._batch_size()
        for start in range(0, len(chunks), step):
            part = chunks[start : start + step]
            metadatas: list[dict[str, Any]] = []
            for c in part:
                meta: dict[str, Any] = {
                    "path": c.path,
                    "start_line": c.span.start_line,
                    "end_line": c.span.end_line,
                    "kind": str(c.kind),
                }
                if c.span.cell is not None:
                    meta["cell"] = c.span.cell
                if c.symbols:
                    meta["symbols"] = " ".join(c.symbols)
                metadatas.append(meta)
            collection.upsert(
                ids=[c.id for c in part],
                embeddings=vectors[start : start + step],
                documents=[c.text for c in part],
                metadatas=metadatas,
            )

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
            return distinct((self._hit(r, round(s / top, 6), kind_name) for r, s in sparse), k)
        hits: dict[str, SearchHit] = {hit.id: hit for hit, _ in dense}
        for record, _ in sparse:
            hits.setdefault(record.id, self._hit(record, 0.0, kind_name))
        scored: list[tuple[list[tuple[str, float]], float]] = [([(h.id, s) for h, s in dense], DENSE_WEIGHT)]
        if lexical is not None:  # a missing BM25 side lowers no score: it is not in the best either
            scored.append(([(r.id, s) for r, s in sparse], LEXICAL_WEIGHT))
        if fusion == "rrf":
            fused = _rrf([([cid for cid, _ in ranking], weight) for ranking, weight in scored])
        else:
            fused = _dbsf(scored)
        ranked = sorted(fused, key=lambda cid: (-fused[cid], cid))
        return distinct(
            (hits[cid].model_copy(update={"score": round(fused[cid], 6), "score_kind": kind_name}) for cid in ranked),
            k,
        )

    @staticmethod
    def _hit(record: ChunkRecord, score: float, score_kind: str = "") -> SearchHit:
        return SearchHit(
            id=record.id,
            path=record.path,
            start_line=record.start_line,
            end_line=record.end_line,
            cell=record.cell,
            kind=record.kind,
            score=score,
            score_kind=score_kind,
            text=record.text,
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
            collection = self._open_collection(create=False)
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
            if allowed(hit.path, hit.kind):
                out.append((hit, round(1.0 - float(dist), 6)))  # cosine similarity
        return out[:depth]


def manifest_summary(index_dir: Path) -> dict[str, Any]:
    """Counts from a manifest, for status lines; empty when there is none."""
    try:
        data = json.loads((index_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files", {})
    return {
        "embedder": data.get("embedder"),
        "files": len(files),
        "chunks": sum(len(f.get("chunks", [])) for f in files.values()),
        "complete": data.get("complete", False),
    }
