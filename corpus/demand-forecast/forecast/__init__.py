"""Daily store x category demand forecasting (prototype)."""

__version__ = "0.3.0"
