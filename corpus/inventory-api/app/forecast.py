"""Demand forecast per item: a moving average of daily units sold, projected flat.

Deliberately simple; notebooks/forecast_eval.ipynb compares windows against a naive forecast.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import StockMovement


def moving_average_forecast(
    history: Sequence[float], window: int = 14, horizon: int = 14
) -> list[float]:
    """Mean of the last ``window`` days, repeated for ``horizon`` days."""
    if window <= 0 or horizon <= 0:
        raise ValueError("window and horizon must be positive")
    if not history:
        return [0.0] * horizon
    recent = history[-window:]
    level = sum(recent) / len(recent)
    return [round(level, 3)] * horizon


def mape(actual: Sequence[float], predicted: Sequence[float]) -> float:
    """Mean absolute percentage error in percent, over days with non-zero actual sales."""
    # FIXME: skipping zero-sales days flatters slow movers; switch to WAPE or sMAPE?
    pairs = [(a, p) for a, p in zip(actual, predicted) if a != 0]
    if not pairs:
        return float("nan")
    return 100.0 * sum(abs(a - p) / abs(a) for a, p in pairs) / len(pairs)


def rmse(actual: Sequence[float], predicted: Sequence[float]) -> float:
    """Root mean squared error, in units per day."""
    if len(actual) != len(predicted):
        raise ValueError("actual and predicted differ in length")
    return math.sqrt(sum((a - p) ** 2 for a, p in zip(actual, predicted)) / len(actual))


def reorder_point(daily_forecast: Sequence[float], lead_time_days: int, safety_stock_days: int) -> float:
    """Units needed to cover the supplier lead time plus safety stock."""
    per_day = sum(daily_forecast) / len(daily_forecast) if daily_forecast else 0.0
    return per_day * (lead_time_days + safety_stock_days)


def daily_sales(db: Session, item_id: int, days: int, today: date | None = None) -> list[float]:
    """Units sold per day for the last ``days`` days (0 for days without sales), oldest first."""
    today = today or date.today()
    start = today - timedelta(days=days)
    rows = db.execute(
        select(func.date(StockMovement.created_at), func.sum(-StockMovement.delta))
        .where(StockMovement.item_id == item_id)
        .where(StockMovement.reason == "sale")
        .where(StockMovement.created_at >= start)
        .group_by(func.date(StockMovement.created_at))
    ).all()
    by_day = {str(day): float(units) for day, units in rows}
    return [by_day.get(str(start + timedelta(days=i)), 0.0) for i in range(1, days + 1)]


# TODO: weekday seasonality (garden items sell 2x on Saturdays); try a seasonal naive model
