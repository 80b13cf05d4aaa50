"""Train a demand model and optionally run a rolling-origin backtest.

    python -m forecast.train --horizon 14 --stores S014,S087,S121 --model lgbm
    python -m forecast.train --model naive --backtest-origins 8 --no-mlflow

Logs params, metrics and the model to MLflow (experiment from config/forecast.toml).
"""

from __future__ import annotations

import argparse
import logging
import time
from datetime import date, timedelta

import mlflow
import pandas as pd

from forecast.config import DEFAULT_CONFIG, load_config
from forecast.data import load_promos, load_sales
from forecast.features import build_features
from forecast.metrics import horizon_bucket, score
from forecast.models import make_model

log = logging.getLogger("forecast.train")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="forecast-train", description="Train / backtest demand models.")
    p.add_argument("--horizon", type=int, default=14, help="days ahead to forecast (1-28)")
    p.add_argument(
        "--stores", default="all", help="comma-separated store ids (e.g. S014,S087) or 'all'"
    )
    p.add_argument(
        "--model", choices=["lgbm", "prophet", "naive"], default="lgbm", help="which forecaster"
    )
    p.add_argument("--config", default=str(DEFAULT_CONFIG), help="TOML config path")
    p.add_argument("--data", default=None, help="override the sales table URI (CSV or parquet)")
    p.add_argument("--end-date", type=date.fromisoformat, default=None, help="last training day")
    p.add_argument(
        "--backtest-origins", type=int, default=0,
        help="number of rolling origins to backtest (0 = just train on everything)",
    )
    p.add_argument("--no-mlflow", action="store_true", help="skip MLflow logging (local runs)")
    p.add_argument("-v", "--verbose", action="store_true")
    args = p.parse_args(argv)
    if not 1 <= args.horizon <= 28:
        p.error("--horizon must be between 1 and 28")
    return args


def rolling_origin_backtest(feats: pd.DataFrame, cfg, model_kind: str, horizon: int, n_origins: int):
    """Refit at each origin (every step_days), forecast `horizon` days, stack the errors."""
    last = feats["date"].max()
    results = []
    for i in range(n_origins, 0, -1):
        origin = last - pd.Timedelta(days=horizon + (i - 1) * cfg.backtest_step_days)
        train = feats[feats["date"] <= origin]
        test = feats[(feats["date"] > origin) & (feats["date"] <= origin + pd.Timedelta(days=horizon))]
        model = make_model(model_kind, cfg.model_params).fit(train)
        pred = model.predict(test)
        merged = test[["store_id", "category", "cluster", "date", "units_sold"]].merge(
            pred[["store_id", "category", "date", "yhat"]], on=["store_id", "category", "date"]
        )
        merged["origin"] = origin
        merged["horizon"] = (merged["date"] - origin).dt.days
        results.append(merged)
        log.info("origin %s: %d test rows", origin.date(), len(merged))
    bt = pd.concat(results, ignore_index=True)
    bt["bucket"] = horizon_bucket(bt["horizon"], cfg.horizon_buckets)
    return bt


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO)
    cfg = load_config(args.config)
    stores = None if args.stores == "all" else [s.strip() for s in args.stores.split(",")]
    end = args.end_date or (date.today() - timedelta(days=1))

    sales = load_sales(args.data or cfg.sales_uri, stores=stores, end=end)
    promos = load_promos(cfg.promo_uri)
    feats = build_features(
        sales, promos, cfg.holiday_regions, cfg.lags, cfg.rolling_windows, args.horizon,
        promo_lead_days=cfg.promo_lead_days, drop_stockouts=cfg.drop_stockout_days,
    )

    if not args.no_mlflow:
        if cfg.mlflow_tracking_uri:
            mlflow.set_tracking_uri(cfg.mlflow_tracking_uri)
        mlflow.set_experiment(cfg.mlflow_experiment)
        mlflow.start_run(run_name=f"{args.model}-h{args.horizon}-{end:%Y%m%d}")
        mlflow.log_params({"model": args.model, "horizon": args.horizon, "stores": args.stores,
                           "end_date": str(end), "n_rows": len(feats)})
        mlflow.log_params({f"{args.model}.{k}": v for k, v in cfg.model_params[args.model].items()})

    if args.backtest_origins:
        bt = rolling_origin_backtest(feats, cfg, args.model, args.horizon, args.backtest_origins)
        by_bucket = score(bt, ["bucket"])
        by_cluster = score(bt, ["cluster"])
        print(by_bucket.to_string(index=False))
        print(by_cluster.to_string(index=False))
        if not args.no_mlflow:
            for r in by_bucket.itertuples():
                mlflow.log_metrics({f"mape_{r.bucket}": r.MAPE, f"smape_{r.bucket}": r.sMAPE,
                                    f"bias_{r.bucket}": r.bias_pct})
            mlflow.log_text(by_cluster.to_csv(index=False), "backtest_by_cluster.csv")

    t0 = time.perf_counter()
    model = make_model(args.model, cfg.model_params).fit(feats)
    train_min = (time.perf_counter() - t0) / 60
    log.info("trained %s in %.1f min", args.model, train_min)
    if not args.no_mlflow:
        mlflow.log_metric("train_minutes", train_min)
        if args.model == "lgbm":
            mlflow.lightgbm.log_model(model.model, "model", registered_model_name="demand-lgbm")
        mlflow.end_run()
    # FIXME: prophet and naive models are not logged as artifacts, so the flow refits them.


if __name__ == "__main__":
    main()
