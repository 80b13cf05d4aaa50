"""Read results tables as metrics: markdown pipe tables, printed text tables, HTML tables.

Every table becomes a grid of cells (HTML tables arrive already turned into pipe tables; printed
tables are cut into columns by :mod:`specagent.ingest.text_tables`). A grid's columns name the
metrics (by header, by a caption over the table, or, turned, by the row labels) and its rows say
who or what was measured.

The summarising rule: a table gives one metric per row and column when it has at most
:data:`PER_ROW_MAX` rows (models or splits side by side); a longer one gives one per column, at
its weakest row for a breakdown (per class, field, segment) or its best row for a sweep of a
numeric parameter (see :class:`~specagent.ingest.metric_match.RowPick`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from specagent.ingest.metric_match import MetricMatch, RowPick
from specagent.ingest.metric_names import (
    KILL_WORDS,
    NUMBER,
    PAREN_UNIT,
    QUALIFIERS,
    SPLITS,
    UNIT,
    is_metric_name,
    is_metric_word,
    killed,
    lower_is_better,
    normalise_name,
    split_of,
    strip_unit_suffix,
    to_float,
    unit_of,
    wordset,
)
from specagent.ingest.text_tables import read_text_table

# A table with more rows than this gives one metric per column, not one per row and column:
# two to four rows are models or splits compared side by side, each a baseline to beat; more
# rows are a breakdown (per class, field, segment) or a sweep, and a reader wants its weakest
# (or best) row, not dozens of items.
PER_ROW_MAX = 4
_SUM_LABELS = frozenset({"total", "all"})
PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_CELL_VALUE = re.compile(r"^(?P<cur>\$|€|£)?(?P<num>" + NUMBER + r")[ \t]?(?P<unit>" + UNIT + r")?$")
# Row labels that sum the rows above them; fine in a per-item table.
_SUMMARY_LABELS = frozenset(
    {
        "mean",
        "average",
        "avg",
        "overall",
        "total",
        "all",
        "median",
        "macro avg",
        "micro avg",
        "weighted avg",
        "macro",
        "micro",
        "weighted",
    }
)
# Headers of a label column whose rows are items, not models: a per-SKU or per-question table.
_ENTITY_HEADERS = wordset(
    """
    id sku customer customerid client user userid item product order orderid date day week month
    year timestamp datetime store shop row sample example question query review text document
    doc file path url ticket account email name_id uuid key index
    """
)
_ID_SHAPES = (
    re.compile(r"^#?\d[\d,._/:\- ]*$"),  # a number, a date, a time
    re.compile(r"^[A-Z]{1,5}[-_ ]?\d{2,}[A-Z]?$"),  # GRD-0107, SKU123
    re.compile(r"^\d{2,}[-_][A-Za-z0-9]+$"),  # 7590-VHVEG
    re.compile(r"^(?=[0-9a-fA-F\-]*\d)[0-9a-fA-F]{8,}(?:-[0-9a-fA-F]{4,})*$"),  # hashes, uuids
    re.compile(r"^[A-Za-z]{0,8}[-_]?\d{4,}$"),  # cust_00042, order10042
)


def _looks_like_id(label: str) -> bool:
    """A row label that names an item (SKU, customer id, date, row number), not a model."""
    text = label.strip().strip("*`")
    if not text:
        return True
    return any(shape.match(text) for shape in _ID_SHAPES)


# Column or row headers that say nothing about the run: "value" in a metric/value table.
_GENERIC_HEADERS = frozenset({"", "value", "values", "score", "scores", "result", "results", "metric", "0"})


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell, with where it was printed."""

    text: str
    line: int  # 1-based
    raw: str  # the cell's row as printed, stripped: what a citation quotes


@dataclass(frozen=True, slots=True)
class Col:
    """A table column that holds a metric: its position, the metric's name and unit."""

    index: int
    name: str
    unit: str | None
    context: str | None = None  # the column header, when a caption names the metric
    header: str = ""  # as printed


@dataclass(slots=True)
class _Grid:
    """A table's cells, from a pipe table, an aligned text table or an HTML table."""

    header: list[str]
    rows: list[list[Cell]]
    key: str | None = None  # pandas' index name, printed under the header
    first_is_label: bool = False  # a hand-written table's first column names its rows
    min_share: float = 0.0  # the share of named columns that must name metrics


def _cell_number(text: str) -> tuple[float, str | None] | None:
    """A table cell's value and unit; None for text, ``NaN`` or an empty cell."""
    cm = _CELL_VALUE.match(text.replace("**", "").strip())
    if cm is None:
        return None
    value = to_float(cm.group("num"))
    return None if value is None else (value, unit_of(cm.group("unit"), cm.group("cur")))


def _column_metric(header: str, cells: list[str]) -> tuple[str, str | None] | None:
    """The metric a column header names, with its unit ("p95 latency (ms)", ``cost_per_1k_usd``).

    A rate column ("error_rate") is a metric when its cells are percentages.
    """
    unit_m = PAREN_UNIT.search(header)
    unit = unit_of(unit_m.group("unit"), None) if unit_m else None
    if unit in {"usd", "$"}:
        unit = "$"
    name = normalise_name(PAREN_UNIT.sub("", header))
    name, unit = strip_unit_suffix(name, unit)
    if not name or len(name) >= 40 or killed(name):
        return None
    units = {n[1] for c in cells if (n := _cell_number(c)) is not None}
    probe = unit or (units.pop() if len(units) == 1 else None)
    return (name, unit) if is_metric_name(name, probe) else None


def _label_column(grid: _Grid, metric_cols: set[int]) -> int | None:
    """The column naming each row: the first that holds no metric and is not a column of row
    numbers (pandas' unnamed index, an unnamed ``#`` column)."""
    for idx, cell in enumerate(grid.header):
        if idx in metric_cols:
            continue
        values = [r[idx].text for r in grid.rows if r[idx].text]
        if not values:
            continue
        named_index = idx == 0 and not cell and grid.key
        if (
            not named_index
            and normalise_name(cell) in {"", "#", "index", "no", "n"}
            and all(re.fullmatch(r"\d+", v) for v in values)
        ):
            continue
        return idx
    return None


def _clean_label(label: str | None) -> str | None:
    return (label.replace("**", "").strip().strip("`") or None) if label is not None else None


def _is_summary(row: list[Cell], label: str | None, grid: _Grid, metric_cols: set[int]) -> bool:
    """A row that sums up the rows above it ("mean", "overall", "macro avg").

    "total" and "all" also name things (an invoice's ``total`` field, a class ``all``): such a
    row sums the table only if its counts are no smaller than the other rows' together.
    """
    low = (label or "").lower()
    if low not in _SUMMARY_LABELS:
        return False
    if low not in _SUM_LABELS:
        return True
    others = [r for r in grid.rows if r is not row]
    for j in range(len(grid.header)):
        mine = _cell_number(row[j].text)
        counts = [n[0] for r in others if (n := _cell_number(r[j].text)) is not None]
        if j in metric_cols or mine is None or len(counts) != len(others) or not others:
            continue
        if all(v.is_integer() for v in [mine[0], *counts]) and mine[0] < sum(counts):
            return False
    return True


def _row_label(label: str | None, per_item: bool, single_row: bool, summary: bool) -> tuple[bool, str | None]:
    """Whether a row is a metric row, and its label.

    Rows labelled by a model, method or split are; rows labelled by an item (a SKU, an id, a
    date, a row number) are not, except summary rows.
    """
    if label is None:
        return single_row, None
    if summary:
        return True, label
    if per_item or _looks_like_id(label):
        return False, None
    return True, label


def _table_match(
    name: str, value: float, unit: str | None, cell: Cell, label: str | None, summary: bool
) -> MetricMatch:
    """A metric from a table row: a split label sets the split, a summary label joins the name."""
    split = split_of(name, "")
    context = label
    if label is not None:
        low = label.lower()
        if low in SPLITS and split is None:
            split, context = SPLITS[low], None
        elif summary:
            name, context = f"{normalise_name(label)} {name}", None
    return MetricMatch(name, value, unit, cell.raw, cell.line, split, context)


def _values(col: Col, body: list[tuple[list[Cell], str]]) -> list[tuple[Cell, str, float, str | None]]:
    return [
        (cells[col.index], label, num[0], num[1] or col.unit)
        for cells, label in body
        if (num := _cell_number(cells[col.index].text)) is not None
    ]


def column_floor(col: Col, body: list[tuple[list[Cell], str]], key: str | None) -> MetricMatch | None:
    """A breakdown column as one metric: its weakest row (the floor production must keep),
    naming the strongest row beside it."""
    vals = _values(col, body)
    if not vals:
        return None
    lower = lower_is_better(col.name, vals[0][3])
    worst = (max if lower else min)(vals, key=lambda v: v[2])
    best = (min if lower else max)(vals, key=lambda v: v[2])
    also = ((best[1], best[0].text),) if best[2] != worst[2] else ()
    pick = RowPick(worst[1], key, len(vals), "highest" if lower else "lowest", also)
    cell = worst[0]
    return MetricMatch(col.name, worst[2], worst[3], cell.raw, cell.line, split_of(col.name, ""), col.context, pick)


def _sweep_best(cols: list[Col], body: list[tuple[list[Cell], str]], key: str | None) -> list[MetricMatch]:
    """A sweep of a numeric parameter as one metric: the best row of its main quality column
    (held-out splits first), with the row's other values beside it."""

    def rank(col: Col) -> tuple[int, int]:
        lower = lower_is_better(col.name, col.unit)
        kind = 1 if lower else 0 if is_metric_name(col.name) else 2  # a bare rate ("error_rate") comes last
        split = split_of(col.name, "")
        return kind, 0 if split in {"val", "test", "eval"} else 2 if split == "train" else 1

    primary = min(cols, key=rank)
    vals = _values(primary, body)
    if not vals:
        return []
    lower = lower_is_better(primary.name, vals[0][3])
    cell, label, value, unit = (min if lower else max)(vals, key=lambda v: v[2])
    row = next(cells for cells, _ in body if cells[primary.index] is cell)
    also = tuple(
        (c.header, row[c.index].text) for c in cols if c is not primary and _cell_number(row[c.index].text) is not None
    )
    pick = RowPick(label, key, len(vals), "best", also)
    return [
        MetricMatch(primary.name, value, unit, cell.raw, cell.line, split_of(primary.name, ""), primary.context, pick)
    ]


def _row_items(cols: list[Col], cells: list[Cell], label: str | None, summary: bool) -> list[MetricMatch]:
    out = []
    for col in cols:
        num = _cell_number(cells[col.index].text)
        if num is None:
            continue
        m = _table_match(col.name, num[0], num[1] or col.unit, cells[col.index], label, summary)
        if col.context:
            m = replace(m, context=f"{col.context}, {m.context}" if m.context else col.context)
        out.append(m)
    return out


def _transposed(grid: _Grid, label_idx: int) -> _Grid | None:
    """A table whose rows name the metrics (``accuracy``, ``f1`` down the side, a column per
    model or one ``value`` column), turned so that its columns do."""
    metric_rows = [r for r in grid.rows if _column_metric(r[label_idx].text, [c.text for c in r]) is not None]
    if not metric_rows or len(metric_rows) * 2 < len(grid.rows):
        return None
    header = [grid.header[label_idx], *(r[label_idx].text for r in metric_rows)]
    rows = []
    for j, head in enumerate(grid.header):
        if j == label_idx or not any(_cell_number(r[j].text) for r in metric_rows):
            continue
        text = "" if normalise_name(head) in _GENERIC_HEADERS else head
        rows.append([Cell(text, metric_rows[0][j].line, metric_rows[0][j].raw), *(r[j] for r in metric_rows)])
    return _Grid(header, rows, first_is_label=True) if rows else None


def _captioned(grid: _Grid, label_idx: int, title: str) -> list[Col]:
    """Columns of a table whose caption names the metric ("per-class recall" over a column per
    model): every named column must hold numbers, each is the metric for its header."""
    cols = []
    for j, head in enumerate(grid.header):
        if j == label_idx or not head:
            continue
        nums = [n for r in grid.rows if r[j].text and (n := _cell_number(r[j].text)) is not None]
        if len(nums) < sum(1 for r in grid.rows if r[j].text and r[j].text.lower() != "nan") or not nums:
            return []
        units = {n[1] for n in nums}
        context = None if normalise_name(head) in _GENERIC_HEADERS else head
        cols.append(Col(j, title, units.pop() if len(units) == 1 else None, context, head))
    return cols


def _grid_metrics(grid: _Grid, title: str | None = None) -> list[MetricMatch] | None:
    """The measurements of a table; None when it is not a results table.

    Metric columns are named by their header, by a caption (``title``) over a table of numbers,
    or, turned, by the row labels. Rows labelled by an item (a SKU, a date) give only their
    summary rows; a numeric first column with a name ("threshold", "k") makes a sweep.
    """
    if not grid.rows:
        return None
    width = len(grid.header)
    cols = []
    for j in range(1 if grid.first_is_label else 0, width):
        found = _column_metric(grid.header[j], [r[j].text for r in grid.rows])
        if found is not None:
            cols.append(Col(j, found[0], found[1], None, grid.header[j]))
    named = sum(1 for h in grid.header if h)
    if cols and len(cols) < grid.min_share * named:
        return None
    label_idx = _label_column(grid, {c.index for c in cols})
    if not cols and label_idx is not None:
        turned = _transposed(grid, label_idx)
        if turned is not None:
            return _grid_metrics(turned)
        cols = _captioned(grid, label_idx, title) if title else []
    if not cols:
        return None
    key = None
    if label_idx is not None:
        head = grid.header[label_idx]
        key = (grid.key if label_idx == 0 and not head else head) or None
    key_words = set(normalise_name(key or "").split())
    per_item = bool(key_words & _ENTITY_HEADERS)
    labels = [_clean_label(r[label_idx].text) if label_idx is not None else None for r in grid.rows]
    sweep = (
        key is not None
        and not per_item
        and len(grid.rows) > 1
        and all(lb is not None and _cell_number(lb) is not None for lb in labels)
    )
    if sweep:
        return _sweep_best(cols, [(r, lb) for r, lb in zip(grid.rows, labels, strict=True) if lb], key)
    metric_cols = {c.index for c in cols}
    kept: list[tuple[list[Cell], str | None, bool]] = []
    for cells, label in zip(grid.rows, labels, strict=True):
        summary = _is_summary(cells, label, grid, metric_cols)
        keep, clean = _row_label(label, per_item, len(grid.rows) == 1, summary)
        if keep:
            kept.append((cells, clean, summary))
    body = [(c, lb) for c, lb, summary in kept if lb is not None and not summary]
    if len(body) <= PER_ROW_MAX:
        return [m for cells, label, summary in kept for m in _row_items(cols, cells, label, summary)]
    out = [m for col in cols if (m := column_floor(col, body, key)) is not None]
    rest = [(c, lb, summary) for c, lb, summary in kept if lb is None or summary]
    return out + [m for cells, label, summary in rest for m in _row_items(cols, cells, label, summary)]


def _split_pipe(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def pipe_table(lines: list[str], start: int, title: str | None) -> tuple[list[MetricMatch], int]:
    """A markdown table: header at ``start``, rule below it, rows until a non-table line."""
    header = _split_pipe(lines[start])
    end = start + 2
    while end < len(lines) and PIPE_ROW.match(lines[end]):
        end += 1
    rows = []
    for i in range(start + 2, end):
        cells = _split_pipe(lines[i])
        cells += [""] * (len(header) - len(cells))
        rows.append([Cell(text, i + 1, lines[i].strip()) for text in cells[: len(header)]])
    found = _grid_metrics(_Grid(header, rows, first_is_label=True), title)
    return found or [], end


def text_table(lines: list[str], start: int, title: str | None) -> tuple[list[MetricMatch], int] | None:
    """A printed results table (a pandas repr, an aligned report), or None when the lines at
    ``start`` are not one. At least half of its named columns must name metrics (a data
    preview with one ``cost`` column is not a results table) unless a caption names the metric."""
    table = read_text_table(lines, start)
    if table is None:
        return None
    rows = [[Cell(text, r + 1, lines[r].strip()) for text in cells] for r, cells in table.rows]
    found = _grid_metrics(_Grid(table.header, rows, table.index_name, min_share=0.5), title)
    return None if found is None else (found, table.end)


def caption_metric(text: str) -> str | None:
    """The metric a caption names: ``Per-class recall:`` -> ``recall``, a displayed
    ``f1_by_class.round(2)`` -> ``f1``, ``macro_f1_per_model`` -> ``macro f1``."""
    words = normalise_name(re.sub(r"[^\w@\- ]+", " ", text)).split()
    if not words or len(words) > 12 or any(w in KILL_WORDS for w in words):
        return None
    for i, w in enumerate(words):
        if is_metric_word(w):
            first = i
            while first > 0 and words[first - 1] in QUALIFIERS and words[first - 1] != "per":
                first -= 1
            last = i + 1
            while last < len(words) and is_metric_word(words[last]) and words[last] != w:
                last += 1
            return " ".join(words[first:last])
    return None
