"""A SQLite cache of model answers, keyed by everything that shapes an answer.

The key is the sha256 of the model name, the rendered messages, the output schema, the call
parameters and the prompt version: a re-draft with nothing changed makes zero model calls, and
a section whose evidence changed misses the cache (its rendered prompt differs).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from pathlib import Path
from typing import Any


def exchange_key(
    model: str, messages: list[dict[str, str]], schema: dict[str, Any], params: dict[str, Any], prompt_version: str
) -> str:
    """The cache (and recording) key of one request."""
    blob = json.dumps(
        {"model": model, "messages": messages, "schema": schema, "params": params, "prompt_version": prompt_version},
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


class ResponseCache:
    """Answers by key in one SQLite file; safe to share between threads of one process."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        # check_same_thread=False: sections may run in worker threads; the lock serialises use.
        self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
        with self._db:
            self._db.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, answer TEXT NOT NULL)")

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored answer for ``key`` (content and token counts), or None."""
        with self._lock:
            row = self._db.execute("SELECT answer FROM answers WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, key: str, answer: dict[str, Any]) -> None:
        """Store ``answer`` under ``key`` (replacing an older one)."""
        with self._lock, self._db:
            self._db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?)", (key, json.dumps(answer)))

    def close(self) -> None:
        with self._lock:
            self._db.close()
