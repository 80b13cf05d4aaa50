"""Events the library emits instead of printing. Front ends (CLI, TUI) render them.

Every layer may import this module; it imports nothing from specagent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Event:
    """Base class of everything a pipeline stage reports."""


@dataclass(frozen=True, slots=True)
class StageStarted(Event):
    stage: str  # "walk", "parse", "index", "draft", "validate", "write", ...
    total: int | None = None  # units of work, when known


@dataclass(frozen=True, slots=True)
class StageProgress(Event):
    stage: str
    done: int
    total: int | None = None
    detail: str = ""  # e.g. the file being parsed


@dataclass(frozen=True, slots=True)
class StageFinished(Event):
    stage: str
    seconds: float
    summary: str = ""


@dataclass(frozen=True, slots=True)
class Warned(Event):
    """Something was skipped, degraded or dropped; ``message`` is one line."""

    message: str
    path: str | None = None


@dataclass(frozen=True, slots=True)
class FileWritten(Event):
    path: str


EventSink = Callable[[Event], None]


def null_sink(event: Event) -> None:
    """Discard events (library default)."""
