import numpy as np
import pandas as pd
import pytest

from forecast.features import add_calendar, add_lags
from forecast.metrics import bias, horizon_bucket, mape, smape
from forecast.models import SeasonalNaive


def test_mape_skips_zero_actuals():
    y = np.array([0.0, 100.0, 200.0])
    yhat = np.array([5.0, 110.0, 180.0])
    assert mape(y, yhat) == pytest.approx(10.0)


def test_smape_both_zero_is_zero():
    assert smape(np.array([0.0]), np.array([0.0])) == 0.0


def test_bias_sign():
    assert bias(np.array([100.0]), np.array([120.0])) == pytest.approx(20.0)


def test_horizon_bucket_labels():
    h = pd.Series([1, 7, 8, 14, 15, 28])
    got = horizon_bucket(h, [(1, 7), (8, 14), (15, 28)]).tolist()
    assert got == ["h1-7", "h1-7", "h8-14", "h8-14", "h15-28", "h15-28"]


def _sales():
    df = pd.read_csv("data/sales_sample.csv", parse_dates=["date"])
    return df


def test_lags_never_shorter_than_horizon():
    df = add_lags(_sales(), lags=[1, 7, 14], windows=[3], min_lag=7)
    assert "lag_1" not in df.columns
    assert "lag_7" in df.columns


def test_calendar_flags_sunday():
    df = add_calendar(_sales())
    assert df.loc[df["date"] == "2024-06-02", "is_sunday"].eq(1).all()


def test_seasonal_naive_repeats_last_week():
    df = _sales()
    model = SeasonalNaive(season_length=7).fit(df)
    future = df[df["date"] == "2024-06-06"].assign(date=pd.Timestamp("2024-06-13"))
    out = model.predict(future)
    assert (out["yhat"].to_numpy() == df[df["date"] == "2024-06-06"]["units_sold"].to_numpy()).all()


# TODO: test for ForecastSchema rejecting crossed intervals
