"""The Spec: the contract every drafter fills and every renderer, checker and diff reads.

spec.json is ``Spec.model_dump_json()``; ``Spec.model_validate_json`` reads it back losslessly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SCHEMA_VERSION = "1"

Provenance = Literal["observed", "inferred", "decision"]
Priority = Literal["must", "should", "could"]
Level = Literal["low", "medium", "high"]

#: Item list (a field of the spec or of its overview) -> the ID prefixes its items use.
#: Requirements use ``NFR`` for non-functional ones, ``FR`` otherwise (see :func:`id_prefix`).
FIELD_PREFIXES: dict[str, tuple[str, ...]] = {
    "goals": ("G",),
    "non_goals": ("NG",),
    "users": ("U",),
    "user_stories": ("US",),
    "requirements": ("FR", "NFR"),
    "interfaces": ("IF",),
    "data_contracts": ("DC",),
    "metrics": ("SM",),
    "constraints": ("MC",),
    "dependencies": ("DEP",),
    "architecture": ("C",),
    "risks": ("RK",),
    "open_questions": ("OQ",),
}
OVERVIEW_FIELDS: tuple[str, ...] = ("goals", "non_goals", "users")
#: Section key in spec.json -> ID prefixes its items use.
SECTION_PREFIXES: dict[str, tuple[str, ...]] = {
    "overview": tuple(p for f in OVERVIEW_FIELDS for p in FIELD_PREFIXES[f]),
    **{f: prefixes for f, prefixes in FIELD_PREFIXES.items() if f not in OVERVIEW_FIELDS},
}
LIST_SECTIONS: tuple[str, ...] = tuple(k for k in SECTION_PREFIXES if k != "overview")
ID_RE = re.compile(r"^(G|NG|U|US|FR|NFR|IF|DC|SM|MC|DEP|C|RK|OQ)-(\d{3,})$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Citation(_Model):
    """Where a statement comes from: lines of a file, or lines of a notebook cell's source.

    ``cell`` is the 1-based cell number; with it, lines count within that cell's source, and a
    quote may come from the cell's outputs (a measured metric, say).
    """

    path: str = Field(description="Relative POSIX path inside the prototype root.")
    start_line: int = Field(ge=1)
    end_line: int = Field(ge=1)
    cell: int | None = Field(default=None, ge=1, description="1-based notebook cell number.")
    quote: str | None = Field(default=None, description="Verbatim text found at the location.")
    hash: str | None = Field(
        default=None,
        description="sha256 (16 hex digits) of the cited lines' normalised text: drift finds changed or moved lines.",
    )

    @field_validator("path")
    @classmethod
    def _relative_posix(cls, value: str) -> str:
        if not value or value.startswith("/") or "\\" in value or re.match(r"^[A-Za-z]:", value):
            raise ValueError(f"citation path must be relative POSIX, got {value!r}")
        parts = value.split("/")
        if any(p in ("", ".", "..") for p in parts):
            raise ValueError(f"citation path must stay inside the root, got {value!r}")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Citation:
        if self.end_line < self.start_line:
            raise ValueError(f"end_line {self.end_line} is before start_line {self.start_line}")
        return self

    @property
    def place(self) -> tuple[str, int, int, int | None]:
        """Where the citation points (path, lines, cell), whatever its quote or hash."""
        return self.path, self.start_line, self.end_line, self.cell

    def anchor(self) -> str:
        """The relative link GitHub renders: ``path#L10-L24`` (a notebook links the file)."""
        if self.cell is not None:
            return self.path
        if self.start_line == self.end_line:
            return f"{self.path}#L{self.start_line}"
        return f"{self.path}#L{self.start_line}-L{self.end_line}"

    def label(self) -> str:
        """Short human label: ``app.py:10-24`` or ``eval.ipynb cell 4``."""
        if self.cell is not None:
            return f"{self.path} cell {self.cell}"
        if self.start_line == self.end_line:
            return f"{self.path}:{self.start_line}"
        return f"{self.path}:{self.start_line}-{self.end_line}"


def distinct(citations: Iterable[Citation]) -> list[Citation]:
    """``citations`` in order without repeats of a place (the first one's quote is kept)."""
    seen: dict[tuple[str, int, int, int | None], Citation] = {}
    for c in citations:
        seen.setdefault(c.place, c)
    return list(seen.values())


class Item(_Model):
    """Fields every spec item carries."""

    id: str
    provenance: Provenance = "observed"
    sources: list[Citation] = Field(default_factory=list)
    locked: bool = Field(default=False, description="A person owns this item: never rewritten.")

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not ID_RE.match(value):
            raise ValueError(f"malformed item id {value!r} (expected e.g. FR-001)")
        return value


class Problem(_Model):
    """The problem statement: prose with its evidence."""

    text: str
    provenance: Provenance = "observed"
    sources: list[Citation] = Field(default_factory=list)
    locked: bool = False


class Goal(Item):
    statement: str


class NonGoal(Item):
    statement: str


class UserGroup(Item):
    name: str
    description: str | None = None


class Overview(_Model):
    problem: Problem | None = None
    goals: list[Goal] = Field(default_factory=list)
    non_goals: list[NonGoal] = Field(default_factory=list)
    users: list[UserGroup] = Field(default_factory=list)


class AcceptanceCriterion(_Model):
    given: str
    when: str
    then: str


class UserStory(Item):
    as_a: str
    i_want: str
    so_that: str | None = None
    acceptance: list[AcceptanceCriterion] = Field(default_factory=list)


class Requirement(Item):
    kind: Literal["functional", "non_functional"] = "functional"
    statement: str = Field(description="EARS form where possible: When <trigger>, the <system> shall <response>.")
    priority: Priority = "should"
    acceptance: list[str] = Field(default_factory=list)
    rationale: str | None = None


class Parameter(_Model):
    name: str
    type: str | None = None
    required: bool = False
    default: str | None = None
    description: str | None = None
    flags: list[str] = Field(default_factory=list)


class Interface(Item):
    kind: Literal["cli", "http", "library", "ui", "schedule", "file", "event", "other"]
    name: str
    summary: str | None = None
    signature: str | None = None
    method: str | None = None
    route: str | None = None
    request: str | None = None
    response: str | None = None
    errors: str | None = Field(default=None, description="Error statuses it answers, with why: `404` (not found).")
    parameters: list[Parameter] = Field(default_factory=list)


class FieldSpec(_Model):
    name: str
    type: str | None = None
    required: bool = True
    constraints: str | None = None
    description: str | None = None


class DataContract(Item):
    name: str
    role: Literal["input", "output", "stored", "config", "message"]
    format: str | None = None
    summary: str | None = None
    fields: list[FieldSpec] = Field(default_factory=list)


class Baseline(_Model):
    """A value the prototype measured, as printed (``raw``) and parsed (``value``)."""

    value: float | None = None
    unit: str | None = None
    raw: str


class Metric(Item):
    name: str
    definition: str
    baseline: Baseline | None = None
    target: str | None = None
    how_measured: str | None = None


class Constraint(Item):
    category: Literal[
        "latency",
        "cost",
        "throughput",
        "explainability",
        "privacy",
        "security",
        "compliance",
        "reliability",
        "other",
    ]
    statement: str
    target: str | None = None


class Dependency(Item):
    kind: Literal["package", "service", "model", "dataset", "env_var", "secret"]
    name: str
    version: str | None = None
    purpose: str | None = None
    required: bool | None = None


class Component(Item):
    name: str
    responsibility: str
    paths: list[str] = Field(default_factory=list)
    uses: list[str] = Field(default_factory=list, description="Names of components it calls or feeds.")


class Risk(Item):
    title: str
    detail: str | None = None
    likelihood: Level = "medium"
    impact: Level = "medium"
    mitigation: str | None = None


class OpenQuestion(Item):
    question: str
    why: str | None = None
    options: list[str] = Field(default_factory=list)


class ModelUsage(_Model):
    """What drafting with a language model cost (absent from an offline draft)."""

    model: str
    calls: int = Field(default=0, description="Requests that reached the endpoint.")
    cached_calls: int = Field(default=0, description="Answers served by the cache or a recording.")
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float | None = Field(default=None, description="Estimate; null when the model's price is unknown.")
    added: int = Field(default=0, description="Items the model added or filled in.")
    dropped: int = Field(default=0, description="Items validation dropped.")
    demoted: int = Field(default=0, description="Items validation turned into open questions.")
    sections: dict[str, str] = Field(default_factory=dict, description="Section group -> what happened.")


class Meta(_Model):
    schema_version: str = SCHEMA_VERSION
    tool: str = "specagent"
    tool_version: str = ""
    project: str = ""
    generated_at: str = ""
    drafter: str = "offline"
    files: int = 0
    lines: int = 0
    fingerprint: str = Field(default="", description="sha256 over the ingested files' hashes.")
    warnings: list[str] = Field(default_factory=list)
    git_commit: str | None = Field(default=None, description="The commit the prototype was drafted from.")
    git_dirty: bool | None = Field(default=None, description="The prototype had uncommitted changes.")
    retired_ids: list[str] = Field(
        default_factory=list, description="IDs of items that were dropped; never given to another item."
    )
    model_usage: ModelUsage | None = Field(default=None, description="Set when a model drafted.")


class Spec(_Model):
    """A drafted production spec. Top-level keys follow DESIGN.md."""

    meta: Meta = Field(default_factory=Meta)
    overview: Overview = Field(default_factory=Overview)
    user_stories: list[UserStory] = Field(default_factory=list)
    requirements: list[Requirement] = Field(default_factory=list)
    interfaces: list[Interface] = Field(default_factory=list)
    data_contracts: list[DataContract] = Field(default_factory=list)
    metrics: list[Metric] = Field(default_factory=list)
    constraints: list[Constraint] = Field(default_factory=list)
    dependencies: list[Dependency] = Field(default_factory=list)
    architecture: list[Component] = Field(default_factory=list)
    risks: list[Risk] = Field(default_factory=list)
    open_questions: list[OpenQuestion] = Field(default_factory=list)

    def section_items(self, section: str) -> list[Item]:
        """Items of a section; for ``overview``: goals, non-goals and users."""
        if section == "overview":
            ov = self.overview
            return [*ov.goals, *ov.non_goals, *ov.users]
        if section not in LIST_SECTIONS:
            raise KeyError(section)
        return list(getattr(self, section))

    def item_lists(self) -> list[tuple[str, list[Item]]]:
        """Every list of items by its field name (``goals`` ... ``open_questions``), live.

        Mutating a returned list changes the spec: ID allocation and validation work this way.
        """
        ov = self.overview
        fields: list[tuple[str, list[Item]]] = [(name, getattr(ov, name)) for name in OVERVIEW_FIELDS]
        fields.extend((name, getattr(self, name)) for name in LIST_SECTIONS)
        return fields

    def iter_items(self) -> Iterator[tuple[str, Item]]:
        """Every item with its section key, in document order."""
        for section in SECTION_PREFIXES:
            for item in self.section_items(section):
                yield section, item

    def iter_citations(self) -> Iterator[tuple[str, Citation]]:
        """Every citation with the id of what carries it (``problem`` for the problem)."""
        if self.overview.problem is not None:
            for c in self.overview.problem.sources:
                yield "problem", c
        for _, item in self.iter_items():
            for c in item.sources:
                yield item.id, c


def id_prefix(field: str, item: object) -> str:
    """The ID prefix for an item of the list ``field`` (``FR`` or ``NFR`` by a requirement's kind)."""
    if field == "requirements":
        return "NFR" if getattr(item, "kind", "") == "non_functional" else "FR"
    return FIELD_PREFIXES[field][0]


_NOT_TEXT = {"id", "sources", "provenance", "locked"}


def _strings(value: Any) -> Iterator[str]:
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, int | float):
        yield str(value)
    elif isinstance(value, dict):
        for key, sub in value.items():
            if key not in _NOT_TEXT:
                yield from _strings(sub)
    elif isinstance(value, list | tuple):
        for sub in value:
            yield from _strings(sub)


def item_text(item: BaseModel) -> str:
    """The words of an item, without its id, citations or flags: what a reader sees as its text."""
    return " ".join(_strings(item.model_dump()))


def json_schema() -> dict[str, Any]:
    """The JSON Schema spec.json validates against."""
    schema = Spec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "specagent Spec"
    return schema
