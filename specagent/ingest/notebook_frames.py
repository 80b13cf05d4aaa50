"""DataFrame facts of a notebook: the shapes and columns a code cell's outputs show.

A frame is read from ``df.shape`` tuples, ``df.columns`` reprs, ``df.info()`` and ``df.dtypes``
listings, and displayed tables (text or pandas HTML). Whether the notebook loaded it from a file
is told by the ``pd.read_*`` call that made the variable.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from specagent.ingest.details import DataFrameDetail
from specagent.ingest.models import Fact, FactKind, SourceRef, Span
from specagent.ingest.notebook_cells import output_texts

__all__ = ["dataframe_facts", "mark_loaded_frames"]

_SHAPE = re.compile(r"\((\d+),\s*(\d+)\)")
_ROWS_X_COLS = re.compile(r"\[(\d+) rows x (\d+) columns\]|(\d+) rows × (\d+) columns")
_SHAPE_VAR = re.compile(r"([A-Za-z_][\w]*)\.shape\b")
_INDEX_REPR = re.compile(r"Index\((\[.*?\])(?:,\s*dtype=[^)]*)?\)", re.S)
_LIST_REPR = re.compile(r"^\s*(\[(?:'[^'\n]*'|\"[^\"\n]*\")(?:,\s*(?:'[^'\n]*'|\"[^\"\n]*\"))*\])\s*$", re.M)
_INFO_ROW = re.compile(r"^\s*\d+\s+(.+?)\s+\d+\s+non-null\s+\S+\s*$", re.M)
_INFO_ENTRIES = re.compile(r"(?:RangeIndex|Int64Index|Index):\s*(\d+) entries")
_INFO_TOTAL = re.compile(r"Data columns \(total (\d+) columns\)")
_DTYPE_ROW = re.compile(
    r"^(\S+)\s+(object|u?int\d*|Int\d+|float\d*|Float\d+|bool|boolean|category|string|"
    r"datetime64\[[^\]]*\]|timedelta64\[[^\]]*\])\s*$"
)
_DISPLAY_VAR = re.compile(r"^([A-Za-z_]\w*)(?:\s*$|[.\[])")


class _TableHeader(HTMLParser):
    """Column names of the first header row of a pandas HTML table."""

    def __init__(self) -> None:
        super().__init__()
        self.columns: list[str] = []
        self._in_thead = False
        self._rows = 0
        self._cell: list[str] | None = None
        self.is_dataframe = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and any(k == "class" and v and "dataframe" in v for k, v in attrs):
            self.is_dataframe = True
        elif tag == "thead":
            self._in_thead = True
        elif tag == "tr" and self._in_thead:
            self._rows += 1
        elif tag == "th" and self._in_thead and self._rows == 1:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "thead":
            self._in_thead = False
        elif tag == "th" and self._cell is not None:
            self.columns.append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


@dataclass(slots=True)
class _Frame:
    """What one cell's outputs say about one DataFrame."""

    shape: list[int] | None = None
    columns: list[str] = field(default_factory=list)
    quote: str | None = None


def _display_var(source: str) -> str | None:
    lines = [line for line in source.strip().split("\n") if line.strip()]
    if not lines:
        return None
    m = _DISPLAY_VAR.match(lines[-1].strip())
    return m.group(1) if m and m.group(1) not in {"print", "display", "pd", "np"} else None


def _literal_list(text: str) -> list[str] | None:
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    if isinstance(value, list) and value and all(isinstance(v, str | int) for v in value):
        return [str(v) for v in value]
    return None


def _frames(source: str, outputs: list[Any]) -> dict[str, _Frame]:
    """DataFrame shapes and columns the outputs of one cell show, by variable."""
    frames: dict[str, _Frame] = {}
    shape_vars = _SHAPE_VAR.findall(source)
    shown = _display_var(source)
    mentions_columns = ".columns" in source

    def frame(name: str | None) -> _Frame:
        return frames.setdefault(name or "", _Frame())

    shape_i = 0
    for kind, plain, html in output_texts(outputs):
        if shape_vars:
            for m in _SHAPE.finditer(plain):
                # Only a tuple at the start of a line or after another shape: "(7043, 21) 0.265".
                before = plain[: m.start()].rsplit("\n", 1)[-1]
                if before.strip() and not _SHAPE.fullmatch(before.strip()):
                    continue
                var = shape_vars[min(shape_i, len(shape_vars) - 1)]
                shape_i += 1
                f = frame(var)
                f.shape = [int(m.group(1)), int(m.group(2))]
                f.quote = f.quote or m.group()
        if mentions_columns:
            for m in _INDEX_REPR.finditer(plain):
                cols = _literal_list(m.group(1))
                if cols:
                    f = frame(_columns_var(source))
                    f.columns = cols
            for m in _LIST_REPR.finditer(plain):
                cols = _literal_list(m.group(1))
                if cols:
                    f = frame(_columns_var(source))
                    f.columns = cols
        info_rows = _INFO_ROW.findall(plain)
        if info_rows and _INFO_TOTAL.search(plain):
            f = frame(_info_var(source) or shown)
            f.columns = [c.strip() for c in info_rows]
            entries = _INFO_ENTRIES.search(plain)
            if entries:
                f.shape = [int(entries.group(1)), len(info_rows)]
            f.quote = f.quote or _INFO_TOTAL.search(plain).group()  # type: ignore[union-attr]
        if kind == "execute_result" and source.rstrip().endswith(".dtypes"):
            matches = [_DTYPE_ROW.match(line) for line in plain.split("\n") if line.strip()]
            dtype_rows = [r for r in matches if r]
            if len(dtype_rows) >= 2:
                var = re.search(r"([A-Za-z_]\w*)\.dtypes\s*$", source.rstrip())
                f = frame(var.group(1) if var else None)
                f.columns = [r.group(1) for r in dtype_rows if r.group(1) != "dtype:"]
        if kind in {"execute_result", "display_data"}:
            rc = _ROWS_X_COLS.search(plain) or (_ROWS_X_COLS.search(html) if html else None)
            columns: list[str] = []
            if html:
                parser = _TableHeader()
                try:
                    parser.feed(html[:200_000])
                except Exception:
                    parser.columns = []
                if parser.is_dataframe:
                    columns = parser.columns
                    if columns and columns[0] == "":
                        columns = columns[1:]
            if rc or columns:
                f = frame(shown)
                if columns:
                    f.columns = columns
                if rc:
                    n_rows, n_cols = rc.group(1) or rc.group(3), rc.group(2) or rc.group(4)
                    f.shape = [int(n_rows), int(n_cols)]
                    f.quote = f.quote or rc.group()
                elif f.quote is None and plain:
                    f.quote = plain.split("\n", 1)[0].strip() or None
    return frames


def _columns_var(source: str) -> str | None:
    m = re.search(r"([A-Za-z_]\w*)\.columns\b", source)
    return m.group(1) if m else None


def _info_var(source: str) -> str | None:
    m = re.search(r"([A-Za-z_]\w*)\.info\(", source)
    return m.group(1) if m else None


def dataframe_facts(path: str, source: str, outputs: list[Any], span: Span) -> list[Fact]:
    """DATAFRAME facts of one code cell, one per frame whose shape or columns its outputs show."""
    facts: list[Fact] = []
    for var, fr in _frames(source, outputs).items():
        if fr.shape is None and not fr.columns:
            continue
        facts.append(
            Fact(
                kind=FactKind.DATAFRAME,
                name=var or "dataframe",
                detail={"shape": fr.shape, "columns": fr.columns, "variable": var or None},
                source=SourceRef(path=path, span=span, quote=fr.quote),
            )
        )
    return facts


# "df = pd.read_csv('data/x.csv')": a frame loaded from a file, the notebook's input. A frame
# computed from others (features, scores, a train split) is an intermediate, not a contract.
_LOADED = re.compile(
    r"^[ \t]*(?P<var>[A-Za-z_]\w*)[ \t]*=[ \t]*(?:pd|pandas|pl|polars)\.(?:read|scan)_(?P<fmt>\w+)\(\s*"
    r"(?:[rbf]?[\"'](?P<target>[^\"']+)[\"'])?",
    re.MULTILINE,
)


def mark_loaded_frames(facts: list[Fact], code_cells: list[tuple[int, str]]) -> None:
    """Tell each displayed frame whether the notebook loaded it from a file (``loaded_from``)."""
    loaded: dict[str, str] = {}
    for _, source in code_cells:
        for m in _LOADED.finditer(source):
            loaded.setdefault(m.group("var"), m.group("target") or f"read_{m.group('fmt')}")
    for i, fact in enumerate(facts):
        if fact.kind is FactKind.DATAFRAME:
            origin = loaded.get(str(fact.detail_as(DataFrameDetail).variable or ""))
            facts[i] = fact.model_copy(update={"detail": fact.detail.model_copy(update={"loaded_from": origin})})
