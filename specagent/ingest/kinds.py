"""The kinds of fact ingest finds; each kind's detail model is in :mod:`specagent.ingest.details`."""

from __future__ import annotations

from enum import StrEnum


class FactKind(StrEnum):
    """Kinds of fact and the keys each carries in ``Fact.detail`` (typed by the models in
    :mod:`specagent.ingest.details`, which are the contract; this list explains them).

    Keys marked ``?`` may be absent or None. ``name`` is always the identifier the fact is about.

    - MODULE: doc? (first docstring line)
    - FUNCTION: signature, doc?, is_async (bool), decorators (list[str]), qualname, validates?
      (list[str]: names it validates data with: ``X.validate(df)``, ``@pa.check_input(X)``, under
      ``@pa.check_types`` its ``DataFrame[X]`` annotations; any ``.validate`` receiver, so only
      those naming a schema mean anything)
    - CLASS: bases (list[str]), doc?, methods (list[str])
    - CLI_COMMAND: framework (argparse|click|typer|main|django; django = a management command,
      program ``python manage.py``), command (str, "" for the root),
      program?, help?, options (list[dict]: name, flags (list[str]), type?, default?, required
      (bool), help?, choices (list|None)); framework main (an ``if __name__ == "__main__":``
      block, or a package's ``__main__.py``) also has queues (list[dict]: name? (None when the
      file cannot tell), expr, mode (read|write), call, line, quote) and runs (list[str]: the
      imported functions it calls, absolute dotted names)
    - HTTP_ROUTE: framework (fastapi|flask|litestar|django), method (GET...), path, handler,
      request_model?, response_model?, params (list[str]: client-facing names), doc?,
      param_specs? (list[dict]: name, location (path|query|header|body|cookie), type, required,
      default, constraints (dict), dependency (the Depends function that reads it, or None)),
      errors? (list[dict], one per status >= 400 the handler or a helper/dependency it calls in
      the same file answers: status (int), message?, condition? (``if`` test or ``except X``),
      line, quote, via? (that helper's name))
    - DATA_MODEL: framework (pydantic|dataclass|sqlalchemy|django|typeddict|namedtuple|attrs|sql|
      pandera; sql = a ``CREATE TABLE`` statement; pandera = a dataframe schema, class or
      ``DataFrameSchema(...)``), doc?, table? (sqlalchemy, django (``Meta.db_table``), sql),
      dataframe? (pandera: pandas|polars|pyspark|...), fields (list[dict]: name, type, required
      (bool; pandera: the column must be present and non-null), default?, constraints?, doc?
      (sql: the column's comment; pandera: its description; django: help_text)),
      table_constraints? (sql, django, pandera: list[str], keys and checks over
      several columns, ordering, pandera's whole-table options)
    - ENV_VAR: accessor (os.environ|os.getenv|settings|dotenv|.env.example), default?,
      required (bool), is_secret (bool)
    - FILE_IO: mode (read|write), format (csv|json|parquet|pickle|text|yaml|npy|...),
      target (path literal or expression text), call (e.g. "pd.read_csv")
    - SERVICE: kind (llm|vector_db|database|http|queue|cloud|self|other; self = the prototype's
      own API on localhost), client (e.g. "openai"),
      endpoint? (URL or model name), models (list[str]): model names seen near it
    - IMPORT: module (top-level distribution import name), stdlib (bool)
    - DEPENDENCY: version? (specifier text), source (pyproject|requirements|setup|import),
      group? (e.g. "dev")
    - TODO: tag (TODO|FIXME|HACK|XXX|NOTE), text
    - TEST: target? (function under test, or "METHOD /path" for an HTTP test), asserts
      (list[str]: assertion source, shortened), doc?
    - METRIC: value (float), unit? (%, ms, s, $, tokens..., may carry "per 1,000 rows"), raw (the matched text),
      split? (train|val|test|...), context? (e.g. model name printed beside it), row? (when one
      value sums up a table column: {label, key?, rows, pick: lowest|highest|best, also: [[label
      or column, printed value], ...]}, the weakest row of a breakdown or the best of a sweep)
    - DATAFRAME: shape? ([rows, cols]), columns (list[str]), variable?
    - NOTE_SECTION: heading, level (int), text (first paragraph, trimmed), doc_title?
    - NOTE_LINE: cue (must|should|need|todo|idea|question|goal|non-goal|user|risk), text
    - CONFIG_KEY: value? (scalar as text, secrets redacted), file_format (yaml|toml|json|ini)
    - DATA_SCHEMA: format (csv|tsv|json|jsonl), columns (list[dict]: name, type, nullable, example?),
      rows_sampled (int), sampled (bool)
    - DOCKER: base_image?, ports (list[int]), cmd?, env (list[str]), packages? (list[str]: system
      packages the shipped stage installs with apt/apk/yum/dnf/zypper)
    - CI_JOB: system (github|gitlab|other), steps (list[str])
    - SECRET: secret_type (e.g. "OpenAI key"), variable? (name it is assigned to), hard_coded
      (bool): a secret value found in the prototype; the value itself is never kept
    - ERROR_OUTPUT: ename, evalue (a notebook cell whose output is an error)
    - HARDCODED_PATH: path (an absolute, machine-specific path written as a string literal)
    - SCHEDULE: scheduler (prefect|airflow|apscheduler|schedule|celery|dagster|modal|github|
      kubernetes|crontab|other), cron? (a cron expression or preset such as ``@daily``, exactly
      as written), every? (a schedule written any other way, as written: ``hour=2, minute=30``,
      ``timedelta(hours=1)``, ``every().day.at("02:30")``, ``interval 600``), timezone?, target?
      (what it runs: a flow, DAG, job, task or function name, or the command of a crontab line);
      ``name`` is the target, or the schedule when nothing names one
    - UI_APP: framework (streamlit|gradio|dash|chainlit|panel), run (the command that starts it,
      e.g. ``streamlit run app.py``), doc? (module docstring's first line), inputs (list[dict]:
      widget (the component's name, e.g. chat_input, Textbox), label? (its label, or the first
      string it is given), line, quote); ``name`` is the file's path
    """

    MODULE = "module"
    FUNCTION = "function"
    CLASS = "class"
    CLI_COMMAND = "cli_command"
    HTTP_ROUTE = "http_route"
    DATA_MODEL = "data_model"
    ENV_VAR = "env_var"
    FILE_IO = "file_io"
    SERVICE = "service"
    IMPORT = "import"
    DEPENDENCY = "dependency"
    TODO = "todo"
    TEST = "test"
    METRIC = "metric"
    DATAFRAME = "dataframe"
    NOTE_SECTION = "note_section"
    NOTE_LINE = "note_line"
    CONFIG_KEY = "config_key"
    DATA_SCHEMA = "data_schema"
    DOCKER = "docker"
    CI_JOB = "ci_job"
    SECRET = "secret"
    ERROR_OUTPUT = "error_output"
    HARDCODED_PATH = "hardcoded_path"
    SCHEDULE = "schedule"
    UI_APP = "ui_app"
