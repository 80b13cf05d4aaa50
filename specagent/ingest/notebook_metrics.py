"""METRIC facts of a notebook: the scores a code cell prints or displays.

Printed text is read by :func:`specagent.ingest.metrics_text.find_metrics`; a results table shown
only as HTML (a pandas Styler) is read from its cells. A score with no label of its own is
labelled with the model the cell's code evaluates.
"""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser
from typing import Any

from specagent.ingest.metrics_text import MetricMatch, find_metrics
from specagent.ingest.notebook_cells import output_texts

__all__ = ["output_metrics"]


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


def output_metrics(source: str, outputs: list[Any]) -> list[MetricMatch]:
    """Metrics printed or displayed by a cell; the last value of each metric wins. A metric
    with no label of its own is labelled with the model the cell's code evaluates."""
    found: dict[tuple[str, str | None, str | None, str | None], MetricMatch] = {}
    caption = _display_caption(source)
    model = _model_in_cell(source)
    for kind, plain, html in output_texts(outputs):
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
