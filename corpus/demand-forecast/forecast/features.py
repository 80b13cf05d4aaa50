"""Feature engineering for the global LightGBM model.

All features are computed per series (store_id, category) and shifted so that a row for
target day t only sees sales up to the forecast origin. Lags shorter than the horizon would
leak, so `min_lag` is raised to the horizon at prediction time (direct multi-horizon setup).
"""

from __future__ import annotations

import logging

import holidays
import numpy as np
import pandas as pd

log = logging.getLogger(__name__)

SERIES_KEYS = ["store_id", "category"]


def add_calendar(df: pd.DataFrame) -> pd.DataFrame:
    """Day of week, week of year, month, payday flag (German retail: 1st and last days)."""
    d = df["date"].dt
    df["dow"] = d.dayofweek.astype("int8")
    df["woy"] = d.isocalendar().week.astype("int16")
    df["month"] = d.month.astype("int8")
    df["dom"] = d.day.astype("int8")
    df["is_payday_window"] = ((d.day <= 3) | (d.day >= 28)).astype("int8")
    # stores are closed on Sundays in every region we serve
    df["is_sunday"] = (d.dayofweek == 6).astype("int8")
    return df


def add_holidays(df: pd.DataFrame, regions: list[str]) -> pd.DataFrame:
    """Flag public holidays per store region, plus the day before and after.

    Regions not in `regions` get national holidays only (see known_problems: SN is missing, so
    Buss- und Bettag in Saxony shows up as a normal Wednesday).
    """
    years = sorted(df["date"].dt.year.unique().tolist())
    national = set(holidays.Germany(years=years).keys())
    by_region: dict[str, set] = {
        r: set(holidays.Germany(subdiv=r, years=years).keys()) for r in regions
    }
    dates = df["date"].dt.date
    df["is_holiday"] = [
        int(d in by_region.get(r, national)) for d, r in zip(dates, df["region"], strict=True)
    ]
    g = df.groupby(SERIES_KEYS, sort=False)["is_holiday"]
    df["holiday_eve"] = g.shift(-1).fillna(0).astype("int8")
    df["holiday_after"] = g.shift(1).fillna(0).astype("int8")
    return df


def add_promotions(df: pd.DataFrame, promos: pd.DataFrame, lead_days: int) -> pd.DataFrame:
    """Join the promo plan: discount depth, days into promo, and a pre-promo dip window."""
    df["promo_discount"] = 0.0
    df["promo_day"] = -1
    df["pre_promo"] = 0
    if promos.empty:
        return df
    for row in promos.itertuples(index=False):
        mask = (df["store_id"] == row.store_id) & (df["category"] == row.category)
        active = mask & df["date"].between(row.start, row.end)
        df.loc[active, "promo_discount"] = row.discount_pct
        df.loc[active, "promo_day"] = (df.loc[active, "date"] - pd.Timestamp(row.start)).dt.days
        pre = mask & df["date"].between(
            pd.Timestamp(row.start) - pd.Timedelta(days=lead_days),
            pd.Timestamp(row.start) - pd.Timedelta(days=1),
        )
        df.loc[pre, "pre_promo"] = 1
    # FIXME: O(promos x rows); ~9 min on the full table with 14k promo lines. Use a merge_asof.
    return df


def add_lags(df: pd.DataFrame, lags: list[int], windows: list[int], min_lag: int) -> pd.DataFrame:
    """Lag and rolling-mean features of units_sold, shifted by at least `min_lag` days."""
    df = df.sort_values([*SERIES_KEYS, "date"])
    g = df.groupby(SERIES_KEYS, sort=False)["units_sold"]
    for lag in lags:
        if lag < min_lag:
            continue
        df[f"lag_{lag}"] = g.shift(lag)
    base = g.shift(min_lag)
    for w in windows:
        df[f"rmean_{w}"] = base.groupby([df[k] for k in SERIES_KEYS]).transform(
            lambda s, w=w: s.rolling(w, min_periods=max(1, w // 2)).mean()
        )
    df["rmean_ratio"] = df[f"rmean_{windows[0]}"] / df[f"rmean_{windows[-1]}"].replace(0, np.nan)
    return df


def mask_stockouts(df: pd.DataFrame, drop: bool) -> pd.DataFrame:
    """Stock-out days understate demand. Either drop them from training or keep them as-is.

    TODO: proper fix is to impute latent demand (e.g. Tobit / use same-dow mean); for now the
    default keeps them, which biases forecasts low for categories that often run out (bakery).
    """
    if drop:
        before = len(df)
        df = df[df["stockout"] == 0]
        log.info("dropped %d stock-out rows", before - len(df))
    return df


def build_features(
    sales: pd.DataFrame,
    promos: pd.DataFrame,
    regions: list[str],
    lags: list[int],
    windows: list[int],
    horizon: int,
    promo_lead_days: int = 3,
    drop_stockouts: bool = False,
) -> pd.DataFrame:
    """Full feature frame for training (one row per series-day)."""
    df = sales.copy()
    df = add_calendar(df)
    df = add_holidays(df, regions)
    df = add_promotions(df, promos, promo_lead_days)
    df = add_lags(df, lags, windows, min_lag=horizon)
    df = mask_stockouts(df, drop_stockouts)
    for col in ("store_id", "category", "cluster", "region"):
        df[col] = df[col].astype("category")
    return df


FEATURE_COLUMNS_BASE = [
    "store_id", "category", "cluster", "region", "dow", "woy", "month", "dom",
    "is_payday_window", "is_holiday", "holiday_eve", "holiday_after",
    "promo_discount", "promo_day", "pre_promo", "net_price",
]


def feature_columns(df: pd.DataFrame) -> list[str]:
    """Base columns plus whichever lag/rolling columns exist for this horizon."""
    dyn = [c for c in df.columns if c.startswith(("lag_", "rmean_"))]
    return FEATURE_COLUMNS_BASE + dyn
