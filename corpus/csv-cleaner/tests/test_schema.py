from __future__ import annotations

import json
from pathlib import Path

import pytest

from csvclean.schema import (
    ColumnSchema,
    SchemaError,
    TableSchema,
    ValidationReport,
    load_schema,
    validate_rows,
)


def test_load_orders_schema(orders_schema_path: Path) -> None:
    schema = load_schema(orders_schema_path)
    assert schema.name == "orders"
    assert schema.primary_key == ["order_id"]
    assert schema.column_names[:3] == ["order_id", "customer_email", "order_date"]
    coupon = schema.column("coupon_code")
    assert coupon is not None and coupon.nullable and not coupon.required


def test_unknown_column_type_is_rejected() -> None:
    with pytest.raises(SchemaError, match="unknown type"):
        ColumnSchema(name="x", type="decimal")


def test_category_without_allowed_is_rejected() -> None:
    with pytest.raises(SchemaError, match="allowed"):
        ColumnSchema(name="status", type="category")


def test_duplicate_columns_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "bad.schema.json"
    path.write_text(json.dumps({"columns": [{"name": "a"}, {"name": "a"}]}), encoding="utf-8")
    with pytest.raises(SchemaError, match="duplicate"):
        load_schema(path)


def _schema() -> TableSchema:
    return TableSchema(
        name="t",
        columns=[
            ColumnSchema(name="id", type="integer", unique=True),
            ColumnSchema(name="email", type="email"),
            ColumnSchema(name="qty", type="integer", minimum=1, maximum=10),
            ColumnSchema(name="note", nullable=True, required=False),
        ],
        primary_key=["id"],
    )


def test_validate_rows_reports_each_problem() -> None:
    rows = [
        {"id": 1, "email": "a@example.com", "qty": 3, "note": None},
        {"id": 1, "email": "not-an-email", "qty": 0, "note": None},
        {"id": 3, "email": None, "qty": 11, "note": "gift"},
    ]
    report = validate_rows(rows, _schema(), max_null_ratio=0.5)
    codes = {(i.row, i.column, i.code) for i in report.issues}
    assert codes == {
        (2, "id", "duplicate"),
        (2, "email", "format"),
        (2, "qty", "range"),
        (3, "email", "null"),
        (3, "qty", "range"),
    }
    assert not report.ok


def test_clean_rows_pass_validation() -> None:
    rows = [{"id": i, "email": f"u{i}@example.com", "qty": 2, "note": None} for i in range(5)]
    report = validate_rows(rows, _schema())
    assert report.ok
    assert report.issues == []
    assert "note" not in report.null_ratios  # nullable columns are not held to the limit


def test_max_null_ratio_fails_report() -> None:
    rows = [{"id": i, "email": None, "qty": 1, "note": None} for i in range(4)]
    rows[0]["email"] = "a@example.com"
    report = validate_rows(rows, _schema(), max_null_ratio=0.25)
    assert report.null_ratios["email"] == 0.75
    assert report.columns_over_null_limit == ["email"]
    assert not report.ok


def test_missing_required_column() -> None:
    report = validate_rows([{"id": 1, "qty": 1}], _schema())
    assert report.missing_columns == ["email"]
    assert not report.ok


def test_report_to_dict_is_json_serialisable() -> None:
    report = ValidationReport(schema_name="t", rows_checked=0)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["ok"] is True
    assert data["issue_counts"] == {}
