"""Row-level cleaning: headers, whitespace, null tokens, type coercion and de-duplication.

Everything here works on ``list[dict[str, Any]]`` so it does not care whether the rows came
from CSV or JSON. Nothing in this module touches the file system.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from csvclean.schema import ColumnSchema, TableSchema

# Exports from the old shop system write all of these for "no value".
NULL_TOKENS = frozenset({"", "na", "n/a", "null", "none", "nan", "-", "?"})

# Order matters: the first format that parses wins, and 03/04/2024 is read as US (month first)
# because that is what the Shopify export does.
# TODO: make the date order configurable per source (the EU shop exports day-first).
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y", "%d %b %Y", "%b %d, %Y", "%Y/%m/%d")

_CURRENCY_RE = re.compile(r"[€$£\s]")
_NON_WORD_RE = re.compile(r"[^0-9a-zA-Z]+")


@dataclass
class CleanResult:
    """Cleaned rows plus counters the CLI prints at the end of a run."""

    rows: list[dict[str, Any]]
    duplicates_removed: int = 0
    values_coerced: int = 0
    values_nulled: int = 0
    rows_dropped: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.rows)} rows kept, {self.duplicates_removed} duplicates removed, "
            f"{self.values_coerced} values coerced, {self.values_nulled} nulls normalised, "
            f"{self.rows_dropped} rows dropped"
        )


def normalize_header(name: str) -> str:
    """'Order ID ' -> 'order_id', 'Unit Price ($)' -> 'unit_price'."""
    return _NON_WORD_RE.sub("_", name.strip()).strip("_").lower()


def normalize_null(value: Any) -> Any:
    """Map the many spellings of 'missing' to None; leave everything else alone."""
    if isinstance(value, str) and value.strip().lower() in NULL_TOKENS:
        return None
    return value


def parse_date(value: str) -> str | None:
    """Parse a date in any of DATE_FORMATS and return it as ISO 'YYYY-MM-DD' (or None)."""
    text = value.strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def parse_number(value: str) -> float | None:
    """'$1,234.50' -> 1234.5, '12,5' -> 12.5 (a lone comma is a decimal comma)."""
    text = _CURRENCY_RE.sub("", value)
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    else:
        text = text.replace(",", "")
    try:
        return float(text)
    except ValueError:
        return None


def coerce_value(value: Any, column: ColumnSchema) -> Any:
    """Convert one raw value to the column's type; returns the value unchanged when it cannot.

    Leaving unparseable values in place (instead of nulling them) is on purpose: validation
    then reports them with the original text, which is what people need to fix the source.
    """
    if value is None or not isinstance(value, str):
        return value
    if column.type == "integer":
        number = parse_number(value)
        if number is not None and number.is_integer():
            return int(number)
        return value
    if column.type == "float":
        number = parse_number(value)
        return round(number, 2) if number is not None else value
    if column.type == "date":
        return parse_date(value) or value
    if column.type == "email":
        return value.strip().lower()
    if column.type == "category":
        lowered = value.strip().lower()
        for allowed in column.allowed or []:
            if allowed.lower() == lowered:
                return allowed
        return value
    return value


def strip_whitespace(row: dict[str, Any]) -> dict[str, Any]:
    """Trim leading/trailing whitespace and collapse inner runs of spaces."""
    return {
        k: " ".join(v.split()) if isinstance(v, str) else v
        for k, v in row.items()
    }


def dedupe_rows(
    rows: list[dict[str, Any]], key: list[str] | None = None
) -> tuple[list[dict[str, Any]], int]:
    """Drop later duplicates, keeping the first occurrence.

    With ``key`` only those columns are compared (e.g. ``["order_id"]``); without it the whole
    row must match.
    """
    seen: set[tuple[Any, ...]] = set()
    kept: list[dict[str, Any]] = []
    for row in rows:
        fingerprint = tuple(row.get(k) for k in key) if key else tuple(sorted(row.items()))
        if fingerprint in seen:
            continue
        seen.add(fingerprint)
        kept.append(row)
    return kept, len(rows) - len(kept)


def clean_rows(
    rows: list[dict[str, Any]],
    schema: TableSchema | None = None,
    *,
    dedupe: bool = True,
    dedupe_key: list[str] | None = None,
    trim: bool = True,
    drop_invalid: bool = False,
) -> CleanResult:
    """Run the whole cleaning pipeline: headers, trim, nulls, coercion, de-duplication.

    ``drop_invalid`` removes rows whose required columns are still empty after cleaning;
    otherwise they are kept and left for ``validate`` to report.
    """
    result = CleanResult(rows=[])
    cleaned: list[dict[str, Any]] = []
    for raw in rows:
        row = {normalize_header(k): v for k, v in raw.items() if k is not None}
        if trim:
            row = strip_whitespace(row)
        for name, value in row.items():
            nulled = normalize_null(value)
            if nulled is None and value is not None:
                result.values_nulled += 1
            row[name] = nulled
        if schema is not None:
            for col in schema.columns:
                if col.name in row:
                    before = row[col.name]
                    row[col.name] = coerce_value(before, col)
                    if row[col.name] != before:
                        result.values_coerced += 1
        if drop_invalid and schema is not None and _missing_required(row, schema):
            result.rows_dropped += 1
            continue
        cleaned.append(row)

    if dedupe:
        key = dedupe_key or (schema.primary_key if schema else None)
        cleaned, result.duplicates_removed = dedupe_rows(cleaned, key or None)
    result.rows = cleaned
    return result


def _missing_required(row: dict[str, Any], schema: TableSchema) -> bool:
    return any(
        row.get(c.name) is None for c in schema.columns if c.required and not c.nullable
    )


def infer_type(values: list[Any]) -> str:
    """Best guess at a column's type from its non-null values (used by ``profile``)."""
    present = [v for v in values if v is not None]
    if not present:
        return "empty"
    if all(isinstance(v, str) and parse_number(v) is not None for v in present):
        numbers = [parse_number(v) for v in present]
        return "integer" if all(n is not None and n.is_integer() for n in numbers) else "float"
    if all(isinstance(v, str) and parse_date(v) for v in present):
        return "date"
    return "string"


def today_iso() -> str:
    # FIXME: the nightly job runs in UTC but the shop reports in Europe/Berlin; use a tz.
    return date.today().isoformat()
