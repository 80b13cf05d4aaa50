"""Parse configuration files: dependencies, env files, config keys, Dockerfiles, CI jobs.

Dispatch is on the file name:

- ``pyproject.toml`` / ``Pipfile`` / ``setup.cfg`` / ``requirements*.txt`` / ``constraints*.txt``
  -> DEPENDENCY facts (and CONFIG_KEY for scripts and project metadata);
- ``.env``, ``.env.example``, ``.env.*`` -> ENV_VAR facts;
- ``Dockerfile*`` -> a DOCKER fact; ``.github/workflows/*.yml``, ``.gitlab-ci.yml``,
  ``.circleci/config.yml`` -> CI_JOB facts;
- other YAML / TOML / JSON / INI -> CONFIG_KEY facts with dotted key paths (leaves only).

Malformed files give one warning and are still chunked as text. Nothing here raises.
"""

from __future__ import annotations

import configparser
import contextlib
import json
import re
import shlex
import tomllib
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

import yaml

from specagent.ingest.models import (
    Chunk,
    ChunkKind,
    Fact,
    FactKind,
    IngestWarning,
    ParseResult,
    SourceRef,
    Span,
)
from specagent.ingest.notes import chunk_lines
from specagent.ingest.secrets import REDACTED, is_secret_name

__all__ = ["json_config_facts", "parse_config"]

MAX_KEYS = 200
_VALUE_MAX = 120
_STEP_MAX = 80
_QUOTE_MAX = 200

_GITLAB_RESERVED = frozenset(
    {
        "stages",
        "variables",
        "image",
        "include",
        "default",
        "workflow",
        "before_script",
        "after_script",
        "cache",
        "services",
        "types",
        "pages_options",
    }
)
_EXAMPLE_ENV = frozenset({".env.example", ".env.sample", ".env.template", ".env.dist", ".env.defaults", ".env.tmpl"})


# ---------------------------------------------------------------------------------------------
# helpers


def _span(start: int, end: int | None = None) -> Span:
    start = max(1, start)
    return Span(start_line=start, end_line=max(start, end or start))


def _quote(lines: list[str], line: int) -> str | None:
    if 1 <= line <= len(lines):
        text = lines[line - 1].strip()
        return text[:_QUOTE_MAX] or None
    return None


def _short(value: Any) -> str | None:
    """A scalar or small collection as one line of text."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and value == ["REDACTED"]:
        return REDACTED  # an unquoted [REDACTED] that YAML read as a list
    if isinstance(value, str):
        text = value
    else:
        try:
            text = json.dumps(value, default=str, ensure_ascii=False)
        except (TypeError, ValueError):
            text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= _VALUE_MAX else text[: _VALUE_MAX - 1] + "…"


def _warning(path: str, message: str) -> IngestWarning:
    return IngestWarning(path=path, message=" ".join(message.split())[:200])


def _chunks(path: str, text: str, top_keys: dict[str, int] | None = None) -> list[Chunk]:
    lines = text.split("\n")
    chunks = chunk_lines(path, lines, 1, ChunkKind.CONFIG)
    if not top_keys:
        return chunks
    out = []
    for c in chunks:
        symbols = [k for k, line in top_keys.items() if c.span.start_line <= line <= c.span.end_line]
        out.append(c.model_copy(update={"symbols": symbols[:20]}))
    return out


def _config_fact(path: str, key: str, value: Any, fmt: str, line: int, lines: list[str]) -> Fact:
    return Fact(
        kind=FactKind.CONFIG_KEY,
        name=key,
        detail={"value": _short(value), "file_format": fmt},
        source=SourceRef(path=path, span=_span(line), quote=_quote(lines, line)),
    )


def _join(prefix: str, key: Any) -> str:
    key = str(key)
    if prefix == "":
        return key
    return f"{prefix}.{key}"


def _leaves(data: Any, prefix: str = "", depth: int = 0) -> Iterator[tuple[str, Any]]:
    """Dotted paths to leaves; lists of scalars are one leaf, lists of mappings are indexed."""
    if depth > 20:
        return
    if isinstance(data, dict):
        if not data and prefix:
            yield prefix, {}
        for key, value in data.items():
            yield from _leaves(value, _join(prefix, key), depth + 1)
    elif isinstance(data, list) and any(isinstance(v, dict | list) for v in data):
        for i, value in enumerate(data):
            yield from _leaves(value, f"{prefix}[{i}]", depth + 1)
    else:
        yield prefix or "(root)", data


# ---------------------------------------------------------------------------------------------
# line locators (tomllib, json and configparser give no positions)


_TOML_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_TOML_KEY = re.compile(
    r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*="""
)


def _toml_parts(dotted: str) -> list[str]:
    return [p.strip().strip("\"'") for p in re.findall(r"""(?:"[^"]*"|'[^']*'|[^.]+)""", dotted)]


def _toml_lines(lines: list[str]) -> dict[str, int]:
    """Dotted key path -> 1-based line of its first appearance."""
    where: dict[str, int] = {}
    table: list[str] = []
    arrays: dict[str, int] = {}
    in_multiline: str | None = None
    for no, line in enumerate(lines, start=1):
        if in_multiline:
            if line.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        header = _TOML_HEADER.match(line)
        if header:
            parts = _toml_parts(header.group(2))
            name = ".".join(parts)
            if header.group(1) == "[[":
                idx = arrays.get(name, -1) + 1
                arrays[name] = idx
                parts = [*parts[:-1], f"{parts[-1]}[{idx}]"]
            table = parts
            where.setdefault(".".join(table), no)
            continue
        key = _TOML_KEY.match(line)
        if key:
            full = ".".join([*table, *_toml_parts(key.group(1))])
            where.setdefault(full, no)
            for quote in ('"""', "'''"):
                if line.count(quote) % 2 == 1:
                    in_multiline = quote
    return where


def _locate(where: dict[str, int], key: str) -> int:
    """The line of ``key`` or of its nearest located ancestor."""
    probe = key
    while probe:
        if probe in where:
            return where[probe]
        cut = max(probe.rfind("."), probe.rfind("["))
        probe = probe[:cut] if cut > 0 else ""
    return 1


def _json_lines(text: str, data: Any) -> dict[str, int]:
    """Dotted key path -> line, by walking keys in document order with a forward cursor."""
    where: dict[str, int] = {}
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    cursor = 0

    def line_of(pos: int) -> int:
        import bisect

        return bisect.bisect_right(line_starts, pos)

    def walk(node: Any, prefix: str, depth: int) -> None:
        nonlocal cursor
        if depth > 20 or len(where) > MAX_KEYS * 4:
            return
        if isinstance(node, dict):
            for key, value in node.items():
                m = re.compile(json.dumps(str(key)).replace("\\", "\\\\") + r"\s*:").search(text, cursor)
                if m is None:
                    continue
                cursor = m.end()
                path = _join(prefix, key)
                where[path] = line_of(m.start())
                walk(value, path, depth + 1)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                if isinstance(value, dict | list):
                    walk(value, f"{prefix}[{i}]", depth + 1)

    with contextlib.suppress(re.error):
        walk(data, "", 0)
    return where


# ---------------------------------------------------------------------------------------------
# dependencies


def _requirement(spec: str) -> tuple[str, str | None] | None:
    """(name, version specifier) of a PEP 508 string, or None when it names nothing."""
    from packaging.requirements import InvalidRequirement, Requirement

    spec = spec.strip()
    if not spec:
        return None
    try:
        req = Requirement(spec)
    except InvalidRequirement:
        req = None
    if req is not None:
        if not req.specifier:
            return req.name, None
        # The specifier as written ("chromadb>=0.5.3,<0.6"), not packaging's sorted form.
        written = re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\])?\s*([^;@]*)", spec)
        text = written.group(1).strip().strip("()").strip() if written else ""
        return req.name, text or str(req.specifier)
    else:
        m = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([<>=!~][^;#]*)?", spec)
        if not m:
            return None
        return m.group(1), (m.group(3).strip() if m.group(3) else None)


def _dependency(
    path: str,
    name: str,
    version: str | None,
    source: str,
    group: str | None,
    line: int,
    lines: list[str],
) -> Fact:
    return Fact(
        kind=FactKind.DEPENDENCY,
        name=name,
        detail={"version": version, "source": source, "group": group},
        source=SourceRef(path=path, span=_span(line), quote=_quote(lines, line)),
    )


def _string_line(lines: list[str], needle: str, start: int) -> int:
    """The first line at or after ``start`` holding the quoted string ``needle``."""
    for no in range(max(1, start), len(lines) + 1):
        line = lines[no - 1]
        if f'"{needle}"' in line or f"'{needle}'" in line:
            return no
    return start


def _pyproject(path: str, text: str, lines: list[str]) -> ParseResult:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return ParseResult(chunks=_chunks(path, text), warnings=[_warning(path, f"invalid TOML: {exc}")])
    where = _toml_lines(lines)
    facts: list[Fact] = []

    def dep_list(specs: Any, key: str, group: str | None) -> None:
        if not isinstance(specs, list):
            return
        start = _locate(where, key)
        for spec in specs:
            if not isinstance(spec, str):
                continue
            parsed = _requirement(spec)
            if parsed:
                line = _string_line(lines, spec, start)
                facts.append(_dependency(path, *parsed, "pyproject", group, line, lines))

    def dep_table(table: Any, key: str, group: str | None) -> None:
        if not isinstance(table, dict):
            return
        for name, spec in table.items():
            if str(name).lower() == "python":
                continue
            version = spec if isinstance(spec, str) else (spec.get("version") if isinstance(spec, dict) else None)
            if version in {"*", ""}:
                version = None
            line = _locate(where, _join(key, name))
            facts.append(_dependency(path, str(name), version, "pyproject", group, line, lines))

    project = data.get("project") if isinstance(data.get("project"), dict) else {}
    dep_list(project.get("dependencies"), "project.dependencies", None)
    for group, specs in (project.get("optional-dependencies") or {}).items():
        dep_list(specs, f"project.optional-dependencies.{group}", str(group))
    for group, specs in (data.get("dependency-groups") or {}).items():
        dep_list(specs, f"dependency-groups.{group}", str(group))
    tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
    poetry = tool.get("poetry") if isinstance(tool.get("poetry"), dict) else {}
    dep_table(poetry.get("dependencies"), "tool.poetry.dependencies", None)
    dep_table(poetry.get("dev-dependencies"), "tool.poetry.dev-dependencies", "dev")
    for group, body in (poetry.get("group") or {}).items():
        if isinstance(body, dict):
            dep_table(body.get("dependencies"), f"tool.poetry.group.{group}.dependencies", group)
    uv = tool.get("uv") if isinstance(tool.get("uv"), dict) else {}
    dep_list(uv.get("dev-dependencies"), "tool.uv.dev-dependencies", "dev")

    # Metadata and entry points as config keys; tool settings (ruff, pytest...) are left out.
    keep: list[tuple[str, Any]] = []
    for key, value in project.items():
        if key in {
            "dependencies",
            "optional-dependencies",
            "readme",
            "classifiers",
            "authors",
            "maintainers",
            "keywords",
            "license-files",
        }:
            continue
        if isinstance(value, dict):
            keep.extend(_leaves(value, f"project.{key}"))
        else:
            keep.append((f"project.{key}", value))
    for key in ("name", "version", "description", "packages", "scripts"):
        if key in poetry:
            keep.extend(_leaves(poetry[key], f"tool.poetry.{key}"))
    for key, value in keep[:MAX_KEYS]:
        facts.append(_config_fact(path, key, value, "toml", _locate(where, key), lines))
    top = {k: v for k, v in where.items() if "." not in k and "[" not in k}
    return ParseResult(facts=facts, chunks=_chunks(path, text, top))


def _pipfile(path: str, text: str, lines: list[str]) -> ParseResult:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return ParseResult(chunks=_chunks(path, text), warnings=[_warning(path, f"invalid TOML: {exc}")])
    where = _toml_lines(lines)
    facts = []
    for table, group in (("packages", None), ("dev-packages", "dev")):
        for name, spec in (data.get(table) or {}).items():
            version = spec if isinstance(spec, str) else (spec.get("version") if isinstance(spec, dict) else None)
            line = _locate(where, f"{table}.{name}")
            facts.append(
                _dependency(
                    path,
                    str(name),
                    None if version in {"*", ""} else version,
                    "requirements",
                    group,
                    line,
                    lines,
                )
            )
    return ParseResult(facts=facts, chunks=_chunks(path, text))


def _requirements(path: str, text: str, lines: list[str]) -> ParseResult:
    name = PurePosixPath(path).name.lower()
    if name.startswith("constraints"):
        group: str | None = "constraints"
    elif re.search(r"dev|test", name) or re.search(r"(?:^|/)(?:dev|test)[^/]*$", path.lower()):
        group = "dev"
    else:
        group = None
    facts: list[Fact] = []
    logical = ""
    first = 0
    for no, raw in enumerate(lines, start=1):
        line = raw.rstrip()
        if not logical:
            first = no
        if line.endswith("\\"):
            logical += line[:-1] + " "
            continue
        logical += line
        entry, logical = logical, ""
        entry = re.sub(r"(^|\s)#.*$", "", entry).strip()
        entry = re.sub(r"\s--hash[=\s]\S+", "", entry).strip()
        if not entry:
            continue
        if entry.startswith(("-e ", "--editable")):
            egg = re.search(r"#egg=([A-Za-z0-9._-]+)", entry)
            if egg:
                facts.append(_dependency(path, egg.group(1), None, "requirements", group, first, lines))
            continue
        if entry.startswith("-"):
            continue  # -r, -c, --index-url and friends
        if re.match(r"^[a-z+]+://|^git\+", entry):
            egg = re.search(r"#egg=([A-Za-z0-9._-]+)", entry)
            wheel = re.search(r"/([A-Za-z0-9_.]+?)-\d[^/]*\.(?:whl|tar\.gz|zip)$", entry)
            dist = egg.group(1) if egg else (wheel.group(1) if wheel else None)
            if dist:
                facts.append(_dependency(path, dist, None, "requirements", group, first, lines))
            continue
        if entry.startswith((".", "/")):
            continue  # a local path
        parsed = _requirement(entry)
        if parsed:
            facts.append(_dependency(path, *parsed, "requirements", group, first, lines))
    return ParseResult(facts=facts, chunks=_chunks(path, text))


def _setup_cfg(path: str, text: str, lines: list[str]) -> ParseResult:
    result = _ini(path, text, lines)
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except configparser.Error:
        return result
    where = _ini_lines(lines)

    def deps(value: str, key: str, group: str | None) -> None:
        start = _locate(where, key)
        for spec in value.splitlines():
            spec = spec.split("#", 1)[0].strip()
            parsed = _requirement(spec) if spec else None
            if parsed:
                line = next((no for no in range(start, len(lines) + 1) if spec in lines[no - 1]), start)
                result.facts.append(_dependency(path, *parsed, "setup", group, line, lines))

    if parser.has_option("options", "install_requires"):
        deps(parser.get("options", "install_requires"), "options.install_requires", None)
    if parser.has_section("options.extras_require"):
        for group, value in parser.items("options.extras_require"):
            deps(value, f"options.extras_require.{group}", group)
    return result


# ---------------------------------------------------------------------------------------------
# .env files


_ENV_PLACEHOLDER = re.compile(
    r"^(?:\.\.\.|…|x{3,}|X{3,}|\*{3,}|<.*>|\$\{.*\}|\{\{.*\}\}|change[-_ ]?me|replace[-_ ]?me|"
    r"your[-_ ].*|.*[-_ ]here|todo|tbd)$",
    re.IGNORECASE,
)
_URL_CREDENTIALS = re.compile(r"://[^/\s:@]+:[^/\s@]+@")
_ENV_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$")


def _env_value(raw: str) -> str:
    raw = raw.strip()
    if raw[:1] in {'"', "'"}:
        end = raw.find(raw[0], 1)
        return raw[1:end] if end > 0 else raw[1:]
    return re.sub(r"\s+#.*$", "", raw).strip()


def _dotenv(path: str, text: str, lines: list[str]) -> ParseResult:
    accessor = ".env.example" if PurePosixPath(path).name.lower() in _EXAMPLE_ENV else ".env"
    facts = []
    for no, line in enumerate(lines, start=1):
        m = _ENV_LINE.match(line)
        if not m or line.lstrip().startswith("#"):
            continue
        name, value = m.group(1), _env_value(m.group(2))
        secret = is_secret_name(name) or REDACTED in value or bool(_URL_CREDENTIALS.search(value))
        default = None if secret or not value or _ENV_PLACEHOLDER.match(value) else value
        facts.append(
            Fact(
                kind=FactKind.ENV_VAR,
                name=name,
                detail={
                    "accessor": accessor,
                    "default": default,
                    "required": default is None,
                    "is_secret": secret,
                },
                source=SourceRef(path=path, span=_span(no), quote=_quote(lines, no)),
            )
        )
    return ParseResult(facts=facts, chunks=_chunks(path, text))


# ---------------------------------------------------------------------------------------------
# Dockerfile


def _docker_instructions(lines: list[str]) -> list[tuple[int, str, str]]:
    """(first line, INSTRUCTION, arguments) with continuation lines joined."""
    out: list[tuple[int, str, str]] = []
    buf = ""
    first = 0
    for no, raw in enumerate(lines, start=1):
        line = raw.rstrip()
        if not buf and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if buf and line.lstrip().startswith("#"):
            continue  # comments inside a continued instruction
        if not buf:
            first = no
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        buf += line
        parts = buf.strip().split(None, 1)
        if parts:
            out.append((first, parts[0].upper(), parts[1].strip() if len(parts) > 1 else ""))
        buf = ""
    if buf.strip():
        parts = buf.strip().split(None, 1)
        out.append((first, parts[0].upper(), parts[1].strip() if len(parts) > 1 else ""))
    return out


def _exec_form(args: str) -> str:
    if args.startswith("["):
        try:
            value = json.loads(args)
            if isinstance(value, list):
                return " ".join(str(v) for v in value)
        except ValueError:
            pass
    return args


# System package managers: the words that install and remove, by manager.
_PKG_INSTALL = {
    "apt-get": ("install",),
    "apt": ("install",),
    "aptitude": ("install",),
    "apk": ("add",),
    "yum": ("install",),
    "dnf": ("install",),
    "microdnf": ("install",),
    "tdnf": ("install",),
    "zypper": ("install", "in"),
}
_PKG_REMOVE = {
    "apt-get": ("remove", "purge"),
    "apt": ("remove", "purge"),
    "aptitude": ("remove", "purge"),
    "apk": ("del",),
    "yum": ("remove", "erase"),
    "dnf": ("remove", "erase"),
    "microdnf": ("remove",),
    "tdnf": ("remove", "erase"),
    "zypper": ("remove", "rm"),
}
# Options that take the next word as their value (``-o Dpkg::Options=...``, ``--virtual .deps``).
_PKG_VALUE_OPTIONS = frozenset(
    {
        "-o",
        "--option",
        "-t",
        "--target-release",
        "--virtual",
        "-X",
        "--repository",
        "--setopt",
        "--enablerepo",
        "--disablerepo",
        "--repo",
        "--releasever",
        "--installroot",
        "-c",
        "--config",
    }
)
# What runs a command without being it: ``sudo``, ``DEBIAN_FRONTEND=noninteractive``, ``env``.
_COMMAND_PREFIX = re.compile(r"^(?:sudo|env|nice|time|[A-Za-z_][A-Za-z0-9_]*=\S*)$")


def _package_commands(run: str) -> Iterator[tuple[str, str, list[str]]]:
    """(manager, verb, arguments) of each package-manager command in a ``RUN`` line."""
    for command in re.split(r"&&|\|\||;|\|", run):
        try:
            words = shlex.split(command, comments=True)
        except ValueError:  # an unbalanced quote: read it plainly
            words = command.split()
        while words and _COMMAND_PREFIX.match(words[0]):
            words = words[1:]
        if not words:
            continue
        manager = PurePosixPath(words[0]).name
        if manager not in _PKG_INSTALL:
            continue
        # The verb is the first word that is not an option (``apt-get -y install``).
        rest = words[1:]
        while rest and rest[0].startswith("-"):
            rest = rest[2:] if rest[0] in _PKG_VALUE_OPTIONS else rest[1:]
        if rest:
            yield manager, rest[0], rest[1:]


def _package_names(args: list[str]) -> list[str]:
    """The packages among a command's arguments: options, their values and ``$VARS`` dropped."""
    names: list[str] = []
    skip = False
    for word in args:
        if skip:
            skip = False
            continue
        if word.startswith("-"):
            skip = word in _PKG_VALUE_OPTIONS
            continue
        if not re.match(r"^[A-Za-z0-9][\w@.+:=*<>~-]*$", word):
            continue  # a ``$VAR``, a path or URL, or shell syntax: no package name we can state
        names.append(word)
    return names


def _system_packages(run: str, installed: list[str]) -> None:
    """Update ``installed`` with what one ``RUN`` installs and removes (build deps purged again)."""
    virtual: dict[str, list[str]] = {}  # apk add --virtual NAME ...: ``apk del NAME`` drops them
    for manager, verb, args in _package_commands(run):
        names = _package_names(args)
        if verb in _PKG_INSTALL[manager]:
            if "--virtual" in args or (manager == "apk" and "-t" in args):
                flag = "--virtual" if "--virtual" in args else "-t"
                at = args.index(flag)
                if at + 1 < len(args):
                    virtual[args[at + 1]] = names
            installed.extend(n for n in names if n not in installed)
        elif verb in _PKG_REMOVE.get(manager, ()):
            gone = set(names)
            for word in args:  # virtual names (``.build-deps``) are no package names
                gone.update(virtual.get(word, []))
            installed[:] = [n for n in installed if n not in gone]


def _dockerfile(path: str, text: str, lines: list[str]) -> ParseResult:
    base: str | None = None
    from_line = 1
    ports: list[int] = []
    env: list[str] = []
    cmd: str | None = None
    entrypoint: str | None = None
    packages: list[str] = []
    stage_packages: dict[str, list[str]] = {}  # by stage name: ``FROM base AS app`` inherits them
    for no, instr, args in _docker_instructions(lines):
        if instr == "FROM":
            tokens = [t for t in args.split() if not t.startswith("--")]
            if tokens:
                base, from_line = tokens[0], no
                cmd = entrypoint = None  # a later stage starts afresh
                # ...and so do its packages: a build stage's compilers do not ship.
                packages = list(stage_packages.get(tokens[0].lower(), []))
                if len(tokens) >= 3 and tokens[1].upper() == "AS":
                    stage_packages[tokens[2].lower()] = packages
        elif instr == "RUN":
            _system_packages(_exec_form(args), packages)
        elif instr == "EXPOSE":
            for token in args.split():
                m = re.match(r"^(\d+)(?:/\w+)?$", token)
                if m and int(m.group(1)) not in ports:
                    ports.append(int(m.group(1)))
        elif instr in {"ENV", "ARG"}:
            if instr == "ENV" and "=" not in args.split(None, 1)[0]:
                names = [args.split(None, 1)[0]]  # legacy "ENV KEY value"
            else:
                names = re.findall(r"(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)(?==|\s|$)", args)
                if instr == "ENV":
                    names = re.findall(r"(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=", args)
            for name in names:
                if name not in env:
                    env.append(name)
        elif instr == "CMD":
            cmd = _exec_form(args)
        elif instr == "ENTRYPOINT":
            entrypoint = _exec_form(args)
    command = " ".join(p for p in (entrypoint, cmd) if p) or None
    detail: dict[str, Any] = {"base_image": base, "ports": ports, "cmd": command, "env": env}
    if packages:
        detail["packages"] = packages
    facts = [
        Fact(
            kind=FactKind.DOCKER,
            name=PurePosixPath(path).name,
            detail=detail,
            source=SourceRef(
                path=path,
                span=_span(1, max(1, len(lines) - (1 if lines and lines[-1] == "" else 0))),
                quote=_quote(lines, from_line) if base else None,
            ),
        )
    ]
    return ParseResult(facts=facts, chunks=_chunks(path, text))


# ---------------------------------------------------------------------------------------------
# YAML (config keys and CI)


def _yaml_docs(text: str) -> list[yaml.Node]:
    return [d for d in yaml.compose_all(text, Loader=yaml.SafeLoader) if d is not None]


def _yaml_error(path: str, exc: yaml.YAMLError) -> IngestWarning:
    mark = getattr(exc, "problem_mark", None)
    where = f" (line {mark.line + 1})" if mark is not None else ""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return _warning(path, f"invalid YAML: {problem}{where}")


def _node_value(node: yaml.Node) -> Any:
    """A plain Python value for a scalar or a sequence of scalars."""
    if isinstance(node, yaml.ScalarNode):
        try:
            # Resolve ints, bools and nulls as YAML would; custom tags (!Ref) stay text.
            return yaml.SafeLoader("").construct_object(node, deep=True)
        except Exception:
            return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_node_value(n) for n in node.value]
    return None


def _yaml_leaves(node: yaml.Node, prefix: str, depth: int = 0) -> Iterator[tuple[str, Any, int, int]]:
    """(dotted path, value, first line, last line) of each leaf."""
    if depth > 20:
        return
    if isinstance(node, yaml.MappingNode):
        if not node.value and prefix:
            yield prefix, {}, node.start_mark.line + 1, node.start_mark.line + 1
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
            path = _join(prefix, key)
            if isinstance(value_node, yaml.MappingNode) or (
                isinstance(value_node, yaml.SequenceNode)
                and any(not isinstance(v, yaml.ScalarNode) for v in value_node.value)
            ):
                yield from _yaml_leaves(value_node, path, depth + 1)
            else:
                end = max(key_node.start_mark.line, _last_line(value_node)) + 1
                yield path, _node_value(value_node), key_node.start_mark.line + 1, end
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            path = f"{prefix}[{i}]"
            if isinstance(item, yaml.ScalarNode):
                line = item.start_mark.line + 1
                yield path, _node_value(item), line, line
            else:
                yield from _yaml_leaves(item, path, depth + 1)
    elif isinstance(node, yaml.ScalarNode):
        line = node.start_mark.line + 1
        yield prefix or "(root)", _node_value(node), line, line


def _last_line(node: yaml.Node, depth: int = 0) -> int:
    """0-based last line of a node's own text.

    A block container's end mark points at the next token, so its last line is that of its
    last descendant; a block scalar's end mark sits at column 0 of the line after it.
    """
    if isinstance(node, yaml.ScalarNode):
        end = node.end_mark
        if end.column == 0 and end.line > node.start_mark.line:
            return end.line - 1
        return end.line
    children: list[yaml.Node] = []
    if isinstance(node, yaml.MappingNode):
        children = [part for pair in node.value for part in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    if not children or depth > 50 or getattr(node, "flow_style", False):
        end = node.end_mark
        return end.line - 1 if end.column == 0 and end.line > node.start_mark.line else end.line
    return max(_last_line(child, depth + 1) for child in children)


def _yaml_config(path: str, text: str, lines: list[str]) -> ParseResult:
    try:
        docs = _yaml_docs(text)
    except yaml.YAMLError as exc:
        return ParseResult(chunks=_chunks(path, text), warnings=[_yaml_error(path, exc)])
    facts: list[Fact] = []
    top: dict[str, int] = {}
    for doc in docs:
        if isinstance(doc, yaml.MappingNode):
            for key_node, _ in doc.value:
                if isinstance(key_node, yaml.ScalarNode):
                    top.setdefault(key_node.value, key_node.start_mark.line + 1)
        for key, value, first, last in _yaml_leaves(doc, ""):
            if len(facts) >= MAX_KEYS:
                break
            fact = _config_fact(path, key, value, "yaml", first, lines)
            if last > first:
                fact = fact.model_copy(update={"source": fact.source.model_copy(update={"span": _span(first, last)})})
            facts.append(fact)
    return ParseResult(facts=facts, chunks=_chunks(path, text, top))


def _mapping_items(node: yaml.Node) -> list[tuple[str, yaml.Node, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        return []
    return [(k.value, k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]


def _short_step(text: str) -> str:
    text = " ".join(str(text).strip().splitlines()[0].split()) if str(text).strip() else ""
    return text if len(text) <= _STEP_MAX else text[: _STEP_MAX - 1] + "…"


def _ci_job(
    path: str,
    name: str,
    system: str,
    steps: list[str],
    key: yaml.Node,
    value: yaml.Node,
    lines: list[str],
) -> Fact:
    first = key.start_mark.line + 1
    return Fact(
        kind=FactKind.CI_JOB,
        name=name,
        detail={"system": system, "steps": [s for s in (_short_step(x) for x in steps) if s]},
        source=SourceRef(
            path=path,
            span=_span(first, _last_line(value) + 1),
            quote=_quote(lines, first),
        ),
    )


def _ci(path: str, text: str, lines: list[str], system: str) -> ParseResult:
    try:
        docs = _yaml_docs(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        return ParseResult(chunks=_chunks(path, text), warnings=[_yaml_error(path, exc)])
    if not docs or not isinstance(data, dict):
        return ParseResult(chunks=_chunks(path, text))
    root = docs[0]
    facts: list[Fact] = []
    top = {k: key.start_mark.line + 1 for k, key, _ in _mapping_items(root)}
    if system == "github":
        jobs_node = next((v for k, _, v in _mapping_items(root) if k == "jobs"), None)
        jobs = data.get("jobs") if isinstance(data.get("jobs"), dict) else {}
        for name, key, value in _mapping_items(jobs_node) if jobs_node is not None else []:
            job = jobs.get(name) if isinstance(jobs.get(name), dict) else {}
            steps: list[str] = []
            if job.get("uses"):
                steps.append(str(job["uses"]))
            for step in job.get("steps") or []:
                if isinstance(step, dict):
                    steps.append(str(step.get("name") or step.get("run") or step.get("uses") or ""))
            facts.append(_ci_job(path, name, "github", steps, key, value, lines))
    elif system == "gitlab":
        for name, key, value in _mapping_items(root):
            job = data.get(name)
            if name in _GITLAB_RESERVED or name.startswith(".") or not isinstance(job, dict):
                continue
            if not any(k in job for k in ("script", "trigger", "extends", "run")):
                continue
            script = job.get("script") or []
            steps = [str(s) for s in (script if isinstance(script, list) else [script])]
            facts.append(_ci_job(path, name, "gitlab", steps, key, value, lines))
    else:  # CircleCI-style: jobs.<name>.steps with strings or {run: ...}
        jobs_node = next((v for k, _, v in _mapping_items(root) if k == "jobs"), None)
        jobs = data.get("jobs") if isinstance(data.get("jobs"), dict) else {}
        for name, key, value in _mapping_items(jobs_node) if jobs_node is not None else []:
            job = jobs.get(name) if isinstance(jobs.get(name), dict) else {}
            steps = []
            for step in job.get("steps") or []:
                if isinstance(step, str):
                    steps.append(step)
                elif isinstance(step, dict) and step:
                    kind, body = next(iter(step.items()))
                    if isinstance(body, dict):
                        body = body.get("name") or body.get("command") or kind
                    steps.append(str(body if kind == "run" else kind))
            facts.append(_ci_job(path, name, "other", steps, key, value, lines))
    return ParseResult(facts=facts, chunks=_chunks(path, text, top))


# ---------------------------------------------------------------------------------------------
# TOML, JSON, INI config keys


def _toml_config(path: str, text: str, lines: list[str]) -> ParseResult:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return ParseResult(chunks=_chunks(path, text), warnings=[_warning(path, f"invalid TOML: {exc}")])
    where = _toml_lines(lines)
    facts = [
        _config_fact(path, key, value, "toml", _locate(where, key), lines)
        for key, value in list(_leaves(data))[:MAX_KEYS]
    ]
    top = {k: v for k, v in where.items() if "." not in k and "[" not in k}
    return ParseResult(facts=facts, chunks=_chunks(path, text, top))


def json_config_facts(path: str, text: str, data: Any) -> list[Fact]:
    """CONFIG_KEY facts for parsed JSON ``data`` (``text`` locates each key's line)."""
    lines = text.split("\n")
    where = _json_lines(text, data)
    return [
        _config_fact(path, key, value, "json", _locate(where, key), lines)
        for key, value in list(_leaves(data))[:MAX_KEYS]
    ]


def _json_config(path: str, text: str, lines: list[str]) -> ParseResult:
    try:
        data = json.loads(text)
    except ValueError as exc:
        return ParseResult(chunks=_chunks(path, text), warnings=[_warning(path, f"invalid JSON: {exc}")])
    return ParseResult(facts=json_config_facts(path, text, data), chunks=_chunks(path, text))


_INI_SECTION = re.compile(r"^\s*\[([^\]]+)\]\s*$")
_INI_KEY = re.compile(r"^([^\s#;=:][^=:]*?)\s*[=:]")


def _ini_lines(lines: list[str]) -> dict[str, int]:
    where: dict[str, int] = {}
    section = ""
    for no, line in enumerate(lines, start=1):
        sec = _INI_SECTION.match(line)
        if sec:
            section = sec.group(1).strip()
            where.setdefault(section, no)
            continue
        key = _INI_KEY.match(line)
        if key and section:
            where.setdefault(f"{section}.{key.group(1).strip().lower()}", no)
    return where


def _ini(path: str, text: str, lines: list[str], *, quiet: bool = False) -> ParseResult:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except configparser.Error as exc:
        warnings = [] if quiet else [_warning(path, f"invalid INI: {exc}")]
        return ParseResult(chunks=_chunks(path, text), warnings=warnings)
    where = _ini_lines(lines)
    facts = []
    for section in parser.sections():
        for key, value in parser.items(section, raw=True):
            if len(facts) >= MAX_KEYS:
                break
            dotted = f"{section}.{key}"
            facts.append(_config_fact(path, dotted, value, "ini", _locate(where, dotted), lines))
    top = {s: n for s, n in where.items() if "." not in s}
    return ParseResult(facts=facts, chunks=_chunks(path, text, top))


# ---------------------------------------------------------------------------------------------


def parse_config(path: str, text: str) -> ParseResult:
    """Parse a config file by its name; never raises."""
    try:
        return _dispatch(path, text)
    except Exception as exc:  # a parser bug must not stop ingest
        return ParseResult(
            chunks=_safe_chunks(path, text),
            warnings=[_warning(path, f"config not parsed: {type(exc).__name__}: {exc}")],
        )


def _safe_chunks(path: str, text: str) -> list[Chunk]:
    try:
        return _chunks(path, text)
    except Exception:
        return []


def _dispatch(path: str, text: str) -> ParseResult:
    pure = PurePosixPath(path)
    name = pure.name.lower()
    suffix = pure.suffix.lower()
    lines = text.split("\n")
    lower_path = path.lower()
    if name == "pyproject.toml":
        return _pyproject(path, text, lines)
    if name == "pipfile":
        return _pipfile(path, text, lines)
    if name == "setup.cfg":
        return _setup_cfg(path, text, lines)
    if (name.startswith(("requirements", "constraints")) and suffix in {".txt", ".in"}) or (
        "/requirements/" in f"/{lower_path}" and suffix in {".txt", ".in"}
    ):
        return _requirements(path, text, lines)
    if name == ".env" or name.startswith(".env.") or name.endswith(".env"):
        return _dotenv(path, text, lines)
    if name.startswith("dockerfile") or name.endswith(".dockerfile") or name == "containerfile":
        return _dockerfile(path, text, lines)
    if suffix in {".yml", ".yaml"}:
        if ".github/workflows/" in f"/{lower_path}":
            return _ci(path, text, lines, "github")
        if name in {".gitlab-ci.yml", ".gitlab-ci.yaml"}:
            return _ci(path, text, lines, "gitlab")
        if ".circleci/" in f"/{lower_path}":
            return _ci(path, text, lines, "other")
        return _yaml_config(path, text, lines)
    if suffix == ".toml":
        return _toml_config(path, text, lines)
    if suffix == ".json":
        return _json_config(path, text, lines)
    if suffix in {".ini", ".cfg"}:
        return _ini(path, text, lines)
    if suffix == ".conf":
        return _ini(path, text, lines, quiet=True)  # nginx & co are not INI: just chunk them
    return ParseResult(chunks=_chunks(path, text))
