"""The semantic diff of two specs, on hand-built specs."""

from __future__ import annotations

import json

from specagent.pipeline.validate import validate_spec
from specagent.spec.diff import ItemChange, SpecDiff, diff_specs, render_markdown
from specagent.spec.ids import assign_ids
from specagent.spec.model import Baseline, Citation, Dependency, Interface, Parameter, Requirement, Spec

from .sample import sample_spec


def _pair() -> tuple[Spec, Spec]:
    old = sample_spec()
    return old, old.model_copy(deep=True)


def _only(diff: SpecDiff, item_id: str) -> ItemChange:
    found = [c for c in diff.items if c.id == item_id]
    assert len(found) == 1, [c.line() for c in diff.items]
    return found[0]


def test_identical_specs_give_an_empty_diff() -> None:
    old, new = _pair()
    new.meta.generated_at = "2030-01-01T00:00:00+00:00"  # a re-run alone is not a change
    diff = diff_specs(old, new)
    assert diff.empty and diff.items == [] and diff.meta is None
    assert all(c.total == 0 for c in diff.counts())
    assert "No changes" in render_markdown(diff)
    assert json.loads(json.dumps(diff.to_json()))["empty"] is True


def test_added_removed_and_changed_items_are_counted_per_section() -> None:
    old, new = _pair()
    new.requirements.append(Requirement(id="FR-004", statement="The API shall log every request."))
    new.dependencies = [d for d in new.dependencies if d.id != "DEP-002"]
    new.interfaces[0].summary = "Answer a question with citations."
    diff = diff_specs(old, new)
    counts = {c.section: c for c in diff.counts()}
    assert (counts["requirements"].added, counts["requirements"].total) == (1, 1)
    assert (counts["dependencies"].removed, counts["dependencies"].total) == (1, 1)
    assert (counts["interfaces"].changed, counts["interfaces"].total) == (1, 1)
    assert diff.totals().total == 3
    assert _only(diff, "FR-004").line() == "+ FR-004 The API shall log every request."
    assert _only(diff, "DEP-002").line() == "- DEP-002 OPENAI_API_KEY"
    changed = _only(diff, "IF-001")
    assert changed.status == "changed" and [f.field for f in changed.changes] == ["summary"]
    assert changed.line() == '~ IF-001 POST /ask: summary "Answer a question." -> "Answer a question with citations."'
    assert [c.id for c in diff.removed] == ["DEP-002"]


def test_an_item_with_a_new_id_but_the_same_identity_is_renumbered() -> None:
    old, new = _pair()
    secret = new.dependencies[1]
    secret.id = "DEP-007"
    secret.purpose = "read via `os.environ`"
    diff = diff_specs(old, new)
    assert diff.removed == [] and len(diff.items) == 1
    change = diff.items[0]
    assert (change.status, change.id, change.old_id) == ("renumbered", "DEP-007", "DEP-002")
    assert [f.field for f in change.changes] == ["purpose"]
    assert change.line().startswith("R DEP-007 (was DEP-002) OPENAI_API_KEY: purpose")


def test_shifted_lines_are_moved_citations_not_changes() -> None:
    old, new = _pair()
    for item in (new.requirements[0], new.interfaces[0]):
        item.sources = [
            c.model_copy(update={"start_line": c.start_line + 2, "end_line": c.end_line + 2}) for c in item.sources
        ]
    diff = diff_specs(old, new)
    assert [(c.id, c.status) for c in diff.items] == [("FR-001", "moved"), ("IF-001", "moved")]
    moved = _only(diff, "FR-001")
    assert moved.changes == [] and moved.citations is not None and moved.citations.lines_only
    assert moved.line().endswith("citations moved app/main.py:3-9 -> app/main.py:5-11")
    counts = {c.section: c for c in diff.counts()}
    assert counts["requirements"].moved == 1 and counts["requirements"].changed == 0


def test_a_citation_to_another_file_is_reported_but_is_not_a_line_shift() -> None:
    old, new = _pair()
    new.interfaces[0].sources = [Citation(path="app/routes.py", start_line=3, end_line=9)]
    change = _only(diff_specs(old, new), "IF-001")
    assert change.status == "moved" and change.citations is not None and not change.citations.lines_only
    assert "citations app/main.py:3-9 -> app/routes.py:3-9" in change.line()


def test_an_edited_locked_item_is_called_out() -> None:
    old, new = _pair()
    new.overview.non_goals[0].statement = "No voice or video channel."
    new.interfaces[0].summary = "changed, but nobody locked it"
    diff = diff_specs(old, new)
    assert [c.id for c in diff.locked_edits] == ["NG-001"]
    assert _only(diff, "NG-001").line().endswith("[locked item edited]")
    assert not _only(diff, "IF-001").locked
    assert "Locked items were edited or removed: **NG-001**" in render_markdown(diff)
    # removing a locked item is called out too; locking an item is a change, not an edit of a locked one
    old2, new2 = _pair()
    new2.overview.non_goals = []
    new2.risks[1].locked = True
    diff2 = diff_specs(old2, new2)
    assert [c.id for c in diff2.locked_edits] == ["NG-001"]
    assert _only(diff2, "RK-002").line() == "~ RK-002 No automated tests: locked no -> yes"


def test_metric_baseline_and_target_changes_show_old_and_new_values() -> None:
    old, new = _pair()
    metric = new.metrics[0]
    metric.baseline = Baseline(value=0.861, raw="accuracy: 0.861")
    metric.target = ">= 0.9"
    change = _only(diff_specs(old, new), "SM-001")
    assert change.status == "changed"
    assert change.line() == '~ SM-001 accuracy: baseline 0.847 -> 0.861; target ">= 0.85" -> ">= 0.9"'
    # a baseline that appears where there was none
    old.metrics[0].baseline = None
    assert "baseline none -> 0.861" in _only(diff_specs(old, new), "SM-001").line()


def test_provenance_changes_are_reported() -> None:
    old, new = _pair()
    new.requirements[1].provenance = "observed"
    change = _only(diff_specs(old, new), "NFR-001")
    assert change.provenance == ("inferred", "observed")
    assert "provenance inferred -> observed" in change.line()


def test_an_item_the_validator_demoted_is_linked_to_its_open_question() -> None:
    claim = Requirement(
        id="FR-001",
        statement="The service shall cache answers.",
        sources=[Citation(path="cache.py", start_line=1, end_line=4)],
    )
    old = Spec(requirements=[claim])
    new = old.model_copy(deep=True)
    validate_spec(new, {})  # cache.py is gone: the uncited observed claim becomes a question
    assign_ids(new, old)
    diff = diff_specs(old, new)
    removed = _only(diff, "FR-001")
    question = new.open_questions[0].id
    assert removed.status == "removed" and removed.demoted_to == question
    assert removed.provenance == ("observed", "decision")
    assert removed.line() == f"- FR-001 The service shall cache answers. -> demoted to {question}"
    assert _only(diff, question).demoted_from == "FR-001"
    assert diff.provenance_changes == [removed]


def test_problem_statement_changes_are_reported() -> None:
    old, new = _pair()
    assert new.overview.problem is not None
    new.overview.problem.text = "Support agents spend 9 min per ticket searching docs."
    diff = diff_specs(old, new)
    assert diff.items[0].id == "problem" and diff.items[0].section == "overview"
    assert diff.items[0].line().startswith('~ problem text "Support agents spend 6 min')
    new.overview.problem = None
    assert _only(diff_specs(old, new), "problem").status == "removed"


def test_order_is_section_then_id_and_lists_show_entry_names() -> None:
    old, new = _pair()
    new.interfaces.append(Interface(id="IF-010", kind="cli", name="serve"))
    new.interfaces.append(Interface(id="IF-003", kind="cli", name="export"))
    new.requirements.append(Requirement(id="NFR-002", kind="non_functional", statement="Uptime 99.9%."))
    new.requirements.append(Requirement(id="FR-002", statement="The API shall paginate."))
    new.overview.goals = []
    new.dependencies.append(Dependency(id="DEP-003", kind="package", name="httpx"))
    new.interfaces[0].parameters.append(Parameter(name="limit", type="int"))
    new.interfaces[0].parameters[0].type = "string"
    diff = diff_specs(old, new)
    assert [c.id for c in diff.items] == ["G-001", "FR-002", "NFR-002", "IF-001", "IF-003", "IF-010", "DEP-003"]
    assert _only(diff, "IF-001").line() == "~ IF-001 POST /ask: parameters +limit ~q"
    assert diff_specs(old, new).model_dump() == diff.model_dump()  # deterministic


def test_meta_changes_are_one_line() -> None:
    old, new = _pair()
    new.meta.files, new.meta.lines, new.meta.fingerprint = 4, 150, "cd" * 32
    diff = diff_specs(old, new)
    assert diff.items == [] and not diff.empty
    assert diff.meta is not None
    assert diff.meta.summary() == "files 3 -> 4, lines 120 -> 150, fingerprint abababab -> cdcdcdcd"


def test_markdown_and_json_carry_the_same_changes() -> None:
    old, new = _pair()
    new.requirements.append(Requirement(id="FR-004", statement="The API shall reject inputs < 1 char."))
    new.metrics[0].baseline = Baseline(value=0.9, raw="accuracy: 0.9")
    diff = diff_specs(old, new)
    md = render_markdown(diff, "a/spec.json", "b/spec.json")
    assert "| Requirements | 1 | 0 | 0 | 0 | 0 |" in md and "| Success metrics | 0 | 0 | 1 | 0 | 0 |" in md
    assert "<details><summary>Requirements (+1)</summary>" in md
    assert "- `+` **FR-004** The API shall reject inputs &lt; 1 char." in md
    data = json.loads(json.dumps(diff.to_json("a", "b")))
    assert data["counts"]["requirements"]["added"] == 1 and data["totals"]["changed"] == 1
    metric = next(i for i in data["items"] if i["id"] == "SM-001")
    assert metric["changes"][0]["old"]["value"] == 0.847 and metric["changes"][0]["new"]["value"] == 0.9
    assert metric["changes"][0]["summary"] == "baseline 0.847 -> 0.9"
