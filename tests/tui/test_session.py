"""The TUI's session model: edits, locks, answers, refinements and saving, without Textual."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tui_support import fixed_now, tui_settings

from specagent.errors import SpecagentError
from specagent.pipeline.draft import draft, run_draft
from specagent.spec.model import Requirement
from specagent.spec.reader import read_spec
from specagent.tui.session import EditRejected, Session, drop_answered, item_yaml


def drafted_session(root: Path) -> Session:
    session = Session(root, tui_settings(root), now=fixed_now)
    session.drafted(draft(root, settings=session.settings, now=fixed_now()))
    return session


def first_id(session: Session, section: str) -> str:
    return session.spec.section_items(section)[0].id


def test_an_edit_replaces_the_item_and_locks_it(proto: Path) -> None:
    session = drafted_session(proto)
    item_id = first_id(session, "interfaces")
    text = item_yaml(session.item(item_id)).replace("kind: cli", "kind: library", 1)
    assert "kind: library" in text
    session.apply_edit(item_id, text)
    edited = session.item(item_id)
    assert edited.kind == "library" and edited.locked and session.dirty


@pytest.mark.parametrize(
    ("text", "why"),
    [("kind: [unclosed", "not valid YAML"), ("- a list", "mapping"), ("kind: spaceship\nname: x\n", "kind")],
)
def test_a_bad_edit_is_refused_and_changes_nothing(proto: Path, text: str, why: str) -> None:
    session = drafted_session(proto)
    item_id = first_id(session, "interfaces")
    before = session.item(item_id).model_dump()
    with pytest.raises(EditRejected, match=why):
        session.apply_edit(item_id, text)
    assert session.item(item_id).model_dump() == before and not session.dirty


def test_an_edit_cannot_change_the_id(proto: Path) -> None:
    session = drafted_session(proto)
    item_id = first_id(session, "risks")
    session.apply_edit(item_id, "id: RK-999\n" + item_yaml(session.item(item_id)))
    assert session.item(item_id).id == item_id


def test_answering_a_question_makes_a_locked_decision_and_closes_it(proto: Path) -> None:
    session = drafted_session(proto)
    question = session.spec.open_questions[0]
    decision = session.answer(question.id, "  Retrain   monthly ")
    assert isinstance(decision, Requirement)
    assert decision.provenance == "decision" and decision.locked and decision.statement == "Retrain monthly"
    assert "Ada Lovelace" in decision.rationale and "2026-03-14 09:30 UTC" in decision.rationale
    assert question.id in decision.rationale and decision.sources == question.sources
    assert question.id not in {q.id for q in session.spec.open_questions}
    with pytest.raises(SpecagentError):
        session.answer(question.id, "again")
    with pytest.raises(EditRejected):
        session.answer(session.spec.open_questions[0].id, "   ")


def test_an_answered_question_stays_closed_after_a_redraft(proto: Path) -> None:
    session = drafted_session(proto)
    question = session.spec.open_questions[0]
    session.answer(question.id, "Monthly")
    again = draft(proto, settings=session.settings, edited=session.spec, previous=session.spec, now=fixed_now())
    assert question.question in {q.question for q in again.spec.open_questions}  # the drafter asks again
    drop_answered(again.spec)
    assert question.question not in {q.question for q in again.spec.open_questions}
    assert any(r.statement == "Monthly" for r in again.spec.requirements)


def test_lock_toggles(proto: Path) -> None:
    session = drafted_session(proto)
    item_id = first_id(session, "dependencies")
    assert session.toggle_lock(item_id) is True
    assert session.toggle_lock(item_id) is False


def test_replace_puts_a_refinement_where_the_items_were(proto: Path) -> None:
    session = drafted_session(proto)
    reqs = session.spec.requirements
    old = reqs[1]
    one = old.model_copy(update={"statement": "When a review arrives, the system shall classify it."})
    two = old.model_copy(update={"id": "FR-900", "statement": "The system shall post counts weekly."})
    session.replace([old.id], [one, two])
    ids = [r.id for r in session.spec.requirements]
    assert ids[1] == old.id and ids[2] == "FR-900"
    assert session.item(old.id).statement.startswith("When a review arrives")


def test_saving_a_new_spec_writes_both_files(proto: Path) -> None:
    session = drafted_session(proto)
    assert not session.save_preview().exists
    session.answer(session.spec.open_questions[0].id, "Monthly")
    paths = session.save()
    assert {p.name for p in paths} == {"SPEC.md", "spec.json"} and not session.dirty
    data = json.loads((proto / "spec" / "spec.json").read_text())
    assert any(r["statement"] == "Monthly" and r["provenance"] == "decision" for r in data["requirements"])


def test_saving_over_a_spec_a_person_edited_keeps_a_backup_and_their_locked_items(proto: Path) -> None:
    run_draft(proto, settings=tui_settings(proto))
    spec_md = proto / "spec" / "SPEC.md"
    session = drafted_session(proto)
    # The person edits SPEC.md while the session is open: they lock a requirement in their words.
    req = session.spec.requirements[0]
    text = spec_md.read_text()
    line = next(line for line in text.splitlines() if line.startswith(f"- **{req.id}** ("))
    head = line[: line.index(")")]
    spec_md.write_text(text.replace(line, f"{head}, locked) The system shall do it their way."))
    edited_bytes = spec_md.read_bytes()
    preview = session.save_preview()
    assert preview.exists and preview.edited == ["SPEC.md"]
    session.save()
    assert (proto / "spec" / "SPEC.md.bak").read_bytes() == edited_bytes
    saved = read_spec(proto / "spec" / "spec.json")
    kept = next(r for r in saved.requirements if r.id == req.id)
    assert kept.locked and kept.statement == "The system shall do it their way."
