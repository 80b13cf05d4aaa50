"""Index a repository and search it: the functions the CLI, the TUI and the drafter call.

``index_repository`` walks, ingests, caps chunks at the embedder's window and updates the
repository index incrementally; ``search_repository`` queries it. Neither prints: progress and
warnings go to the ``on_event`` sink.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel

from specagent.config import Settings, load_settings
from specagent.errors import UsageError
from specagent.events import EventSink, StageFinished, StageStarted, null_sink
from specagent.index.chunking import cap_chunks
from specagent.index.embedder import EmbedderSpec, LangChainEmbedder, load_tokenizer, minilm_spec
from specagent.index.store import (
    LOCK_TIMEOUT_S,
    SCORE_HELP,
    IndexProgress,
    IndexStats,
    Mode,
    RepoIndex,
    SearchHit,
    default_index_dir,
    file_stamp,
)
from specagent.ingest import ingest
from specagent.ingest.run import check_root
from specagent.ingest.walk import walk

__all__ = [
    "LOCK_TIMEOUT_S",
    "SCORE_HELP",
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
            from specagent.llm.embeddings import make_embeddings
        except ImportError:
            raise UsageError(
                f"embedder {name!r} needs specagent's OpenAI embeddings, which this build lacks; "
                "use the default `--embedder minilm`"
            ) from None
        # Built now (no request is made) so a missing key fails before the index is touched.
        embeddings = make_embeddings(model, settings)
        return EmbedderSpec(name=name, load=lambda: LangChainEmbedder(name, embeddings))
    raise UsageError(f"unknown embedder {name!r}; use 'minilm' or 'openai:<model>'")


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
    settings = settings or load_settings(root)
    root = check_root(root)
    index_dir = Path(settings.index_dir).expanduser() if settings.index_dir else None
    return RepoIndex(
        root,
        embedder=embedder or embedder_spec(settings),
        index_dir=index_dir.resolve() if index_dir else default_index_dir(root),
        url=settings.index_url or None,
        on_event=on_event,
    )


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
    settings = settings or load_settings(root)
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
                scope = plan.changed if plan is not None else None
                ingested = ingest(index.root, settings=settings, on_event=on_event, skip_dirs=skip, only=scope)
                files = ingested.files
                raw_chunks = ingested.chunks
                tokenizer = load_tokenizer()
                chunks = cap_chunks(
                    raw_chunks, tokenizer.count, count_batch=tokenizer.count_batch, texts=ingested.texts
                )
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
