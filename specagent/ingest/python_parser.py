"""Parse a Python file into Facts (what the code says for certain) and Chunks (for retrieval).

Everything comes from ``ast`` in one walk over the tree (see :class:`NodeIndex`); comments come
from ``tokenize`` so a ``# TODO`` inside a string does not count. A file that does not parse
still yields text chunks and regex-found TODOs, with one warning.

The extractors live beside this module: ``python_cli`` and its ``python_cli_*`` modules
(argparse, click, typer, ``__main__``, Django commands), ``python_web`` (FastAPI, Flask,
Litestar, Django), ``python_models`` (pydantic, dataclasses, SQLAlchemy, TypedDict, NamedTuple,
attrs, settings env vars), ``python_pandera`` (dataframe schemas), ``python_calls`` (env vars,
file io, services), ``python_schedules`` (cron expressions and intervals jobs run on),
``python_ui`` (Streamlit, Gradio, Dash apps) and ``sql_schema`` (``CREATE TABLE`` text in
string literals).
"""

from __future__ import annotations

import ast
import bisect
import gc
import io
import re
import sys
import tokenize
from dataclasses import dataclass, field
from typing import Any

from specagent.ingest.details import HttpRouteDetail, TestDetail
from specagent.ingest.models import (
    Chunk,
    ChunkKind,
    Fact,
    FactKind,
    IngestWarning,
    ParseResult,
    SourceRef,
    Span,
    make_chunk_id,
)
from specagent.ingest.python_calls import extract_calls, extract_env_vars
from specagent.ingest.python_cli import extract_cli
from specagent.ingest.python_common import (
    BUILTIN_NAMES,
    MAX_QUOTE,
    Ctx,
    FuncNode,
    NodeIndex,
    docstring,
    dotted,
    end_line,
    is_test_path,
    last_name,
    module_name,
    start_line,
    unparse,
)
from specagent.ingest.python_models import extract_models
from specagent.ingest.python_pandera import ValidationIndex
from specagent.ingest.python_schedules import extract_schedules
from specagent.ingest.python_ui import extract_ui_app
from specagent.ingest.python_web import extract_routes
from specagent.ingest.sql_schema import extract_sql_strings

#: Lines per module-level chunk (and per chunk when a file does not parse).
WINDOW = 60
#: Assertion text is cut to this length; at most this many are kept per test.
ASSERT_CHARS = 120
MAX_ASSERTS = 5

_STDLIB = frozenset(sys.stdlib_module_names)
_TODO_ANY = re.compile(r"todo|fixme|hack|xxx", re.IGNORECASE)
# Upper-case tags anywhere in a comment; lower-case ones only when they open it ("# todo: ...").
_TODO_TAG = re.compile(r"\b(TODO|FIXME|HACK|XXX)\b(?:\([^)]*\))?[\s:;,.\-]*(.*)")
_TODO_LEAD = re.compile(r"^#+\s*(todo|fixme|hack|xxx)\b(?:\([^)]*\))?[\s:;,.\-]*(.*)", re.I)
# A comment line that starts its own note: "FIXME: ...", "NOTE - ...", "XXX".
_NEW_TAG = re.compile(r"^(?:[A-Z]{2,}\b(?:\([^)]*\))?\s*[:\-]|(?:TODO|FIXME|HACK|XXX)\b)")
# Characters without which a comment line is prose even when it happens to parse ("# later").
_CODE_HINT = re.compile(r"[()=\[\]]|^(?:import|from|return|def|class|print)\b")
# A docstring line that opens with an upper-case tag (after the opening quotes, if any).
_DOC_TAG = re.compile(r"^\s*(?:[rRuU]?(?:\"{3}|'{3}))?\s*(TODO|FIXME|HACK|XXX)\b(?:\([^)]*\))?\s*[:\-]?\s+(\S.*)")
_DOC_CLOSE = re.compile(r"(?:\"{3}|'{3})\s*$")
#: A TODO carries on over at most this many comment lines.
MAX_TODO_LINES = 8
# Packages a test calls without them being the code under test.
_TEST_LIBS = frozenset(
    """pytest unittest mock hypothesis numpy pandas polars faker freezegun responses respx httpx
    requests starlette fastapi flask click typer pydantic sqlalchemy yaml torch sklearn
    pytest_asyncio anyio asyncio tmp_path testing""".split()
)
_HTTP_VERBS = frozenset(("get", "post", "put", "patch", "delete", "head", "options"))
# Modules tests import helpers from: never the code under test.
_TEST_HELPERS = frozenset(("tests", "test", "conftest"))
# Call roots that wrap the code under test rather than being it.
_NOT_RUNNERS = frozenset(("pytest", "self", "mock", "unittest", "monkeypatch", "mocker", "patch"))
_LOCAL_URL = re.compile(r"^https?://(?:localhost|127\.0\.0\.1|0\.0\.0\.0|testserver)(?::\d+)?", re.I)
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


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
        _module_fact(ctx)
    if not test_file:
        with ctx.guard("definitions"):
            _definition_facts(ctx)
    with ctx.guard("imports"):
        _import_facts(ctx)
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
        _todo_facts(ctx)
    if test_file:
        with ctx.guard("tests"):
            _test_facts(ctx)
    chunks: list[Chunk] = []
    try:
        chunks = _chunks(path, lines, tree)
    except Exception as exc:  # chunking must never cost the facts
        ctx.warn(f"chunking failed ({type(exc).__name__}); indexed as text windows")
        chunks = _window_chunks(path, lines, ChunkKind.CODE)
    return ParseResult(facts=ctx.facts, chunks=chunks, warnings=ctx.warnings)


# --------------------------------------------------------------------------------------------
# fallback
# --------------------------------------------------------------------------------------------


def _fallback(path: str, lines: list[str], message: str) -> ParseResult:
    facts: list[Fact] = []
    for number, line in enumerate(lines, start=1):
        if "#" not in line or not _TODO_ANY.search(line):
            continue
        comment = line[line.index("#") :]
        fact = _todo_from_comment(path, number, comment, lines)
        if fact is not None:
            facts.append(fact)
    return ParseResult(
        facts=facts,
        chunks=_window_chunks(path, lines, ChunkKind.TEXT),
        warnings=[IngestWarning(path=path, message=message)],
    )


def _window_chunks(path: str, lines: list[str], kind: ChunkKind) -> list[Chunk]:
    chunks = []
    for start in range(1, len(lines) + 1, WINDOW):
        chunk = _chunk(path, lines, start, min(len(lines), start + WINDOW - 1), kind, [])
        if chunk is not None:
            chunks.append(chunk)
    return chunks


# --------------------------------------------------------------------------------------------
# module, functions, classes, imports
# --------------------------------------------------------------------------------------------


def _module_fact(ctx: Ctx) -> None:
    tree = ctx.tree
    doc = docstring(tree, first_line=True)
    first = tree.body[0] if tree.body else None
    if doc and isinstance(first, ast.Expr):
        start, end = first.lineno, end_line(first)
    else:
        start, end = 1, max(1, len(ctx.lines))
    ctx.add(FactKind.MODULE, module_name(ctx.path), {"doc": doc}, start, end)


def _arg_text(arg: ast.arg, default: ast.expr | None) -> str:
    text = arg.arg
    if arg.annotation is not None:
        text += f": {unparse(arg.annotation, 1000)}"
    if default is not None:
        text += f" = {unparse(default)}" if arg.annotation is not None else f"={unparse(default)}"
    return text


def signature(func: FuncNode, *, method: bool = False) -> str:
    """``name(a: int, b: str = "x", *, c=1) -> T``, without ``self``/``cls`` for methods."""
    args = func.args
    positional = args.posonlyargs + args.args
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    parts: list[str] = []
    for i, (arg, default) in enumerate(zip(positional, defaults, strict=False)):
        if not (method and i == 0 and arg.arg in ("self", "cls", "mcs")):
            parts.append(_arg_text(arg, default))
        if args.posonlyargs and i == len(args.posonlyargs) - 1 and parts:
            parts.append("/")
    if args.vararg is not None:
        parts.append("*" + _arg_text(args.vararg, None))
    elif args.kwonlyargs:
        parts.append("*")
    for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=False):
        parts.append(_arg_text(arg, default))
    if args.kwarg is not None:
        parts.append("**" + _arg_text(args.kwarg, None))
    returns = f" -> {unparse(func.returns, 1000)}" if func.returns is not None else ""
    return f"{func.name}({', '.join(parts)}){returns}"


def _is_public(name: str) -> bool:
    return not name.startswith("_") or name in ("__init__", "__call__")


def _function_fact(ctx: Ctx, func: FuncNode, owner: str | None, validations: ValidationIndex) -> None:
    is_static = any(last_name(d) == "staticmethod" for d in func.decorator_list)
    detail = {
        "signature": signature(func, method=owner is not None and not is_static),
        "doc": docstring(func),
        "is_async": isinstance(func, ast.AsyncFunctionDef),
        "decorators": [unparse(d) for d in func.decorator_list],
        "qualname": f"{owner}.{func.name}" if owner else func.name,
    }
    validates = validations.of(func)
    if validates:
        detail["validates"] = validates
    ctx.add(FactKind.FUNCTION, func.name, detail, start_line(func), end_line(func), func.lineno)


def _definition_facts(ctx: Ctx) -> None:
    validations = ValidationIndex(ctx)
    for stmt in ctx.tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            if not stmt.name.startswith("_"):
                with ctx.guard("function", stmt):
                    _function_fact(ctx, stmt, None, validations)
        elif isinstance(stmt, ast.ClassDef) and not stmt.name.startswith("_"):
            with ctx.guard("class", stmt):
                methods = [
                    m for m in stmt.body if isinstance(m, ast.FunctionDef | ast.AsyncFunctionDef) and _is_public(m.name)
                ]
                ctx.add(
                    FactKind.CLASS,
                    stmt.name,
                    {
                        "bases": [unparse(b) for b in stmt.bases],
                        "doc": docstring(stmt),
                        "methods": [m.name for m in methods],
                    },
                    start_line(stmt),
                    end_line(stmt),
                    stmt.lineno,
                )
                for method in methods:
                    with ctx.guard("method", method):
                        _function_fact(ctx, method, stmt.name, validations)


def _import_facts(ctx: Ctx) -> None:
    seen: set[str] = set()
    for node in sorted(ctx.index.imports, key=lambda n: (n.lineno, n.col_offset)):
        if isinstance(node, ast.ImportFrom):
            if node.level or not node.module:
                continue
            names = [node.module]
        else:
            names = [alias.name for alias in node.names]
        for name in names:
            top = name.split(".")[0]
            if not top or top in seen or top == "__future__":
                continue
            seen.add(top)
            ctx.add_node(FactKind.IMPORT, top, {"module": top, "stdlib": top in _STDLIB}, node)


# --------------------------------------------------------------------------------------------
# TODO comments
# --------------------------------------------------------------------------------------------


def _todo_from_comment(path: str, line_no: int, comment: str, lines: list[str]) -> Fact | None:
    """A TODO fact for the tagged comment on ``line_no``, with its continuation lines joined."""
    match = _TODO_TAG.search(comment) or _TODO_LEAD.match(comment)
    if match is None:
        return None
    tag = match.group(1).upper()
    line = lines[line_no - 1]
    parts = [match.group(2).strip()]
    end = line_no
    if line.lstrip().startswith("#"):
        more, end = _continuation(lines, line_no)
        parts.extend(more)
    body = " ".join(p for p in parts if p)
    quote = line.strip()[:MAX_QUOTE].rstrip()
    return Fact(
        kind=FactKind.TODO,
        name=(body or tag)[:80],
        detail={"tag": tag, "text": body},
        source=SourceRef(path=path, span=Span(start_line=line_no, end_line=end), quote=quote),
    )


def _continuation(lines: list[str], line_no: int) -> tuple[list[str], int]:
    """The comment lines that carry on a tagged comment line: (their texts, last line number).

    A run of whole-line comments after the tag, indented at least as deep, continues it; a
    blank line, an empty ``#``, code, another tag (``# FIXME: ...``, ``# NOTE: ...``) or
    commented-out code ends it. Lines after a whole-line comment cannot sit inside a string, so
    no tokenizing is needed here.
    """
    texts: list[str] = []
    end = line_no
    indent = len(lines[line_no - 1]) - len(lines[line_no - 1].lstrip())
    for number in range(line_no + 1, min(len(lines), line_no + MAX_TODO_LINES) + 1):
        line = lines[number - 1]
        stripped = line.strip()
        if not stripped.startswith("#") or len(line) - len(line.lstrip()) < indent:
            break  # code, a blank line, or a comment that belongs to an outer block
        text = stripped.lstrip("#").strip()
        if not text or _NEW_TAG.match(text) or _TODO_LEAD.match(stripped) or _looks_like_code(text):
            break
        texts.append(text)
        end = number
    return texts, end


def _looks_like_code(text: str) -> bool:
    """Commented-out code (``# plt.savefig("x.png")``), which is no part of a TODO's prose."""
    if not _CODE_HINT.search(text):
        return False
    try:
        ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return True


def _comments(ctx: Ctx) -> list[tuple[int, str]]:
    """(line, comment text) of comments that may hold a tag, found with ``tokenize``.

    Only the top-level statements around candidate lines are tokenized: a top-level statement
    is a complete unit for the tokenizer, and a file with two TODOs should not pay for 10k lines.
    """
    candidates = [n for n, line in enumerate(ctx.lines, start=1) if "#" in line and _TODO_ANY.search(line)]
    if not candidates:
        return []
    starts = [start_line(stmt) for stmt in ctx.tree.body]
    ends = [end_line(stmt) for stmt in ctx.tree.body]
    segments: set[tuple[int, int]] = set()
    for number in candidates:
        i = bisect.bisect_right(starts, number) - 1
        segments.add((starts[i], ends[i]) if i >= 0 and ends[i] >= number else (number, number))
    wanted = set(candidates)
    found: list[tuple[int, str]] = []
    for first, last in sorted(segments):
        segment = "\n".join(ctx.lines[first - 1 : last]) + "\n"
        try:
            for token in tokenize.generate_tokens(io.StringIO(segment).readline):
                number = token.start[0] + first - 1
                if token.type == tokenize.COMMENT and number in wanted:
                    found.append((number, token.string))
        except (tokenize.TokenError, SyntaxError):
            found.extend(
                (n, ctx.lines[n - 1][ctx.lines[n - 1].index("#") :]) for n in range(first, last + 1) if n in wanted
            )
    return sorted(set(found))


def _todo_facts(ctx: Ctx) -> None:
    for number, comment in _comments(ctx):
        fact = _todo_from_comment(ctx.path, number, comment, ctx.lines)
        if fact is not None:
            ctx.facts.append(fact)
    _docstring_todos(ctx)


def _docstring_todos(ctx: Ctx) -> None:
    """TODO facts for docstring lines that open with an upper-case tag (``FIXME: ...``).

    A docstring is the developer's own prose, so a note there is as much a note as a comment;
    other strings (prompts, messages) are data and stay out. The tag must open its line, and
    the note carries on over the docstring's next lines up to a blank line, another tag or the
    closing quotes.
    """
    owners: list[ast.AST] = [ctx.tree, *ctx.index.classes, *ctx.index.funcs]
    for owner in owners:
        body = getattr(owner, "body", None)
        first = body[0] if body else None
        if not (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
            and _TODO_ANY.search(first.value.value)
        ):
            continue
        last = min(end_line(first), len(ctx.lines))
        number = first.lineno
        while number <= last:
            match = _DOC_TAG.match(ctx.lines[number - 1])
            if match is None:
                number += 1
                continue
            parts = [_DOC_CLOSE.sub("", match.group(2)).strip()]
            end = number
            closed = _DOC_CLOSE.search(match.group(2)) is not None
            while not closed and end < min(last, number + MAX_TODO_LINES - 1):
                text = ctx.lines[end].strip()  # the line after ``end``
                closed = _DOC_CLOSE.search(text) is not None
                text = _DOC_CLOSE.sub("", text).strip()
                if not text or _DOC_TAG.match(text) or _NEW_TAG.match(text):
                    break
                parts.append(text)
                end += 1
            body_text = " ".join(p for p in parts if p)
            ctx.facts.append(
                Fact(
                    kind=FactKind.TODO,
                    name=body_text[:80] or match.group(1),
                    detail={"tag": match.group(1), "text": body_text},
                    source=SourceRef(
                        path=ctx.path,
                        span=Span(start_line=number, end_line=end),
                        quote=ctx.lines[number - 1].strip()[:MAX_QUOTE].rstrip(),
                    ),
                )
            )
            number = end + 1


# --------------------------------------------------------------------------------------------
# tests
# --------------------------------------------------------------------------------------------


def _project_names(ctx: Ctx) -> set[str]:
    """Local names imported from what looks like the project under test (not test helpers)."""
    names = set()
    for local, full in ctx.aliases.items():
        top = full.split(".")[0]
        if top in _TEST_HELPERS:
            continue
        if full.startswith(".") or (top not in _STDLIB and top not in _TEST_LIBS):
            names.add(local)
    return names


def _route_target(ctx: Ctx, call: ast.Call) -> str | None:
    """``METHOD /path`` of a test-client request (``client.post("/ask")``), placeholders as ``{}``."""
    if not isinstance(call.func, ast.Attribute):
        return None
    attr = call.func.attr
    if attr in _HTTP_VERBS and call.args:
        method, url_node = attr, call.args[0]
    elif attr == "request" and len(call.args) > 1:
        method = ctx.string(call.args[0]) or ""
        url_node = call.args[1]
        if method.lower() not in _HTTP_VERBS:
            return None
    else:
        return None
    url = ctx.string(url_node)
    if url is None:
        return None
    local = _LOCAL_URL.match(url)
    if local:
        url = url[local.end() :] or "/"
    if not url.startswith("/"):
        return None
    url = _PLACEHOLDER.sub("{}", url.split("?")[0].split("#")[0]) or "/"
    return f"{method.upper()} {url}"


@dataclass
class _TestBody:
    """What one test does, from a single walk of its body."""

    calls: list[ast.Call] = field(default_factory=list)
    #: ids of calls inside assert statements, ``self.assert*(...)`` or ``with pytest.raises`` bodies
    checked: set[int] = field(default_factory=set)
    #: names read by assertions
    asserted: set[str] = field(default_factory=set)
    #: (assigned names, value) in source order
    assigns: list[tuple[set[str], ast.expr]] = field(default_factory=list)
    #: names given to ``pytest.raises`` (exceptions, never the target)
    raised: set[str] = field(default_factory=set)
    asserts: list[tuple[int, int, str]] = field(default_factory=list)


def _walk_test(func: FuncNode) -> _TestBody:
    body = _TestBody()

    def check(node: ast.AST) -> None:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call):
                body.checked.add(id(sub))
            elif isinstance(sub, ast.Name):
                body.asserted.add(sub.id)

    for node in ast.walk(func):
        if isinstance(node, ast.Assert):
            body.asserts.append((node.lineno, node.col_offset, unparse(node.test, ASSERT_CHARS)))
            check(node.test)
        elif isinstance(node, ast.Call):
            body.calls.append(node)
            name = dotted(node.func) or ""
            if name.startswith("self.assert") or name == "pytest.raises":
                body.asserts.append((node.lineno, node.col_offset, unparse(node, ASSERT_CHARS)))
            if name.startswith("self.assert"):
                for arg in node.args:
                    check(arg)
            if name == "pytest.raises":
                body.raised.update(n.id for arg in node.args for n in ast.walk(arg) if isinstance(n, ast.Name))
        elif isinstance(node, ast.With | ast.AsyncWith):
            if any(dotted(getattr(i.context_expr, "func", None)) == "pytest.raises" for i in node.items):
                for stmt in node.body:
                    check(stmt)
        elif isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
            body.assigns.append((names, node.value))
    body.calls.sort(key=lambda n: (n.lineno, n.col_offset))
    body.asserts.sort()
    body.assigns.sort(key=lambda a: (a[1].lineno, a[1].col_offset))
    return body


def _test_target(ctx: Ctx, func: FuncNode, body: _TestBody, project: set[str]) -> str | None:
    """What a test exercises, best evidence first.

    1. a request through a test client: ``METHOD /path``;
    2. a project function the test's name starts with (``test_clean_rows_x`` -> ``clean_rows``);
    3. a project function called inside an assertion (or a ``pytest.raises`` block), then one
       whose result is asserted on, then the first one called (or handed to a runner);
    4. a project class it constructs (never an exception given to ``pytest.raises``);
    5. the first call that is not a builtin, pytest or the test's own fixture.
    """
    fixtures = {a.arg for a in func.args.posonlyargs + func.args.args + func.args.kwonlyargs}
    fixtures.discard("self")

    def function_name(call: ast.Call) -> str | None:
        """The call's dotted name when it calls a project function (not a class)."""
        name = dotted(call.func)
        if not name or name.split(".")[0] not in project or name.split(".")[0] in fixtures:
            return None
        return name if name.rsplit(".", 1)[-1][:1].islower() else None

    def passed_function(call: ast.Call) -> str | None:
        """A project function handed to another call: ``runner.invoke(main, [...])``."""
        root = (dotted(call.func) or "").split(".")[0]
        if root in _NOT_RUNNERS:
            return None
        for arg in call.args:
            if isinstance(arg, ast.Name) and arg.id in project and arg.id[:1].islower() and arg.id not in fixtures:
                return arg.id
        return None

    for call in body.calls:
        route = _route_target(ctx, call)
        if route:
            return route
    hint = func.name.removeprefix("test_").removeprefix("test")
    called = {n for c in body.calls if (n := function_name(c))}
    candidates = {p for p in project if p[:1].islower()} | {n.rsplit(".", 1)[-1] for n in called}
    best = max(
        (c for c in candidates if hint == c or hint.startswith(c + "_")),
        key=len,
        default=None,
    )
    if best is not None:
        return next((n for n in called if n.rsplit(".", 1)[-1] == best), best)
    for call in body.calls:
        if id(call) in body.checked and (name := function_name(call)):
            return name
    for names, value in body.assigns:
        if names & body.asserted and isinstance(value, ast.Call):
            name = function_name(value) or passed_function(value)
            if name:
                return name
    for call in body.calls:
        name = function_name(call) or passed_function(call)
        if name:
            return name
    fallback = None
    for call in body.calls:
        name = dotted(call.func)
        root = name.split(".")[0] if name else None
        attr = last_name(call.func) or ""
        if (
            root in project
            and root not in body.raised
            and attr[:1].isupper()
            and not attr.endswith(("Error", "Exception"))
        ):
            return name
        if (
            fallback is None
            and name
            and root not in BUILTIN_NAMES
            and root not in fixtures
            and root not in _NOT_RUNNERS
            and root not in body.raised
            and not attr.startswith("assert")
        ):
            fallback = name
    return fallback


def _test_detail(ctx: Ctx, func: FuncNode, project: set[str]) -> dict[str, Any]:
    """target, asserts and doc of one test, from a single walk of its body."""
    body = _walk_test(func)
    return {
        "target": _test_target(ctx, func, body, project),
        "asserts": [text for _, _, text in body.asserts[:MAX_ASSERTS]],
        "doc": docstring(func),
    }


def _test_facts(ctx: Ctx) -> None:
    project = _project_names(ctx)
    targets: list[tuple[FuncNode, str]] = []
    for stmt in ctx.tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef) and stmt.name.startswith("test"):
            targets.append((stmt, stmt.name))
        elif isinstance(stmt, ast.ClassDef) and stmt.name.startswith("Test"):
            for method in stmt.body:
                if isinstance(method, ast.FunctionDef | ast.AsyncFunctionDef) and method.name.startswith("test"):
                    targets.append((method, f"{stmt.name}.{method.name}"))
    for func, name in targets:
        with ctx.guard("test", func):
            ctx.add(
                FactKind.TEST,
                name,
                _test_detail(ctx, func, project),
                start_line(func),
                end_line(func),
                func.lineno,
            )


_ROUTE_PLACEHOLDER = re.compile(r"\{[^{}]*\}|<[^<>]*>")


def link_test_targets(facts: list[Fact]) -> list[Fact]:
    """Point TEST targets such as ``PATCH /api/v1/items/{}`` at the route they call.

    A test requests a concrete URL (``f"/items/{item['id']}"``, rendered with ``{}``); once every
    file is parsed, the one HTTP_ROUTE with that method whose template has the same shape
    (``/api/v1/items/{item_id}``) names it. Targets that match no route, or several, stay as
    they are. Call this on the facts of the whole prototype, after all files are parsed.
    """
    shapes: dict[str, set[str]] = {}
    for fact in facts:
        if fact.kind is FactKind.HTTP_ROUTE:
            route = fact.detail_as(HttpRouteDetail)
            method, path = route.method, route.path
            shapes.setdefault(f"{method} {_ROUTE_PLACEHOLDER.sub('{}', path)}", set()).add(f"{method} {path}")
    out: list[Fact] = []
    for fact in facts:
        target = fact.detail_as(TestDetail).target if fact.kind is FactKind.TEST else None
        if isinstance(target, str) and " /" in target:
            method, _, path = target.partition(" ")
            routes = shapes.get(f"{method} {_ROUTE_PLACEHOLDER.sub('{}', path)}", set())
            if len(routes) == 1 and target not in routes:
                fact = fact.model_copy(update={"detail": fact.detail.model_copy(update={"target": next(iter(routes))})})
        out.append(fact)
    return out


# --------------------------------------------------------------------------------------------
# chunks
# --------------------------------------------------------------------------------------------


def _chunk(path: str, lines: list[str], start: int, end: int, kind: ChunkKind, symbols: list[str]) -> Chunk | None:
    """A chunk of exact lines ``start..end``, trimmed of blank lines at both ends."""
    while start <= end and not lines[start - 1].strip():
        start += 1
    while end >= start and not lines[end - 1].strip():
        end -= 1
    if start > end:
        return None
    span = Span.model_construct(start_line=start, end_line=end, cell=None)
    body = "\n".join(lines[start - 1 : end])
    return Chunk.model_construct(  # trusted values; see Ctx.ref
        id=make_chunk_id(path, span, body),
        path=path,
        span=span,
        kind=kind,
        text=body,
        symbols=symbols,
    )


def _chunks(path: str, lines: list[str], tree: ast.Module) -> list[Chunk]:
    total = len(lines)
    chunks: list[Chunk] = []
    # (start, end, symbols) of every top-level definition, decorators included
    defs: list[tuple[int, int, list[str]]] = []
    others: list[ast.stmt] = []
    for stmt in tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            symbols = [stmt.name]
            if isinstance(stmt, ast.ClassDef):
                symbols += [m.name for m in stmt.body if isinstance(m, ast.FunctionDef | ast.AsyncFunctionDef)]
            defs.append((start_line(stmt), min(end_line(stmt), total), symbols))
        else:
            others.append(stmt)
    # statement starts are where a module-level window may be cut
    cuts = sorted({s.lineno for s in others})
    symbols_at: dict[int, list[str]] = {}
    for stmt in others:
        names = _assigned_names(stmt)
        if names:
            symbols_at.setdefault(stmt.lineno, []).extend(names)

    def module_windows(first: int, last: int) -> None:
        start = first
        while start <= last:
            limit = start + WINDOW - 1
            if limit >= last:
                end = last
            else:
                i = bisect.bisect_right(cuts, limit)
                j = bisect.bisect_right(cuts, start)
                if i > j:
                    end = cuts[i - 1] - 1  # the last statement start inside the window
                else:
                    nxt = cuts[j] if j < len(cuts) else last + 1
                    end = min(last, nxt - 1)  # one long statement: keep it whole
            if end < start:
                end = start
            symbols = [
                name
                for line in cuts[bisect.bisect_left(cuts, start) : bisect.bisect_right(cuts, end)]
                for name in symbols_at.get(line, [])
            ]
            chunk = _chunk(path, lines, start, end, ChunkKind.CODE, symbols)
            if chunk is not None:
                chunks.append(chunk)
            start = end + 1

    cursor = 1
    for start, end, symbols in defs:
        if start > cursor:
            module_windows(cursor, start - 1)
        chunk = _chunk(path, lines, start, end, ChunkKind.CODE, symbols)
        if chunk is not None:
            chunks.append(chunk)
        cursor = max(cursor, end + 1)
    if cursor <= total:
        module_windows(cursor, total)
    return chunks


def _assigned_names(stmt: ast.stmt) -> list[str]:
    if isinstance(stmt, ast.Assign):
        return [t.id for t in stmt.targets if isinstance(t, ast.Name)]
    if isinstance(stmt, ast.AnnAssign | ast.AugAssign) and isinstance(stmt.target, ast.Name):
        return [stmt.target.id]
    if isinstance(stmt, ast.If) and _is_main(stmt.test):
        return ["__main__"]
    return []


def _is_main(test: ast.expr) -> bool:
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and len(test.comparators) == 1
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value == "__main__"
    )


__all__ = ["link_test_targets", "parse_python", "signature"]
