"""Index a repository and search it: the functions the CLI, the TUI and the drafter call.

``index_repository`` walks, ingests, caps chunks at the embedder's window and updates the
repository index incrementally; ``search_repository`` queries it. Neither prints: progress and
warnings go to the ``on_event`` sink.
"""

from __future__ import annotations

import re
import time
from collections.abc import Collection, Sequence
from pathlib import Path, PurePosixPath

from pydantic import BaseModel

from specagent.config import Settings
from specagent.errors import InputPathError, UsageError
from specagent.events import EventSink, StageFinished, StageStarted, null_sink
from specagent.index.chunking import cap_chunks
from specagent.index.embedder import EmbedderSpec, LangChainEmbedder, load_tokenizer, minilm_spec
from specagent.index.store import (
    LOCK_TIMEOUT_S,
    IndexProgress,
    IndexStats,
    Mode,
    RepoIndex,
    SearchHit,
    default_index_dir,
    file_stamp,
)
from specagent.ingest import ingest
from specagent.ingest.walk import walk

__all__ = [
    "LOCK_TIMEOUT_S",
    "IndexProgress",
    "IndexReport",
    "IndexStats",
    "Mode",
    "SearchHit",
    "embedder_spec",
    "index_repository",
    "open_index",
    "search_repository",
]


class IndexReport(BaseModel):
    """What ``index_repository`` did, and where the index lives."""

    root: Path
    where: str
    embedder: str
    stats: IndexStats


def embedder_spec(settings: Settings) -> EmbedderSpec:
    """The embedder ``settings.embedder`` names: ``minilm`` (default) or ``openai:<model>``."""
    name = settings.embedder.strip()
    if name in ("minilm", "", minilm_spec().name):
        return minilm_spec(settings.embed_threads)
    if name.startswith("openai:"):
        model = name.removeprefix("openai:")
        try:
            # Provided by the LLM layer (it owns keys and base URLs); absent in offline builds.
            from specagent.llm.embeddings import make_embeddings  # type: ignore[import-not-found]
        except ImportError:
            raise UsageError(
                f"embedder {name!r} needs specagent's OpenAI embeddings, which this build lacks; "
                "use the default `--embedder minilm`"
            ) from None
        return EmbedderSpec(name=name, load=lambda: LangChainEmbedder(name, make_embeddings(model, settings)))
    raise UsageError(f"unknown embedder {name!r}; use 'minilm' or 'openai:<model>'")


def _check_root(root: Path) -> Path:
    root = Path(root)
    if not root.exists():
        raise InputPathError(f"{root}: no such folder")
    if not root.is_dir():
        raise InputPathError(f"{root}: not a folder (give the prototype's folder)")
    return root.resolve()


def open_index(
    root: Path,
    *,
    settings: Settings | None = None,
    embedder: EmbedderSpec | None = None,
    on_event: EventSink = null_sink,
) -> RepoIndex:
    """The repository index of ``root`` as ``settings`` place it (not yet connected).

    ``embedder`` overrides the one ``settings`` names (tests and benchmarks count calls).
    """
    settings = settings or Settings()
    root = _check_root(root)
    index_dir = Path(settings.index_dir).expanduser() if settings.index_dir else None
    return RepoIndex(
        root,
        embedder=embedder or embedder_spec(settings),
        index_dir=index_dir.resolve() if index_dir else default_index_dir(root),
        url=settings.index_url or None,
        on_event=on_event,
    )


def _escape(rel: str) -> str:
    """``rel`` as a literal gitignore pattern."""
    return re.sub(r"([\\*?\[\]!#])", r"\\\1", rel).replace(" ", "\\ ")


def _narrowed(
    root: Path, settings: Settings, walked: Collection[str], wanted: Collection[str]
) -> tuple[Settings, list[Path]]:
    """Settings and skip folders under which ingest reads only ``wanted`` of ``walked``.

    Folders without a wanted file are skipped whole; other files beside wanted ones are
    excluded by literal pattern. Parsing every file again would cost an incremental run more
    than embedding the one chunk that changed.
    """
    wanted_set = set(wanted)
    busy = {str(PurePosixPath(p).parents[i]) for p in wanted_set for i in range(len(PurePosixPath(p).parents))}
    skip: set[str] = set()
    exclude = list(settings.exclude)
    for rel in walked:
        if rel in wanted_set:
            continue
        parts = rel.split("/")
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if folder not in busy:
                skip.add(folder)
                break
        else:
            exclude.append("/" + _escape(rel))
    return settings.model_copy(update={"exclude": exclude}), [root / d for d in sorted(skip)]


def index_repository(
    root: Path,
    *,
    settings: Settings | None = None,
    rebuild: bool = False,
    lock_timeout: float = LOCK_TIMEOUT_S,
    embedder: EmbedderSpec | None = None,
    on_event: EventSink = null_sink,
) -> IndexReport:
    """Bring the index of ``root`` up to date; only new or changed chunks are embedded.

    Files are compared by (size, mtime) with the last complete run: a run that finds none
    changed reads nothing, and an incremental one reads only the files that changed. Raises
    :class:`~specagent.errors.IndexUnusableError` when another process holds the index longer
    than ``lock_timeout`` or the index was built by another embedder.
    """
    settings = settings or Settings()
    started = time.perf_counter()
    with open_index(root, settings=settings, embedder=embedder, on_event=on_event) as index:
        skip = [index.index_dir]
        with index.lock(lock_timeout):
            # Stamps are taken before anything is read, so a file edited during the run looks
            # changed next time rather than unchanged.
            walked = {
                found.rel: file_stamp(found.path)
                for found in walk(index.root, exclude=settings.exclude, skip_dirs=skip)
            }
            plan = None if rebuild else index.plan(walked)
            if plan is not None and not plan.changed and not plan.removed:
                on_event(StageStarted("index", total=0))
                stats = IndexStats(noop=True)
                manifest = index.read_manifest()
                if manifest is not None:
                    stats.files = len(manifest.files)
                    stats.chunks = len(manifest.chunk_ids())
                stats.seconds = time.perf_counter() - started
                on_event(StageFinished("index", stats.seconds, "up to date"))
            else:
                scope: list[str] | None = None
                read_settings, read_skip = settings, skip
                if plan is not None:
                    scope = plan.changed
                    read_settings, extra = _narrowed(index.root, settings, walked, scope)
                    read_skip = skip + extra
                ingested = ingest(index.root, settings=read_settings, on_event=on_event, skip_dirs=read_skip)
                files = ingested.files
                raw_chunks = ingested.chunks
                if scope is not None:  # never trust a narrowing to be exact: keep what was asked
                    asked = set(scope)
                    files = [f for f in files if f.path in asked]
                    raw_chunks = [c for c in raw_chunks if c.path in asked]
                tokenizer = load_tokenizer()
                chunks = cap_chunks(raw_chunks, tokenizer.count, count_batch=tokenizer.count_batch)
                stats = index.update(files, chunks, stamps=walked, rebuild=rebuild, scope=scope)
                stats.seconds = time.perf_counter() - started
        return IndexReport(root=index.root, where=index.where, embedder=index.embedder_name, stats=stats)


def search_repository(
    root: Path,
    query: str,
    *,
    k: int = 8,
    mode: Mode = "hybrid",
    kinds: Sequence[str] | None = None,
    path_prefix: str | None = None,
    settings: Settings | None = None,
    embedder: EmbedderSpec | None = None,
    on_event: EventSink = null_sink,
) -> list[SearchHit]:
    """The ``k`` best chunks of ``root``'s index for ``query``, best first."""
    with open_index(root, settings=settings, embedder=embedder, on_event=on_event) as index:
        return index.search(query, k=k, mode=mode, kinds=kinds, path_prefix=path_prefix)
