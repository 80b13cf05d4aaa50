"""Pilot tests of every flow of the TUI, on a copy of a corpus prototype (real draft, real index)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Input, Markdown, OptionList, TextArea
from tui_support import fixed_now, tui_settings, wait_drafted, wait_until

from specagent.errors import InputPathError
from specagent.spec.model import Requirement
from specagent.tui import make_app
from specagent.tui.app import REFINE_NEEDS_MODEL
from specagent.tui.screens import EditScreen, FindingsScreen, RefineScreen, SaveScreen
from specagent.tui.widgets import EvidencePanel, SpecTree
from specagent.tui.widgets.evidence_panel import block_renderable

FAKE_EDITOR = Path(__file__).with_name("fake_editor.py")
pytestmark = pytest.mark.anyio


def app_for(root: Path, **kwargs: object):
    settings = kwargs.pop("settings", None) or tui_settings(root)
    return make_app(root, settings, index=kwargs.pop("index", False), now=fixed_now, **kwargs)


def notes(app) -> list[str]:
    return [n.message for n in app._notifications]


def evidence_text(app) -> str:
    """The evidence panel's heading and its blocks as rendered text."""
    panel = app.query_one(EvidencePanel)
    console = Console(width=100, record=True, file=io.StringIO())
    for block in panel.blocks:
        console.print(block_renderable(block))
    return panel.heading + "\n" + console.export_text()


async def select(pilot, item_id: str) -> None:
    assert pilot.app.query_one(SpecTree).select_item(item_id)
    await pilot.pause()
    await wait_until(pilot, lambda: pilot.app.query_one(SpecTree).current() == ("item", item_id))


def with_editor(monkeypatch: pytest.MonkeyPatch, log: Path, sub: str | None = None) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {FAKE_EDITOR}")
    monkeypatch.setenv("FAKE_EDITOR_LOG", str(log))
    if sub:
        monkeypatch.setenv("FAKE_EDITOR_SUB", sub)
    else:
        monkeypatch.delenv("FAKE_EDITOR_SUB", raising=False)


async def test_open_drafts_and_browsing_shows_an_item_with_its_evidence(proto: Path) -> None:
    app = app_for(proto)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_drafted(pilot)
        interface = app.session.spec.interfaces[0]
        await select(pilot, interface.id)
        source = app.query_one("#item", Markdown).source
        assert interface.id in source and "observed" in source
        text = evidence_text(app)
        assert f"Evidence for {interface.id}" in text and interface.sources[0].path in text
        status = str(app.query_one("#status").render())
        assert proto.name in status and "offline" in status and "index off" in status


async def test_a_notebook_citation_shows_the_cell_with_its_outputs(proto: Path) -> None:
    app = app_for(proto)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_drafted(pilot)
        metric = next(m for m in app.session.spec.metrics if any(c.cell for c in m.sources))
        await select(pilot, metric.id)
        cell = next(c for c in metric.sources if c.cell)
        text = evidence_text(app)
        assert f"In [{cell.cell}]:" in text and f"Out[{cell.cell}]:" in text


@pytest.mark.slow
async def test_indexing_shows_progress_then_drafts_and_search_shows_hits(proto: Path, tmp_path: Path) -> None:
    settings = tui_settings(proto, index_dir=tmp_path / "index")
    app = app_for(proto, settings=settings, index=True)
    seen: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: seen.append(str(app.query_one("#status").render())) or "ready" in seen[-1], 240)
        assert any("building" in s for s in seen)
        await wait_drafted(pilot)
        await pilot.press("slash")
        await pilot.press(*"sentiment")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Search: sentiment" in evidence_text(app), 60)
        assert "score" in evidence_text(app) and app.evidence_targets


async def test_escape_cancels_indexing_and_the_draft_still_comes(proto: Path, tmp_path: Path) -> None:
    settings = tui_settings(proto, index_dir=tmp_path / "index")
    app = app_for(proto, settings=settings, index=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.index_running)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not app.index_running, 120)
        await wait_drafted(pilot)
        assert "index cancelled" in str(app.query_one("#status").render())
        assert any("indexing cancelled" in n for n in notes(app))


async def test_a_locked_index_is_a_notification_not_a_crash(proto: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys,time; from filelock import FileLock; l=FileLock(sys.argv[1]); l.acquire();"
            " print('held', flush=True); time.sleep(60)",
            str(index_dir / "index.lock"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        app = app_for(proto, settings=tui_settings(proto, index_dir=index_dir), index=True, lock_timeout=0.2)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_drafted(pilot)  # the draft does not wait for the index
            await wait_until(pilot, lambda: "index failed" in str(app.query_one("#status").render()), 60)
            assert any("being written by another specagent process" in n for n in notes(app)), notes(app)
    finally:
        holder.kill()
        holder.wait()


async def test_inline_edit_applies_and_locks_and_a_bad_edit_stays_in_the_editor(proto: Path) -> None:
    app = app_for(proto)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_drafted(pilot)
        item = app.session.spec.risks[0]
        await select(pilot, item.id)
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, EditScreen))
        area = app.screen.query_one(TextArea)
        area.text = area.text.replace(f"likelihood: {item.likelihood}", "likelihood: sometimes")  # not a level
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EditScreen) and "sometimes" in area.text  # refused, text kept
        assert any("nothing changed" in n for n in notes(app))
        area.text = area.text.replace("likelihood: sometimes", "likelihood: low").replace("title:", "title: Renamed", 1)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, EditScreen))
        edited = app.session.item(item.id)
        assert edited.title.startswith("Renamed") and edited.likelihood == "low"
        assert edited.locked and app.session.dirty


async def test_escape_in_the_editor_asks_before_dropping_changes(proto: Path) -> None:
    app = app_for(proto)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_drafted(pilot)
        item = app.session.spec.risks[0]
        await select(pilot, item.id)
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, EditScreen))
        app.screen.query_one(TextArea).text += "mitigation: keep me\n"
        await pilot.press("escape")
        await pilot.press("n")  # do not discard
        await pilot.pause()
        assert isinstance(app.screen, EditScreen) and "keep me" in app.screen.query_one(TextArea).text


async def test_edit_in_external_editor(proto: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = app_for(proto)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_drafted(pilot)
        item = app.session.spec.risks[0]
        with_editor(monkeypatch, tmp_path / "log", "title:=>title: Edited outside")
        await select(pilot, item.id)
        await pilot.press("E")
        await wait_until(pilot, lambda: app.session.item(item.id).title.startswith("Edited outside"))
        assert app.session.item(item.id).locked
        # A broken external edit opens inline with the person's text, never lost.
        with_editor(monkeypatch, tmp_path / "log", "likelihood:=>likelihood: [broken")
        await pilot.press("E")
        await wait_until(pilot, lambda: isinstance(app.screen, EditScreen))
        assert "[broken" in app.screen.query_one(TextArea).text


async def test_lock_toggles_and_marks_the_tree(proto: Path) -> None:
    app = app_for(proto)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_drafted(pilot)
        item = app.session.spec.dependencies[0]
        await select(pilot, item.id)
        await pilot.press("l")
        await pilot.pause()
        assert app.session.item(item.id).locked and app.session.dirty
        node = app.query_one(SpecTree).cursor_node
        assert node.data == ("item", item.id) and " L " in str(node.label)


async def test_answering_an_open_question_makes_a_decision(proto: Path) -> None:
    app = app_for(proto)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_drafted(pilot)
        question = app.session.spec.open_questions[0]
        await select(pilot, question.id)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press(*"Weekly")
        await pilot.press("enter")
        await wait_until(pilot, lambda: question.id not in {q.id for q in app.session.spec.open_questions})
        decision = app.session.spec.requirements[-1]
        assert isinstance(decision, Requirement) and decision.provenance == "decision"
        assert "Ada Lovelace" in decision.rationale and decision.statement == "Weekly"
        await wait_until(pilot, lambda: app.query_one(SpecTree).current() == ("item", decision.id))


async def test_answer_on_something_else_says_what_to_select(proto: Path) -> None:
    app = app_for(proto)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_drafted(pilot)
        await select(pilot, app.session.spec.interfaces[0].id)
        await pilot.press("a")
        assert any("select an open question" in n for n in notes(app))


async def test_check_lists_findings_and_enter_jumps_to_the_item(proto: Path) -> None:
    app = app_for(proto)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_drafted(pilot)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, FindingsScreen), 60)
        options = app.screen.query_one(OptionList)
        first = options.get_option_at_index(0)
        item_id = first.id.split(":", 1)[1]
        assert item_id
        options.focus()
        options.highlighted = 0
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, FindingsScreen))
        await wait_until(pilot, lambda: app.query_one(SpecTree).current() == ("item", item_id))
        assert app.session.report is not None and app.session.findings_for(item_id)


async def test_open_a_cited_file_at_its_line(proto: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "log"
    with_editor(monkeypatch, log)
    app = app_for(proto)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_drafted(pilot)
        item = next(i for i in app.session.spec.interfaces if i.sources and i.sources[0].cell is None)
        await select(pilot, item.id)
        await pilot.press("o")
        await wait_until(pilot, lambda: log.exists())
        cite = item.sources[0]
        assert log.read_text().split() == [f"+{cite.start_line}", str((proto / cite.path).resolve())]


async def test_save_writes_then_previews_a_diff_before_overwriting(proto: Path) -> None:
    app = app_for(proto)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_drafted(pilot)
        await pilot.press("s")
        spec_json = proto / "spec" / "spec.json"
        await wait_until(pilot, lambda: spec_json.exists() and not app.session.dirty)
        item = app.session.spec.dependencies[0]
        await select(pilot, item.id)
        await pilot.press("l", "s")
        await wait_until(pilot, lambda: isinstance(app.screen, SaveScreen))
        assert item.id in app.screen.preview.diff_markdown
        await pilot.press("n")
        assert not any(d["id"] == item.id and d["locked"] for d in json.loads(spec_json.read_text())["dependencies"])
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, SaveScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: not app.session.dirty)
        assert any(d["id"] == item.id and d["locked"] for d in json.loads(spec_json.read_text())["dependencies"])


async def test_quit_asks_when_there_are_unsaved_changes(proto: Path) -> None:
    app = app_for(proto)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_drafted(pilot)
        await select(pilot, app.session.spec.dependencies[0].id)
        await pilot.press("l", "q")
        await pilot.pause()
        assert app.is_running and "Quit without saving" in str(app.screen.query("Label").first().render())
        await pilot.press("n")
        assert app.is_running
        await pilot.press("q", "y")
        await pilot.pause()
    assert app.return_code == 0


async def test_refine_without_a_model_says_so(proto: Path) -> None:
    app = app_for(proto)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_drafted(pilot)
        await pilot.press("r")
        assert REFINE_NEEDS_MODEL in notes(app)


@pytest.mark.parametrize("accept", [True, False])
async def test_the_refine_diff_accepts_or_rejects(proto: Path, accept: bool) -> None:
    app = app_for(proto)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_drafted(pilot)
        old = app.session.spec.requirements[0]
        proposed = [
            old.model_copy(
                update={"statement": "When a batch arrives, the system shall classify it.", "provenance": "inferred"}
            ),
            old.model_copy(update={"id": "FR-901", "statement": "The system shall post counts weekly."}),
        ]
        app.show_refinement([old], proposed, "split it")
        await wait_until(pilot, lambda: isinstance(app.screen, RefineScreen))
        await pilot.press("a" if accept else "r")
        await wait_until(pilot, lambda: not isinstance(app.screen, RefineScreen))
        statements = [r.statement for r in app.session.spec.requirements]
        assert ("The system shall post counts weekly." in statements) is accept
        assert app.session.dirty is accept


async def test_every_action_is_in_the_palette_and_the_keymap_is_configurable(proto: Path) -> None:
    settings = tui_settings(proto, keymap={"lock": "x"})
    app = app_for(proto, settings=settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_drafted(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Edit", "Lock", "Answer", "Refine", "Check", "Search", "Open", "Save", "Quit", "Index"} <= titles
        item = app.session.spec.dependencies[0]
        await select(pilot, item.id)
        await pilot.press("x")
        assert app.session.item(item.id).locked


async def test_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(InputPathError, match="no such folder"):
        make_app(tmp_path / "nope")


async def test_a_redraft_keeps_what_the_person_changed(proto: Path) -> None:
    app = app_for(proto)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_drafted(pilot)
        question = app.session.spec.open_questions[0]
        app.session.answer(question.id, "Monthly")
        item = app.session.spec.dependencies[0]
        await select(pilot, item.id)
        await pilot.press("l")
        first = app.session.result
        await pilot.press("d")
        await wait_until(pilot, lambda: app.session.result is not first, 60)
        assert app.session.item(item.id).locked and app.session.dirty
        assert any(r.statement == "Monthly" for r in app.session.spec.requirements)
        assert question.question not in {q.question for q in app.session.spec.open_questions}
