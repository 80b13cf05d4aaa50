import math

import pytest

from app.forecast import mape, moving_average_forecast, reorder_point, rmse


def test_moving_average_uses_last_window():
    history = [0, 0, 0, 4, 6, 8]
    assert moving_average_forecast(history, window=3, horizon=2) == [6.0, 6.0]


def test_moving_average_empty_history():
    assert moving_average_forecast([], window=7, horizon=3) == [0.0, 0.0, 0.0]


def test_moving_average_rejects_bad_window():
    with pytest.raises(ValueError):
        moving_average_forecast([1, 2, 3], window=0)


def test_mape_skips_zero_days():
    assert mape([0, 10, 20], [5, 12, 18]) == pytest.approx(15.0)


def test_rmse():
    assert rmse([1, 2, 3], [1, 2, 5]) == pytest.approx(math.sqrt(4 / 3))


def test_reorder_point():
    assert reorder_point([2.0] * 14, lead_time_days=5, safety_stock_days=3) == 16.0
