"""Read the sales export and the promo plan; write forecast parquet to S3."""

from __future__ import annotations

import io
import logging
import os
from datetime import date

import boto3
import pandas as pd

from forecast.schemas import ForecastSchema, SalesSchema

log = logging.getLogger(__name__)


def load_sales(uri: str, stores: list[str] | None = None, end: date | None = None) -> pd.DataFrame:
    """Load the daily sales table (CSV for local runs, parquet folder on S3) and validate it."""
    if uri.endswith(".csv"):
        df = pd.read_csv(uri, parse_dates=["date"])
    else:
        # s3fs picks up AWS_PROFILE; the export is ~4.8M rows, ~210 MB parquet
        df = pd.read_parquet(uri)
    if stores:
        df = df[df["store_id"].isin(stores)]
    if end is not None:
        df = df[df["date"] <= pd.Timestamp(end)]
    df = SalesSchema.validate(df)
    log.info("loaded %d rows, %d series", len(df), df.groupby(["store_id", "category"]).ngroups)
    return df


def load_promos(uri: str) -> pd.DataFrame:
    """Planned promotions (store_id, category, start, end, discount_pct).

    FIXME: the promo plan export lands at ~01:30 and is sometimes late; when it is missing we
    silently fall back to an empty frame, so the forecast ignores promotions that night.
    """
    try:
        return pd.read_parquet(uri)
    except FileNotFoundError:
        log.warning("promo plan missing at %s, forecasting without promotions", uri)
        return pd.DataFrame(columns=["store_id", "category", "start", "end", "discount_pct"])


def write_forecast(df: pd.DataFrame, bucket: str, prefix: str, run_date: date) -> str:
    """Validate against ForecastSchema and upload one parquet file per run date.

    Key: s3://{bucket}/{prefix}/run_date=YYYY-MM-DD/forecast.parquet (overwritten on re-run).
    """
    df = ForecastSchema.validate(df)
    buf = io.BytesIO()
    df.to_parquet(buf, index=False, engine="pyarrow", compression="snappy")
    key = f"{prefix}/run_date={run_date:%Y-%m-%d}/forecast.parquet"
    s3 = boto3.client("s3", region_name=os.environ.get("AWS_DEFAULT_REGION", "eu-central-1"))
    s3.put_object(Bucket=bucket, Key=key, Body=buf.getvalue())
    # TODO: write a _SUCCESS marker so the replenishment job stops reading half-written runs
    uri = f"s3://{bucket}/{key}"
    log.info("wrote %d forecast rows to %s", len(df), uri)
    return uri
