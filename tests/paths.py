"""Where the test material lives (importable from any test folder)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
CORPUS_NAMES = sorted(p.name for p in CORPUS.iterdir() if (p / "expected.yaml").exists())
REAL = REPO / "evals" / "real"
REAL_NAMES = sorted(p.name for p in REAL.iterdir() if (p / "expected.yaml").exists() and (p / "repo").is_dir())
GOLDEN = REPO / "evals" / "golden"
