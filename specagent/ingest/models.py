"""What ingest produces: the files it read, chunks for retrieval, and facts for drafting.

Facts are what the prototype says for certain, found by AST and structure, never by a model.
Each fact kind's ``detail`` is a model of its own (:mod:`specagent.ingest.details`, described on
:class:`FactKind`); the drafter reads its attributes, so the type checker holds both sides.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from specagent.ingest.details import DETAIL_MODELS, Detail, FactDetail
from specagent.ingest.kinds import FactKind as FactKind  # re-exported: readers import it from here


class FileKind(StrEnum):
    """How a file is parsed."""

    PYTHON = "python"
    NOTEBOOK = "notebook"
    NOTES = "notes"  # markdown, rst, txt
    CONFIG = "config"  # pyproject, requirements, .env.example, yaml/toml/json config, Dockerfile, CI
    DATA = "data"  # csv/tsv/jsonl/json samples
    OTHER = "other"  # readable text we only chunk


class SourceFile(BaseModel):
    """One file the walker accepted. ``path`` is relative to the root, POSIX style."""

    model_config = ConfigDict(frozen=True)

    path: str
    kind: FileKind
    sha256: str
    size: int
    sampled: bool = False  # a large CSV/JSON of which only the head was read


class Span(BaseModel):
    """Lines ``start_line``..``end_line`` (1-based, inclusive).

    For notebooks ``cell`` is the 1-based cell number and the lines count within that cell's
    source; a fact taken from a cell's output cites the cell and quotes the output text.
    """

    model_config = ConfigDict(frozen=True)

    start_line: int = Field(ge=1)
    end_line: int = Field(ge=1)
    cell: int | None = Field(default=None, ge=1)


class SourceRef(BaseModel):
    """Where a fact or chunk came from: a path, a span and, optionally, a verbatim quote."""

    model_config = ConfigDict(frozen=True)

    path: str
    span: Span
    quote: str | None = None


D = TypeVar("D", bound=Detail)


class Fact(BaseModel):
    """Something the prototype states for certain, with where it says it."""

    model_config = ConfigDict(frozen=True)

    kind: FactKind
    name: str
    detail: FactDetail
    source: SourceRef

    def detail_as(self, model: type[D]) -> D:
        """The detail typed as ``model``, the model of this fact's kind (else a TypeError: the
        caller asked the wrong kind of fact)."""
        detail = self.detail
        if not isinstance(detail, model):
            raise TypeError(f"a {self.kind.value} fact carries no {model.__name__}")
        return detail

    @model_validator(mode="before")
    @classmethod
    def _typed_detail(cls, data: Any) -> Any:
        """Validate a dict ``detail`` into the model of the fact's kind (the union's member)."""
        if isinstance(data, dict) and not isinstance(data.get("detail"), Detail):
            data = {**data, "detail": detail_for(FactKind(data["kind"]), data.get("detail") or {})}
        return data


def detail_for(kind: FactKind, detail: dict[str, Any] | Detail) -> Detail:
    """``detail`` as the model of ``kind``; a model of another kind is a programming error."""
    model = DETAIL_MODELS[kind]
    if isinstance(detail, Detail):
        if not isinstance(detail, model):
            raise TypeError(f"a {kind.value} fact cannot carry a {type(detail).__name__}")
        return detail
    return model.model_validate(detail)


class ChunkKind(StrEnum):
    """The unit a chunk was cut from."""

    CODE = "code"  # function, class or module-level block
    CELL = "cell"  # a notebook cell (source, with outputs summarised)
    SECTION = "section"  # a markdown/rst/txt section
    CONFIG = "config"
    DATA = "data"
    TEXT = "text"


class Chunk(BaseModel):
    """A retrievable unit of a file. ``id`` is stable: path, span and content hash."""

    model_config = ConfigDict(frozen=True)

    id: str
    path: str
    span: Span
    kind: ChunkKind
    text: str
    symbols: list[str] = Field(default_factory=list)


class IngestWarning(BaseModel):
    """Something ingest skipped or degraded, said in one line."""

    model_config = ConfigDict(frozen=True)

    path: str
    message: str


class ParseResult(BaseModel):
    """What a parser returns for one file."""

    facts: list[Fact] = Field(default_factory=list)
    chunks: list[Chunk] = Field(default_factory=list)
    warnings: list[IngestWarning] = Field(default_factory=list)


def make_chunk_id(path: str, span: Span, text: str) -> str:
    """A stable chunk id from path, span and content: unchanged code keeps its id."""
    import hashlib

    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    cell = f"c{span.cell}:" if span.cell is not None else ""
    return f"{path}#{cell}L{span.start_line}-L{span.end_line}@{digest}"
