"""Runtime settings: environment variables (or .env) first, config.yaml for the rest."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Read from DATABASE_URL, API_TOKEN, LOW_STOCK_THRESHOLD, ... (names are case-insensitive)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./inventory.db"
    api_token: str
    low_stock_threshold: int = 10
    forecast_window_days: int = 14
    config_path: str = "config.yaml"
    sql_echo: bool = False


@lru_cache
def get_settings() -> Settings:
    return Settings()


@lru_cache
def load_config(path: str | None = None) -> dict[str, Any]:
    """The YAML defaults (page sizes, forecast parameters, warehouses)."""
    config_file = Path(path or get_settings().config_path)
    if not config_file.exists():
        return {}
    with config_file.open() as fh:
        return yaml.safe_load(fh) or {}


# TODO: LOW_STOCK_THRESHOLD (env) and stock.low_stock_threshold (config.yaml) both exist;
# decide which one wins instead of reading the env one in routes and the YAML one nowhere
