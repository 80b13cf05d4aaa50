"""Helpers shared by the config parsers: spans, quotes, short values, chunks and key paths.

Everything here builds the pieces of a ``ParseResult`` (``Span``, ``SourceRef`` quotes,
CONFIG_KEY facts, CONFIG chunks, warnings) or walks parsed data into dotted key paths.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from typing import Any

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
from specagent.ingest.secret_redaction import REDACTED

MAX_KEYS = 200
_VALUE_MAX = 120
_QUOTE_MAX = 200


def span(start: int, end: int | None = None) -> Span:
    start = max(1, start)
    return Span(start_line=start, end_line=max(start, end or start))


def quote(lines: list[str], line: int) -> str | None:
    if 1 <= line <= len(lines):
        text = lines[line - 1].strip()
        return text[:_QUOTE_MAX] or None
    return None


def short_value(value: Any) -> str | None:
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


def warning(path: str, message: str) -> IngestWarning:
    return IngestWarning(path=path, message=" ".join(message.split())[:200])


def config_chunks(path: str, text: str, top_keys: dict[str, int] | None = None) -> list[Chunk]:
    lines = text.split("\n")
    chunks = chunk_lines(path, lines, 1, ChunkKind.CONFIG)
    if not top_keys:
        return chunks
    out = []
    for c in chunks:
        symbols = [k for k, line in top_keys.items() if c.span.start_line <= line <= c.span.end_line]
        out.append(c.model_copy(update={"symbols": symbols[:20]}))
    return out


def config_fact(path: str, key: str, value: Any, fmt: str, line: int, lines: list[str]) -> Fact:
    return Fact(
        kind=FactKind.CONFIG_KEY,
        name=key,
        detail={"value": short_value(value), "file_format": fmt},
        source=SourceRef(path=path, span=span(line), quote=quote(lines, line)),
    )


def table(data: Any, key: Any) -> dict[str, Any]:
    """``data[key]`` when ``data`` is a mapping holding a mapping there, else an empty one."""
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else {}


def join_key(prefix: str, key: Any) -> str:
    """``prefix.key``, or ``key`` at the top level."""
    text = str(key)
    if prefix == "":
        return text
    return f"{prefix}.{text}"


def leaves(data: Any, prefix: str = "", depth: int = 0) -> Iterator[tuple[str, Any]]:
    """Dotted paths to leaves; lists of scalars are one leaf, lists of mappings are indexed."""
    if depth > 20:
        return
    if isinstance(data, dict):
        if not data and prefix:
            yield prefix, {}
        for key, value in data.items():
            yield from leaves(value, join_key(prefix, key), depth + 1)
    elif isinstance(data, list) and any(isinstance(v, dict | list) for v in data):
        for i, value in enumerate(data):
            yield from leaves(value, f"{prefix}[{i}]", depth + 1)
    else:
        yield prefix or "(root)", data


def load_toml(path: str, text: str) -> dict[str, Any] | ParseResult:
    """The parsed TOML, or, when it does not parse, the result for the file: its text as
    chunks and a one-line warning."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return ParseResult(chunks=config_chunks(path, text), warnings=[warning(path, f"invalid TOML: {exc}")])
