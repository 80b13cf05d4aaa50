"""Parse dependency manifests into DEPENDENCY facts.

- ``pyproject.toml``: PEP 621 dependencies and optional groups, PEP 735 dependency groups,
  Poetry and uv tables; project metadata and entry points also become CONFIG_KEY facts;
- ``Pipfile``: ``[packages]`` and ``[dev-packages]``;
- ``requirements*.txt`` / ``constraints*.txt``: one requirement a logical line;
- ``setup.cfg``: ``install_requires`` and ``extras_require`` (plus its INI keys).
"""

from __future__ import annotations

import configparser
import re
from pathlib import PurePosixPath
from typing import Any

from specagent.ingest.config.common import (
    MAX_KEYS,
    config_chunks,
    config_fact,
    join_key,
    leaves,
    load_toml,
    quote,
    span,
    table,
)
from specagent.ingest.config.keys import parse_ini
from specagent.ingest.config.locators import ini_lines, locate, toml_lines
from specagent.ingest.models import Fact, FactKind, ParseResult, SourceRef


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
        source=SourceRef(path=path, span=span(line), quote=quote(lines, line)),
    )


def _string_line(lines: list[str], needle: str, start: int) -> int:
    """The first line at or after ``start`` holding the quoted string ``needle``."""
    for no in range(max(1, start), len(lines) + 1):
        line = lines[no - 1]
        if f'"{needle}"' in line or f"'{needle}'" in line:
            return no
    return start


def parse_pyproject(path: str, text: str, lines: list[str]) -> ParseResult:
    data = load_toml(path, text)
    if isinstance(data, ParseResult):
        return data
    where = toml_lines(lines)
    facts: list[Fact] = []

    def dep_list(specs: Any, key: str, group: str | None) -> None:
        if not isinstance(specs, list):
            return
        start = locate(where, key)
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
            line = locate(where, join_key(key, name))
            facts.append(_dependency(path, str(name), version, "pyproject", group, line, lines))

    project = table(data, "project")
    dep_list(project.get("dependencies"), "project.dependencies", None)
    for group, specs in (project.get("optional-dependencies") or {}).items():
        dep_list(specs, f"project.optional-dependencies.{group}", str(group))
    for group, specs in (data.get("dependency-groups") or {}).items():
        dep_list(specs, f"dependency-groups.{group}", str(group))
    tool = table(data, "tool")
    poetry = table(tool, "poetry")
    dep_table(poetry.get("dependencies"), "tool.poetry.dependencies", None)
    dep_table(poetry.get("dev-dependencies"), "tool.poetry.dev-dependencies", "dev")
    for group, body in (poetry.get("group") or {}).items():
        if isinstance(body, dict):
            dep_table(body.get("dependencies"), f"tool.poetry.group.{group}.dependencies", group)
    uv = table(tool, "uv")
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
            keep.extend(leaves(value, f"project.{key}"))
        else:
            keep.append((f"project.{key}", value))
    for key in ("name", "version", "description", "packages", "scripts"):
        if key in poetry:
            keep.extend(leaves(poetry[key], f"tool.poetry.{key}"))
    for key, value in keep[:MAX_KEYS]:
        facts.append(config_fact(path, key, value, "toml", locate(where, key), lines))
    top = {k: v for k, v in where.items() if "." not in k and "[" not in k}
    return ParseResult(facts=facts, chunks=config_chunks(path, text, top))


def parse_pipfile(path: str, text: str, lines: list[str]) -> ParseResult:
    data = load_toml(path, text)
    if isinstance(data, ParseResult):
        return data
    where = toml_lines(lines)
    facts = []
    for section, group in (("packages", None), ("dev-packages", "dev")):
        for name, spec in (data.get(section) or {}).items():
            version = spec if isinstance(spec, str) else (spec.get("version") if isinstance(spec, dict) else None)
            line = locate(where, f"{section}.{name}")
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
    return ParseResult(facts=facts, chunks=config_chunks(path, text))


def parse_requirements(path: str, text: str, lines: list[str]) -> ParseResult:
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
    return ParseResult(facts=facts, chunks=config_chunks(path, text))


def parse_setup_cfg(path: str, text: str, lines: list[str]) -> ParseResult:
    result = parse_ini(path, text, lines)
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except configparser.Error:
        return result
    where = ini_lines(lines)

    def deps(value: str, key: str, group: str | None) -> None:
        start = locate(where, key)
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
