"""Shared fixtures. Any attempt to reach a remote model fails loudly (see ``_no_remote_models``)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"


@pytest.fixture
def corpus_dir() -> Path:
    return CORPUS
