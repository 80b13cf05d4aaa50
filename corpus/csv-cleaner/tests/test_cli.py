from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from csvclean import __version__
from csvclean.cli import main


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_clean_writes_json_matching_fixture(
    tmp_path: Path, raw_csv: Path, expected_json: Path, orders_schema_path: Path
) -> None:
    out = tmp_path / "clean.json"
    result = CliRunner().invoke(
        main,
        ["clean", "--input", str(raw_csv), "--output", str(out), "--format", "json",
         "--schema", str(orders_schema_path)],
    )
    assert result.exit_code == 0, result.output
    assert "2 duplicates removed" in result.output
    assert json.loads(out.read_text()) == json.loads(expected_json.read_text())


def test_clean_no_dedupe_csv_output(tmp_path: Path, raw_csv: Path) -> None:
    out = tmp_path / "clean.csv"
    result = CliRunner().invoke(
        main, ["clean", "-i", str(raw_csv), "-o", str(out), "--no-dedupe"]
    )
    assert result.exit_code == 0, result.output
    with out.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 40
    assert list(rows[0].keys())[0] == "order_id"


def test_clean_semicolon_delimiter(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("Order ID;Status\n1; shipped \n1; shipped \n", encoding="utf-8")
    out = tmp_path / "out.json"
    result = CliRunner().invoke(
        main, ["clean", "-i", str(src), "-o", str(out), "--delimiter", ";", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text()) == [{"order_id": "1", "status": "shipped"}]


def test_validate_fails_on_dirty_data(tmp_path: Path, raw_csv: Path, orders_schema_path: Path) -> None:
    report = tmp_path / "report.json"
    result = CliRunner().invoke(
        main,
        ["validate", "--input", str(raw_csv), "--schema", str(orders_schema_path),
         "--report", str(report)],
    )
    assert result.exit_code == 1
    assert "FAILED: 40 rows, 13 issues" in result.output
    data = json.loads(report.read_text())
    assert data["ok"] is False
    assert data["issue_counts"]["duplicate"] == 2


def test_validate_expected_clean_has_no_duplicates(expected_json: Path, orders_schema_path: Path) -> None:
    # The fixture still holds the rows validate is supposed to flag, so only the counts of
    # the kinds dedupe fixes must drop to zero.
    result = CliRunner().invoke(
        main,
        ["validate", "-i", str(expected_json), "--schema", str(orders_schema_path),
         "--max-null-ratio", "0.5"],
    )
    assert "duplicate" not in result.output
    assert "38 rows" in result.output


def test_validate_max_null_ratio_out_of_range(raw_csv: Path, orders_schema_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["validate", "-i", str(raw_csv), "--schema", str(orders_schema_path),
         "--max-null-ratio", "1.5"],
    )
    assert result.exit_code == 2
    assert "--max-null-ratio" in result.output


def test_bad_schema_exits_3(tmp_path: Path, raw_csv: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "-i", str(raw_csv), "--schema", str(bad)])
    assert result.exit_code == 3
    assert "bad schema" in result.output


def test_profile_json(raw_csv: Path) -> None:
    result = CliRunner().invoke(main, ["profile", "-i", str(raw_csv), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["rows"] == 40
    by_name = {c["column"]: c for c in data["columns"]}
    assert by_name["order_id"]["type"] == "integer"
    assert by_name["coupon_code"]["null_ratio"] == 0.9


def test_profile_text_top(raw_csv: Path) -> None:
    result = CliRunner().invoke(main, ["profile", "-i", str(raw_csv), "--top", "1"])
    assert result.exit_code == 0
    assert result.output.startswith("40 rows, 9 columns")
    assert "SKU-1042 (10)" in result.output
