"""Parse a Jupyter notebook: cells as chunks, markdown as notes, outputs as evidence.

- Code cells: a CELL chunk (source plus a short summary of its outputs) and the Python facts of
  the source (via :func:`specagent.ingest.python_parser.parse_python`, spans re-mapped to
  ``Span(cell=N, ...)``).
- Outputs: METRIC facts (printed or displayed metrics), DATAFRAME facts (shapes, columns),
  ERROR_OUTPUT facts (a cell that raised).
- Markdown cells: a CELL chunk and the same facts notes get (headings, cue lines, metrics).

Cells are numbered from 1 in file order, markdown and raw cells included. A fact taken from an
output cites its whole cell and quotes the output text.
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from typing import Any

from specagent.ingest.details import DataFrameDetail
from specagent.ingest.metrics_text import MetricMatch, find_metrics
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
from specagent.ingest.notes import chunk_lines, metric_fact, note_facts

__all__ = ["cell_position", "parse_notebook"]

_OUTPUT_SUMMARY_MAX = 1500
_OUTPUT_LINES_MAX = 20
_CHUNK_SOURCE_MAX = 3000

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
_CELL_MAGIC_PYTHON = frozenset({"time", "timeit", "capture", "prun", "memit", "debug"})
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


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


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "".join(str(v) for v in value)
    return value if isinstance(value, str) else ""


def _load(path: str, text: str) -> tuple[Any | None, list[IngestWarning]]:
    """The notebook as nbformat v4, or None and a warning."""
    import nbformat
    from nbformat import reader

    try:
        raw = reader.parse_json(text)
    except reader.NotJSONError as exc:
        detail = str(exc.__cause__ or exc).splitlines()[0][:120]
        return None, [IngestWarning(path=path, message=f"not valid notebook JSON: {detail}")]
    if not isinstance(raw, dict):
        kind = "a list" if isinstance(raw, list) else f"a JSON {type(raw).__name__}"
        return None, [IngestWarning(path=path, message=f"not a notebook: the top level is {kind}, not an object")]
    out = _sanitise(path, raw)
    try:
        major, minor = reader.get_version(raw)
        if major not in nbformat.versions:
            return None, [*out, IngestWarning(path=path, message=f"not a notebook: unsupported nbformat {major!r}")]
        nb = nbformat.versions[major].to_notebook_json(raw, minor=minor)
    except Exception as exc:
        return None, [*out, IngestWarning(path=path, message=f"not a notebook: {_one_line(exc)}")]
    try:
        nb = nbformat.convert(nb, 4)
    except Exception as exc:
        return None, [*out, IngestWarning(path=path, message=f"notebook not convertible: {_one_line(exc)}")]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nbformat.validate(nb)
    except Exception as exc:
        out.append(IngestWarning(path=path, message=f"notebook fails nbformat validation: {_one_line(exc)}"))
    return nb, out


def _sanitise(path: str, raw: dict[str, Any]) -> list[IngestWarning]:
    """Make a hand-edited or truncated notebook readable, in place, saying what was dropped.

    A cell that is not an object becomes an empty raw cell, so later cells keep their
    numbers (citations count cells in file order); an output that is not an object is dropped.
    """
    out: list[IngestWarning] = []
    if "cells" in raw and "nbformat" not in raw:
        raw["nbformat"], raw["nbformat_minor"] = 4, 4  # a v4 body without its header
    if "cells" in raw and not isinstance(raw["cells"], list):
        out.append(IngestWarning(path=path, message="'cells' is not a list; no cells read"))
        raw["cells"] = []
    if raw.get("nbformat") == 4 and not isinstance(raw.get("metadata"), dict):
        raw["metadata"] = {}
    cell_lists = [raw["cells"]] if isinstance(raw.get("cells"), list) else []
    sheets = raw["worksheets"] if isinstance(raw.get("worksheets"), list) else []
    for sheet in sheets:
        if isinstance(sheet, dict) and isinstance(sheet.get("cells"), list):
            cell_lists.append(sheet["cells"])
    number = 0
    for cells in cell_lists:
        for idx, cell in enumerate(cells):
            number += 1
            if not isinstance(cell, dict):
                out.append(IngestWarning(path=path, message=f"cell {number} is not a notebook cell object; skipped"))
                cells[idx] = {"cell_type": "raw", "source": "", "metadata": {}}
                continue
            if not isinstance(cell.get("source", ""), str | list):
                cell["source"] = ""
            elif isinstance(cell.get("source"), list):
                cell["source"] = [v if isinstance(v, str) else str(v) for v in cell["source"]]
            cell.setdefault("metadata", {})
            if "outputs" in cell:
                outputs = cell["outputs"] if isinstance(cell["outputs"], list) else []
                kept = [o for o in outputs if isinstance(o, dict)]
                if len(kept) != len(outputs) or not isinstance(cell["outputs"], list):
                    out.append(
                        IngestWarning(path=path, message=f"cell {number}: an output is not an output object; skipped")
                    )
                cell["outputs"] = kept
    return out


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:160]


def _language(nb: Any) -> str:
    meta = nb.get("metadata") or {}
    lang = (meta.get("kernelspec") or {}).get("language") or (meta.get("language_info") or {}).get("name")
    return str(lang or "python").lower()


def _python_source(source: str) -> str | None:
    """The cell's Python with IPython syntax neutralised, line count unchanged; None if the cell
    is not Python (``%%bash``, ``%%sql``...)."""
    lines = source.split("\n")
    first = lines[0].strip() if lines else ""
    if first.startswith("%%"):
        magic = first[2:].split()[0] if len(first) > 2 else ""
        if magic not in _CELL_MAGIC_PYTHON:
            return None
        lines[0] = ""
    out = []
    for line in lines:
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        if stripped.startswith(("%", "!")) or (
            stripped.endswith("?") and not stripped.startswith("#") and "=" not in stripped
        ):
            # "pass" keeps an indented block non-empty where the magic was its only line.
            out.append(f"{indent}pass" if indent else "")
        elif re.match(r"^[A-Za-z_][\w, ]*=\s*[!%]", stripped):
            out.append(f"{indent}pass" if indent else "")
        else:
            out.append(line)
    return "\n".join(out)


def _python_facts(path: str, cells: list[tuple[int, str]]) -> tuple[list[Fact], list[IngestWarning]]:
    """Facts of all code cells, parsed as one module so imports in one cell count in the next.

    Cells that are not Python or do not compile are left out (as blank lines) with a warning.
    Each fact's span is re-mapped to its cell.
    """
    try:
        from specagent.ingest.python_parser import parse_python
    except Exception:
        return [], []
    warns: list[IngestWarning] = []
    combined: list[str] = []
    owner: list[tuple[int, int]] = []  # per combined line: (cell, line within the cell)
    for cell_no, source in cells:
        code = _python_source(source)
        n_lines = source.count("\n") + 1
        if code is not None:
            try:
                ast.parse(code)
            except (SyntaxError, ValueError) as exc:
                msg = getattr(exc, "msg", None) or _one_line(exc)
                warns.append(IngestWarning(path=path, message=f"cell {cell_no}: not valid Python ({msg})"))
                code = None
        body = code.split("\n") if code is not None else [""] * n_lines
        for i, line in enumerate(body, start=1):
            combined.append(line)
            owner.append((cell_no, i))
    if not any(line.strip() for line in combined):
        return [], warns
    try:
        result = parse_python(path, "\n".join(combined))
    except Exception as exc:
        warns.append(IngestWarning(path=path, message=f"cell code not parsed: {_one_line(exc)}"))
        return [], warns
    facts: list[Fact] = []
    for fact in result.facts:
        if fact.kind is FactKind.MODULE:
            continue  # a notebook is not a module; its title comes from markdown
        span = fact.source.span
        start = min(max(span.start_line, 1), len(owner))
        end = min(max(span.end_line, start), len(owner))
        cell_no, first = owner[start - 1]
        end_cell, last = owner[end - 1]
        if end_cell != cell_no:  # a span crossing cells: keep the part in the first cell
            last = max(line for c, line in owner if c == cell_no)
        new_span = Span(start_line=first, end_line=max(first, last), cell=cell_no)
        facts.append(fact.model_copy(update={"source": fact.source.model_copy(update={"span": new_span})}))
    return facts, warns


def _output_texts(outputs: list[Any]) -> list[tuple[str, str, str | None]]:
    """(kind, text/plain-ish text, html) for each output that carries text."""
    out: list[tuple[str, str, str | None]] = []
    for o in outputs:
        otype = o.get("output_type")
        if otype == "stream":
            out.append(("stream", _text(o.get("text")), None))
        elif otype in {"execute_result", "display_data"}:
            data = o.get("data") or {}
            out.append((otype, _text(data.get("text/plain")), _text(data.get("text/html")) or None))
    return out


def _summary(outputs: list[Any]) -> str:
    parts: list[str] = []
    for o in outputs:
        otype = o.get("output_type")
        if otype == "stream":
            parts.append(_text(o.get("text")))
        elif otype in {"execute_result", "display_data"}:
            data = o.get("data") or {}
            plain = _text(data.get("text/plain"))
            if plain:
                parts.append(plain)
            else:
                kinds = [k for k in data if k.startswith("image/")]
                parts.append(f"[{', '.join(kinds) or 'rich output'}]")
        elif otype == "error":
            parts.append(f"{o.get('ename', 'Error')}: {o.get('evalue', '')}")
    lines = "\n".join(p.rstrip("\n") for p in parts if p).split("\n")
    text = "\n".join(lines[:_OUTPUT_LINES_MAX])
    if len(lines) > _OUTPUT_LINES_MAX:
        text += f"\n… ({len(lines) - _OUTPUT_LINES_MAX} more lines)"
    return text[:_OUTPUT_SUMMARY_MAX]


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
    for kind, plain, html in _output_texts(outputs):
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


class _TableRows(HTMLParser):
    """Cell texts of the first HTML table, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._tables = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._tables += 1
        elif self._tables == 1 and tag == "tr":
            self.rows.append([])
        elif self._tables == 1 and tag in {"td", "th"} and self.rows:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in {"td", "th"} and self._cell is not None and self.rows:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _html_table_metrics(html: str, title: str | None = None) -> list[MetricMatch]:
    """Metrics in an HTML-only results table (a pandas Styler has no text/plain table).

    The table is read as a markdown table; each match quotes the cell text of its value,
    which is verbatim in the output.
    """
    parser = _TableRows()
    try:
        parser.feed(html[:200_000])
    except Exception:
        return []
    rows = [r for r in parser.rows if r]
    if len(rows) > 2 and not rows[0][0] and rows[1][0] and not any(rows[1][1:]):
        # Pandas puts a named index on a header row of its own: it names the row labels.
        rows = [[rows[1][0], *rows[0][1:]], *rows[2:]]
    if len(rows) < 2:
        return []
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    table = "\n".join(
        ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width] + ["| " + " | ".join(r) + " |" for r in rows[1:]]
    )
    out = []
    for m in find_metrics(table, title):
        row = rows[m.line - 2] if 2 <= m.line - 1 <= len(rows) else []
        cell = next(
            (c for c in row if re.fullmatch(r"[$€£]?-?[\d,]*\.?\d+\s*%?", c) and _num(c) == m.value),
            None,
        )
        if cell is not None:
            out.append(replace(m, raw=cell))
    return out


def _quote_plain_row(m: MetricMatch, plain: str) -> MetricMatch:
    """Quote the text/plain row of an HTML table metric when there is one: a row says which
    model and which value (its index, the model, then each value), a bare cell does not."""
    label = m.row.label if m.row else m.context
    if not label:
        return m
    for line in plain.split("\n"):
        cells = line.split()
        if label in cells and m.raw in cells:
            return replace(m, raw=line.strip())
    return m


def _num(text: str) -> float | None:
    try:
        return float(text.strip("$€£% ").replace(",", ""))
    except ValueError:
        return None


def _display_caption(source: str) -> str | None:
    """The cell's last line, when it displays a value (``scores.round(2)  # per-class scores``):
    it captions the table the cell shows."""
    lines = [line.strip() for line in source.strip().split("\n") if line.strip()]
    return lines[-1][:200] if lines else None


# What a cell that prints a score evaluates: an estimator it builds, the model it predicts with,
# or the predictions it scores. A metric item names the model or run it belongs to.
_ESTIMATOR = re.compile(
    r"\b([A-Z]\w*(?:Classifier|Regressor|Regression|NB|SVC|SVR|Forest|Tree|Boost\w*|Model|Net|Neighbors\w*|GBM|CV))\s*\("
)
_PREDICT_WITH = re.compile(r"\b([A-Za-z_]\w*)\.predict(?:_proba)?\s*\(")
_SCORED = re.compile(
    r"\b(?:classification_report|accuracy_score|f1_score|precision_score|recall_score|roc_auc_score|"
    r"mean_squared_error|mean_absolute_error|r2_score)\s*\(\s*[\w.\[\]'\"]+\s*,\s*([A-Za-z_][\w.]*)"
)


def _model_in_cell(source: str) -> str | None:
    """The model a cell evaluates, when its code names one (see :data:`_ESTIMATOR`)."""
    for pattern in (_ESTIMATOR, _PREDICT_WITH, _SCORED):
        m = pattern.search(source)
        if m:
            return m.group(1)
    return None


def _output_metrics(source: str, outputs: list[Any]) -> list[MetricMatch]:
    """Metrics printed or displayed by a cell; the last value of each metric wins. A metric
    with no label of its own is labelled with the model the cell's code evaluates."""
    found: dict[tuple[str, str | None, str | None, str | None], MetricMatch] = {}
    caption = _display_caption(source)
    model = _model_in_cell(source)
    for kind, plain, html in _output_texts(outputs):
        title = caption if kind == "execute_result" else None
        matches = find_metrics(plain, title)
        if not matches and html and "<table" in html:
            matches = [_quote_plain_row(m, plain) for m in _html_table_metrics(html, title)]
        for m in matches:
            if m.context is None and model is not None and m.row is None:
                m = replace(m, context=model)
            # Two tables broken down by different keys each keep their summary of a metric.
            key = (m.name, m.context, m.split, m.row.key if m.row else None)
            found.pop(key, None)  # re-insert so order follows the last occurrence
            found[key] = m
    return list(found.values())


def _cell_chunks(path: str, cell_no: int, source: str, summary: str, symbols: list[str]) -> list[Chunk]:
    lines = source.split("\n")
    if len(source) <= _CHUNK_SOURCE_MAX:
        pieces = [(1, len(lines), source)]
    else:
        pieces = [
            (c.span.start_line, c.span.end_line, c.text)
            for c in chunk_lines(path, lines, 1, ChunkKind.CELL, cell=cell_no)
        ]
    chunks = []
    for idx, (start, end, text) in enumerate(pieces):
        body = text
        if summary and idx == len(pieces) - 1:
            body = f"{text}\n\n# output:\n{summary}" if text.strip() else f"# output:\n{summary}"
        if not body.strip():
            continue
        span = Span(start_line=max(1, start), end_line=max(1, start, end), cell=cell_no)
        chunks.append(
            Chunk(
                id=make_chunk_id(path, span, body),
                path=path,
                span=span,
                kind=ChunkKind.CELL,
                text=body,
                symbols=symbols,
            )
        )
    return chunks


def _doc_title(cells: list[Any]) -> str | None:
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            for line in _text(cell.get("source")).split("\n"):
                m = re.match(r"^ {0,3}#[ \t]+(.+?)[ \t]*#*[ \t]*$", line)
                if m:
                    return m.group(1).strip()
    return None


@dataclass(slots=True)
class _CellPending:
    """A code cell whose chunk waits for the symbols the Python parse finds in it."""

    cell: int
    source: str
    summary: str


def cell_position(text: str, line: int, hint: str | None = None) -> tuple[int, int] | None:
    """Where line ``line`` of a notebook's JSON text sits in the notebook: (cell, line in the
    cell's source), or (cell, 1) for a line of the cell's outputs; None when it is neither
    (metadata, or text that is not notebook JSON). ``hint`` is text the wanted line holds (the
    redaction marker, say): a JSON line can carry a whole cell's source, one line of it wanted.

    Findings made on the raw file (secrets, say) are cited this way, as a reader sees the cell.
    """
    import json

    raw = text.split("\n")
    if not 1 <= line <= len(raw):
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list):
        return None
    wanted: list[str] = []
    for literal in _JSON_STRING.findall(raw[line - 1]):
        try:
            value = json.loads(literal)
        except ValueError:
            continue
        wanted.extend(piece.strip() for piece in value.split("\n") if piece.strip())
    wanted = [w for w in wanted if w not in {"source", "text", "outputs", "cell_type", "code", "markdown"}]
    if hint and any(hint in w for w in wanted):
        wanted = [w for w in wanted if hint in w]
    if not wanted:
        return None
    # Cells before this line, counted by their "cell_type" keys: where to look first.
    before = sum(1 for row in raw[:line] if '"cell_type"' in row)
    order = sorted(range(len(cells)), key=lambda i: (abs(i + 1 - before), i))
    for i in order:
        cell = cells[i]
        if not isinstance(cell, dict):
            continue
        source_lines = _text(cell.get("source")).split("\n")
        for number, source_line in enumerate(source_lines, start=1):
            if any(w in source_line for w in wanted):
                return i + 1, number
        outputs = [o for o in cell.get("outputs") or [] if isinstance(o, dict)]
        if any(w in shown for _, shown, _ in _output_texts(outputs) for w in wanted):
            return i + 1, 1
    return None


# "df = pd.read_csv('data/x.csv')": a frame loaded from a file, the notebook's input. A frame
# computed from others (features, scores, a train split) is an intermediate, not a contract.
_LOADED = re.compile(
    r"^[ \t]*(?P<var>[A-Za-z_]\w*)[ \t]*=[ \t]*(?:pd|pandas|pl|polars)\.(?:read|scan)_(?P<fmt>\w+)\(\s*"
    r"(?:[rbf]?[\"'](?P<target>[^\"']+)[\"'])?",
    re.MULTILINE,
)


def _mark_loaded_frames(facts: list[Fact], code_cells: list[tuple[int, str]]) -> None:
    """Tell each displayed frame whether the notebook loaded it from a file (``loaded_from``)."""
    loaded: dict[str, str] = {}
    for _, source in code_cells:
        for m in _LOADED.finditer(source):
            loaded.setdefault(m.group("var"), m.group("target") or f"read_{m.group('fmt')}")
    for i, fact in enumerate(facts):
        if fact.kind is FactKind.DATAFRAME:
            origin = loaded.get(str(fact.detail_as(DataFrameDetail).variable or ""))
            facts[i] = fact.model_copy(update={"detail": fact.detail.model_copy(update={"loaded_from": origin})})


def parse_notebook(path: str, text: str) -> ParseResult:
    """Parse an .ipynb (any nbformat version); never raises."""
    try:
        return _parse(path, text)
    except Exception as exc:  # a parser bug must not stop ingest
        return ParseResult(warnings=[IngestWarning(path=path, message=f"notebook not parsed: {_one_line(exc)}")])


def _parse(path: str, text: str) -> ParseResult:
    nb, warns = _load(path, text)
    if nb is None:
        return ParseResult(warnings=warns)
    cells = list(nb.get("cells") or [])
    is_python = _language(nb) in {"python", "python3", "ipython", "ipython3"}
    title = _doc_title(cells)
    facts: list[Fact] = []
    chunks: list[Chunk | _CellPending] = []
    code_cells: list[tuple[int, str]] = []
    for cell_no, cell in enumerate(cells, start=1):
        source = _text(cell.get("source"))
        n_lines = max(1, source.count("\n") + 1)
        whole = Span(start_line=1, end_line=n_lines, cell=cell_no)
        ctype = cell.get("cell_type")
        if ctype == "markdown":
            cell_facts, _sections, _ = note_facts(path, source, "md", cell=cell_no, doc_title=title)
            facts.extend(cell_facts)
            headings = [f.name for f in cell_facts if f.kind is FactKind.NOTE_SECTION]
            chunks.extend(chunk_lines(path, source.split("\n"), 1, ChunkKind.CELL, headings, cell=cell_no))
            continue
        if ctype != "code":
            chunks.extend(chunk_lines(path, source.split("\n"), 1, ChunkKind.CELL, cell=cell_no))
            continue
        outputs = list(cell.get("outputs") or [])
        if is_python:
            code_cells.append((cell_no, source))
        for m in _output_metrics(source, outputs):
            facts.append(metric_fact(path, m, whole))
        for var, fr in _frames(source, outputs).items():
            if fr.shape is None and not fr.columns:
                continue
            facts.append(
                Fact(
                    kind=FactKind.DATAFRAME,
                    name=var or "dataframe",
                    detail={"shape": fr.shape, "columns": fr.columns, "variable": var or None},
                    source=SourceRef(path=path, span=whole, quote=fr.quote),
                )
            )
        for o in outputs:
            if o.get("output_type") == "error":
                ename = str(o.get("ename") or "Error")
                evalue = str(o.get("evalue") or "")
                facts.append(
                    Fact(
                        kind=FactKind.ERROR_OUTPUT,
                        name=ename,
                        detail={"ename": ename, "evalue": evalue[:500]},
                        source=SourceRef(path=path, span=whole, quote=ename),
                    )
                )
        chunks.append(_CellPending(cell_no, source, _summary(outputs)))
    _mark_loaded_frames(facts, code_cells)
    py_facts, py_warns = _python_facts(path, code_cells) if code_cells else ([], [])
    facts.extend(py_facts)
    warns.extend(py_warns)
    symbols: dict[int, list[str]] = {}
    for f in py_facts:
        if f.kind in {FactKind.FUNCTION, FactKind.CLASS} and f.source.span.cell is not None:
            symbols.setdefault(f.source.span.cell, []).append(f.name)
    final: list[Chunk] = []
    for c in chunks:
        if isinstance(c, _CellPending):
            final.extend(_cell_chunks(path, c.cell, c.source, c.summary, symbols.get(c.cell, [])))
        else:
            final.append(c)
    return ParseResult(facts=facts, chunks=final, warnings=warns)
