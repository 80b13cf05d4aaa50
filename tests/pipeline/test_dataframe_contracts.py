"""A pandera schema is drafted as a data contract: its exact columns with dtype, required and
checks, the rules over the whole table in the summary, and, where a function validates data with
it, that function named and cited; reading or writing a file there makes it an input or output."""

from __future__ import annotations

from pathlib import Path

import pytest

from specagent.pipeline.draft import draft
from specagent.spec.model import DataContract
from specagent.spec.resolve import resolve

SCHEMAS = '''\
"""Table contracts of the scoring job."""
import pandera as pa
from pandera.typing import Series


class Sales(pa.DataFrameModel):
    """Daily sales per store."""

    store_id: Series[str] = pa.Field(str_matches=r"^S\\d+$")
    units: Series[int] = pa.Field(ge=0)
    promo: Series[int] = pa.Field(isin=[0, 1], nullable=True)

    class Config:
        unique = ["store_id", "day"]


class Scores(pa.DataFrameModel):
    store_id: Series[str]
    score: Series[float] = pa.Field(in_range={"min_value": 0, "max_value": 1})


audit = pa.DataFrameSchema({"at": pa.Column("datetime64[ns]")})
'''

JOB = '''\
"""Scoring job."""
import pandas as pd

from schemas import Sales, Scores


def load(path: str) -> pd.DataFrame:
    """Read the sales export."""
    df = pd.read_csv(path)
    return Sales.validate(df)


def save(df: pd.DataFrame, path: str) -> None:
    """Write the scores."""
    Scores.validate(df).to_parquet(path)
'''


@pytest.fixture
def contracts(tmp_path: Path) -> dict[str, DataContract]:
    (tmp_path / "schemas.py").write_text(SCHEMAS, encoding="utf-8")
    (tmp_path / "job.py").write_text(JOB, encoding="utf-8")
    result = draft(tmp_path)
    assert [why for _, c in result.spec.iter_citations() if (why := resolve(c, result.ingested.texts))] == []
    return {c.name: c for c in result.spec.data_contracts}


def _rows(contract: DataContract) -> list[tuple]:
    return [(f.name, f.type, f.required, f.constraints) for f in contract.fields]


def test_schema_read_in_a_function_is_an_input(contracts: dict[str, DataContract]) -> None:
    sales = contracts["Sales"]
    assert (sales.role, sales.format) == ("input", "dataframe (pandera)")
    assert sales.summary == "Daily sales per store; unique (store_id, day); validated in `load`"
    assert _rows(sales) == [
        ("store_id", "str", True, r"pattern `^S\d+$`"),
        ("units", "int", True, ">= 0"),
        ("promo", "int", False, "one of [0, 1]"),
    ]
    # Cited at the class and at the function that validates with it.
    assert [(s.path, s.start_line, s.end_line, s.quote) for s in sales.sources] == [
        ("schemas.py", 6, 14, "class Sales(pa.DataFrameModel):"),
        ("job.py", 7, 10, "def load(path: str) -> pd.DataFrame:"),
    ]


def test_schema_checked_before_a_write_is_an_output(contracts: dict[str, DataContract]) -> None:
    scores = contracts["Scores"]
    assert (scores.role, scores.summary) == ("output", "validated in `save`")
    assert _rows(scores) == [("store_id", "str", True, None), ("score", "float", True, ">= 0; <= 1")]
    assert [s.path for s in scores.sources] == ["schemas.py", "job.py"]


def test_schema_object_validated_nowhere_is_a_frame_between_steps(contracts: dict[str, DataContract]) -> None:
    audit = contracts["audit"]
    assert (audit.role, audit.summary) == ("message", None)
    assert _rows(audit) == [("at", "datetime64[ns]", True, None)]
    assert [(s.path, s.start_line) for s in audit.sources] == [("schemas.py", 22)]
