"""Reading and writing tables: CSV via the csv module, JSON as a list of objects.

We stay on the standard library on purpose: the nightly job runs on a small VM where pandas
doubled memory use (see notebooks/benchmark.ipynb).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

SUPPORTED_FORMATS = ("csv", "json")


def sniff_delimiter(sample: str, default: str = ",") -> str:
    """Guess the delimiter from the first few KB; falls back to ``default``."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return default


def read_csv(
    path: str | Path, delimiter: str | None = ",", encoding: str = "utf-8-sig"
) -> list[dict[str, Any]]:
    """Read a CSV file into a list of dicts keyed by the header row.

    ``delimiter=None`` sniffs it. ``utf-8-sig`` drops the BOM Excel likes to add.
    """
    with open(path, newline="", encoding=encoding) as fh:
        if delimiter is None:
            delimiter = sniff_delimiter(fh.read(4096))
            fh.seek(0)
        reader = csv.DictReader(fh, delimiter=delimiter)
        # Short rows get None for missing cells; extra cells land under the None key and are
        # dropped later by clean_rows.
        return list(reader)


def read_json(path: str | Path, encoding: str = "utf-8") -> list[dict[str, Any]]:
    """Read a JSON array of objects, or a ``{"rows": [...]}`` wrapper."""
    with open(path, encoding=encoding) as fh:
        data = json.load(fh)
    if isinstance(data, dict):
        data = data.get("rows", [])
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a JSON array of objects")
    return data


def detect_format(path: str | Path) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix in ("json", "jsonl"):
        return "json"
    return "csv"


def read_table(
    path: str | Path, delimiter: str | None = ",", encoding: str = "utf-8-sig"
) -> list[dict[str, Any]]:
    """Read CSV or JSON depending on the file extension."""
    if detect_format(path) == "json":
        return read_json(path)
    return read_csv(path, delimiter=delimiter, encoding=encoding)


def write_csv(
    rows: list[dict[str, Any]],
    path: str | Path,
    fieldnames: list[str] | None = None,
    delimiter: str = ",",
) -> int:
    """Write rows as CSV (None becomes an empty cell); returns the number of rows written."""
    fieldnames = fieldnames or (list(rows[0].keys()) if rows else [])
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(
            fh, fieldnames=fieldnames, delimiter=delimiter, extrasaction="ignore"
        )
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def write_json(rows: list[dict[str, Any]], path: str | Path, indent: int = 2) -> int:
    """Write rows as a JSON array (None becomes null); returns the number of rows written."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(rows, fh, indent=indent, ensure_ascii=False)
        fh.write("\n")
    return len(rows)


def write_table(
    rows: list[dict[str, Any]],
    path: str | Path,
    fmt: str = "csv",
    fieldnames: list[str] | None = None,
    delimiter: str = ",",
) -> int:
    if fmt not in SUPPORTED_FORMATS:
        raise ValueError(f"unsupported format {fmt!r}; use one of {SUPPORTED_FORMATS}")
    if fmt == "json":
        return write_json(rows, path)
    return write_csv(rows, path, fieldnames=fieldnames, delimiter=delimiter)


# TODO: stream rows instead of materialising the whole file; 1M rows peaks at ~780 MB.
