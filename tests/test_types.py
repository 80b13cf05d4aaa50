"""The type checker holds specagent/ (mypy --strict as configured in pyproject.toml), in CI too."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_mypy_is_clean_on_specagent() -> None:
    # The interpreter that runs the tests has mypy (the `test` extra); the configuration, strict
    # with documented per-module overrides, lives in pyproject.toml.
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(REPO / "pyproject.toml")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "Success: no issues found" in result.stdout
