"""Line locators: the line of each dotted key in TOML, JSON and INI text.

tomllib, json and configparser give no positions, so these scan the text itself and map each
dotted key path to the 1-based line where it first appears.
"""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any

from specagent.ingest.config.common import MAX_KEYS, join_key

# Greedy groups, stripped by the caller: a lazy group before ``\s*`` backtracks quadratically
# on a long line of spaces.
_TOML_HEADER = re.compile(r"^\s*(\[\[?)([^\]]+)\]\]?\s*(?:#.*)?$")
_TOML_KEY = re.compile(
    r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*="""
)


def _toml_parts(dotted: str) -> list[str]:
    return [p.strip().strip("\"'") for p in re.findall(r"""(?:"[^"]*"|'[^']*'|[^.]+)""", dotted)]


def toml_lines(lines: list[str]) -> dict[str, int]:
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
            parts = _toml_parts(header.group(2).strip())
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


def locate(where: dict[str, int], key: str) -> int:
    """The line of ``key`` or of its nearest located ancestor."""
    probe = key
    while probe:
        if probe in where:
            return where[probe]
        cut = max(probe.rfind("."), probe.rfind("["))
        probe = probe[:cut] if cut > 0 else ""
    return 1


def json_lines(text: str, data: Any) -> dict[str, int]:
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
                path = join_key(prefix, key)
                where[path] = line_of(m.start())
                walk(value, path, depth + 1)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                if isinstance(value, dict | list):
                    walk(value, f"{prefix}[{i}]", depth + 1)

    with contextlib.suppress(re.error):
        walk(data, "", 0)
    return where


_INI_SECTION = re.compile(r"^\s*\[([^\]]+)\]\s*$")
_INI_KEY = re.compile(r"^([^\s#;=:][^=:]*)[=:]")  # group stripped by the caller, as _TOML_HEADER


def ini_lines(lines: list[str]) -> dict[str, int]:
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
