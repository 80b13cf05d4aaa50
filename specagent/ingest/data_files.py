"""Parse sample data (CSV, TSV, JSON Lines, JSON) into a DATA_SCHEMA fact and a short chunk.

Columns get a type inferred from the rows read (int, float, bool, date, datetime, string; JSON
adds array and object), ``nullable`` (some sampled value is empty, null or NA, or missing) and
an example value, except where the column looks like it holds a secret. ``text`` may be only
the head of a large file (``sampled=True``); a last line cut in the middle is dropped. A JSON
object that is not a list of records is configuration: its keys become CONFIG_KEY facts.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any

from specagent.ingest.config import json_config_facts
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
from specagent.ingest.notes import chunk_lines
from specagent.ingest.records import SampleColumn
from specagent.ingest.secret_names import is_secret_name
from specagent.ingest.secret_redaction import REDACTED

__all__ = ["infer_type", "parse_data"]

MAX_ROWS = 1000  # rows read for type inference
MAX_COLUMNS = 200
_EXAMPLE_MAX = 60
_QUOTE_MAX = 200
_CHUNK_ROWS = 3
_CHUNK_MAX = 2000

_NULLS = frozenset({"", "na", "n/a", "nan", "null", "none", "nil", "-", "?", "#n/a"})
_BOOLS = frozenset({"true", "false", "yes", "no", "t", "f", "y", "n"})
_INT = re.compile(r"^[+-]?(?:0|[1-9]\d*)$")
_FLOAT = re.compile(r"^[+-]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?$")
_DATE = re.compile(r"^(?:\d{4}-\d{2}-\d{2}|\d{4}/\d{2}/\d{2}|\d{1,2}/\d{1,2}/\d{4}|\d{1,2}\.\d{1,2}\.\d{4})$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$")


def infer_type(values: Iterable[Any]) -> str:
    """One type for a column's values: int, float, bool, date, datetime, string (or JSON's
    array / object); nulls are ignored and mixed kinds fall back to string."""
    kinds: set[str] = set()
    for value in values:
        kind = _kind(value)
        if kind is not None:
            kinds.add(kind)
        if len(kinds) > 2:
            return "string"
    if not kinds:
        return "string"
    if len(kinds) == 1:
        return kinds.pop()
    if kinds == {"int", "float"}:
        return "float"
    if kinds == {"date", "datetime"}:
        return "datetime"
    return "string"


def _kind(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    text = str(value).strip()
    low = text.lower()
    if low in _NULLS:
        return None
    if low in _BOOLS and not text.isdigit():
        return "bool"
    if re.match(r"^[+-]?0\d", text):
        return "string"  # ids and codes with leading zeros ("007", "02139") are text
    if _INT.match(text):
        return "int"
    if _FLOAT.match(text):
        return "float"
    if _DATE.match(text):
        return "date"
    if _DATETIME.match(text):
        return "datetime"
    return "string"


def _is_null(value: Any) -> bool:
    """An empty, null or NA value: ``None``, ``""``, ``"NA"``, ``"null"``, a NaN float."""
    if value is None:
        return True
    if isinstance(value, float):
        return value != value  # NaN
    if isinstance(value, bool | int | list | dict):
        return False
    return str(value).strip().lower() in _NULLS


def _example(name: str, values: Iterable[Any]) -> str | None:
    if is_secret_name(name):
        return None
    for value in values:
        if value is None or isinstance(value, dict | list):
            continue
        text = str(value).strip()
        if text.lower() in _NULLS:
            continue
        if REDACTED in text:
            return None
        text = " ".join(text.split())
        return text if len(text) <= _EXAMPLE_MAX else text[: _EXAMPLE_MAX - 1] + "…"
    return None


def _columns(names: list[str], rows: list[list[Any]]) -> list[SampleColumn]:
    out = []
    for i, name in enumerate(names[:MAX_COLUMNS]):
        values = [row[i] if i < len(row) else None for row in rows]
        # A column with a gap in the sample is optional, whatever its other rows hold; a
        # missing key (JSON) or a short row (CSV) is a gap too.
        nullable = any(_is_null(v) for v in values)
        column = SampleColumn(name=name, type=infer_type(values), nullable=nullable)
        example = _example(name, values)
        # ``example`` is given only where the sample shows one
        out.append(column.model_copy(update={"example": example}) if example is not None else column)
    return out


def _schema_fact(
    path: str,
    fmt: str,
    columns: list[SampleColumn],
    rows: int,
    sampled: bool,
    span: Span,
    quote: str | None,
) -> Fact:
    return Fact(
        kind=FactKind.DATA_SCHEMA,
        name=PurePosixPath(path).name,
        detail={"format": fmt, "columns": columns, "rows_sampled": rows, "sampled": sampled},
        source=SourceRef(path=path, span=span, quote=quote[:_QUOTE_MAX] if quote else None),
    )


def _chunk(path: str, text: str) -> list[Chunk]:
    """One DATA chunk of the file's first lines (``text`` starts at line 1)."""
    text = text[:_CHUNK_MAX].rstrip()
    if not text.strip():
        return []
    span = Span(start_line=1, end_line=text.count("\n") + 1)
    return [Chunk(id=make_chunk_id(path, span, text), path=path, span=span, kind=ChunkKind.DATA, text=text)]


def _drop_cut_line(text: str, sampled: bool) -> str:
    """A sampled head may end mid-line: keep only complete lines."""
    if sampled and text and not text.endswith("\n"):
        cut = text.rfind("\n")
        return text[: cut + 1] if cut >= 0 else ""
    return text


def _csv(path: str, text: str, sampled: bool, fmt: str) -> ParseResult:
    body = _drop_cut_line(text, sampled)
    lines = body.split("\n")
    if fmt == "tsv":
        delimiter = "\t"
    else:
        head = "\n".join(lines[:20])
        try:
            delimiter = csv.Sniffer().sniff(head, delimiters=",;|\t").delimiter
        except csv.Error:
            delimiter = ","
    reader = csv.reader(io.StringIO(body), delimiter=delimiter)
    records: list[list[str]] = []
    warnings: list[IngestWarning] = []
    try:
        for row in reader:
            if not row or all(not c.strip() for c in row):
                continue
            records.append(row)
            if len(records) > MAX_ROWS:
                break
    except csv.Error as exc:
        warnings.append(IngestWarning(path=path, message=f"CSV stopped at a bad row: {exc}"))
    if not records:
        return ParseResult(chunks=_chunk(path, body), warnings=warnings)
    header = records[0]
    if all(_kind(c) in {"int", "float"} for c in header if c.strip()):
        names = [f"column_{i + 1}" for i in range(len(header))]  # no header row
        rows = records[:MAX_ROWS]
    else:
        names = [h.strip() or f"column_{i + 1}" for i, h in enumerate(header)]
        rows = records[1 : MAX_ROWS + 1]
    widths = {len(r) for r in rows}
    if rows and (max(widths) != len(names) or len(widths) > 1):
        warnings.append(
            IngestWarning(
                path=path,
                message=f"rows have {sorted(widths)} fields, header has {len(names)}",
            )
        )
    fact = _schema_fact(
        path,
        fmt,
        _columns(names, rows),
        len(rows),
        sampled,
        Span(start_line=1, end_line=1),
        lines[0].rstrip("\r") or None,
    )
    preview = "\n".join(lines[: _CHUNK_ROWS + 1])
    return ParseResult(
        facts=[fact],
        chunks=_chunk(path, preview),
        warnings=warnings,
    )


def _records_schema(
    path: str,
    fmt: str,
    records: list[dict[str, Any]],
    sampled: bool,
    span: Span,
    quote: str | None,
) -> Fact:
    names: list[str] = []
    seen: set[str] = set()
    for rec in records:
        for key in rec:
            if key not in seen:
                seen.add(key)
                names.append(str(key))
    rows = [[rec.get(name) for name in names] for rec in records]
    return _schema_fact(path, fmt, _columns(names, rows), len(records), sampled, span, quote)


def _jsonl(path: str, text: str, sampled: bool) -> ParseResult:
    body = _drop_cut_line(text, sampled)
    lines = body.split("\n")
    records: list[dict[str, Any]] = []
    bad = 0
    first_bad: int | None = None
    first_line: int | None = None
    for no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError:
            bad += 1
            first_bad = first_bad or no
            continue
        if isinstance(value, dict):
            records.append(value)
            first_line = first_line or no
        if len(records) >= MAX_ROWS:
            break
    warnings = []
    if bad:
        warnings.append(
            IngestWarning(path=path, message=f"{bad} line(s) are not JSON (first: line {first_bad}); skipped")
        )
    facts = []
    if records and first_line is not None:
        facts.append(
            _records_schema(
                path,
                "jsonl",
                records,
                sampled,
                Span(start_line=first_line, end_line=first_line),
                lines[first_line - 1].strip(),
            )
        )
    preview = "\n".join(lines[:_CHUNK_ROWS])
    return ParseResult(facts=facts, chunks=_chunk(path, preview), warnings=warnings)


def _array_items(text: str) -> tuple[list[tuple[Any, int, int]], bool]:
    """Elements of a top-level JSON array with their (start, end) offsets; salvages the
    complete elements of a truncated array. Returns (items, complete)."""
    decoder = json.JSONDecoder()
    pos = text.find("[")
    items: list[tuple[Any, int, int]] = []
    if pos < 0:
        return items, False
    pos += 1
    n = len(text)
    while pos < n:
        while pos < n and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= n:
            return items, False
        if text[pos] == "]":
            return items, True
        try:
            value, end = decoder.raw_decode(text, pos)
        except ValueError:
            return items, False
        items.append((value, pos, end))
        pos = end
        if len(items) >= MAX_ROWS:
            return items, True
    return items, False


def _json(path: str, text: str, sampled: bool) -> ParseResult:
    stripped = text.lstrip()
    try:
        data = json.loads(text)
    except ValueError as exc:
        data = None
        error: ValueError | None = exc
    else:
        error = None

    def line_of(pos: int) -> int:
        return text.count("\n", 0, pos) + 1

    if isinstance(data, dict) and not _single_records_key(data):
        return ParseResult(
            facts=json_config_facts(path, text, data),
            chunks=chunk_lines(path, text.split("\n"), 1, ChunkKind.CONFIG),
        )
    if isinstance(data, dict):  # {"records": [...]} and nothing else
        key = next(iter(data))
        records = [r for r in data[key] if isinstance(r, dict)][:MAX_ROWS]
        fact = _records_schema(path, "json", records, sampled, Span(start_line=1, end_line=1), None)
        return ParseResult(facts=[fact], chunks=_chunk(path, text))
    if data is not None and not isinstance(data, list):
        return ParseResult(chunks=_chunk(path, text))
    if stripped[:1] != "[":
        message = f"invalid JSON: {error}" if error else "JSON is not records or an object"
        return ParseResult(
            chunks=chunk_lines(path, text.split("\n"), 1, ChunkKind.TEXT),
            warnings=[IngestWarning(path=path, message=message)],
        )
    items, complete = _array_items(text)
    warnings = []
    if error is not None and not sampled:
        warnings.append(IngestWarning(path=path, message=f"invalid JSON: {error}; read {len(items)} complete records"))
    records = [value for value, _, _ in items if isinstance(value, dict)]
    if not records:
        return ParseResult(chunks=_chunk(path, text), warnings=warnings)
    first = next((s, e) for v, s, e in items if isinstance(v, dict))
    span = Span(start_line=line_of(first[0]), end_line=line_of(first[1]))
    fact = _records_schema(path, "json", records, sampled or not complete, span, None)
    end = items[min(_CHUNK_ROWS, len(items)) - 1][2]
    preview = text[: end + 1]
    return ParseResult(facts=[fact], chunks=_chunk(path, preview), warnings=warnings)


def _single_records_key(data: dict[str, Any]) -> bool:
    if len(data) != 1:
        return False
    value = next(iter(data.values()))
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def parse_data(path: str, text: str, sampled: bool = False) -> ParseResult:
    """Parse a .csv/.tsv/.jsonl/.ndjson/.json sample; never raises."""
    try:
        suffix = PurePosixPath(path).suffix.lower()
        if suffix in {".csv", ".tsv"}:
            return _csv(path, text, sampled, suffix[1:])
        if suffix in {".jsonl", ".ndjson"}:
            return _jsonl(path, text, sampled)
        if suffix == ".json":
            return _json(path, text, sampled)
        return _csv(path, text, sampled, "csv")
    except Exception as exc:  # a parser bug must not stop ingest
        return ParseResult(warnings=[IngestWarning(path=path, message=f"data not parsed: {exc!r}"[:200])])
