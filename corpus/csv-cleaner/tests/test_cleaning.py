from __future__ import annotations

import json

import pytest

from csvclean.cleaning import (
    clean_rows,
    coerce_value,
    dedupe_rows,
    infer_type,
    normalize_header,
    normalize_null,
    parse_date,
    parse_number,
)
from csvclean.io import read_csv
from csvclean.schema import ColumnSchema, load_schema


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Order ID", "order_id"), (" Unit Price ($) ", "unit_price"), ("SKU", "sku")],
)
def test_normalize_header_snake_cases(raw: str, expected: str) -> None:
    assert normalize_header(raw) == expected


@pytest.mark.parametrize("token", ["", "N/A", "null", "NONE", " - ", "nan"])
def test_null_tokens_become_none(token: str) -> None:
    assert normalize_null(token) is None


def test_normalize_null_keeps_real_values() -> None:
    assert normalize_null("0") == "0"
    assert normalize_null("Nancy") == "Nancy"


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2024-03-01", "2024-03-01"),
        ("03/02/2024", "2024-03-02"),  # US month-first
        ("03.03.2024", "2024-03-03"),  # German day-first
        ("2 Mar 2024", "2024-03-02"),
        ("2024/03/13", "2024-03-13"),
    ],
)
def test_parse_date_accepts_known_formats(raw: str, iso: str) -> None:
    assert parse_date(raw) == iso


def test_parse_date_rejects_unknown_format() -> None:
    assert parse_date("Mar 05 2024") is None


@pytest.mark.parametrize(
    ("raw", "number"),
    [("$249.00", 249.0), ("19,99", 19.99), ("1,249.00", 1249.0), ("€5.50", 5.5)],
)
def test_parse_number_handles_currency_and_decimal_comma(raw: str, number: float) -> None:
    assert parse_number(raw) == pytest.approx(number)


def test_coerce_value_category_is_case_insensitive() -> None:
    col = ColumnSchema(name="status", type="category", allowed=["pending", "shipped"])
    assert coerce_value("SHIPPED", col) == "shipped"
    assert coerce_value("lost", col) == "lost"  # left for validate to report


def test_coerce_integer_from_float_text() -> None:
    col = ColumnSchema(name="quantity", type="integer")
    assert coerce_value("2.0", col) == 2
    assert coerce_value("2.5", col) == "2.5"


def test_dedupe_rows_keeps_first_occurrence() -> None:
    rows = [{"id": 1, "v": "a"}, {"id": 2, "v": "b"}, {"id": 1, "v": "c"}]
    kept, removed = dedupe_rows(rows, key=["id"])
    assert removed == 1
    assert [r["v"] for r in kept] == ["a", "b"]


def test_dedupe_rows_whole_row_when_no_key() -> None:
    rows = [{"id": 1, "v": "a"}, {"id": 1, "v": "c"}, {"id": 1, "v": "a"}]
    kept, removed = dedupe_rows(rows)
    assert removed == 1
    assert len(kept) == 2


def test_clean_rows_matches_expected_fixture(raw_csv, expected_json, orders_schema_path) -> None:
    schema = load_schema(orders_schema_path)
    result = clean_rows(read_csv(raw_csv), schema)
    assert result.rows == json.loads(expected_json.read_text(encoding="utf-8"))
    assert result.duplicates_removed == 2


def test_clean_rows_no_dedupe_keeps_all_rows(raw_csv, orders_schema_path) -> None:
    schema = load_schema(orders_schema_path)
    result = clean_rows(read_csv(raw_csv), schema, dedupe=False)
    assert len(result.rows) == 40
    assert result.duplicates_removed == 0


def test_drop_invalid_removes_rows_with_missing_required(raw_csv, orders_schema_path) -> None:
    schema = load_schema(orders_schema_path)
    result = clean_rows(read_csv(raw_csv), schema, drop_invalid=True)
    assert result.rows_dropped == 4
    assert all(r["customer_email"] is not None for r in result.rows)


def test_infer_type() -> None:
    assert infer_type(["1", "2", None]) == "integer"
    assert infer_type(["1.5", "2"]) == "float"
    assert infer_type(["2024-03-01", "03/02/2024"]) == "date"
    assert infer_type([None, None]) == "empty"
