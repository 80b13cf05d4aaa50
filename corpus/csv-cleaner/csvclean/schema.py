"""Column schemas and validation reports.

A schema is a small JSON document (see ``schemas/orders.schema.json``) that says, for each
column, its type, whether it may be empty, and simple constraints. ``validate_rows`` checks
already-cleaned rows against it and returns a ``ValidationReport``; it never raises on bad
data, only on a bad schema file.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

COLUMN_TYPES = ("string", "integer", "float", "date", "email", "category")

# Deliberately loose: we only want to catch obvious garbage, not enforce RFC 5322.
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class SchemaError(ValueError):
    """The schema file itself is unusable (bad JSON, unknown type, duplicate column)."""


@dataclass
class ColumnSchema:
    """Rules for one column."""

    name: str
    type: str = "string"
    required: bool = True
    nullable: bool = False
    unique: bool = False
    allowed: list[str] | None = None
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    description: str = ""

    def __post_init__(self) -> None:
        if self.type not in COLUMN_TYPES:
            raise SchemaError(f"column {self.name!r}: unknown type {self.type!r}")
        if self.type == "category" and not self.allowed:
            raise SchemaError(f"column {self.name!r}: category columns need 'allowed'")


@dataclass
class TableSchema:
    """An ordered list of columns plus the key used for de-duplication."""

    name: str
    columns: list[ColumnSchema]
    primary_key: list[str] = field(default_factory=list)
    version: int = 1

    def column(self, name: str) -> ColumnSchema | None:
        for col in self.columns:
            if col.name == name:
                return col
        return None

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


@dataclass
class ValidationIssue:
    """One problem found in one cell (``row`` is 1-based, header excluded)."""

    row: int
    column: str
    code: str
    message: str


@dataclass
class ValidationReport:
    """What ``validate_rows`` found; ``ok`` is what the CLI turns into an exit code."""

    schema_name: str
    rows_checked: int
    issues: list[ValidationIssue] = field(default_factory=list)
    null_ratios: dict[str, float] = field(default_factory=dict)
    missing_columns: list[str] = field(default_factory=list)
    unexpected_columns: list[str] = field(default_factory=list)
    max_null_ratio: float = 0.1

    @property
    def ok(self) -> bool:
        return not self.issues and not self.missing_columns and not self.columns_over_null_limit

    @property
    def columns_over_null_limit(self) -> list[str]:
        return [c for c, r in self.null_ratios.items() if r > self.max_null_ratio]

    def issue_counts(self) -> dict[str, int]:
        return dict(Counter(i.code for i in self.issues))

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ok"] = self.ok
        data["columns_over_null_limit"] = self.columns_over_null_limit
        data["issue_counts"] = self.issue_counts()
        return data


def load_schema(path: str | Path) -> TableSchema:
    """Read a JSON column schema; raises SchemaError when it cannot be used."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SchemaError(f"{path}: not valid JSON ({exc})") from exc
    columns = [ColumnSchema(**col) for col in raw.get("columns", [])]
    names = [c.name for c in columns]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise SchemaError(f"{path}: duplicate columns {dupes}")
    schema = TableSchema(
        name=raw.get("name", Path(path).stem),
        columns=columns,
        primary_key=list(raw.get("primary_key", [])),
        version=int(raw.get("version", 1)),
    )
    unknown_keys = [k for k in schema.primary_key if k not in names]
    if unknown_keys:
        raise SchemaError(f"{path}: primary_key names unknown columns {unknown_keys}")
    return schema


def _check_value(col: ColumnSchema, value: Any) -> tuple[str, str] | None:
    """Return (code, message) when ``value`` breaks ``col``'s rules."""
    if col.type == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            return "type", f"expected integer, got {value!r}"
    elif col.type == "float":
        if not isinstance(value, int | float) or isinstance(value, bool):
            return "type", f"expected number, got {value!r}"
    elif col.type == "date":
        if not isinstance(value, str) or not ISO_DATE_RE.match(value):
            return "type", f"expected ISO date YYYY-MM-DD, got {value!r}"
    elif col.type == "email":
        if not isinstance(value, str) or not EMAIL_RE.match(value):
            return "format", f"not an email address: {value!r}"
    elif col.type == "category" and value not in (col.allowed or []):
        return "category", f"{value!r} not in {col.allowed}"

    if col.minimum is not None and isinstance(value, int | float) and value < col.minimum:
        return "range", f"{value} < minimum {col.minimum}"
    if col.maximum is not None and isinstance(value, int | float) and value > col.maximum:
        return "range", f"{value} > maximum {col.maximum}"
    if col.pattern and isinstance(value, str) and not re.fullmatch(col.pattern, value):
        return "pattern", f"{value!r} does not match {col.pattern}"
    return None


def validate_rows(
    rows: list[dict[str, Any]],
    schema: TableSchema,
    max_null_ratio: float = 0.1,
) -> ValidationReport:
    """Check rows against ``schema``; every problem becomes a ValidationIssue."""
    report = ValidationReport(
        schema_name=schema.name, rows_checked=len(rows), max_null_ratio=max_null_ratio
    )
    present = set(rows[0].keys()) if rows else set(schema.column_names)
    report.missing_columns = [
        c.name for c in schema.columns if c.required and c.name not in present
    ]
    report.unexpected_columns = sorted(present - set(schema.column_names))

    nulls: Counter[str] = Counter()
    seen: dict[str, set[Any]] = {c.name: set() for c in schema.columns if c.unique}
    for i, row in enumerate(rows, start=1):
        for col in schema.columns:
            if col.name not in row:
                continue
            value = row[col.name]
            if value is None:
                nulls[col.name] += 1
                if not col.nullable:
                    report.issues.append(
                        ValidationIssue(i, col.name, "null", "value is required")
                    )
                continue
            problem = _check_value(col, value)
            if problem:
                report.issues.append(ValidationIssue(i, col.name, *problem))
            if col.unique:
                if value in seen[col.name]:
                    report.issues.append(
                        ValidationIssue(i, col.name, "duplicate", f"{value!r} seen before")
                    )
                seen[col.name].add(value)

    if rows:
        # Nullable columns (e.g. coupon_code) are expected to be mostly empty; only the others
        # count towards --max-null-ratio.
        report.null_ratios = {
            c.name: round(nulls[c.name] / len(rows), 4)
            for c in schema.columns
            if c.name in present and not c.nullable
        }
    return report
