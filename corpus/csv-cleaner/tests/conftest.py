from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def raw_csv() -> Path:
    return ROOT / "data" / "orders_raw.csv"


@pytest.fixture
def expected_json() -> Path:
    return ROOT / "data" / "expected_clean.json"


@pytest.fixture
def orders_schema_path() -> Path:
    return ROOT / "schemas" / "orders.schema.json"
