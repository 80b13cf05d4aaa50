"""Parse Dockerfiles (``Dockerfile*``, ``*.dockerfile``, ``Containerfile``) into a DOCKER fact.

The fact gives the final stage's base image, exposed ports, command, ENV/ARG names and the
system packages it installs (inherited from the stage it builds ``FROM``).
"""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath
from typing import Any

from specagent.ingest.config.common import config_chunks, quote, span
from specagent.ingest.config.system_packages import track_system_packages
from specagent.ingest.models import Fact, FactKind, ParseResult, SourceRef


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


def parse_dockerfile(path: str, text: str, lines: list[str]) -> ParseResult:
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
            track_system_packages(_exec_form(args), packages)
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
                span=span(1, max(1, len(lines) - (1 if lines and lines[-1] == "" else 0))),
                quote=quote(lines, from_line) if base else None,
            ),
        )
    ]
    return ParseResult(facts=facts, chunks=config_chunks(path, text))
