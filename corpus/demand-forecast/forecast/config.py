"""Load config/forecast.toml and apply env-var overrides."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_CONFIG = Path(os.environ.get("FORECAST_CONFIG", "config/forecast.toml"))


@dataclass
class ForecastConfig:
    """Everything the CLI and the nightly flow need, flattened a bit."""

    sales_uri: str
    promo_uri: str
    store_master: str
    holiday_regions: list[str]
    min_history_days: int
    timezone: str
    lags: list[int]
    rolling_windows: list[int]
    promo_lead_days: int
    drop_stockout_days: bool
    model_params: dict[str, dict[str, Any]]
    backtest_origins: int
    backtest_step_days: int
    max_horizon: int
    horizon_buckets: list[tuple[int, int]]
    output_bucket: str
    output_prefix: str
    interval_width: float
    mlflow_experiment: str
    mlflow_tracking_uri: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def load_config(path: str | Path = DEFAULT_CONFIG) -> ForecastConfig:
    """Read the TOML file; SALES_TABLE_URI, FORECAST_BUCKET and MLFLOW_TRACKING_URI win over it."""
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)

    data, feats, bt, out = raw["data"], raw["features"], raw["backtest"], raw["output"]
    return ForecastConfig(
        sales_uri=os.environ.get("SALES_TABLE_URI", data["sales_uri"]),
        promo_uri=data["promo_uri"],
        store_master=data["store_master"],
        holiday_regions=list(data["holiday_regions"]),
        min_history_days=int(data["min_history_days"]),
        timezone=data.get("timezone", "Europe/Berlin"),
        lags=list(feats["lags"]),
        rolling_windows=list(feats["rolling_windows"]),
        promo_lead_days=int(feats.get("promo_lead_days", 0)),
        drop_stockout_days=bool(feats.get("drop_stockout_days", False)),
        model_params=raw["model"],
        backtest_origins=int(bt["origins"]),
        backtest_step_days=int(bt["step_days"]),
        max_horizon=int(bt["max_horizon"]),
        horizon_buckets=[tuple(b) for b in bt["horizon_buckets"]],
        output_bucket=os.environ.get("FORECAST_BUCKET", out["bucket"]),
        output_prefix=out["prefix"],
        interval_width=float(out.get("interval_width", 0.8)),
        mlflow_experiment=raw["mlflow"]["experiment"],
        mlflow_tracking_uri=os.environ.get("MLFLOW_TRACKING_URI"),
    )
