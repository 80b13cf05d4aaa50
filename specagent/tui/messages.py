"""Messages the app's workers and widgets post, as dataclasses named for what happened."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

from specagent.events import Event
from specagent.pipeline.draft import DraftResult
from specagent.quality.findings import CheckReport

if TYPE_CHECKING:  # the index (and chromadb) loads only when a search runs
    from specagent.pipeline.indexing import SearchHit


@dataclass
class PipelineEvented(Message):
    """The pipeline emitted an event (progress, a warning) in a worker thread."""

    event: Event


@dataclass
class Indexed(Message):
    """Indexing finished: ``summary`` says what it did."""

    summary: str
    chunks: int


@dataclass
class IndexFailed(Message):
    """Indexing stopped: cancelled by the person, or an error (one line)."""

    reason: str
    cancelled: bool = False


@dataclass
class Drafted(Message):
    """A draft is ready."""

    result: DraftResult


@dataclass
class WorkFailed(Message):
    """A worker's job failed with a one-line reason (the app shows it; it never crashes)."""

    what: str
    reason: str


@dataclass
class Checked(Message):
    """The quality checks ran on the spec as it is now."""

    report: CheckReport


@dataclass
class Searched(Message):
    """A repository search returned hits (best first)."""

    query: str
    hits: list[SearchHit]


@dataclass
class Saved(Message):
    """The spec was written."""

    paths: list[str]


@dataclass
class NodeChosen(Message):
    """The person moved to an item (``item_id``) or a section (``section``) in the tree."""

    item_id: str | None
    section: str | None
