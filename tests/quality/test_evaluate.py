"""The eval runner on a tiny corpus, the baseline gate, and the smell scorer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from specagent.cli import app
from specagent.errors import SpecFileError
from specagent.pipeline.evaluate import (
    EvalReport,
    PrototypeScore,
    baseline_data,
    compare,
    compare_smells,
    run_eval,
    run_smell_eval,
    write_eval_reports,
)
from specagent.quality.smell_eval import load_sentences

from .proto import write_prototype

runner = CliRunner()
EXPECTED = """
- id: route
  fact: the scoring route
  must_match: ["/score"]
  sections: [interfaces]
  source: app.py:10-14
- id: env
  fact: the model path comes from the environment
  must_match: ["MODEL_PATH"]
  sections: [dependencies]
  source: app.py:7
- id: never
  fact: something no draft states
  must_match: ["quantum_ledger_sync"]
  sections: [requirements]
  source: app.py:1
"""


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = write_prototype(tmp_path / "corpus" / "loans")
    (root / "expected.yaml").write_text(EXPECTED)
    (tmp_path / "corpus" / "no-gold").mkdir()  # no expected.yaml: not a prototype
    return tmp_path / "corpus"


def test_run_eval_scores_and_writes_reports(corpus: Path, tmp_path: Path) -> None:
    report = run_eval(corpus)
    (p,) = report.prototypes
    assert p.name == "loans" and p.gold_facts == 3
    assert "never" in p.missed
    assert p.coverage <= 2 / 3
    assert p.words_per_kloc > 0 and p.lines > 0 and p.calls == 0 and p.tokens == 0
    assert report.totals["gold_facts"] == 3
    paths = write_eval_reports(report, tmp_path / "out")
    assert [x.name for x in paths] == ["report.md", "report.json", "report.png"]
    assert (tmp_path / "out" / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    md = (tmp_path / "out" / "report.md").read_text()
    assert "| loans |" in md and "**total**" in md and "report.png" in md
    assert json.loads((tmp_path / "out" / "report.json").read_text())["prototypes"][0]["name"] == "loans"


def _report(**scores: float) -> EvalReport:
    p = PrototypeScore(name="a", **scores)
    return EvalReport(prototypes=[p], totals={k: v for k, v in scores.items()})


def test_compare_flags_drops_beyond_tolerance_only() -> None:
    base = baseline_data(_report(coverage=0.8, truthfulness=0.9, smell_rate=0.1, words_per_kloc=1000.0), None, None)
    assert compare(_report(coverage=0.8, truthfulness=0.89, smell_rate=0.12, words_per_kloc=1200.0), base) == []
    worse = compare(_report(coverage=0.76, truthfulness=0.85, smell_rate=0.2, words_per_kloc=1300.0), base)
    assert {(r.scope, r.metric) for r in worse} == {
        (scope, m) for scope in ("a", "totals") for m in ("coverage", "truthfulness", "smell_rate", "words_per_kloc")
    }
    better = compare(_report(coverage=0.9, truthfulness=1.0, smell_rate=0.0, words_per_kloc=500.0), base)
    assert better == []


def test_a_prototype_missing_from_the_run_is_a_regression() -> None:
    base = baseline_data(_report(coverage=0.8), None, None)
    base["prototypes"]["b"] = {"coverage": 0.5}
    (r,) = compare(_report(coverage=0.8), base)
    assert r.scope == "b" and r.current is None


def test_update_keeps_tolerances(tmp_path: Path) -> None:
    previous = {"tolerances": {"coverage": 0.1}, "smells": {"all": {"precision": 0.9, "recall": 0.9}}}
    data = baseline_data(_report(coverage=0.5), None, previous)
    assert data["tolerances"]["coverage"] == 0.1
    assert data["smells"] == previous["smells"]
    assert data["prototypes"]["a"]["coverage"] == 0.5


def _jsonl(tmp_path: Path, rows: list[dict]) -> Path:
    path = tmp_path / "r.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_smell_scores_count_pairs(tmp_path: Path) -> None:
    data = _jsonl(
        tmp_path,
        [
            {"id": "A", "text": "The job shall finish quickly.", "smells": ["vague", "non_verifiable"]},
            {"id": "B", "text": "The job shall write a log line.", "smells": ["passive"]},  # wrong label
            {"id": "C", "text": "It shall stop.", "smells": [], "split": "test"},
        ],
    )
    scores = run_smell_eval(data)
    assert set(scores) == {"dev", "test", "all"}
    overall = scores["all"].overall
    assert (overall.tp, overall.fp, overall.fn) == (2, 1, 1)  # C's pronoun is a false positive
    assert scores["all"].per_smell["passive"].fn == 1
    assert {m.id for m in scores["all"].mistakes} == {"B", "C"}
    base = {"smells": {"all": {"precision": 0.9, "recall": 0.5}}}
    assert [r.metric for r in compare_smells(scores, base)] == ["precision"]


def test_bad_labels_name_the_line(tmp_path: Path) -> None:
    data = _jsonl(tmp_path, [{"id": "A", "text": "x", "smells": []}, {"id": "B", "text": "y", "smells": ["fluffy"]}])
    with pytest.raises(SpecFileError, match=r"r.jsonl:2"):
        load_sentences(data)


def test_cli_eval_gate_and_update_baseline(corpus: Path, tmp_path: Path) -> None:
    out, baseline = tmp_path / "out", tmp_path / "baseline.json"
    args = ["eval", "--corpus", str(corpus), "--out", str(out), "--baseline", str(baseline), "-q"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0 and "| loans |" in result.stdout
    assert not baseline.exists()
    assert runner.invoke(app, [*args, "--update-baseline"]).exit_code == 0
    assert runner.invoke(app, args).exit_code == 0
    data = json.loads(baseline.read_text())
    data["prototypes"]["loans"]["coverage"] = 1.0  # pretend the last accepted run covered all
    baseline.write_text(json.dumps(data))
    result = runner.invoke(app, args)
    assert result.exit_code == 1 and "loans: coverage" in result.output


def test_cli_eval_smells(tmp_path: Path) -> None:
    data = _jsonl(
        tmp_path, [{"id": "A", "text": "The job shall finish quickly.", "smells": ["vague", "non_verifiable"]}]
    )
    args = [
        "eval",
        "--smells",
        "--data",
        str(data),
        "--out",
        str(tmp_path / "o"),
        "--baseline",
        str(tmp_path / "b.json"),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0 and "| all | 1 | 1.000 | 1.000 |" in result.stdout
    assert (tmp_path / "o" / "smells.md").exists()
