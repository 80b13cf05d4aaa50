"""Read a printed scikit-learn ``classification_report`` block as metrics.

A few classes give one metric per class and column; many classes are summarised like any other
long table (see :mod:`specagent.ingest.metric_tables`). The ``avg`` rows and ``accuracy`` are
metrics of their own.
"""

from __future__ import annotations

import re

from specagent.ingest.metric_match import MetricMatch
from specagent.ingest.metric_tables import PER_ROW_MAX, Cell, Col, column_floor

# The header line that starts a report: find_metrics hands the block to read_classification_report.
REPORT_HEADER = re.compile(r"^\s*precision\s+recall\s+f1-score\s+support\s*$")
_REPORT_ROW = re.compile(r"^\s*(?P<label>\S.*?)\s+(?P<p>\d+\.\d+)\s+(?P<r>\d+\.\d+)\s+(?P<f>\d+\.\d+)\s+(?P<s>\d+)\s*$")
_REPORT_ACCURACY = re.compile(r"^\s*accuracy\s+(?P<v>\d+\.\d+)\s+(?P<s>\d+)\s*$")


def _summary_label(label: str) -> str | None:
    """The name of a report's summary row ("macro avg"; scikit-learn < 0.20 printed a weighted
    "avg / total"), or None for a class row."""
    low = " ".join(label.lower().split())
    if low.endswith("avg"):
        return low
    if low in ("avg / total", "avg/total"):
        return "weighted avg"
    return None


def read_classification_report(lines: list[str], start: int) -> tuple[list[MetricMatch], int]:
    """Parse a classification_report block whose header is ``lines[start]``.

    Up to :data:`~specagent.ingest.metric_tables.PER_ROW_MAX` classes give one metric per class
    and column; more classes give one per column, naming its weakest and strongest class (see
    :func:`~specagent.ingest.metric_tables.column_floor`).
    """
    classes: list[tuple[list[Cell], str]] = []
    rest: list[MetricMatch] = []
    i = start + 1
    blank_run = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            blank_run += 1
            if blank_run > 1:
                break
            i += 1
            continue
        if len(line) > 2000:  # no report row is this long, and _REPORT_ROW is quadratic on it
            break
        blank_run = 0
        acc = _REPORT_ACCURACY.match(line)
        row = _REPORT_ROW.match(line)
        if acc:
            rest.append(MetricMatch("accuracy", float(acc.group("v")), None, line.strip(), i + 1))
        elif row:
            label = row.group("label").strip()
            cells = [Cell(row.group(k), i + 1, line.strip()) for k in ("p", "r", "f")]
            summary = _summary_label(label)
            if summary is None:
                classes.append((cells, label))
                i += 1
                continue
            for cell, metric in zip(cells, ("precision", "recall", "f1"), strict=True):
                rest.append(MetricMatch(f"{summary} {metric}", float(cell.text), None, cell.raw, cell.line))
        else:
            break
        i += 1
    out: list[MetricMatch] = []
    cols = [Col(0, "precision", None), Col(1, "recall", None), Col(2, "f1", None)]
    # With a summary row the report already measures the model; per class, the weakest and
    # strongest are what a target needs (every class and column would be rows of noise).
    if len(classes) > PER_ROW_MAX or (rest and len(classes) >= 2):
        out = [m for col in cols if (m := column_floor(col, classes, "class")) is not None]
    else:
        for cells, label in classes:
            for col, cell in zip(cols, cells, strict=True):
                out.append(
                    MetricMatch(f"class {label} {col.name}", float(cell.text), None, cell.raw, cell.line, None, label)
                )
    return out + rest, i
