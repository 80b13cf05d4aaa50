"""Parse a Python file into Facts (what the code says for certain) and Chunks (for retrieval).

Everything comes from ``ast`` in one walk over the tree (see :class:`NodeIndex`); comments come
from ``tokenize`` so a ``# TODO`` inside a string does not count. A file that does not parse
still yields text chunks and regex-found TODOs, with one warning.

The extractors live beside this module: ``python_definitions`` (module docstring, functions,
classes, imports), ``python_cli`` and its ``python_cli_*`` modules (argparse, click, typer,
``__main__``, Django commands), ``python_web`` (FastAPI, Flask, Litestar, Django),
``python_models`` (pydantic, dataclasses, SQLAlchemy, TypedDict, NamedTuple, attrs, settings env
vars), ``python_pandera`` (dataframe schemas), ``python_calls`` (env vars, file io, services),
``python_schedules`` (cron expressions and intervals jobs run on), ``python_ui`` (Streamlit,
Gradio, Dash apps), ``sql_schema`` (``CREATE TABLE`` text in string literals), ``python_todos``
(TODO comments and docstring notes) and ``python_tests`` (what each test exercises);
``python_chunks`` cuts the file into chunks.
"""

from __future__ import annotations

import ast
import gc

from specagent.ingest.models import Chunk, ChunkKind, FactKind, IngestWarning, ParseResult
from specagent.ingest.python_calls import extract_calls, extract_env_vars
from specagent.ingest.python_chunks import code_chunks, window_chunks
from specagent.ingest.python_cli import extract_cli
from specagent.ingest.python_common import Ctx, NodeIndex, is_test_path
from specagent.ingest.python_definitions import extract_definitions, extract_imports, extract_module_doc
from specagent.ingest.python_models import extract_models
from specagent.ingest.python_schedules import extract_schedules
from specagent.ingest.python_tests import extract_tests
from specagent.ingest.python_todos import extract_todos, text_todo_facts
from specagent.ingest.python_ui import extract_ui_app
from specagent.ingest.python_web import extract_routes
from specagent.ingest.sql_schema import extract_sql_strings


def parse_python(path: str, text: str) -> ParseResult:
    """Facts and chunks of one Python file. Never raises: bad input becomes warnings.

    Lines are counted as ``text.split("\n")`` counts them (ingest hands over text with ``\n``
    line ends; stray ``\r`` line ends are normalised here so ``ast`` agrees).
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    # A tree is ~10 objects a line and none of it is cyclic garbage; letting the cyclic
    # collector rescan it while facts are built costs a third of the time on a large file.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _parse(path, lines, text)
    finally:
        if collecting:
            gc.enable()


def _parse(path: str, lines: list[str], text: str) -> ParseResult:
    try:
        tree = ast.parse(text[1:] if text.startswith("\ufeff") else text)
    except SyntaxError as exc:
        return _fallback(path, lines, f"syntax error at line {exc.lineno or 1}: falling back to text")
    except (ValueError, RecursionError, MemoryError, OverflowError) as exc:
        return _fallback(path, lines, f"unparsable ({type(exc).__name__}): falling back to text")
    try:
        return _parse_tree(path, lines, text, tree)
    except Exception as exc:  # a parser bug must cost this file's facts, not the run
        return _fallback(path, lines, f"parser error ({type(exc).__name__}): indexed as text")


def _parse_tree(path: str, lines: list[str], text: str, tree: ast.Module) -> ParseResult:
    index = NodeIndex.build(tree)
    ctx = Ctx.create(path, lines, tree, index)
    test_file = is_test_path(path)

    with ctx.guard("module docstring"):
        extract_module_doc(ctx)
    if not test_file:
        with ctx.guard("definitions"):
            extract_definitions(ctx)
    with ctx.guard("imports"):
        extract_imports(ctx)
    kinds = None
    with ctx.guard("data models"):
        kinds = extract_models(ctx)
    enums = kinds.enums if kinds else {}
    with ctx.guard("cli"):
        extract_cli(ctx, enums)
    with ctx.guard("routes"):
        models = {f.name for f in ctx.facts if f.kind is FactKind.DATA_MODEL}
        if kinds:
            models |= kinds.pydantic
        extract_routes(ctx, models, set(enums))
    with ctx.guard("environment variables"):
        extract_env_vars(ctx)
    with ctx.guard("calls"):
        extract_calls(ctx)
    if not test_file:  # a test's throwaway tables are fixtures, not the stored data
        with ctx.guard("SQL schemas"):
            extract_sql_strings(ctx)
        with ctx.guard("schedules"):
            extract_schedules(ctx)
        with ctx.guard("UI app"):
            extract_ui_app(ctx)
    with ctx.guard("comments"):
        extract_todos(ctx)
    if test_file:
        with ctx.guard("tests"):
            extract_tests(ctx)
    chunks: list[Chunk] = []
    try:
        chunks = code_chunks(path, lines, tree)
    except Exception as exc:  # chunking must never cost the facts
        ctx.warn(f"chunking failed ({type(exc).__name__}); indexed as text windows")
        chunks = window_chunks(path, lines, ChunkKind.CODE)
    return ParseResult(facts=ctx.facts, chunks=chunks, warnings=ctx.warnings)


def _fallback(path: str, lines: list[str], message: str) -> ParseResult:
    return ParseResult(
        facts=text_todo_facts(path, lines),
        chunks=window_chunks(path, lines, ChunkKind.TEXT),
        warnings=[IngestWarning(path=path, message=message)],
    )


__all__ = ["parse_python"]
