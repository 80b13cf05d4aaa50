"""What CI asserts: the smell detector's accuracy and no regression of the offline drafts."""

from __future__ import annotations

from pathlib import Path

import pytest
from paths import REAL

from specagent.evals.baseline import compare, compare_smells, load_baseline
from specagent.evals.harness import run_eval, run_smell_eval
from specagent.evals.sets import resolve_sets

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "evals" / "data" / "requirements.jsonl"
BASELINE = REPO / "evals" / "baseline.json"
#: Overall (micro-averaged) precision and recall on all labelled sentences must stay above these.
#: The figures on the holdout splits (written after the detector was frozen) are lower and are
#: reported in evals/README.md; the baseline gate keeps each split from regressing.
MIN_PRECISION = 0.85
MIN_RECALL = 0.85

pytestmark = pytest.mark.slow


def test_smell_detector_accuracy() -> None:
    scores = run_smell_eval(DATA)
    overall = scores["all"].overall
    assert scores["all"].sentences >= 150
    assert overall.precision >= MIN_PRECISION, overall.as_dict()
    assert overall.recall >= MIN_RECALL, overall.as_dict()
    baseline = load_baseline(BASELINE)
    assert baseline is not None and "smells" in baseline
    regressions = compare_smells(scores, baseline)
    assert not regressions, [r.text() for r in regressions]


def test_offline_drafts_do_not_regress(corpus_dir: Path) -> None:
    baseline = load_baseline(BASELINE)
    assert baseline is not None and baseline["sets"]["corpus"].get("prototypes")
    assert baseline["sets"]["real"].get("prototypes")
    report = run_eval(targets=resolve_sets("all", {"corpus": corpus_dir, "real": REAL}))
    for eval_set in ("corpus", "real"):
        scored = {p.name for p in report.prototypes if p.set == eval_set}
        assert scored >= set(baseline["sets"][eval_set]["prototypes"])
    regressions = compare(report, baseline)
    assert not regressions, [r.text() for r in regressions]
    # the offline drafter makes no model calls
    assert report.totals["calls"] == 0 and report.totals["tokens"] == 0
