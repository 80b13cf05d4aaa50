"""The index's manifest: what it holds per file, how it was built, and whether the last run finished."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from specagent.fileio import atomic_write_text

MANIFEST_FORMAT = 1


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
        """Every chunk id the manifest lists, over all files."""
        return {cid for entry in self.files.values() for cid in entry.chunks}


def read_manifest(path: Path) -> Manifest | None:
    """The manifest at ``path``, ``None`` when there is none; raises ``ValueError`` when unreadable."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        manifest = Manifest.model_validate_json(raw)
    except ValidationError as exc:
        raise ValueError(f"manifest {path} is unreadable") from exc
    if manifest.format != MANIFEST_FORMAT:
        raise ValueError(f"manifest format {manifest.format} is not {MANIFEST_FORMAT}")
    return manifest


def write_manifest(path: Path, manifest: Manifest) -> None:
    """Replace the manifest at ``path`` atomically: a crash leaves the old one or the new one."""
    atomic_write_text(path, manifest.model_dump_json())


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


def file_stamp(path: Path) -> tuple[int, int]:
    """(size, mtime_ns): enough to tell a no-op run without reading any file."""
    st = path.stat()
    return st.st_size, st.st_mtime_ns
