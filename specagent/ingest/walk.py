"""Walk a prototype: gitignore-aware, never out of the root, never into a loop.

The walker decides which files are read and how each is parsed (its :class:`FileKind`); it
never parses. Skips are reported as one-line warnings, except for the obvious (``.git``,
virtualenvs, caches, images and model weights), which are only counted.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import pathspec

from specagent.config import STATE_FILE
from specagent.ingest.models import FileKind

SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        ".env",
        "env",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".tox",
        ".nox",
        ".ipynb_checkpoints",
        ".specagent",
        ".idea",
        ".vscode",
        ".cache",
        "site-packages",
        ".eggs",
        "wandb",
        "mlruns",
    }
)
# Assets and artefacts that carry nothing a spec could cite.
BINARY_SUFFIXES = frozenset(
    [
        "png",
        "jpg",
        "jpeg",
        "gif",
        "bmp",
        "ico",
        "webp",
        "tif",
        "tiff",
        "svg",
        "pdf",
        "zip",
        "gz",
        "tgz",
        "bz2",
        "xz",
        "7z",
        "tar",
        "whl",
        "egg",
        "pkl",
        "pickle",
        "joblib",
        "pt",
        "pth",
        "ckpt",
        "safetensors",
        "onnx",
        "bin",
        "h5",
        "hdf5",
        "parquet",
        "feather",
        "arrow",
        "npy",
        "npz",
        "so",
        "dylib",
        "dll",
        "exe",
        "pyc",
        "pyo",
        "db",
        "sqlite",
        "sqlite3",
        "mp3",
        "wav",
        "flac",
        "ogg",
        "mp4",
        "mov",
        "avi",
        "webm",
        "woff",
        "woff2",
        "ttf",
        "otf",
        "eot",
        "xlsx",
        "xls",
        "docx",
        "pptx",
        "odt",
        "jar",
        "class",
        "o",
        "a",
        "lib",
        "gguf",
        "msgpack",
        "tfrecord",
    ]
)
NOISE_FILES = frozenset(
    {
        "poetry.lock",
        "uv.lock",
        "Pipfile.lock",
        "package-lock.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        ".DS_Store",
        "Thumbs.db",
        ".gitignore",
        ".specagentignore",
        ".dockerignore",
        ".gitattributes",
        ".gitmodules",
        ".python-version",
        ".specagent.toml",  # specagent's own settings, not the prototype's
    }
)
NOTES_SUFFIXES = frozenset({".md", ".markdown", ".rst", ".txt", ".adoc"})
CONFIG_SUFFIXES = frozenset({".yaml", ".yml", ".toml", ".ini", ".cfg", ".conf"})
DATA_SUFFIXES = frozenset({".csv", ".tsv", ".jsonl", ".ndjson", ".json"})
SAMPLABLE_SUFFIXES = frozenset({".csv", ".tsv", ".jsonl", ".ndjson"})


def classify(rel: str) -> FileKind:
    """The parser a file goes to, from its name alone."""
    pure = PurePosixPath(rel)
    name, suffix = pure.name, pure.suffix.lower()
    lower = name.lower()
    if suffix in {".py", ".pyw", ".pyi"}:
        return FileKind.PYTHON
    if suffix == ".ipynb":
        return FileKind.NOTEBOOK
    if (
        (lower.startswith(("requirements", "constraints")) and suffix in {".txt", ".in"})
        or lower in {"pipfile", "setup.cfg", "pyproject.toml"}
        or lower == ".env"
        or lower.startswith(".env.")
        or lower.startswith("dockerfile")
        or lower.endswith(".dockerfile")
        or suffix in CONFIG_SUFFIXES
    ):
        return FileKind.CONFIG
    if suffix in DATA_SUFFIXES:
        return FileKind.DATA
    if suffix in NOTES_SUFFIXES or lower in {"readme", "notes", "todo"}:
        return FileKind.NOTES
    return FileKind.OTHER


@dataclass(frozen=True, slots=True)
class Found:
    """A file the walker accepted, before it is read."""

    rel: str
    path: Path
    kind: FileKind
    size: int


@dataclass(slots=True)
class WalkReport:
    """What the walk skipped: counts for the quiet skips, lines for the rest."""

    quiet_skips: int = 0
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def warn(self, rel: str, message: str) -> None:
        self.warnings.append((rel, message))


def _load_ignore(directory: Path, prefix: str, report: WalkReport) -> list[tuple[str, pathspec.PathSpec[Any]]]:
    specs: list[tuple[str, pathspec.PathSpec[Any]]] = []
    for name in (".gitignore", ".specagentignore"):
        ignore_file = directory / name
        try:
            if not ignore_file.is_file():
                continue
            lines = ignore_file.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError as exc:
            report.warn(f"{prefix}{name}", f"could not read ignore file: {exc.strerror}")
            continue
        specs.append((prefix, pathspec.GitIgnoreSpec.from_lines(lines)))
    return specs


def _ignored(rel: str, is_dir: bool, specs: list[tuple[str, pathspec.PathSpec[Any]]]) -> bool:
    probe = rel + "/" if is_dir else rel
    for prefix, spec in specs:
        if prefix and not probe.startswith(prefix):
            continue
        if spec.match_file(probe[len(prefix) :]):
            return True
    return False


def walk(
    root: Path,
    *,
    exclude: list[str] | None = None,
    skip_dirs: list[Path] | None = None,
    report: WalkReport | None = None,
) -> Iterator[Found]:
    """Yield the files of ``root`` that specagent should read, in sorted order.

    ``exclude`` adds gitignore-style patterns; ``skip_dirs`` are absolute folders (such as the
    tool's own output folder) that are never entered.
    """
    report = report if report is not None else WalkReport()
    root = root.resolve()
    base_specs: list[tuple[str, pathspec.PathSpec[Any]]] = []
    if exclude:
        base_specs.append(("", pathspec.GitIgnoreSpec.from_lines(exclude)))
    skip = {p.resolve() for p in (skip_dirs or [])}
    yield from _walk_dir(root, root, "", base_specs, skip, report)


def _walk_dir(
    root: Path,
    directory: Path,
    prefix: str,
    inherited: list[tuple[str, pathspec.PathSpec[Any]]],
    skip: set[Path],
    report: WalkReport,
) -> Iterator[Found]:
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        report.warn(prefix.rstrip("/") or ".", f"could not list folder: {exc.strerror}; skipped")
        return
    specs = inherited + _load_ignore(directory, prefix, report)
    for entry in entries:
        rel = prefix + entry.name
        if not _valid_utf8(entry.name):
            # Paths go into citations, JSON and Markdown: a name that is not text cannot be cited.
            report.warn(_shown(rel), "name is not valid UTF-8; skipped")
            continue
        try:
            is_link = entry.is_symlink()
            st = entry.stat(follow_symlinks=False)
        except OSError as exc:
            report.warn(rel, f"could not stat: {exc.strerror}")
            continue
        if stat.S_ISDIR(st.st_mode):
            if entry.name in SKIP_DIRS or entry.name.endswith(".egg-info"):
                report.quiet_skips += 1
                continue
            if Path(entry.path) in skip or _ignored(rel, True, specs):
                continue
            if _exists(Path(entry.path) / STATE_FILE):
                report.quiet_skips += 1  # specagent's own output, wherever --out put it
                continue
            if _exists(Path(entry.path) / "pyvenv.cfg"):
                report.quiet_skips += 1  # a virtualenv under any name
                continue
            yield from _walk_dir(root, Path(entry.path), rel + "/", specs, skip, report)
            continue
        if _ignored(rel, False, specs):
            continue
        if is_link:
            target = _inside_target(root, Path(entry.path), rel, report)
            if target is None:
                continue
            try:
                st = target.stat()
            except OSError as exc:
                report.warn(rel, f"could not stat link target: {exc.strerror}")
                continue
            if stat.S_ISDIR(st.st_mode):
                # Following folder links invites loops and double counting; the folder is
                # walked under its real name if it is inside the root.
                report.warn(rel, "symlinked folder not followed")
                continue
        if not stat.S_ISREG(st.st_mode):
            report.warn(rel, "not a regular file; skipped")
            continue
        name = entry.name
        suffix = PurePosixPath(name).suffix.lower().lstrip(".")
        if suffix in BINARY_SUFFIXES or name in NOISE_FILES:
            report.quiet_skips += 1
            continue
        yield Found(rel=rel, path=Path(entry.path), kind=classify(rel), size=st.st_size)


def _valid_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes arrive as lone surrogates
        return False
    return True


def _shown(rel: str) -> str:
    """A path as text a terminal and a JSON file can hold (undecodable bytes as \\xNN)."""
    return os.fsencode(rel).decode("utf-8", "backslashreplace")


def _exists(path: Path) -> bool:
    """``path.exists()`` that answers False where the folder cannot be searched (Python 3.11 raises)."""
    try:
        return path.exists()
    except OSError:
        return False


def _inside_target(root: Path, link: Path, rel: str, report: WalkReport) -> Path | None:
    """The resolved target of a link if it stays inside the root, else None (with a warning)."""
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        reason = "symlink loop" if "loop" in str(exc).lower() or isinstance(exc, RuntimeError) else "broken symlink"
        report.warn(rel, f"{reason}; skipped")
        return None
    if not target.is_relative_to(root):
        report.warn(rel, "symlink points outside the prototype; not followed")
        return None
    return target
