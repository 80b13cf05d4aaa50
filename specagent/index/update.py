"""One incremental index run, in steps: which files changed, what is gone, embed in windows, BM25.

:meth:`specagent.index.store.RepoIndex.update` decides what the run may build on (the manifest,
the collection) and then drives an :class:`IndexWrite` through its steps. The manifest is
rewritten after every window of files whose vectors are stored, so a crash loses at most that
window; a run that did not finish leaves ``complete: false``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel

from specagent.events import EventSink, StageFinished, StageProgress, StageStarted
from specagent.index.chroma_store import ChromaStore
from specagent.index.chunking import embed_text
from specagent.index.lexical import ChunkRecord, LexicalIndex
from specagent.index.manifest import FileEntry, Manifest
from specagent.ingest.models import Chunk, SourceFile

#: Chunks embedded between two manifest writes: what a crash can cost at most.
WINDOW_CHUNKS = 128


@dataclass(frozen=True, slots=True)
class IndexProgress(StageProgress):
    """Progress of an index run: ``done``/``total`` count chunks; files are counted too."""

    files_done: int = 0
    files_total: int = 0


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


@dataclass
class FileChanges:
    """What a run found against the manifest: chunks by file, and the files changed or gone."""

    by_file: dict[str, list[Chunk]]
    wanted: set[str]  # every chunk id the run keeps
    sha: dict[str, str]
    stamps: dict[str, tuple[int, int]]
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def entry_for(self, path: str) -> FileEntry:
        """The manifest entry ``path`` gets once its chunks are stored."""
        size, mtime = self.stamps.get(path, (-1, -1))
        return FileEntry(
            sha256=self.sha.get(path, ""),
            size=size,
            mtime_ns=mtime,
            chunks=[c.id for c in self.by_file.get(path, [])],
        )


def find_changes(
    manifest: Manifest,
    files: Sequence[SourceFile],
    chunks: Sequence[Chunk],
    stamps: dict[str, tuple[int, int]],
    scope: Collection[str] | None,
    trusted: bool,
) -> FileChanges:
    """Files changed (by hash or chunk ids) and gone; a file only touched gets its new stamp here."""
    by_file: dict[str, list[Chunk]] = {f.path: [] for f in files}
    for chunk in chunks:
        by_file.setdefault(chunk.path, []).append(chunk)
    changes = FileChanges(
        by_file=by_file, wanted={c.id for c in chunks}, sha={f.path: f.sha256 for f in files}, stamps=stamps
    )
    if scope is None:
        changes.removed = [p for p in manifest.files if p not in by_file]
    else:  # gone from the walk, or read again and now skipped (binary, too large...)
        in_scope = set(scope)
        changes.removed = [p for p in manifest.files if p not in stamps or (p in in_scope and p not in by_file)]
    for path in by_file:
        old = manifest.files.get(path)
        ids = [c.id for c in by_file[path]]
        if not trusted or old is None or old.sha256 != changes.sha.get(path) or old.chunks != ids:
            changes.changed.append(path)
        elif (old.size, old.mtime_ns) != stamps.get(path, (-1, -1)):
            manifest.files[path] = changes.entry_for(path)  # touched, not changed: new stamp only
    return changes


@dataclass
class IndexWrite:
    """The writing steps of one run, over the state they share."""

    manifest: Manifest
    changes: FileChanges
    store: ChromaStore
    collection: Any
    stored: set[str]  # chunk ids the collection holds
    stats: IndexStats
    save_manifest: Callable[[Manifest], None]
    embed: Callable[[list[str]], np.ndarray]
    on_event: EventSink
    window_chunks: int = WINDOW_CHUNKS
    # Progress of :meth:`embed_changed`, in chunks and files.
    _total: int = 0
    _files_total: int = 0
    _done_chunks: int = 0
    _done_files: int = 0

    def remove_gone(self, trusted: bool) -> None:
        """Mark the run unfinished, then drop the chunks nobody wants: files deleted and, when the
        manifest could not be trusted (after a crash), strays the store holds."""
        self.manifest.complete = False
        self.save_manifest(self.manifest)
        wanted = self.changes.wanted
        doomed = {cid for p in self.changes.removed for cid in self.manifest.files[p].chunks}
        if not trusted:
            doomed |= self.stored - wanted
        doomed -= wanted
        self.store.delete(self.collection, doomed)
        self.stats.chunks_removed += len(doomed)
        self.stored -= doomed
        for path in self.changes.removed:
            del self.manifest.files[path]
        self.save_manifest(self.manifest)

    def _to_embed(self, paths: Sequence[str]) -> list[Chunk]:
        return [c for p in paths for c in self.changes.by_file[p] if c.id not in self.stored]

    def embed_changed(self) -> None:
        """Embed what the store lacks of the changed files, a window of files at a time."""
        changed = self.changes.changed
        self._total = len(self._to_embed(changed))
        self._files_total = len(self.manifest.files.keys() | self.changes.by_file.keys())
        self.on_event(StageStarted("index", total=self._total))
        self._done_files = self._files_total - len(changed)
        window: list[str] = []
        pending = 0
        for path in changed:
            window.append(path)
            pending += len(self._to_embed([path]))
            if pending >= self.window_chunks:
                self._flush(window)
                window, pending = [], 0
        if window:
            self._flush(window)

    def _flush(self, window: list[str]) -> None:
        """Store one window's vectors, drop its stale chunks, and record it in the manifest."""
        todo = self._to_embed(window)
        if todo:
            t0 = time.perf_counter()
            vectors = self.embed([embed_text(c) for c in todo])
            self.stats.embed_seconds += time.perf_counter() - t0
            self.store.upsert(self.collection, todo, vectors)
            self.stored.update(c.id for c in todo)
        wanted = self.changes.wanted
        stale = {
            cid
            for p in window
            for cid in (self.manifest.files[p].chunks if p in self.manifest.files else [])
            if cid not in wanted
        }
        self.store.delete(self.collection, stale)
        self.stored.difference_update(stale)
        self.stats.chunks_removed += len(stale)
        for p in window:
            self.manifest.files[p] = self.changes.entry_for(p)
        self.save_manifest(self.manifest)
        self._done_chunks += len(todo)
        self._done_files += len(window)
        self.stats.chunks_embedded += len(todo)
        self.on_event(
            IndexProgress(
                "index",
                self._done_chunks,
                self._total,
                f"{self._done_files}/{self._files_total} files",
                files_done=self._done_files,
                files_total=self._files_total,
            )
        )

    def finish(
        self,
        chunks: Sequence[Chunk],
        base: LexicalIndex | None,
        scope: Collection[str] | None,
        lexical_dir: Path,
        started: float,
    ) -> LexicalIndex:
        """Write the BM25 side (merged into ``base`` for a scoped run), mark the run complete."""
        records = [ChunkRecord.of(c) for c in chunks]
        if base is not None and scope is not None:
            kept = self.manifest.files.keys() - set(scope)
            lexical = base.merged(lambda r: r.path in kept, records)
        else:
            lexical = LexicalIndex(records)
        lexical.save(lexical_dir)
        self.manifest.complete = True
        self.save_manifest(self.manifest)
        stats = self.stats
        stats.files = len(self.manifest.files)
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
        return lexical
