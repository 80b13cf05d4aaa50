"""Index a repository and search it: the functions the CLI, the TUI and the drafter call.

``index_repository`` walks, ingests, caps chunks at the embedder's window and updates the
repository index incrementally; ``search_repository`` queries it. Neither prints: progress and
warnings go to the ``on_event`` sink.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Sequence
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
from specagent.ingest import Ingested, ingest
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
    skip_dirs: Sequence[Path] = (),
    ingested: Ingested | None = None,
) -> IndexReport:
    """Bring the index of ``root`` up to date; only new or changed chunks are embedded.

    Files are compared by (size, mtime) with the last complete run: a run that finds none
    changed reads nothing, and an incremental one reads only the files that changed.
    ``skip_dirs`` are folders not to index (a draft's output folder: a spec must not cite
    itself); ``ingested`` is what the caller read of ``root`` just before with the same
    ``skip_dirs``, reused for the files that still match instead of reading them again. Raises
    :class:`~specagent.errors.IndexUnusableError` when another process holds the index longer
    than ``lock_timeout`` or the index was built by another embedder.
    """
    settings = settings or load_settings(root)
    started = time.perf_counter()
    with open_index(root, settings=settings, embedder=embedder, on_event=on_event) as index:
        skip = [index.index_dir, *skip_dirs]
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
                fresh = _read_for_index(index.root, settings, on_event, skip, walked, scope, ingested)
                files = fresh.files
                raw_chunks = fresh.chunks
                tokenizer = load_tokenizer()
                chunks = cap_chunks(raw_chunks, tokenizer.count, count_batch=tokenizer.count_batch, texts=fresh.texts)
                stats = index.update(files, chunks, stamps=walked, rebuild=rebuild, scope=scope)
                stats.seconds = time.perf_counter() - started
        return IndexReport(root=index.root, where=index.where, embedder=index.embedder_name, stats=stats)


def _read_for_index(
    root: Path,
    settings: Settings,
    on_event: EventSink,
    skip: list[Path],
    walked: dict[str, tuple[int, int]],
    scope: Collection[str] | None,
    ingested: Ingested | None,
) -> Ingested:
    """What the index must hold of the files in ``scope`` (all walked files when None).

    Files the caller's ``ingested`` read with the size they have now are reused; the rest (a
    file changed since, or one it never saw) are read here, so the index never holds text other
    than what is on disk.
    """
    if ingested is None:
        return ingest(root, settings=settings, on_event=on_event, skip_dirs=skip, only=scope)
    wanted = set(walked) if scope is None else set(scope)
    kept = {f.path for f in ingested.files if f.path in wanted and walked.get(f.path, (-1, 0))[0] == f.size}
    out = Ingested(
        root=ingested.root,
        files=[f for f in ingested.files if f.path in kept],
        chunks=[c for c in ingested.chunks if c.path in kept],
        texts={path: text for path, text in ingested.texts.items() if path in kept},
    )
    # Files the caller skipped with a warning (binary, too big) would only be skipped again.
    skipped = {w.path for w in ingested.warnings} - {f.path for f in ingested.files}
    rest = sorted(wanted - kept - skipped)
    if rest:
        more = ingest(root, settings=settings, on_event=on_event, skip_dirs=skip, only=rest)
        out.files += more.files
        out.chunks += more.chunks
        out.texts.update(more.texts)
    return out


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
