"""Interfaces: HTTP routes, CLI commands, library functions and files read or written."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import PurePosixPath

from specagent.ingest.details import (
    CliCommandDetail,
    ConfigKeyDetail,
    DataModelDetail,
    FileIoDetail,
    FunctionDetail,
    HttpRouteDetail,
    ModuleDetail,
)
from specagent.ingest.models import Fact, FactKind
from specagent.ingest.python_common import is_test_path, module_name
from specagent.ingest.records import CliOption
from specagent.pipeline.offline.book import FactBook
from specagent.pipeline.offline.common import (
    FILE_EXTENSIONS,
    QUOTE_LIMIT,
    cite,
    cites,
    clean,
    constraint_text,
    file_target,
    tick,
)
from specagent.pipeline.offline.run_modes import schedule_interfaces, ui_interfaces, ui_paths
from specagent.spec.model import (
    Citation,
    Interface,
    Parameter,
)


def interfaces(book: FactBook) -> list[Interface]:
    """How people and systems call the prototype: HTTP routes, CLI commands, UI apps, schedules,
    library modules and the files it reads or writes."""
    items = _route_interfaces(book)
    items.extend(_cli_interfaces(book))
    items.extend(ui_interfaces(book))
    items.extend(schedule_interfaces(book))
    items.extend(_library_interfaces(book))
    items.extend(_file_interfaces(book))
    if not items:
        book.ask(
            "How will people and systems call the production version (CLI, HTTP, library)?",
            "The prototype exposes no CLI, route or public function.",
        )
    return items


def _route_interfaces(book: FactBook) -> list[Interface]:
    """One item per HTTP route: method and path, handler, request and response, errors and
    parameters, citing the lines that mount the route and answer its errors."""
    items = []
    for route in book.facts(FactKind.HTTP_ROUTE):
        d = route.detail_as(HttpRouteDetail)
        method = d.method.upper()
        path = d.path
        items.append(
            Interface(
                id=book.id("IF"),
                kind="http",
                name=f"{method} {path}",
                method=method,
                route=path,
                summary=clean(d.doc) if d.doc else None,
                signature=tick(d.handler) if d.handler else None,
                request=tick(d.request_model) if d.request_model else None,
                response=_route_response(d),
                errors=_route_errors(d),
                parameters=_route_parameters(d),
                sources=[cite(route), *_mount_citations(d), *_error_citations(route)],
            )
        )
    return items


def _cli_interfaces(book: FactBook) -> list[Interface]:
    """One item per command-line entry point, named as people type it, with its options and the
    queues it reads or writes."""
    scripts = _console_scripts(book)
    packages = _packages(book)
    items = []
    for cmd in _own_commands(book):
        cd = cmd.detail_as(CliCommandDetail)
        program = scripts.get(module_name(cmd.source.path)) or _program(cmd, packages)
        command = cd.command or ""
        queues, queue_sources = _queue_text(book, cmd)
        summary = " ".join(x for x in (clean(cd.help) if cd.help else "", queues) if x) or None
        items.append(
            Interface(
                id=book.id("IF"),
                kind="cli",
                name=f"{program} {command}".strip(),
                summary=summary,
                parameters=[_cli_parameter(opt) for opt in cd.options or []],
                sources=[cite(cmd), *queue_sources],
            )
        )
    return items


def _own_commands(book: FactBook) -> list[Fact]:
    """The CLI commands that are interfaces of their own: a ``__main__`` block is left out where
    it only starts a CLI a framework describes, a UI app, or Django's management commands."""
    commands = book.facts(FactKind.CLI_COMMAND)
    # modules whose CLI a framework already describes: a __main__ block that only starts one of
    # them is that CLI again
    framed = {module_name(c.source.path) for c in commands if c.detail_as(CliCommandDetail).framework != "main"}
    apps = ui_paths(book)  # a UI app's __main__ block starts the app: its ui item says how
    # Django's manage.py only dispatches to management commands, each an item of its own.
    django_files = {f.source.path for f in book.facts(FactKind.IMPORT) if f.name.split(".")[0] == "django"}
    own = []
    for cmd in commands:
        cd = cmd.detail_as(CliCommandDetail)
        if cd.framework == "main" and (
            cmd.source.path in apps
            or any(r.rpartition(".")[0] in framed for r in cd.runs or [])
            or (PurePosixPath(cmd.source.path).name == "manage.py" and cmd.source.path in django_files)
        ):
            continue
        own.append(cmd)
    return own


def _cli_parameter(opt: CliOption) -> Parameter:
    """A command-line option: its flags, type, whether required, default, help and choices."""
    default = opt.default
    choices = opt.choices
    desc = clean(opt.help or "", 160) or None
    if choices:
        desc = f"{desc + '; ' if desc else ''}one of {', '.join(map(str, choices))}"
    return Parameter(
        name=opt.name,
        flags=list(opt.flags),
        type=opt.type or None,
        required=opt.required,
        default=None if default is None else clean(default, 80),
        description=desc,
    )


#: Library modules listed one by one; past this a long tail becomes an open question.
MAX_LIBRARY_MODULES = 40


def _route_parameters(detail: HttpRouteDetail) -> list[Parameter]:
    """A route's parameters as the client sends them: where, type, required, default, bounds."""
    specs = detail.param_specs
    if not specs:
        return [Parameter(name=str(p)) for p in detail.params or []]
    params = []
    for spec in specs:
        where = spec.location
        bounds = constraint_text(spec.constraints)
        description = "; ".join(x for x in (f"in {where}" if where else "", bounds) if x) or None
        default = spec.default
        params.append(
            Parameter(
                name=spec.name,
                type=clean(spec.type, 60) if spec.type else None,
                required=spec.required,
                default=None if default in (None, "") else clean(default, 60),
                description=description,
            )
        )
    return params


#: Characters of an error's message or condition kept in the interface line.
ERROR_REASON_CHARS = 60


def _route_response(detail: HttpRouteDetail) -> str | None:
    """A route's response model, with the success statuses its handler states itself
    (``202`` for queued work): "`ContractSerializer` (`202`)"."""
    model = tick(detail.response_model) if detail.response_model else None
    codes = ", ".join(tick(c) for c in detail.success or [])
    if model and codes:
        return f"{model} ({codes})"
    return model or codes or None


def _route_errors(detail: HttpRouteDetail) -> str | None:
    """``errors`` of a route item: each status with the message its client reads (or the condition
    it answers), e.g. "`404` (not found), `415` (only PDF uploads)"."""
    parts = []
    for error in detail.errors or []:
        message, condition = error.message, error.condition
        if message:
            why = f" ({clean(message, ERROR_REASON_CHARS)})"
        elif condition and len(condition) <= ERROR_REASON_CHARS:
            why = f" (on {tick(condition)})" if condition.startswith("except ") else f" (when {tick(condition)})"
        else:
            why = ""
        parts.append(f"{tick(error.status)}{why}")
    return ", ".join(parts) or None


def _mount_citations(detail: HttpRouteDetail) -> list[Citation]:
    """The urls.py lines that wrote a Django route's path (``path("api/", include(...))``,
    ``router.register(...)``): the path the item states is cited where it is written."""
    out = []
    for mount in detail.mounts or []:
        line, quote = mount.line, mount.quote
        if quote:
            out.append(Citation(path=mount.path, start_line=line, end_line=line, quote=clean(quote, QUOTE_LIMIT)))
    return out


def _error_citations(route: Fact) -> list[Citation]:
    """Lines outside the handler that answer an error (a helper, a dependency): cited too, so
    every status the item states has its line."""
    span = route.source.span
    out: dict[int, Citation] = {}
    for error in route.detail_as(HttpRouteDetail).errors or []:
        line, quote = error.line, error.quote
        if not quote or span.start_line <= line <= span.end_line:
            continue
        out.setdefault(
            line,
            Citation(path=route.source.path, start_line=line, end_line=line, quote=clean(quote, QUOTE_LIMIT)),
        )
    return [out[line] for line in sorted(out)]


def _packages(book: FactBook) -> set[str]:
    """Folders that are Python packages (they hold an ``__init__.py``)."""
    return {
        str(PurePosixPath(f.source.path).parent)
        for f in book.facts(FactKind.MODULE)
        if PurePosixPath(f.source.path).name == "__init__.py"
    }


def _program(cmd: Fact, packages: set[str]) -> str:
    """What a person types to run a command-line module that no console script names.

    An explicit program name (argparse ``prog=``) wins; otherwise the module is run the way
    Python runs it: ``python -m pkg.mod`` inside a package (its imports need the package),
    ``python -m pkg`` for a package's ``__main__.py``, ``python path/to/script.py`` elsewhere.
    """
    path = PurePosixPath(cmd.source.path)
    program = cmd.detail_as(CliCommandDetail).program
    if program and program != path.name:
        return str(program)
    if path.suffix != ".py" or cmd.source.span.cell is not None:
        return str(program or path.stem)
    module = module_name(cmd.source.path)
    if path.name == "__main__.py" and "." in module:
        return f"python -m {module.rpartition('.')[0]}"
    parent = str(path.parent)
    if parent in packages:
        return f"python -m {module}"
    return f"python {path}"


#: A queue name is looked up by the last name of the expression that holds it (``settings.queue``).
_LAST_NAME = re.compile(r"([A-Za-z_]\w*)\W*$")


def _queue_name(book: FactBook, expr: str) -> tuple[str | None, list[Fact]]:
    """The one queue name an expression such as ``settings.queue`` or ``cfg["queue"]`` holds,
    from the string defaults of data-model fields and config keys of that name, with the facts
    that say it. None when nothing, or more than one value, is found: a guess is worse than the
    expression."""
    match = _LAST_NAME.search(expr)
    if match is None:
        return None, []
    key = match.group(1)
    found: dict[str, list[Fact]] = defaultdict(list)
    for model in book.facts(FactKind.DATA_MODEL):
        for f in model.detail_as(DataModelDetail).fields or []:
            if f.name == key and isinstance(f.default, str) and f.default:
                found[f.default].append(model)
    for config in book.facts(FactKind.CONFIG_KEY):
        value = config.detail_as(ConfigKeyDetail).value
        if (config.name == key or config.name.endswith("." + key)) and isinstance(value, str) and value:
            found[value].append(config)
    if len(found) != 1:
        return None, []
    [(value, facts)] = found.items()
    return value, facts


def _queue_text(book: FactBook, cmd: Fact) -> tuple[str, list[Citation]]:
    """ "Reads queue `jobs` (`blpop`)." for an entry point that pops or pushes queues, with the
    lines of the calls and of where a name held in a setting is given."""
    phrases: dict[str, list[str]] = defaultdict(list)
    sources: list[Citation] = []
    for use in cmd.detail_as(CliCommandDetail).queues or []:
        name = use.name
        facts: list[Fact] = []
        if not name:
            name, facts = _queue_name(book, use.expr)
        label = tick(name or use.expr)
        phrases[use.mode].append(f"{label} (`{use.call}`)" if use.call else label)
        line, quote = use.line, use.quote
        if quote:
            sources.append(
                Citation(path=cmd.source.path, start_line=line, end_line=line, quote=clean(quote, QUOTE_LIMIT))
            )
        sources.extend(cites(facts, 1))
    verbs = {"read": "Reads queue", "write": "Writes queue"}
    text = " ".join(f"{verbs[m]} {', '.join(p)}." for m, p in sorted(phrases.items()) if m in verbs)
    return text, sources


def _console_scripts(book: FactBook) -> dict[str, str]:
    """Module -> the command name people type, from ``[project.scripts]`` (or poetry's)."""
    scripts: dict[str, str] = {}
    for key in book.facts(FactKind.CONFIG_KEY):
        name = key.name
        for prefix in ("project.scripts.", "tool.poetry.scripts."):
            if name.startswith(prefix) and ":" in str(key.detail_as(ConfigKeyDetail).value or ""):
                module = str(key.detail_as(ConfigKeyDetail).value).split(":", 1)[0].strip()
                scripts.setdefault(module, name[len(prefix) :])
    return scripts


def _library_interfaces(book: FactBook) -> list[Interface]:
    # Route handlers and CLI plumbing are interfaces of their own already.
    handlers = {(r.source.path, str(r.detail_as(HttpRouteDetail).handler)) for r in book.facts(FactKind.HTTP_ROUTE)}
    apps = ui_paths(book)  # an app's functions are its own plumbing, and it has a ui item
    by_module: dict[str, list[Fact]] = defaultdict(list)
    for fn in book.facts(FactKind.FUNCTION):
        path = fn.source.path
        qual = fn.detail_as(FunctionDetail).qualname
        if (
            (path, fn.name) in handlers
            or path in apps
            or fn.name in {"main", "parse_args", "cli", "build_parser", "get_parser"}
            or "." in qual
            or fn.name.startswith("_")
            or fn.source.span.cell is not None
            or not path.endswith(".py")
            or is_test_path(path)
            or PurePosixPath(path).name in {"setup.py", "conftest.py", "__main__.py"}
        ):
            continue
        by_module[path].append(fn)
    docs = {f.source.path: f.detail_as(ModuleDetail).doc for f in book.facts(FactKind.MODULE)}
    items = []
    modules = sorted(by_module.items())
    if len(modules) > MAX_LIBRARY_MODULES:
        # A reviewer reads the modules with the largest public surface; the rest is one question.
        ranked = sorted(modules, key=lambda kv: (-len(kv[1]), kv[0]))
        kept = {path for path, _ in ranked[:MAX_LIBRARY_MODULES]}
        rest = [path for path, _ in modules if path not in kept]
        book.ask(
            f"Which of the other {len(rest)} modules with public functions belong to the production API?",
            f"Only the {MAX_LIBRARY_MODULES} modules with the most public functions are listed under interfaces.",
            sources=[cite(by_module[path][0]) for path in rest[:3]],
        )
        modules = [(path, fns) for path, fns in modules if path in kept]
    for path, fns in modules:
        items.append(
            Interface(
                id=book.id("IF"),
                kind="library",
                name=module_name(path),
                summary=clean(docs[path]) if docs.get(path) else None,
                parameters=[
                    Parameter(
                        name=fn.name,
                        type=clean(fn.detail_as(FunctionDetail).signature or fn.name, 160),
                        description=clean(fn.detail_as(FunctionDetail).doc, 160)
                        if fn.detail_as(FunctionDetail).doc
                        else None,
                    )
                    for fn in fns[:20]
                ],
                sources=cites(fns, 3),
            )
        )
    return items


def _file_interfaces(book: FactBook) -> list[Interface]:
    by_target: dict[str, list[Fact]] = defaultdict(list)
    for io in book.facts(FactKind.FILE_IO):
        target = file_target(io)
        suffix = PurePosixPath(target).suffix.lower().lstrip(".")
        if suffix in FILE_EXTENSIONS and " " not in target and "(" not in target:
            by_target[target].append(io)
    items = []
    for target, ios in sorted(by_target.items()):
        modes = sorted({str(i.detail_as(FileIoDetail).mode) for i in ios})
        fmt = next((str(i.detail_as(FileIoDetail).format) for i in ios if i.detail_as(FileIoDetail).format), None)
        calls = sorted({str(i.detail_as(FileIoDetail).call) for i in ios if i.detail_as(FileIoDetail).call})
        where = sorted({i.source.path for i in ios})
        items.append(
            Interface(
                id=book.id("IF"),
                kind="file",
                name=target,
                summary=clean(
                    f"{' and '.join(modes)} as {fmt or 'file'}"
                    f"{' by ' + ', '.join(map(tick, calls[:3])) if calls else ''}"
                    f" in {', '.join(map(tick, where[:3]))}"
                ),
                sources=cites(ios, 3),
            )
        )
    return items
