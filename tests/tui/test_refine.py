"""Refine with a model: the real app, the real openai client, a scripted OpenAI server on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest
from openai_server import Reply, ScriptedOpenAI
from tui_support import fixed_now, tui_settings, wait_drafted, wait_until

from specagent.tui.app import make_app
from specagent.tui.screens import RefineScreen
from specagent.tui.widgets import SpecTree

pytestmark = pytest.mark.anyio


def _app(proto: Path, tmp_path: Path):
    settings = tui_settings(proto, index_dir=tmp_path / "index", model="gpt-4o-mini", cache_dir=tmp_path / "cache")
    return make_app(proto, settings, index=False, now=fixed_now)


async def _refine_first_requirement(pilot, instruction: str) -> str:
    app = pilot.app
    target = app.session.spec.requirements[0].id
    assert app.query_one(SpecTree).select_item(target)
    await wait_until(pilot, lambda: app.query_one(SpecTree).current() == ("item", target))
    await pilot.press("r")
    await wait_until(pilot, lambda: app.screen.query("#prompt-input"))
    await pilot.press(*instruction)
    await pilot.press("enter")
    return target


async def test_refine_sends_the_instruction_and_the_accepted_diff_replaces_the_item(
    proto: Path, tmp_path: Path, server: ScriptedOpenAI
) -> None:
    app = _app(proto, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_drafted(pilot)
        await wait_until(pilot, lambda: app.session.spec.requirements, timeout=120)
        server.requests.clear()
        target = await _refine_first_requirement(pilot, "name the queue")
        await wait_until(pilot, lambda: isinstance(app.screen, RefineScreen), timeout=120)
        sent = server.chats[-1]["body"]["messages"][1]["content"]
        assert "name the queue" in sent and target in sent
        proposed = app.screen.proposed
        await pilot.press("a")
        await wait_until(pilot, lambda: not isinstance(app.screen, RefineScreen))
        ids = [r.id for r in app.session.spec.requirements]
        assert all(p.id in ids for p in proposed) and app.session.dirty


async def test_escape_cancels_a_refine_and_changes_nothing(proto: Path, tmp_path: Path, server: ScriptedOpenAI) -> None:
    app = _app(proto, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_drafted(pilot)
        await wait_until(pilot, lambda: app.session.spec.requirements, timeout=120)
        before = app.session.spec.model_dump()
        server.script = [Reply(delay_s=2.0)]
        await _refine_first_requirement(pilot, "split it")
        await wait_until(pilot, lambda: any(w.group == "refine" and w.is_running for w in app.workers))
        await pilot.press("escape")
        await wait_until(pilot, lambda: not any(w.group == "refine" and w.is_running for w in app.workers), 30)
        await pilot.pause(2.5)  # the late answer arrives and is dropped
        assert not isinstance(app.screen, RefineScreen)
        assert app.session.spec.model_dump() == before
        assert any("refine cancelled" in n.message for n in app._notifications)


async def test_the_header_shows_what_the_model_draft_cost(proto: Path, tmp_path: Path, server: ScriptedOpenAI) -> None:
    from specagent.tui.widgets import StatusLine

    app = _app(proto, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_drafted(pilot)
        usage = app.session.spec.meta.model_usage
        assert usage is not None and usage.calls > 0
        status = app.query_one(StatusLine)
        await wait_until(pilot, lambda: status.calls == usage.calls)
        assert status.tokens == usage.tokens_in + usage.tokens_out > 0
