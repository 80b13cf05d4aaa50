"""The eval runner on a tiny corpus, the baseline gate, and the smell scorer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from specagent.cli import app
from specagent.errors import SpecFileError
from specagent.evals.baseline import baseline_data, compare, compare_smells
from specagent.evals.harness import run_eval, run_smell_eval
from specagent.evals.reports import write_eval_reports
from specagent.evals.results import EvalReport, PrototypeScore
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


def _report(set_name: str = "corpus", **scores: float) -> EvalReport:
    p = PrototypeScore(name="a", set=set_name, **scores)
    totals = {k: v for k, v in scores.items()}
    return EvalReport(prototypes=[p], totals=totals, set_totals={set_name: totals})


def test_compare_flags_drops_beyond_tolerance_only() -> None:
    base = baseline_data(_report(coverage=0.8, truthfulness=0.9, smell_rate=0.1, words_per_kloc=1000.0), None, None)
    assert compare(_report(coverage=0.8, truthfulness=0.89, smell_rate=0.12, words_per_kloc=1200.0), base) == []
    worse = compare(_report(coverage=0.76, truthfulness=0.85, smell_rate=0.2, words_per_kloc=1300.0), base)
    assert {(r.scope, r.metric) for r in worse} == {
        (scope, m)
        for scope in ("corpus/a", "corpus/totals")
        for m in ("coverage", "truthfulness", "smell_rate", "words_per_kloc")
    }
    better = compare(_report(coverage=0.9, truthfulness=1.0, smell_rate=0.0, words_per_kloc=500.0), base)
    assert better == []


def test_a_prototype_missing_from_the_run_is_a_regression() -> None:
    base = baseline_data(_report(coverage=0.8), None, None)
    base["sets"]["corpus"]["prototypes"]["b"] = {"coverage": 0.5}
    (r,) = compare(_report(coverage=0.8), base)
    assert r.scope == "corpus/b" and r.current is None


def test_sets_are_gated_apart_and_a_set_not_run_is_kept() -> None:
    base = baseline_data(_report("real", coverage=0.4), None, baseline_data(_report(coverage=0.9), None, None))
    assert base["sets"]["corpus"]["prototypes"]["a"]["coverage"] == 0.9
    assert base["sets"]["real"]["prototypes"]["a"]["coverage"] == 0.4
    # a corpus-only run is not judged against the real set's prototypes, and vice versa
    assert compare(_report(coverage=0.9), base) == []
    assert [r.scope for r in compare(_report("real", coverage=0.3), base)] == ["real/a", "real/totals"]


def test_a_baseline_from_before_sets_reads_as_the_corpus() -> None:
    old = {"totals": {"coverage": 0.9}, "prototypes": {"a": {"coverage": 0.9}}}
    assert {r.scope for r in compare(_report(coverage=0.5), old)} == {"corpus/a", "corpus/totals"}
    assert "prototypes" not in baseline_data(_report(coverage=0.5), None, old)


def test_update_keeps_tolerances(tmp_path: Path) -> None:
    previous = {"tolerances": {"coverage": 0.1}, "smells": {"all": {"precision": 0.9, "recall": 0.9}}}
    data = baseline_data(_report(coverage=0.5), None, previous)
    assert data["tolerances"]["coverage"] == 0.1
    assert data["smells"] == previous["smells"]
    assert data["sets"]["corpus"]["prototypes"]["a"]["coverage"] == 0.5


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
    data["sets"]["corpus"]["prototypes"]["loans"]["coverage"] = 1.0  # pretend the last accepted run covered all
    baseline.write_text(json.dumps(data))
    result = runner.invoke(app, args)
    assert result.exit_code == 1 and "corpus/loans: coverage" in result.output
    # --update-baseline refuses to lower a score, names it, and leaves the file alone
    before = baseline.read_text()
    result = runner.invoke(app, [*args, "--update-baseline"])
    assert (
        result.exit_code == 1 and "baseline not updated" in result.output and "corpus/loans: coverage" in result.output
    )
    assert baseline.read_text() == before
    result = runner.invoke(app, [*args, "--update-baseline", "--accept-regression"])
    assert result.exit_code == 0
    assert json.loads(baseline.read_text())["sets"]["corpus"]["prototypes"]["loans"]["coverage"] < 1.0


def test_cli_eval_real_set_drafts_repo_folder_and_reports_categories(tmp_path: Path) -> None:
    real = tmp_path / "real"
    write_prototype(real / "loans" / "repo")
    (real / "loans" / "expected.yaml").write_text(
        EXPECTED.replace("sections: [interfaces]", "sections: [interfaces]\n  category: interface")
    )
    (real / "loans" / "SOURCE.md").write_text("# Source\n")
    out = tmp_path / "out"
    args = ["eval", "--set", "real", "--real", str(real), "--out", str(out), "--baseline", str(tmp_path / "b.json")]
    result = runner.invoke(app, [*args, "-q"])
    assert result.exit_code == 0, result.output
    assert "| loans |" in result.stdout and "| interface | 1/1 (100%) | 1/1 (100%) |" in result.stdout
    report = json.loads((out / "report.json").read_text())
    assert report["prototypes"][0]["set"] == "real" and report["prototypes"][0]["files"] >= 1
    assert report["prototypes"][0]["items_per_section"]["interfaces"] >= 1
    assert "## Items per section" in (out / "report.md").read_text()
    assert runner.invoke(app, [*args, "--set", "nonsense"]).exit_code != 0


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


def test_spread_coverage_takes_tokens_from_several_items_of_the_allowed_sections() -> None:
    from specagent.quality.coverage import GoldFact, coverage
    from specagent.spec.model import Citation, Interface, Spec

    cite = [Citation(path="app.py", start_line=1, end_line=1)]
    spec = Spec()
    spec.interfaces = [
        Interface(id="IF-001", kind="http", name="`POST /score`", sources=cite, provenance="observed"),
        Interface(id="IF-002", kind="http", name="`GET /health`", sources=cite, provenance="observed"),
    ]
    both = GoldFact(id="F1", fact="two routes", must_match=["/score", "/health"], sections=["interfaces"], source="x")
    elsewhere = GoldFact(id="F2", fact="x", must_match=["/score"], sections=["risks"], source="x", category="risk")
    report = coverage(spec, [both, elsewhere])
    assert report.covered == [] and report.spread_covered == ["F1"] and report.loose_covered == ["F1", "F2"]
    assert report.categories["risk"].total == 1 and report.categories["risk"].spread == 0
    assert report.categories["uncategorised"].spread == 1
    with pytest.raises(ValueError, match="unknown category"):
        GoldFact(id="F3", fact="x", must_match=["a"], sections=["risks"], source="x", category="vibes")


def test_reports_without_matplotlib_leave_the_chart_out(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    report = run_eval(corpus)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if the `eval` extra were not installed
    paths = write_eval_reports(report, tmp_path / "out")
    assert [p.name for p in paths] == ["report.md", "report.json"]
    assert "specagent[eval]" in (tmp_path / "out" / "report.md").read_text()
