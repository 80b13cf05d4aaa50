"""evals/retrieval.py runs end to end on a corpus prototype and its figures hold a floor."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from paths import CORPUS, REPO

from specagent.quality.coverage import load_expected

pytestmark = pytest.mark.slow


def run_eval(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "evals/retrieval.py", *args], cwd=REPO, capture_output=True, text=True, timeout=300
    )


def test_fact_texts_find_their_source_file(tmp_path: Path) -> None:
    out = tmp_path / "retrieval.json"
    done = run_eval("churn-notebook", "--halves", "--out", str(out))
    assert "Traceback" not in done.stderr, done.stderr
    figures = json.loads(out.read_text(encoding="utf-8"))
    overall = figures["overall"]
    assert set(overall) == {"recall_dense", "recall_lexical", "recall_hybrid", "recall_hybrid_rrf"}
    assert overall["recall_hybrid"] >= 0.9 and overall["recall_lexical"] >= 0.9
    assert figures["facts"] == 25 and "halves" in done.stdout
    assert done.returncode == (0 if "target (hybrid >= 0.9 and above both others): met" in done.stdout else 1)


def test_questions_mode_needs_a_question_per_fact(tmp_path: Path) -> None:
    facts = load_expected(CORPUS / "churn-notebook" / "expected.yaml")
    partial = tmp_path / "questions.yaml"
    partial.write_text(yaml.safe_dump({"churn-notebook": {facts[0].id: "How is churn defined?"}}), encoding="utf-8")
    done = run_eval("churn-notebook", "--questions", str(partial))
    assert done.returncode == 2 and f"no question for churn-notebook {facts[1].id}" in done.stderr

    full = tmp_path / "all.yaml"
    full.write_text(yaml.safe_dump({"churn-notebook": {f.id: f.fact for f in facts}}), encoding="utf-8")
    done = run_eval("churn-notebook", "--questions", str(full))
    assert done.returncode == 0 and "judged on fact texts" in done.stdout
