"""Prefect flow: every night, forecast the next 14 days for all stores and write to S3.

Deploy:  prefect deployment build flows/nightly.py:nightly_forecast -n nightly \
             --cron "30 2 * * *" --timezone Europe/Berlin -q forecast-pool
The replenishment job reads the parquet at ~05:00.
"""

from __future__ import annotations

import os
from datetime import date, timedelta

import mlflow
import pandas as pd
import requests
from prefect import flow, get_run_logger, task
from prefect.tasks import exponential_backoff

from forecast.config import load_config
from forecast.data import load_promos, load_sales, write_forecast
from forecast.features import build_features
from forecast.models import make_model

MODEL_VERSION = os.environ.get("FORECAST_MODEL_VERSION", "lgbm-2024.06")


@task(retries=3, retry_delay_seconds=exponential_backoff(backoff_factor=60))
def extract(cfg, end: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    return load_sales(cfg.sales_uri, end=end), load_promos(cfg.promo_uri)


@task
def featurize(cfg, sales, promos, horizon: int) -> pd.DataFrame:
    return build_features(
        sales, promos, cfg.holiday_regions, cfg.lags, cfg.rolling_windows, horizon,
        promo_lead_days=cfg.promo_lead_days, drop_stockouts=cfg.drop_stockout_days,
    )


@task(timeout_seconds=3600)
def fit_and_predict(cfg, feats: pd.DataFrame, model_kind: str, horizon: int, run_date: date):
    """Refit nightly (no model registry pull yet) and predict the next `horizon` days."""
    model = make_model(model_kind, cfg.model_params).fit(feats[feats["date"] < pd.Timestamp(run_date)])
    # TODO: future frame needs promo plan + holidays for the target days; today we reuse the last
    # `horizon` days of features shifted forward, which is wrong around holidays.
    future = feats[feats["date"] >= pd.Timestamp(run_date) - pd.Timedelta(days=horizon)].copy()
    future["date"] = future["date"] + pd.Timedelta(days=horizon)
    pred = model.predict(future)
    pred["run_date"] = pd.Timestamp(run_date)
    pred["target_date"] = pred.pop("date")
    pred["horizon"] = (pred["target_date"] - pred["run_date"]).dt.days + 1
    pred["model"] = model_kind
    pred["model_version"] = MODEL_VERSION
    pred["mlflow_run_id"] = mlflow.active_run().info.run_id if mlflow.active_run() else None
    pred["store_id"] = pred["store_id"].astype(str)
    pred["category"] = pred["category"].astype(str)
    return pred


@task
def publish(cfg, pred: pd.DataFrame, run_date: date) -> str:
    return write_forecast(pred, cfg.output_bucket, cfg.output_prefix, run_date)


def notify_failure(flow, flow_run, state):
    url = os.environ.get("SLACK_WEBHOOK_URL")
    if url:
        requests.post(url, json={"text": f"demand forecast {flow_run.name} failed: {state.message}"}, timeout=10)


@flow(name="nightly-demand-forecast", on_failure=[notify_failure], log_prints=True)
def nightly_forecast(horizon: int = 14, model_kind: str = "lgbm", run_date: date | None = None) -> str:
    """Entry point for the Prefect deployment (parameters: horizon, model_kind, run_date)."""
    logger = get_run_logger()
    cfg = load_config(os.environ.get("FORECAST_CONFIG", "config/forecast.toml"))
    run_date = run_date or date.today()
    sales, promos = extract(cfg, end=run_date - timedelta(days=1))
    feats = featurize(cfg, sales, promos, horizon)
    pred = fit_and_predict(cfg, feats, model_kind, horizon, run_date)
    uri = publish(cfg, pred, run_date)
    logger.info("published %d rows (%d series) to %s", len(pred),
                pred.groupby(["store_id", "category"]).ngroups, uri)
    return uri


if __name__ == "__main__":
    nightly_forecast()
