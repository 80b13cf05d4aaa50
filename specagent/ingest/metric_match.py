"""What the metric finders return: one measured value, and the row a summarised table gave it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RowPick:
    """The row a summarised table column's value comes from, and what else the table says.

    A table with many rows gives one metric per column (see
    :data:`~specagent.ingest.metric_tables.PER_ROW_MAX`): a breakdown (per class, field, segment)
    its weakest row, a sweep of a numeric parameter its best row.
    """

    label: str  # the row: a class, a field, a parameter value ("0.6")
    key: str | None  # what the rows are ("field", "threshold"), when the table says
    rows: int  # how many rows the value was picked from
    pick: str  # "lowest" or "highest" (a breakdown's weakest row), "best" (a sweep's)
    # (row label or column header, value as printed): a breakdown's strongest row, or the
    # other columns of a sweep's best row.
    also: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class MetricMatch:
    """One measured value. ``raw`` is an exact substring of line ``line`` (1-based)."""

    name: str  # normalised: lower case, words separated by single spaces
    value: float
    unit: str | None
    raw: str
    line: int
    split: str | None = None
    context: str | None = None
    row: RowPick | None = None
