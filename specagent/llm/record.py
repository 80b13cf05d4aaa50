"""Record and replay model exchanges (``--record DIR`` / ``--replay DIR``).

A recording is one small JSON file per exchange, named by its key (see
:func:`specagent.llm.cache.exchange_key`): the request that was sent (messages, schema name,
parameters) and the answer that came back. Replaying serves answers from those files and never
opens a connection; a request with no recording fails in one line, so an eval replayed in CI
either reproduces the recorded run or says which section changed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from specagent.errors import ModelError
from specagent.fileio import atomic_write_text


class Recorder:
    """Writes every exchange of a run into ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def save(self, key: str, label: str, request: dict[str, Any], answer: dict[str, Any]) -> Path:
        """Store one exchange; ``label`` (the section) makes the folder readable."""
        path = self.folder / f"{key[:24]}.json"
        data = {"key": key, "label": label, "request": request, "answer": answer}
        atomic_write_text(path, json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
        return path


class Replayer:
    """Serves recorded answers from ``folder``; a miss is a :class:`ModelError`."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise ModelError(f"--replay {self.folder}: no such recording folder")
        self._answers: dict[str, dict[str, Any]] = {}
        #: The model names the exchanges were recorded with (``local`` resolves to one of them).
        self.models: set[str] = set()
        for path in sorted(self.folder.glob("*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                self._answers[data["key"]] = data["answer"]
                self.models.add(str(data["request"]["model"]))
            except (ValueError, KeyError, TypeError):
                raise ModelError(f"--replay: {path} is not a recorded exchange") from None

    def get(self, key: str, label: str) -> dict[str, Any]:
        """The recorded answer for ``key``; a miss names the section and how to fix it."""
        answer = self._answers.get(key)
        if answer is None:
            raise ModelError(
                f"--replay {self.folder}: no recorded answer for the {label} request (key {key[:12]}); "
                "the prompt, evidence or model changed since it was recorded: record again with --record"
            )
        return answer
