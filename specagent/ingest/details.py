"""One model per fact kind: what ``Fact.detail`` holds, typed.

Every extractor's detail is validated into the model of its fact's kind (see
:data:`DETAIL_MODELS`), so a key renamed on one side of the ingest/drafter contract shows up in
the type checker instead of silently thinning a draft. Readers take a fact's detail as its
model with ``Fact.detail_as(Model)`` and read attributes. Keys an extractor leaves out stay out:
a model remembers which fields were given (``model_fields_set``), and serialises to exactly those
keys, so a detail's JSON is the dict it replaced.

Nested records (route parameters, model fields, CLI options, ...) are typed too: see
:mod:`specagent.ingest.records`.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import Discriminator, Field, Tag

from specagent.ingest.kinds import FactKind
from specagent.ingest.records import (
    CliOption,
    MetricRow,
    ModelField,
    Mount,
    ParamSpec,
    QueueUse,
    Record,
    RouteError,
    SampleColumn,
    UiInput,
)

Scalar = str | int | float | bool | None


class Detail(Record):
    """What every kind's detail shares: frozen, serialised as given, and no undeclared key:
    a key a parser writes that its kind's model does not declare fails validation loudly."""

    KIND: ClassVar[FactKind]


class ModuleDetail(Detail):
    KIND = FactKind.MODULE
    doc: str | None = None


class FunctionDetail(Detail):
    KIND = FactKind.FUNCTION
    signature: str
    doc: str | None = None
    is_async: bool
    decorators: list[str]
    qualname: str
    validates: list[str] | None = None


class ClassDetail(Detail):
    KIND = FactKind.CLASS
    bases: list[str]
    doc: str | None = None
    methods: list[str]


class CliCommandDetail(Detail):
    KIND = FactKind.CLI_COMMAND
    framework: str
    command: str
    program: str | None = None
    help: str | None = None
    options: list[CliOption]
    queues: list[QueueUse] | None = None
    runs: list[str] | None = None


class HttpRouteDetail(Detail):
    KIND = FactKind.HTTP_ROUTE
    framework: str
    method: str
    path: str
    handler: str | None = None
    request_model: str | None = None
    response_model: str | None = None
    params: list[str] | None = None
    doc: str | None = None
    param_specs: list[ParamSpec] | None = None
    errors: list[RouteError] | None = None
    success: list[int] | None = None
    mounts: list[Mount] | None = None
    url_module: str | None = None  # Django: the urls.py module that routes to this view
    module: str | None = None  # Django: the module the route or pending part was written in
    # A Django route's pending parts (joined by link_django_routes, then dropped): which part,
    # the view or include target it names, and the urls.py line that wrote a router's prefix.
    django_part: str | None = None
    view: str | None = None
    target: str | None = None
    via: Mount | None = None


class DataModelDetail(Detail):
    KIND = FactKind.DATA_MODEL
    framework: str
    doc: str | None = None
    table: str | None = None
    dataframe: str | None = None
    fields: list[ModelField]
    table_constraints: list[str] | None = None


class EnvVarDetail(Detail):
    KIND = FactKind.ENV_VAR
    accessor: str
    default: Scalar = None
    required: bool
    is_secret: bool


class FileIoDetail(Detail):
    KIND = FactKind.FILE_IO
    mode: str
    format: str
    target: str
    call: str


class ServiceDetail(Detail):
    KIND = FactKind.SERVICE
    kind: str
    client: str
    endpoint: str | None = None
    models: list[str]


class ImportDetail(Detail):
    KIND = FactKind.IMPORT
    module: str
    stdlib: bool


class DependencyDetail(Detail):
    KIND = FactKind.DEPENDENCY
    version: str | None = None
    source: str
    group: str | None = None


class TodoDetail(Detail):
    KIND = FactKind.TODO
    tag: str
    text: str


class TestDetail(Detail):
    KIND = FactKind.TEST
    __test__ = False  # not a pytest test class
    target: str | None = None
    asserts: list[str]
    doc: str | None = None


class MetricDetail(Detail):
    KIND = FactKind.METRIC
    value: float
    unit: str | None = None
    raw: str
    split: str | None = None
    context: str | None = None
    row: MetricRow | None = None


class DataFrameDetail(Detail):
    KIND = FactKind.DATAFRAME
    shape: list[int] | None = None
    columns: list[str]
    variable: str | None = None
    loaded_from: str | None = None


class NoteSectionDetail(Detail):
    KIND = FactKind.NOTE_SECTION
    heading: str
    level: int
    text: str
    paragraphs: list[str] | None = None
    list_text: str | None = Field(default=None, alias="list")
    doc_title: str | None = None


class NoteLineDetail(Detail):
    KIND = FactKind.NOTE_LINE
    cue: str
    text: str


class ConfigKeyDetail(Detail):
    KIND = FactKind.CONFIG_KEY
    value: str | None = None
    file_format: str


class DataSchemaDetail(Detail):
    KIND = FactKind.DATA_SCHEMA
    format: str
    columns: list[SampleColumn]
    rows_sampled: int
    sampled: bool


class DockerDetail(Detail):
    KIND = FactKind.DOCKER
    base_image: str | None = None
    ports: list[int]
    cmd: str | None = None
    env: list[str]
    packages: list[str] | None = None


class CiJobDetail(Detail):
    KIND = FactKind.CI_JOB
    system: str
    steps: list[str]


class SecretDetail(Detail):
    KIND = FactKind.SECRET
    secret_type: str
    variable: str | None = None
    hard_coded: bool


class ErrorOutputDetail(Detail):
    KIND = FactKind.ERROR_OUTPUT
    ename: str
    evalue: str


class HardcodedPathDetail(Detail):
    KIND = FactKind.HARDCODED_PATH
    path: str


class ScheduleDetail(Detail):
    KIND = FactKind.SCHEDULE
    scheduler: str
    cron: str | None = None
    every: str | None = None
    timezone: str | None = None
    target: str | None = None


class UiAppDetail(Detail):
    KIND = FactKind.UI_APP
    framework: str
    run: str
    doc: str | None = None
    inputs: list[UiInput]


_MODELS: tuple[type[Detail], ...] = (
    ModuleDetail,
    FunctionDetail,
    ClassDetail,
    CliCommandDetail,
    HttpRouteDetail,
    DataModelDetail,
    EnvVarDetail,
    FileIoDetail,
    ServiceDetail,
    ImportDetail,
    DependencyDetail,
    TodoDetail,
    TestDetail,
    MetricDetail,
    DataFrameDetail,
    NoteSectionDetail,
    NoteLineDetail,
    ConfigKeyDetail,
    DataSchemaDetail,
    DockerDetail,
    CiJobDetail,
    SecretDetail,
    ErrorOutputDetail,
    HardcodedPathDetail,
    ScheduleDetail,
    UiAppDetail,
)

#: The detail model of each fact kind.
DETAIL_MODELS: dict[FactKind, type[Detail]] = {m.KIND: m for m in _MODELS}


def _tag(value: Any) -> str | None:
    """The union's tag: a detail model's kind (dicts are typed by :class:`Fact` before this)."""
    return value.KIND.value if isinstance(value, Detail) else None


FactDetail = Annotated[
    Annotated[ModuleDetail, Tag(FactKind.MODULE.value)]
    | Annotated[FunctionDetail, Tag(FactKind.FUNCTION.value)]
    | Annotated[ClassDetail, Tag(FactKind.CLASS.value)]
    | Annotated[CliCommandDetail, Tag(FactKind.CLI_COMMAND.value)]
    | Annotated[HttpRouteDetail, Tag(FactKind.HTTP_ROUTE.value)]
    | Annotated[DataModelDetail, Tag(FactKind.DATA_MODEL.value)]
    | Annotated[EnvVarDetail, Tag(FactKind.ENV_VAR.value)]
    | Annotated[FileIoDetail, Tag(FactKind.FILE_IO.value)]
    | Annotated[ServiceDetail, Tag(FactKind.SERVICE.value)]
    | Annotated[ImportDetail, Tag(FactKind.IMPORT.value)]
    | Annotated[DependencyDetail, Tag(FactKind.DEPENDENCY.value)]
    | Annotated[TodoDetail, Tag(FactKind.TODO.value)]
    | Annotated[TestDetail, Tag(FactKind.TEST.value)]
    | Annotated[MetricDetail, Tag(FactKind.METRIC.value)]
    | Annotated[DataFrameDetail, Tag(FactKind.DATAFRAME.value)]
    | Annotated[NoteSectionDetail, Tag(FactKind.NOTE_SECTION.value)]
    | Annotated[NoteLineDetail, Tag(FactKind.NOTE_LINE.value)]
    | Annotated[ConfigKeyDetail, Tag(FactKind.CONFIG_KEY.value)]
    | Annotated[DataSchemaDetail, Tag(FactKind.DATA_SCHEMA.value)]
    | Annotated[DockerDetail, Tag(FactKind.DOCKER.value)]
    | Annotated[CiJobDetail, Tag(FactKind.CI_JOB.value)]
    | Annotated[SecretDetail, Tag(FactKind.SECRET.value)]
    | Annotated[ErrorOutputDetail, Tag(FactKind.ERROR_OUTPUT.value)]
    | Annotated[HardcodedPathDetail, Tag(FactKind.HARDCODED_PATH.value)]
    | Annotated[ScheduleDetail, Tag(FactKind.SCHEDULE.value)]
    | Annotated[UiAppDetail, Tag(FactKind.UI_APP.value)],
    Discriminator(_tag),
]

__all__ = ["DETAIL_MODELS", "Detail", "FactDetail"]
