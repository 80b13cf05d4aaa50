"""The repository index against a real embedded Chroma and a real Chroma server.

Every test that takes ``store_url`` runs twice: with the embedded PersistentClient, and against
a ``chroma run`` server started by a fixture (marked ``server``).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from index_support import FILES, CountingEmbedder, counting_spec, make_index, write_repo

from specagent.config import Settings
from specagent.errors import IndexUnusableError
from specagent.events import Event, StageStarted, Warned
from specagent.index.embedder import EmbedderSpec
from specagent.index.store import RepoIndex
from specagent.ingest.models import Chunk, ChunkKind, FileKind, SourceFile, Span, make_chunk_id
from specagent.pipeline.indexing import IndexProgress, index_repository, search_repository


def run(root: Path, url: str | None, embedder: CountingEmbedder, **kwargs: Any):
    return index_repository(root, settings=Settings(index_url=url), embedder=counting_spec(embedder), **kwargs).stats


def snapshot(root: Path, url: str | None) -> dict[str, tuple[str, tuple[float, ...]]]:
    """Chunk id -> (path, embedding) as the store holds them."""
    with make_index(root, url, CountingEmbedder()) as index:
        got = index.collection().get(include=["metadatas", "embeddings"])
    return {
        cid: (meta["path"], tuple(np.round(np.asarray(vec), 6)))
        for cid, meta, vec in zip(got["ids"], got["metadatas"], got["embeddings"], strict=True)
    }


def assert_consistent(root: Path, url: str | None) -> set[str]:
    """The store, the manifest and the lexical side hold exactly the same chunks."""
    with make_index(root, url, CountingEmbedder()) as index:
        stored = set(index.collection().get(include=[])["ids"])
        manifest = index.read_manifest()
        assert manifest is not None and manifest.complete
        lexical = index.lexical()
        assert lexical is not None
        assert stored == manifest.chunk_ids() == {r.id for r in lexical.records}
    return stored


def test_index_then_search(repo: Path, store_url: str | None) -> None:
    embedder = CountingEmbedder()
    events: list[Event] = []
    stats = index_repository(
        repo, settings=Settings(index_url=store_url), embedder=counting_spec(embedder), on_event=events.append
    ).stats
    assert stats.files == 4 and stats.chunks_embedded == stats.chunks == len(embedder.embedded) > 0
    progress = [e for e in events if isinstance(e, IndexProgress)]
    assert progress and progress[-1].done == progress[-1].total == stats.chunks_embedded
    assert progress[-1].files_done == progress[-1].files_total == 4
    assert_consistent(repo, store_url)

    settings = Settings(index_url=store_url)
    hits = search_repository(repo, "HTTP endpoint that returns the churn probability", settings=settings)
    assert hits and hits[0].path == "app/serve.py"
    assert hits == sorted(hits, key=lambda h: -h.score)
    top = hits[0]
    source = (repo / top.path).read_text().split("\n")
    assert top.text.strip().split("\n")[0].strip() in source[top.start_line - 1]

    lexical = search_repository(repo, "MAX_RETRIES", mode="lexical", settings=settings)
    assert lexical[0].path == "app/train.py"
    dense = search_repository(repo, "customers cancelling their subscription", mode="dense", k=2, settings=settings)
    assert dense[0].path == "docs/notes.md" and 0 < dense[0].score <= 1
    under = search_repository(repo, "churn", path_prefix="docs/", settings=settings)
    assert under and all(h.path.startswith("docs/") for h in under)
    assert search_repository(repo, "churn", path_prefix="nowhere/", settings=settings) == []


def test_noop_run_embeds_nothing(repo: Path, store_url: str | None) -> None:
    first = CountingEmbedder()
    run(repo, store_url, first)
    manifest = repo / ".specagent" / "index" / "manifest.json"
    before = manifest.stat().st_mtime_ns

    def refuse() -> Any:
        raise AssertionError("a no-op run must not even load the embedder")

    spec = EmbedderSpec(name=first.name, load=refuse)
    # Its time is measured by benchmarks/index_bench.py; here: it does no work at all.
    stats = index_repository(repo, settings=Settings(index_url=store_url), embedder=spec).stats
    assert stats.noop and stats.chunks_embedded == 0
    assert manifest.stat().st_mtime_ns == before

    # Touching a file (same content, new mtime) reads the files again but embeds nothing, and
    # records the new stamp so the run after that is a no-op without reading.
    path = repo / "app" / "train.py"
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))
    again = CountingEmbedder()
    stats = run(repo, store_url, again)
    assert stats.chunks_embedded == 0 and again.embedded == []
    assert manifest.stat().st_mtime_ns != before
    with make_index(repo, store_url, again) as index:
        recorded = index.read_manifest()
        assert recorded is not None
        assert recorded.walked["app/train.py"] == (path.stat().st_size, path.stat().st_mtime_ns)
    stats = index_repository(repo, settings=Settings(index_url=store_url), embedder=spec).stats
    assert stats.noop


def test_editing_one_file_changes_only_its_chunks(repo: Path, store_url: str | None) -> None:
    run(repo, store_url, CountingEmbedder())
    before = snapshot(repo, store_url)
    path = repo / "app" / "serve.py"
    path.write_text(path.read_text().replace("Score one customer", "Score a single customer record"))
    embedder = CountingEmbedder()
    events: list[Event] = []
    stats = run(repo, store_url, embedder, on_event=events.append)
    after = snapshot(repo, store_url)
    # Only the changed file was read and parsed again.
    assert [e.total for e in events if isinstance(e, StageStarted) and e.stage == "ingest"] == [1]

    assert stats.files_changed == 1 and stats.chunks_embedded == len(embedder.embedded) >= 1
    assert all("customer" in t or "app" in t or t for t in embedder.embedded)
    changed_ids = {cid for cid in after if cid not in before}
    gone_ids = {cid for cid in before if cid not in after}
    assert changed_ids and gone_ids
    assert {after[c][0] for c in changed_ids} == {"app/serve.py"}
    assert {before[c][0] for c in gone_ids} == {"app/serve.py"}
    # Other files' chunks are untouched: same ids, same vectors.
    for cid, (p, vec) in before.items():
        if p != "app/serve.py":
            assert after[cid] == (p, vec)
    # Only the new chunks were embedded.
    assert len(embedder.embedded) == len(changed_ids)
    assert_consistent(repo, store_url)
    hits = search_repository(repo, "score a single customer record", settings=Settings(index_url=store_url))
    assert hits[0].path == "app/serve.py" and "single customer record" in hits[0].text


def test_deleting_and_renaming_files(repo: Path, store_url: str | None) -> None:
    run(repo, store_url, CountingEmbedder())
    (repo / "docs" / "notes.md").unlink()
    (repo / "app" / "serve.py").rename(repo / "app" / "api.py")
    stats = run(repo, store_url, CountingEmbedder())
    assert stats.files_removed == 2 and stats.chunks_removed >= 2
    paths = {p for p, _ in snapshot(repo, store_url).values()}
    assert paths == {"app/train.py", "app/api.py", "config/settings.yaml"}
    assert_consistent(repo, store_url)
    settings = Settings(index_url=store_url)
    for mode in ("hybrid", "dense", "lexical"):
        hits = search_repository(repo, "subscription goals notes predict", mode=mode, k=20, settings=settings)
        assert {h.path for h in hits} <= paths


def test_another_embedder_needs_a_rebuild(repo: Path, store_url: str | None) -> None:
    run(repo, store_url, CountingEmbedder())
    inner = CountingEmbedder()
    other = EmbedderSpec(name="other-embedder", load=lambda: inner)
    settings = Settings(index_url=store_url)
    with pytest.raises(IndexUnusableError) as info:
        index_repository(repo, settings=settings, embedder=other)
    message = str(info.value)
    assert "\n" not in message and "--rebuild" in message and "other-embedder" in message
    with pytest.raises(IndexUnusableError, match="--rebuild"):
        search_repository(repo, "churn", settings=settings, embedder=other)
    stats = index_repository(repo, settings=settings, embedder=other, rebuild=True).stats
    assert stats.rebuilt and stats.chunks_embedded == stats.chunks
    assert search_repository(repo, "churn", settings=settings, embedder=other)


def test_crash_mid_index_leaves_a_usable_index(repo: Path, store_url: str | None) -> None:
    failing = CountingEmbedder(fail_after=3)
    index = make_index(repo, store_url, failing)
    index.window_chunks = 1  # store after every file, as a large run does every 128 chunks
    from specagent.index.chunking import cap_chunks
    from specagent.index.embedder import load_tokenizer
    from specagent.ingest import ingest

    ingested = ingest(repo)
    chunks = cap_chunks(ingested.chunks, load_tokenizer().count, texts=ingested.texts)
    assert len(chunks) > 3
    with index, index.lock(), pytest.raises(RuntimeError, match="simulated crash"):
        index.update(ingested.files, chunks)
    with make_index(repo, store_url, CountingEmbedder()) as reopened:
        manifest = reopened.read_manifest()
        assert manifest is not None and not manifest.complete and manifest.files
        stored = set(reopened.collection().get(include=[])["ids"])
        assert manifest.chunk_ids() <= stored
        events: list[Event] = []
        reopened.on_event = events.append
        hits = reopened.search("train the churn model", k=3)
        assert hits  # dense ranking still answers; the lexical side is rebuilt next run
    # The next run finishes the job without re-embedding what was stored.
    resumed = CountingEmbedder()
    stats = run(repo, store_url, resumed)
    assert stats.chunks_embedded == len(resumed.embedded) == len(chunks) - len(stored)
    assert assert_consistent(repo, store_url) == {c.id for c in chunks}


def test_corrupt_manifest_is_rebuilt_with_a_warning(repo: Path, store_url: str | None) -> None:
    run(repo, store_url, CountingEmbedder())
    (repo / ".specagent" / "index" / "manifest.json").write_text("{not json")
    events: list[Event] = []
    stats = index_repository(
        repo, settings=Settings(index_url=store_url), embedder=counting_spec(CountingEmbedder()), on_event=events.append
    ).stats
    assert stats.rebuilt
    assert any(isinstance(e, Warned) and "rebuilding" in e.message for e in events)
    assert_consistent(repo, store_url)


def test_index_from_another_chunker_version_is_rebuilt(repo: Path) -> None:
    run(repo, None, CountingEmbedder())
    manifest_path = repo / ".specagent" / "index" / "manifest.json"
    data = json.loads(manifest_path.read_text())
    data["chunker"] = "0"
    manifest_path.write_text(json.dumps(data))
    events: list[Event] = []
    embedder = CountingEmbedder()
    stats = run(repo, None, embedder, on_event=events.append)
    assert stats.rebuilt and stats.chunks_embedded == stats.chunks == len(embedder.embedded)
    assert any(isinstance(e, Warned) and "chunker" in e.message for e in events)
    assert_consistent(repo, None)


def test_corrupt_embedded_store_is_rebuilt_with_a_warning(repo: Path) -> None:
    run(repo, None, CountingEmbedder())
    sqlite = repo / ".specagent" / "index" / "chroma" / "chroma.sqlite3"
    assert sqlite.exists()
    sqlite.write_bytes(b"this is not a database" * 100)
    # The manifest still says complete: the walk alone cannot see the damage, a rebuild or
    # a changed file can. Search says so in one line.
    with pytest.raises(IndexUnusableError, match="--rebuild"):
        search_repository(repo, "churn", embedder=counting_spec(CountingEmbedder()))
    (repo / "app" / "extra.py").write_text("def extra():\n    return 'more'\n")
    events: list[Event] = []
    stats = index_repository(repo, embedder=counting_spec(CountingEmbedder()), on_event=events.append).stats
    assert stats.rebuilt
    assert any(isinstance(e, Warned) and "unreadable" in e.message for e in events)
    assert_consistent(repo, None)
    assert search_repository(repo, "extra", embedder=counting_spec(CountingEmbedder()))


def test_search_without_an_index_says_what_to_do(repo: Path) -> None:
    with pytest.raises(IndexUnusableError, match="specagent index"):
        search_repository(repo, "anything", embedder=counting_spec(CountingEmbedder()))


def test_unreachable_server_is_one_line(repo: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(IndexUnusableError) as info:
        run(repo, f"http://127.0.0.1:{port}", CountingEmbedder())
    assert "\n" not in str(info.value) and "cannot reach the Chroma server" in str(info.value)


def test_index_dir_elsewhere_keeps_the_checkout_clean(repo: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "idx"
    settings = Settings(index_dir=elsewhere)
    index_repository(repo, settings=settings, embedder=counting_spec(CountingEmbedder()))
    assert not (repo / ".specagent").exists()
    assert (elsewhere / "manifest.json").exists()
    assert search_repository(repo, "predict", settings=settings)


def test_incremental_reads_only_changed_files_even_with_odd_names(tmp_path: Path) -> None:
    odd = {
        "we*ird [1].py": "def odd_one():\n    return 'star bracket'\n",
        "dir with space/#hash!.md": "# Hash\n\nA note about hashes.\n",
        "dir with space/plain.py": "def plain():\n    return 'plain'\n",
        "deep/a/b/c.py": "def deep_c():\n    return 'deep'\n",
        "deep/a/other.py": "def other():\n    return 'other'\n",
    }
    root = write_repo(tmp_path / "odd", {**FILES, **odd})
    run(root, None, CountingEmbedder())
    for rel in ("we*ird [1].py", "dir with space/#hash!.md", "deep/a/b/c.py"):
        (root / rel).write_text((root / rel).read_text() + "\n# edited\n")
    (root / "new folder").mkdir()
    (root / "new folder" / "fresh.py").write_text("def fresh():\n    return 'new'\n")
    (root / "deep" / "a" / "other.py").write_bytes(b"\x00\x01binary now\x00")
    events: list[Event] = []
    embedder = CountingEmbedder()
    stats = run(root, None, embedder, on_event=events.append)
    assert [e.total for e in events if isinstance(e, StageStarted) and e.stage == "ingest"] == [5]
    assert stats.files_changed == 4 and stats.files_removed == 1
    paths = {p for p, _ in snapshot(root, None).values()}
    assert "new folder/fresh.py" in paths and "we*ird [1].py" in paths
    assert "deep/a/other.py" not in paths and "dir with space/plain.py" in paths
    assert assert_consistent(root, None)
    hit = search_repository(root, "fresh", mode="lexical", k=1)[0]
    assert hit.path == "new folder/fresh.py"


# -- store level: filters by kind and path, on chunks built by hand ---------------------------


def _chunk(path: str, kind: ChunkKind, text: str, start: int = 1) -> Chunk:
    span = Span(start_line=start, end_line=start + text.count("\n"))
    return Chunk(id=make_chunk_id(path, span, text), path=path, span=span, kind=kind, text=text)


HAND = [
    _chunk("src/load.py", ChunkKind.CODE, "def load_rows(path):\n    return open(path).read()"),
    _chunk("src/model.py", ChunkKind.CODE, "def train(rows):\n    '''Fit the churn model.'''"),
    _chunk("notes/plan.md", ChunkKind.SECTION, "## Plan\nTrain the churn model every week."),
    _chunk("nb/eda.ipynb", ChunkKind.CELL, "df = load_rows('customers.csv')\ndf.describe()"),
]


def test_filters_by_kind_and_path(tmp_path: Path, store_url: str | None) -> None:
    files = [SourceFile(path=p, kind=FileKind.OTHER, sha256=p, size=1) for p in sorted({c.path for c in HAND})]
    index = RepoIndex(tmp_path / "r", embedder=counting_spec(CountingEmbedder()), url=store_url)
    (tmp_path / "r").mkdir()
    with index, index.lock():
        index.update(files, HAND)
    with index:
        for mode in ("hybrid", "dense", "lexical"):
            code = index.search("train the churn model", k=10, mode=mode, kinds=["code"])
            assert code and {h.kind for h in code} == {"code"}
            notes = index.search("train the churn model", k=10, mode=mode, path_prefix="notes/")
            assert [h.path for h in notes] == ["notes/plan.md"]
            both = index.search("load rows", k=10, mode=mode, kinds=["cell", "code"], path_prefix="nb/")
            assert [h.path for h in both] == ["nb/eda.ipynb"]
        hits = index.search("train the churn model", k=2)
        assert {h.path for h in hits} == {"src/model.py", "notes/plan.md"}
        assert index.search("", k=3) == [] and index.search("x", k=0) == []


def test_the_index_folder_ignores_itself_in_git(repo: Path) -> None:
    index_repository(repo, settings=Settings(), embedder=counting_spec(CountingEmbedder()))
    assert (repo / ".specagent" / ".gitignore").read_text().splitlines()[-1] == "*"
