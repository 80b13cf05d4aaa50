"""The three forecasters behind one small interface: fit(history) -> predict(horizon)."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Protocol

import lightgbm as lgb
import numpy as np
import pandas as pd

from forecast.features import SERIES_KEYS, feature_columns

log = logging.getLogger(__name__)


class Forecaster(Protocol):
    name: str

    def fit(self, train: pd.DataFrame) -> Forecaster: ...

    def predict(self, future: pd.DataFrame) -> pd.DataFrame: ...


@dataclass
class SeasonalNaive:
    """Baseline: same weekday last week (season_length=7). Every new model must beat this."""

    season_length: int = 7
    name: str = "naive"

    def fit(self, train: pd.DataFrame) -> SeasonalNaive:
        self._last = (
            train.sort_values("date")
            .groupby(SERIES_KEYS, observed=True)
            .tail(self.season_length)[[*SERIES_KEYS, "date", "units_sold"]]
        )
        self._last["dow"] = self._last["date"].dt.dayofweek
        return self

    def predict(self, future: pd.DataFrame) -> pd.DataFrame:
        fut = future[[*SERIES_KEYS, "date"]].copy()
        fut["dow"] = fut["date"].dt.dayofweek
        out = fut.merge(
            self._last.drop(columns="date"), on=[*SERIES_KEYS, "dow"], how="left"
        ).rename(columns={"units_sold": "yhat"})
        out["yhat"] = out["yhat"].fillna(0.0).astype(float)
        # naive has no interval; use +-30% so the output schema holds
        out["yhat_lower"] = out["yhat"] * 0.7
        out["yhat_upper"] = out["yhat"] * 1.3
        return out.drop(columns="dow")


@dataclass
class LGBMForecaster:
    """One global LightGBM model over all series (tweedie loss), direct strategy."""

    params: dict
    name: str = "lgbm"

    def fit(self, train: pd.DataFrame) -> LGBMForecaster:
        cols = feature_columns(train)
        train = train.dropna(subset=[c for c in cols if c.startswith("lag_")])
        self._cols = cols
        p = dict(self.params)
        n_estimators = p.pop("n_estimators", 800)
        self.model = lgb.LGBMRegressor(n_estimators=n_estimators, verbose=-1, **p)
        self.model.fit(train[cols], train["units_sold"], categorical_feature="auto")
        # quantile models for the interval: two extra fits, roughly triples training time
        self._q = {}
        for alpha in (0.1, 0.9):
            q = {**p, "objective": "quantile", "alpha": alpha}
            q.pop("tweedie_variance_power", None)
            self._q[alpha] = lgb.LGBMRegressor(n_estimators=300, verbose=-1, **q).fit(
                train[self._cols], train["units_sold"]
            )
        return self

    def predict(self, future: pd.DataFrame) -> pd.DataFrame:
        out = future[[*SERIES_KEYS, "date"]].copy()
        out["yhat"] = np.clip(self.model.predict(future[self._cols]), 0, None)
        out["yhat_lower"] = np.clip(self._q[0.1].predict(future[self._cols]), 0, None)
        out["yhat_upper"] = np.clip(self._q[0.9].predict(future[self._cols]), 0, None)
        # quantile fits can cross the point forecast; clamp rather than fail the schema check
        out["yhat_lower"] = np.minimum(out["yhat_lower"], out["yhat"])
        out["yhat_upper"] = np.maximum(out["yhat_upper"], out["yhat"])
        return out


@dataclass
class ProphetForecaster:
    """One Prophet model per series. Slow: ~2.5 s per series, so only used on small subsets."""

    params: dict
    name: str = "prophet"

    def fit(self, train: pd.DataFrame) -> ProphetForecaster:
        from prophet import Prophet  # heavy import (cmdstan), keep it lazy

        self._models = {}
        n_jobs = int(os.environ.get("PROPHET_N_JOBS", "1"))  # TODO: actually parallelise
        log.info("fitting prophet on %d series (n_jobs=%d)", train.groupby(SERIES_KEYS, observed=True).ngroups, n_jobs)
        for key, grp in train.groupby(SERIES_KEYS, observed=True):
            m = Prophet(interval_width=0.8, **self.params)
            m.add_regressor("on_promo")
            m.fit(grp.rename(columns={"date": "ds", "units_sold": "y"})[["ds", "y", "on_promo"]])
            self._models[key] = m
        return self

    def predict(self, future: pd.DataFrame) -> pd.DataFrame:
        parts = []
        for key, grp in future.groupby(SERIES_KEYS, observed=True):
            fc = self._models[key].predict(grp.rename(columns={"date": "ds"})[["ds", "on_promo"]])
            part = grp[[*SERIES_KEYS, "date"]].copy()
            part["yhat"] = fc["yhat"].clip(lower=0).to_numpy()
            part["yhat_lower"] = fc["yhat_lower"].clip(lower=0).to_numpy()
            part["yhat_upper"] = fc["yhat_upper"].clip(lower=0).to_numpy()
            parts.append(part)
        return pd.concat(parts, ignore_index=True)


def make_model(kind: str, model_params: dict) -> Forecaster:
    """Factory used by the CLI and the flow."""
    if kind == "lgbm":
        return LGBMForecaster(params=model_params["lgbm"])
    if kind == "prophet":
        return ProphetForecaster(params=model_params["prophet"])
    if kind == "naive":
        return SeasonalNaive(season_length=model_params["naive"]["season_length"])
    raise ValueError(f"unknown model {kind!r}")
