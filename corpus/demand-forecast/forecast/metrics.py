"""Error metrics used in the backtest, reported per horizon bucket and per store cluster."""

from __future__ import annotations

import numpy as np
import pandas as pd


def mape(y: np.ndarray, yhat: np.ndarray) -> float:
    """Mean absolute percentage error in %, skipping zero-actual days (closed Sundays)."""
    mask = y > 0
    return float(np.mean(np.abs(y[mask] - yhat[mask]) / y[mask]) * 100)


def smape(y: np.ndarray, yhat: np.ndarray) -> float:
    """Symmetric MAPE in % (0-200 scale); days where both are zero count as 0 error."""
    denom = np.abs(y) + np.abs(yhat)
    ratio = np.where(denom == 0, 0.0, 2 * np.abs(y - yhat) / np.where(denom == 0, 1, denom))
    return float(np.mean(ratio) * 100)


def bias(y: np.ndarray, yhat: np.ndarray) -> float:
    """Forecast bias in % of actual volume: positive = over-forecast."""
    total = np.sum(y)
    return float((np.sum(yhat) - total) / total * 100) if total else 0.0


def horizon_bucket(h: pd.Series, buckets: list[tuple[int, int]]) -> pd.Series:
    """Label each horizon (days ahead) with its bucket, e.g. 'h1-7'."""
    labels = pd.Series(index=h.index, dtype="object")
    for lo, hi in buckets:
        labels[(h >= lo) & (h <= hi)] = f"h{lo}-{hi}"
    return labels


def score(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """MAPE / sMAPE / bias grouped by `by`; frame needs units_sold and yhat columns."""
    rows = []
    for key, g in frame.groupby(by, observed=True):
        y, yhat = g["units_sold"].to_numpy(float), g["yhat"].to_numpy(float)
        key = key if isinstance(key, tuple) else (key,)
        rows.append(
            {**dict(zip(by, key, strict=True)), "MAPE": mape(y, yhat), "sMAPE": smape(y, yhat),
             "bias_pct": bias(y, yhat), "n": len(g)}
        )
    return pd.DataFrame(rows).round(1)
