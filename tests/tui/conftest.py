"""Fixtures for the TUI tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # tui_support, beside this file

from tui_support import SMALL, copy_prototype


@pytest.fixture
def proto(tmp_path: Path) -> Path:
    """A fresh copy of a small corpus prototype."""
    return copy_prototype(SMALL, tmp_path)


@pytest.fixture
def anyio_backend() -> str:
    """Pilot tests run on asyncio (anyio's pytest plugin drives the async tests)."""
    return "asyncio"
