"""Each check on hand-built specs against a real prototype on disk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from specagent.ingest import ingest
from specagent.quality.checks import run_checks
from specagent.quality.findings import CheckReport
from specagent.quality.spec_file import load_json_for_check
from specagent.spec.model import Metric, OpenQuestion, Requirement, Spec

from .proto import cite, good_spec, write_prototype


@pytest.fixture
def texts(tmp_path: Path) -> dict[str, str]:
    return dict(ingest(write_prototype(tmp_path / "proto")).texts)


def codes(report: CheckReport) -> list[str]:
    return [f.code for f in report.findings]


def test_a_good_spec_has_no_error_or_warning(texts: dict[str, str]) -> None:
    report = run_checks(good_spec(), texts)
    assert [f.text() for f in report.findings if f.severity != "info"] == []
    s = report.scores
    assert s.citations == s.citations_resolved > 0
    assert s.identifiers == s.identifiers_found > 0
    assert s.completeness == 1.0


def test_citation_past_the_end_names_item_and_lines(texts: dict[str, str]) -> None:
    spec = good_spec()
    spec.requirements[0].sources = [cite("app.py", 40, 45)]
    report = run_checks(spec, texts, {"FR-001": 17})
    (bad,) = [f for f in report.findings if f.code == "SA102"]
    assert bad.item_id == "FR-001" and bad.line == 17 and bad.severity == "error"
    assert "app.py:40-45" in bad.message
    assert report.scores.citation_rate < 1.0


def test_missing_file_and_wrong_quote(texts: dict[str, str]) -> None:
    spec = good_spec()
    spec.requirements[0].sources = [cite("gone.py", 1, 2), cite(quote="def nothing_here()")]
    report = run_checks(spec, texts)
    assert {"SA101", "SA103"} <= set(codes(report))


def test_notebook_cells_and_outputs(texts: dict[str, str]) -> None:
    spec = good_spec()
    # the quote comes from the cell's output, lines count within the cell's source
    assert "SA102" not in codes(run_checks(spec, texts))
    spec.metrics[0].sources = [cite("eval.ipynb", 1, 1, cell=9)]
    assert "SA102" in codes(run_checks(spec, texts))
    spec.metrics[0].sources = [cite("eval.ipynb", 3, 3, cell=2)]
    assert "SA102" in codes(run_checks(spec, texts))


def test_secret_quotes_match_the_redacted_text(texts: dict[str, str]) -> None:
    spec = good_spec()
    assert "SA103" not in codes(run_checks(spec, texts))
    spec.dependencies[1].sources = [
        cite("settings.py", 1, 1, quote='API_KEY = "sk-live-4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c"')
    ]
    assert "SA103" in codes(run_checks(spec, texts))


def test_unknown_identifiers_lower_truthfulness(texts: dict[str, str]) -> None:
    spec = good_spec()
    spec.interfaces[0].signature = "`score_loan_v2(income)` in `api/server.py`"
    report = run_checks(spec, texts)
    unknown = [f.message for f in report.findings if f.code == "SA201"]
    assert any("score_loan_v2" in m for m in unknown)
    assert any("api/server.py" in m for m in unknown)
    assert report.scores.truthfulness < 1.0


def test_location_references_and_component_paths(texts: dict[str, str]) -> None:
    spec = good_spec()
    spec.metrics[0].how_measured = "re-run `eval.ipynb cell 2`, see `app.py:10-11`"
    assert "SA201" not in codes(run_checks(spec, texts))
    spec.architecture[0].paths = ["service/"]
    assert "SA201" in codes(run_checks(spec, texts))


def test_empty_sections_and_open_questions(texts: dict[str, str]) -> None:
    spec = good_spec()
    spec.open_questions = []
    spec.risks = []
    report = run_checks(spec, texts)
    empty = {f.message.split()[0] for f in report.findings if f.code == "SA301"}
    assert empty == {"data_contracts", "risks"}
    spec.open_questions = [OpenQuestion(id="OQ-001", question="What risks does legal see?", provenance="decision")]
    report = run_checks(spec, texts)
    assert {f.message.split()[0] for f in report.findings if f.code == "SA301"} == {"data_contracts"}
    assert any(f.code == "SA302" and f.item_id == "OQ-001" for f in report.findings)


def test_smells_ears_and_duplicates(texts: dict[str, str]) -> None:
    spec = good_spec()
    spec.requirements += [
        Requirement(id="FR-002", statement="The API should respond quickly, etc.", provenance="decision"),
        Requirement(
            id="FR-003",
            statement="When a client posts an application to `/score`, the API shall return its score.",
            provenance="decision",
        ),
        Requirement(
            id="FR-004",
            statement="When a client posts an application to `/score`, the API shall return the score.",
            provenance="decision",
        ),
    ]
    report = run_checks(spec, texts)
    fr2 = {f.code for f in report.findings if f.item_id == "FR-002"}
    assert {"SA401", "SA405", "SA406", "SA501"} <= fr2
    assert any(f.code == "SA601" and f.item_id == "FR-003" for f in report.findings)
    assert any(f.code == "SA602" and f.item_id == "FR-004" for f in report.findings)
    assert report.scores.statements == 5 and report.scores.statements_smelly == 1


def test_metrics_without_baseline_or_measurable_target(texts: dict[str, str]) -> None:
    spec = good_spec()
    spec.metrics += [
        Metric(id="SM-002", name="latency", definition="p95", provenance="decision"),
        Metric(id="SM-003", name="cost", definition="per call", target="as low as we can", provenance="decision"),
    ]
    found = {(f.code, f.item_id) for f in run_checks(spec, texts).findings}
    assert {("SA701", "SM-002"), ("SA702", "SM-002"), ("SA703", "SM-003")} <= found


def test_duplicate_ids_wrong_section_and_uncited_observed(texts: dict[str, str]) -> None:
    spec = good_spec()
    spec.requirements.append(Requirement(id="FR-001", statement="The API shall log.", provenance="decision"))
    spec.requirements.append(Requirement(id="IF-009", statement="The API shall log each call.", provenance="decision"))
    spec.requirements.append(Requirement(id="FR-010", statement="The API shall count calls."))
    found = {(f.code, f.item_id) for f in run_checks(spec, texts).findings}
    assert {("SA003", "FR-001"), ("SA004", "IF-009"), ("SA104", "FR-010")} <= found


def test_spec_json_with_a_malformed_id_is_still_checked() -> None:
    data = json.loads(good_spec().model_dump_json(indent=2))
    data["requirements"].append({"id": "FR-1", "statement": "The API shall log."})
    text = json.dumps(data, indent=2)
    spec, findings, _ = load_json_for_check(text)
    assert spec is not None and [r.id for r in spec.requirements] == ["FR-001"]
    (bad,) = findings
    assert bad.code == "SA002" and bad.item_id == "FR-1"
    assert text.split("\n")[bad.line - 1].strip().startswith('"id": "FR-1"')


def test_spec_json_that_is_not_json() -> None:
    spec, findings, _ = load_json_for_check('{"meta": ')
    assert spec is None and findings[0].code == "SA001"


def test_a_thousand_items_are_all_checked(texts: dict[str, str]) -> None:
    # Speed: benchmarks/parse_bench.py (a ratio to rendering the same spec).
    spec = good_spec()
    spec.requirements = [
        Requirement(
            id=f"FR-{i:03d}",
            statement=f"When job {i} ends, the runner shall call `score_application`.",
            sources=[cite()],
        )
        for i in range(1, 1001)
    ]
    report = run_checks(Spec.model_validate(spec.model_dump()), texts)
    assert report.scores.statements == 1001


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("Which behaviours are required, and how will each be accepted?", "requirements"),
        ("What behavior must the importer keep?", "requirements"),
        ("Which acceptance tests gate a release?", "requirements"),
        ("Who are the user stories for?", "user_stories"),
        ("Which metric decides success?", "metrics"),
        ("How will we measure the model in production?", "metrics"),
        ("What latency can the sidebar afford?", "constraints"),
        ("Is there a budget per request?", "constraints"),
        ("Will it expose a CLI or an HTTP API?", "interfaces"),
        ("Which data does it keep, and in what format?", "data_contracts"),
        ("Which packages and services does it rely on?", "dependencies"),
        ("Which dependencies are pinned?", "dependencies"),
        ("Which components own the scoring?", "architecture"),
        ("Who is the audience: analysts or auditors?", "overview"),
    ],
)
def test_an_open_question_defers_a_section_by_synonym(question: str, section: str) -> None:
    empty = Spec(open_questions=[OpenQuestion(id="OQ-001", question=question, provenance="decision")])
    report = run_checks(empty, {})
    deferred = {f.message.split()[0] for f in report.findings if f.code == "SA302"}
    unnamed = {f.message.split()[0] for f in report.findings if f.code == "SA301"}
    assert section in deferred and section not in unnamed


def test_only_the_question_defers_a_section_not_its_why() -> None:
    question = OpenQuestion(
        id="OQ-001",
        question="Which user stories must the first release support?",
        why="The notes hold no user stories; acceptance criteria need them.",
    )
    report = run_checks(Spec(open_questions=[question]), {})
    assert {f.message.split()[0] for f in report.findings if f.code == "SA302"} >= {"user_stories"}
    assert "requirements" in {f.message.split()[0] for f in report.findings if f.code == "SA301"}


def test_short_synonyms_match_whole_words_only() -> None:
    # "client" is not "CLI" and "database" is not "data": neither defers a section it does not name.
    spec = Spec(open_questions=[OpenQuestion(id="OQ-001", question="Which client owns the database?")])
    unnamed = {f.message.split()[0] for f in run_checks(spec, {}).findings if f.code == "SA301"}
    assert {"interfaces", "data_contracts", "requirements", "risks"} <= unnamed


def test_backticked_globs_are_not_identifiers_but_absent_folders_are(texts: dict[str, str]) -> None:
    spec = good_spec()
    spec.risks[0].detail = "No `test_*.py` file, no `**/*.ipynb` under `data/?.csv`."
    report = run_checks(spec, texts)
    assert "SA201" not in codes(report)
    spec.risks[0].detail = "No `test_*.py` file or `tests/` folder was found."
    unknown = [f.message for f in run_checks(spec, texts).findings if f.code == "SA201"]
    assert unknown == ["`tests/` is not found in the repository"]


@pytest.mark.parametrize("text", ["{}", '{"hello": "world"}'])
def test_spec_json_object_that_is_no_spec(text: str) -> None:
    spec, findings, _ = load_json_for_check(text)
    assert spec is None
    assert [f.code for f in findings] == ["SA001"] and findings[0].severity == "error"
    assert "not a specagent spec" in findings[0].message


def test_spec_json_that_is_not_an_object() -> None:
    spec, findings, _ = load_json_for_check("[1, 2]")
    assert spec is None and findings[0].code == "SA001" and "object" in findings[0].message
