"""The index's write lock: one writer at a time per index folder."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from specagent.errors import IndexUnusableError

#: Seconds a second writer waits for the lock before giving up.
LOCK_TIMEOUT_S = 600.0


def ignore_in_git(folder: Path) -> None:
    """Put a ``.gitignore`` of ``*`` in the tool's folder, so the index never shows in ``git status``."""
    marker = folder / ".gitignore"
    if not marker.exists():
        with contextlib.suppress(OSError):  # a read-only folder only costs the convenience
            marker.write_text("# specagent's index: rebuilt from the code, never committed\n*\n", encoding="utf-8")


@contextlib.contextmanager
def write_lock(index_dir: Path, lock_path: Path, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold ``lock_path``; a second writer waits ``timeout`` seconds, then fails with one line."""
    lock = FileLock(str(lock_path), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise IndexUnusableError(
            f"the index at {index_dir} is being written by another specagent process "
            f"(waited {timeout:g} s for {lock_path}); try again when it finishes"
        ) from None
    try:
        yield
    finally:
        lock.release()
