"""Data contracts: models, data samples, dataframes shown in notebooks, config files."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from specagent.ingest.details import (
    ClassDetail,
    ConfigKeyDetail,
    DataFrameDetail,
    DataModelDetail,
    DataSchemaDetail,
    FileIoDetail,
    FunctionDetail,
    HttpRouteDetail,
)
from specagent.ingest.models import Fact, FactKind
from specagent.ingest.python_common import is_test_path
from specagent.ingest.records import ModelField
from specagent.pipeline.offline.architecture import DEPLOY_DIRS
from specagent.pipeline.offline.book import FactBook
from specagent.pipeline.offline.common import (
    FILE_EXTENSIONS,
    cite,
    cites,
    clean,
    constraint_text,
    file_target,
    tick,
)
from specagent.spec.model import (
    DataContract,
    FieldSpec,
)


def data_contracts(book: FactBook) -> list[DataContract]:
    """The data the prototype takes in, stores and emits: its models, data samples, dataframes
    shown in notebooks, config files, and the files it reads that nothing else describes."""
    written = {file_target(io) for io in book.facts(FactKind.FILE_IO) if io.detail_as(FileIoDetail).mode == "write"}
    items = _model_contracts(book)
    items.extend(_sample_contracts(book, written))
    items.extend(_frame_contracts(book, items, written))
    items.extend(_config_contracts(book))
    items.extend(_read_inputs(book, {c.name for c in items}, written))
    if not items:
        book.ask(
            "What data does the production version take in, store and emit?",
            "No data models, samples or config files were found in the prototype.",
        )
    return items


@dataclass(frozen=True)
class _ModelClues:
    """What other facts say about the data models: their base classes, which travel through
    HTTP routes, which functions validate them, and each SQL table's fullest declaration."""

    bases: dict[tuple[str, str], list[str]]
    route_models: set[str]
    model_names: set[str]
    validators: dict[str, list[Fact]]
    fullest: dict[str, Fact]

    @classmethod
    def of(cls, book: FactBook, models: list[Fact]) -> _ModelClues:
        routes = [r.detail_as(HttpRouteDetail) for r in book.facts(FactKind.HTTP_ROUTE)]
        return cls(
            bases={
                (f.source.path, f.name): [str(b) for b in f.detail_as(ClassDetail).bases or []]
                for f in book.facts(FactKind.CLASS)
            },
            route_models={str(m) for r in routes for m in (r.request_model, r.response_model) if m},
            model_names={m.name for m in models},
            validators=_validators(book),
            fullest=_fullest_tables(models),
        )


def _model_contracts(book: FactBook) -> list[DataContract]:
    """One contract per data model. A table declared again in SQL is drafted once, from its
    fullest declaration (or the ORM model that maps it), and the others are cited there."""
    # ``CREATE TABLE`` text last: where an ORM model maps the same table, the model is drafted.
    models = sorted(book.facts(FactKind.DATA_MODEL), key=lambda m: m.detail_as(DataModelDetail).framework == "sql")
    clues = _ModelClues.of(book, models)
    items: list[DataContract] = []
    drafted_tables: dict[str, DataContract] = {}
    repeats: list[Fact] = []
    for model in models:
        d = model.detail_as(DataModelDetail)
        key = _table_key(model)
        if d.framework == "sql" and (clues.fullest[key] is not model or key in drafted_tables):
            repeats.append(model)
            continue
        items.append(_model_contract(book, model, clues))
        if d.table:
            drafted_tables.setdefault(key, items[-1])
    for model in repeats:  # the same table declared again: one more citation, not a copy
        contract = drafted_tables.get(_table_key(model))
        if contract is not None and len(contract.sources) < 2:
            contract.sources.append(cite(model))
    return items


def _model_contract(book: FactBook, model: Fact, clues: _ModelClues) -> DataContract:
    """The contract of one data model: its role and format, its fields (with what the DDL of
    the same table adds), and the functions that validate it."""
    d = model.detail_as(DataModelDetail)
    checked_in = clues.validators.get(model.name, []) if d.framework == "pandera" else []
    role, fmt = _model_role_format(book, model, clues, checked_in)
    fields = d.fields or []
    twin = clues.fullest.get(_table_key(model)) if d.framework == "sqlalchemy" and d.table else None
    if twin is not None:
        fields = _with_ddl(fields, twin.detail_as(DataModelDetail).fields or [])
    return DataContract(
        id=book.id("DC"),
        name=model.name,
        role=role,
        format=fmt,
        summary=_model_summary(d, checked_in) or None,
        fields=[_model_field(f) for f in fields],
        sources=[cite(model), *cites(checked_in, 2)],
    )


def _model_role_format(book: FactBook, model: Fact, clues: _ModelClues, checked_in: list[Fact]) -> tuple[str, str]:
    """A model's role (stored, message, config, input, output) and format, from its framework,
    its base classes and whether HTTP routes carry it; the models it extends close the format."""
    d = model.detail_as(DataModelDetail)
    framework = str(d.framework)
    base_names = clues.bases.get((model.source.path, model.name), [])
    if framework == "sqlalchemy":
        role, fmt = "stored", f"SQL table {tick(d.table)}" if d.table else "SQL table"
    elif framework == "django":
        role = "stored"
        fmt = f"SQL table {tick(d.table)} (Django model)" if d.table else "SQL table (Django model)"
    elif framework == "pandera":
        role = _frame_role(book, checked_in)
        library = str(d.dataframe or "pandas")
        fmt = "dataframe (pandera)" if library == "pandas" else f"{library} dataframe (pandera)"
    elif framework == "sql":
        role, fmt = "stored", "SQL table"
    elif any("Settings" in b for b in base_names):
        role, fmt = "config", "settings (environment)"
    elif model.name in clues.route_models:
        role, fmt = "message", "JSON body (pydantic)"
    else:
        role, fmt = "message", f"{framework} model"
    parents = [b for b in base_names if b in clues.model_names]
    if parents:
        fmt = f"{fmt}; extends {', '.join(map(tick, parents))}"
    return role, fmt


def _model_summary(d: DataModelDetail, checked_in: list[Fact]) -> str:
    """A model's docstring, the constraints of its table and where it is validated."""
    parts = [
        x
        for x in (
            clean(d.doc) if d.doc else "",
            # multi-column keys and checks belong to no one field
            clean("; ".join(str(c) for c in d.table_constraints or []), 200),
            f"validated in {', '.join(tick(f.name) for f in checked_in[:3])}" if checked_in else "",
        )
        if x
    ]
    if len(parts) > 1:  # the doc's full stop would sit before a semicolon
        parts[0] = parts[0].removesuffix(".")
    return "; ".join(parts)


def _model_field(f: ModelField) -> FieldSpec:
    """One field of a data model: its type, whether it is required, default and constraints."""
    constraints = "; ".join(
        x
        for x in (
            f"default {f.default}" if f.default not in (None, "") else "",
            constraint_text(f.constraints),
        )
        if x
    )
    return FieldSpec(
        name=f.name,
        type=clean(f.type, 80) if f.type else None,
        required=f.required,
        constraints=clean(constraints, 160) or None,
        description=clean(f.doc, 120) if f.doc else None,
    )


def _sample_contracts(book: FactBook, written: set[str]) -> list[DataContract]:
    """One contract per data sample in the repository (test data left out): an output where the
    prototype writes that file, else an input; its columns are the fields."""
    items = []
    for schema in book.facts(FactKind.DATA_SCHEMA):
        sd = schema.detail_as(DataSchemaDetail)
        path = schema.source.path
        if is_test_path(path) or _in_dirs(path, FIXTURE_DIRS):
            continue  # test data: what the tests feed the code, not what the product takes in
        rows = sd.rows_sampled
        items.append(
            DataContract(
                id=book.id("DC"),
                name=path,
                role="output" if path in written else "input",
                format=str(sd.format),
                summary=(
                    f"sample of {rows} rows{' (file sampled: head only)' if sd.sampled else ''}" if rows else None
                ),
                fields=[
                    FieldSpec(
                        name=c.name,
                        type=c.type or None,
                        required=not c.nullable,
                        description=f"e.g. {clean(c.example, 40)}" if c.example not in (None, "") else None,
                    )
                    for c in (sd.columns or [])[:60]
                ],
                sources=[cite(schema)],
            )
        )
    return items


def _frame_contracts(book: FactBook, drafted: list[DataContract], written: set[str]) -> list[DataContract]:
    """One input contract per dataframe a notebook or script shows with its columns, unless
    the same columns are a contract already (drafted, or an earlier frame): there the frame's
    shape is noted and the frame cited."""
    items: list[DataContract] = []
    for frame in book.facts(FactKind.DATAFRAME):
        fd = frame.detail_as(DataFrameDetail)
        columns = [str(c) for c in fd.columns or []]
        # A notebook's intermediate frames (features, scores, splits) are no contract; the
        # frames it loads from files are its inputs. Frames from scripts keep their old role.
        # Presence matters: only a notebook's frames carry ``loaded_from`` (None: not read from a file);
        # a frame loaded from a file the prototype writes itself is an intermediate.
        loaded = fd.loaded_from
        if not columns or (
            "loaded_from" in fd.model_fields_set and (not loaded or _written_target(str(loaded), written))
        ):
            continue
        shape = fd.shape
        # The same columns as a contract already drafted (the CSV it was read from, or an
        # earlier display of the same frame): add the observed shape there, not a copy.
        contract = next((i for i in (*drafted, *items) if [f.name for f in i.fields] == columns), None)
        if contract is not None:
            if shape and str(tuple(shape)) not in (contract.summary or ""):
                note = f"same columns as a frame of shape {tuple(shape)} in {tick(cite(frame).label())}"
                contract.summary = f"{contract.summary}; {note}" if contract.summary else note
                contract.sources.append(cite(frame))
            continue
        items.append(
            DataContract(
                id=book.id("DC"),
                name=str(fd.variable or frame.name),
                role="input",
                format="dataframe",
                summary=f"shape {tuple(shape)} as displayed" if shape else None,
                fields=[FieldSpec(name=c) for c in columns[:60]],
                sources=[cite(frame)],
            )
        )
    return items


def _validators(book: FactBook) -> dict[str, list[Fact]]:
    """The functions that validate data with each name (``Schema.validate(df)`` and the like)."""
    out: dict[str, list[Fact]] = defaultdict(list)
    for func in book.facts(FactKind.FUNCTION):
        for name in func.detail_as(FunctionDetail).validates or []:
            out[str(name)].append(func)
    return out


def _frame_role(book: FactBook, functions: list[Fact]) -> str:
    """A dataframe schema is an input where it is checked as data is read, an output where it is
    checked before data is written, stored where both; else a frame passed between steps."""
    modes: set[str] = set()
    for func in functions:
        span = func.source.span
        for io in book.facts(FactKind.FILE_IO):
            if io.source.path == func.source.path and span.start_line <= io.source.span.start_line <= span.end_line:
                modes.add(str(io.detail_as(FileIoDetail).mode))
    if modes >= {"read", "write"}:
        return "stored"
    if "read" in modes:
        return "input"
    return "output" if "write" in modes else "message"


def _with_ddl(fields: list[ModelField], columns: list[ModelField]) -> list[ModelField]:
    """An ORM model's fields with what the ``CREATE TABLE`` of the same table says more precisely.

    The DDL is the table the database really has: a sized or parameterised column type
    (``vector(1536)``, ``VARCHAR(80)``, ``NUMERIC(10,2)``) is given as it is declared there, and
    a column comment becomes the description where the model has none. A type without
    parameters (``TEXT`` for ``str``) says nothing the model does not, and is left out.
    """
    ddl = {c.name.lower(): c for c in columns}
    out = []
    for spec in fields:
        # constraints are keyed by the source's own keywords (an open-ended map, not a record)
        constraints = dict(spec.constraints or {})
        column = ddl.get(str(constraints.get("column_name") or spec.name).lower())
        if column is None:
            out.append(spec)
            continue
        merged: dict[str, Any] = {}
        sql_type = column.type
        if "(" in sql_type:
            if _squash(spec.type) == _squash(sql_type):
                merged["type"] = sql_type  # the model names the same type (``Vector(1536)``)
            elif _squash(constraints.get("sql_type")) != _squash(sql_type):
                constraints["sql_type"] = sql_type
                merged["constraints"] = constraints
        if column.doc and not spec.doc:
            merged["doc"] = column.doc
        out.append(spec.model_copy(update=merged))
    return out


def _squash(text: object) -> str:
    return "".join(str(text or "").split()).lower()


def _table_key(model: Fact) -> str:
    return str(model.detail_as(DataModelDetail).table or model.name).lower()


def _fullest_tables(models: list[Fact]) -> dict[str, Fact]:
    """For each table declared in SQL, the declaration with the most columns.

    The same table is often written twice (``schema.sql`` and the code that runs it, or a fixture
    and the app): it is drafted once, from its fullest declaration, citing the others.
    """
    best: dict[str, Fact] = {}
    for model in models:
        if model.detail_as(DataModelDetail).framework != "sql":
            continue
        key = _table_key(model)
        if key not in best or len(model.detail_as(DataModelDetail).fields or []) > len(
            best[key].detail_as(DataModelDetail).fields or []
        ):
            best[key] = model
    return best


#: Folders of test data and of deployment manifests (Helm charts, Kubernetes, Terraform).
FIXTURE_DIRS = frozenset({"fixtures", "testdata", "test_data", "test-data"})
#: Config files of the tools around the code (linters, CI, dependency bots, packaging, compose):
#: they configure how the prototype is built and checked, not the data the product runs on.
TOOLING_CONFIG = re.compile(
    r"^(?:\.pre-commit-config|\.pre-commit-hooks|\.pyup|renovate|\.renovaterc|dependabot|codecov|\.codecov|"
    r"pyrightconfig|mypy|\.mypy|tsconfig|jsconfig|\.eslintrc|\.prettierrc|\.stylelintrc|\.babelrc|"
    r"\.readthedocs|mkdocs|\.markdownlint|\.yamllint|\.flake8|tox|\.coveragerc|netlify|vercel|"
    r"docker-compose[\w.-]*|compose|Chart|\.gitlab-ci|\.travis|azure-pipelines|bitbucket-pipelines|"
    r"package-lock|\.devcontainer|devcontainer|\.vscode|settings|launch|extensions)\.(?:ya?ml|json|toml|cfg|ini)$",
    re.IGNORECASE,
)


def _in_dirs(path: str, dirs: frozenset[str]) -> bool:
    return any(part.lower() in dirs for part in PurePosixPath(path).parts[:-1])


def _config_contracts(book: FactBook) -> list[DataContract]:
    by_file: dict[str, list[Fact]] = defaultdict(list)
    for key in book.facts(FactKind.CONFIG_KEY):
        path = key.source.path
        name = PurePosixPath(path).name
        if (
            name in {"pyproject.toml", "setup.cfg", "package.json"}
            or ".github" in path
            or TOOLING_CONFIG.match(name)
            or _in_dirs(path, DEPLOY_DIRS | FIXTURE_DIRS)
            or is_test_path(path)
        ):
            continue
        by_file[key.source.path].append(key)
    items = []
    for path, keys in sorted(by_file.items()):
        items.append(
            DataContract(
                id=book.id("DC"),
                name=path,
                role="config",
                format=str(keys[0].detail_as(ConfigKeyDetail).file_format or PurePosixPath(path).suffix.lstrip(".")),
                fields=[
                    FieldSpec(
                        name=k.name,
                        required=False,
                        constraints=f"default {clean(k.detail_as(ConfigKeyDetail).value, 60)}"
                        if k.detail_as(ConfigKeyDetail).value not in (None, "")
                        else None,
                    )
                    for k in keys[:40]
                ],
                sources=cites(keys, 2),
            )
        )
    return items


def _written_target(loaded: str, written: set[str]) -> bool:
    """Whether a file a notebook loads is one the prototype writes itself (an intermediate)."""
    return loaded in written or any(PurePosixPath(w).name == PurePosixPath(loaded).name for w in written)


def _enclosing_function(book: FactBook, io: Fact) -> str | None:
    """The function whose lines hold a FILE_IO fact (innermost), if the parser saw one."""
    line = io.source.span.start_line
    around = [
        f
        for f in book.facts(FactKind.FUNCTION)
        if f.source.path == io.source.path
        and f.source.span.cell == io.source.span.cell
        and f.source.span.start_line <= line <= f.source.span.end_line
    ]
    inner = min(around, key=lambda f: f.source.span.end_line - f.source.span.start_line, default=None)
    return inner.name if inner is not None else None


def _read_inputs(book: FactBook, drafted: set[str], written: set[str]) -> list[DataContract]:
    """What the code reads that no sample describes: a named file (its sample is not in the
    repository), or whatever file a parsing function is handed. The format and the reading call
    are the contract the production version must keep; the fields become an open question."""
    reads: dict[str, list[Fact]] = defaultdict(list)
    for io in book.facts(FactKind.FILE_IO):
        if io.detail_as(FileIoDetail).mode != "read" or is_test_path(io.source.path):
            continue
        target = file_target(io)
        if target in written:
            continue  # a file the prototype writes and reads back is an intermediate, not an input
        suffix = PurePosixPath(target).suffix.lower().lstrip(".")
        if suffix in FILE_EXTENSIONS and " " not in target and "(" not in target:
            name = target
        elif (func := _enclosing_function(book, io)) is not None and not func.startswith("test"):
            name = f"input of {func}"
        else:
            continue
        if name not in drafted and PurePosixPath(name).name not in {PurePosixPath(d).name for d in drafted}:
            reads[name].append(io)
    items = []
    for name, ios in sorted(reads.items()):
        fmt = next((d.format for i in ios if (d := i.detail_as(FileIoDetail)).format), "file")
        calls = sorted({d.call for i in ios if (d := i.detail_as(FileIoDetail)).call})
        where = sorted({i.source.path for i in ios})
        how = f"read with {', '.join(map(tick, calls[:3]))}" if calls else "read"
        items.append(
            DataContract(
                id=book.id("DC"),
                name=name,
                role="input",
                format=fmt,
                summary=clean(
                    f"{how} in {', '.join(map(tick, where[:3]))}; no sample in the repository, so its "
                    "fields are what that code expects"
                ),
                sources=cites(ios, 3),
            )
        )
    return items
