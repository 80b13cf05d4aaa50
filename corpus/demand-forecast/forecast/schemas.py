"""Table contracts: the daily sales export we read and the forecast table we write.

pandera checks run at the edges (after load, before write). Both tables are long format,
one row per store x category x day.
"""

from __future__ import annotations

import pandera as pa
from pandera.typing import Series

CATEGORIES = ["dairy", "bakery", "beverages", "produce", "frozen", "household"]  # + 25 more in prod
CLUSTERS = ["urban", "suburban", "rural"]


class SalesSchema(pa.DataFrameModel):
    """One row per store, category and calendar day, from the DWH export."""

    date: Series[pa.DateTime] = pa.Field(nullable=False)
    store_id: Series[str] = pa.Field(str_matches=r"^S\d{3}$")
    region: Series[str] = pa.Field(str_length={"min_value": 2, "max_value": 2})
    cluster: Series[str] = pa.Field(isin=CLUSTERS)
    category: Series[str]
    units_sold: Series[int] = pa.Field(ge=0)
    net_price: Series[float] = pa.Field(gt=0, nullable=True)
    on_promo: Series[int] = pa.Field(isin=[0, 1])
    # 1 when the store reported zero shelf stock at close; sales are then censored demand
    stockout: Series[int] = pa.Field(isin=[0, 1])

    class Config:
        strict = True
        coerce = True
        unique = ["date", "store_id", "category"]


class ForecastSchema(pa.DataFrameModel):
    """What the nightly flow writes to S3 (parquet, partitioned by run_date)."""

    run_date: Series[pa.DateTime]
    target_date: Series[pa.DateTime]
    horizon: Series[int] = pa.Field(ge=1, le=28)
    store_id: Series[str] = pa.Field(str_matches=r"^S\d{3}$")
    category: Series[str]
    yhat: Series[float] = pa.Field(ge=0)
    yhat_lower: Series[float] = pa.Field(ge=0)
    yhat_upper: Series[float] = pa.Field(ge=0)
    model: Series[str] = pa.Field(isin=["lgbm", "prophet", "naive"])
    model_version: Series[str]
    mlflow_run_id: Series[str] = pa.Field(nullable=True)

    @pa.dataframe_check
    def interval_contains_point(cls, df) -> Series[bool]:  # noqa: N805
        return (df["yhat_lower"] <= df["yhat"]) & (df["yhat"] <= df["yhat_upper"])

    class Config:
        strict = True
        coerce = True
