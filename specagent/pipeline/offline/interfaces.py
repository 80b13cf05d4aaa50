"""Interfaces: HTTP routes, CLI commands, library functions and files read or written."""

from __future__ import annotations

from collections import defaultdict
from pathlib import PurePosixPath

from specagent.ingest.models import Fact, FactKind
from specagent.ingest.python_common import is_test_path, module_name
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
    Interface,
    Parameter,
)


def interfaces(book: FactBook) -> list[Interface]:
    items: list[Interface] = []
    for route in book.facts(FactKind.HTTP_ROUTE):
        d = route.detail
        method = str(d.get("method", "GET")).upper()
        path = d.get("path", route.name)
        items.append(
            Interface(
                id=book.id("IF"),
                kind="http",
                name=f"{method} {path}",
                method=method,
                route=path,
                summary=clean(d["doc"]) if d.get("doc") else None,
                signature=tick(d["handler"]) if d.get("handler") else None,
                request=tick(d["request_model"]) if d.get("request_model") else None,
                response=tick(d["response_model"]) if d.get("response_model") else None,
                parameters=_route_parameters(d),
                sources=[cite(route)],
            )
        )
    scripts = _console_scripts(book)
    for cmd in book.facts(FactKind.CLI_COMMAND):
        d = cmd.detail
        program = scripts.get(module_name(cmd.source.path)) or d.get("program") or PurePosixPath(cmd.source.path).stem
        command = d.get("command") or ""
        name = f"{program} {command}".strip()
        params = []
        for opt in d.get("options") or []:
            default = opt.get("default")
            choices = opt.get("choices")
            desc = clean(opt.get("help") or "", 160) or None
            if choices:
                desc = f"{desc + '; ' if desc else ''}one of {', '.join(map(str, choices))}"
            params.append(
                Parameter(
                    name=str(opt.get("name", "")),
                    flags=[str(f) for f in opt.get("flags") or []],
                    type=str(opt["type"]) if opt.get("type") else None,
                    required=bool(opt.get("required")),
                    default=None if default is None else clean(default, 80),
                    description=desc,
                )
            )
        items.append(
            Interface(
                id=book.id("IF"),
                kind="cli",
                name=name,
                summary=clean(d["help"]) if d.get("help") else None,
                parameters=params,
                sources=[cite(cmd)],
            )
        )
    items.extend(_library_interfaces(book))
    items.extend(_file_interfaces(book))
    if not items:
        book.ask(
            "How will people and systems call the production version (CLI, HTTP, library)?",
            "The prototype exposes no CLI, route or public function.",
        )
    return items


#: Library modules listed one by one; past this a long tail becomes an open question.
MAX_LIBRARY_MODULES = 40


def _route_parameters(detail: dict) -> list[Parameter]:
    """A route's parameters as the client sends them: where, type, required, default, bounds."""
    specs = detail.get("param_specs")
    if not specs:
        return [Parameter(name=str(p)) for p in detail.get("params") or []]
    params = []
    for spec in specs:
        where = str(spec.get("location") or "")
        bounds = constraint_text(spec.get("constraints"))
        description = "; ".join(x for x in (f"in {where}" if where else "", bounds) if x) or None
        default = spec.get("default")
        params.append(
            Parameter(
                name=str(spec.get("name")),
                type=clean(spec["type"], 60) if spec.get("type") else None,
                required=bool(spec.get("required")),
                default=None if default in (None, "") else clean(default, 60),
                description=description,
            )
        )
    return params


def _console_scripts(book: FactBook) -> dict[str, str]:
    """Module -> the command name people type, from ``[project.scripts]`` (or poetry's)."""
    scripts = {}
    for key in book.facts(FactKind.CONFIG_KEY):
        name = key.name
        for prefix in ("project.scripts.", "tool.poetry.scripts."):
            if name.startswith(prefix) and ":" in str(key.detail.get("value") or ""):
                module = str(key.detail["value"]).split(":", 1)[0].strip()
                scripts.setdefault(module, name[len(prefix) :])
    return scripts


def _library_interfaces(book: FactBook) -> list[Interface]:
    # Route handlers and CLI plumbing are interfaces of their own already.
    handlers = {(r.source.path, str(r.detail.get("handler"))) for r in book.facts(FactKind.HTTP_ROUTE)}
    by_module: dict[str, list[Fact]] = defaultdict(list)
    for fn in book.facts(FactKind.FUNCTION):
        path = fn.source.path
        qual = str(fn.detail.get("qualname", fn.name))
        if (
            (path, fn.name) in handlers
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
    docs = {f.source.path: f.detail.get("doc") for f in book.facts(FactKind.MODULE)}
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
                        type=clean(fn.detail.get("signature") or fn.name, 160),
                        description=clean(fn.detail["doc"], 160) if fn.detail.get("doc") else None,
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
        modes = sorted({str(i.detail.get("mode", "read")) for i in ios})
        fmt = next((str(i.detail["format"]) for i in ios if i.detail.get("format")), None)
        calls = sorted({str(i.detail.get("call")) for i in ios if i.detail.get("call")})
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
