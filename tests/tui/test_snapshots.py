"""SVG snapshots of the main states at 80x24 and 120x40 (pytest-textual-snapshot).

Deterministic: a copied corpus prototype (only its folder name shows), a fixed clock, no index
(no timings), notifications cleared before the shot. Update with ``--snapshot-update`` after a
deliberate change, and look at the SVGs under ``__snapshots__/`` before committing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, Static
from tui_support import SMALL, copy_prototype, fixed_now, tui_settings, wait_drafted, wait_until

from specagent.events import StageProgress, StageStarted
from specagent.tui import make_app
from specagent.tui.screens import FindingsScreen, RefineScreen
from specagent.tui.widgets import SpecTree

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture
def proto(tmp_path: Path) -> Path:
    # The same folder name at every run: the status line shows it.
    return copy_prototype(SMALL, tmp_path)


def app_for(root: Path, **kwargs: object):
    app = make_app(root, tui_settings(root), index=False, now=fixed_now, **kwargs)
    # Toasts come and go on their own clock: they are not part of a state worth a snapshot.
    app.notify = lambda *args, **kwargs: None  # type: ignore[method-assign]
    return app


async def settle(pilot: Pilot) -> None:
    """Let every queued update land (on a loaded machine a background pane may lag a frame)."""
    for _ in range(3):
        await pilot.wait_for_scheduled_animations()
        await pilot.pause(0.1)


@pytest.mark.parametrize("size", SIZES)
def test_just_opened(snap_compare, proto: Path, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await wait_drafted(pilot)
        await settle(pilot)

    assert snap_compare(app_for(proto), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_drafting_with_progress(snap_compare, proto: Path, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        # The events the pipeline emits while parsing, rendered by the app's own event handler.
        pilot.app.show_event(StageStarted("parse", total=9))
        pilot.app.show_event(StageProgress("parse", 4, 9, "notes.txt"))
        await settle(pilot)

    assert snap_compare(app_for(proto, auto_start=False), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_an_item_with_its_evidence(snap_compare, proto: Path, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await wait_drafted(pilot)
        app = pilot.app
        metric = next(m for m in app.session.spec.metrics if any(c.cell for c in m.sources))
        app.query_one(SpecTree).select_item(metric.id)
        await wait_until(pilot, lambda: app.query_one(SpecTree).current() == ("item", metric.id))
        await settle(pilot)

    assert snap_compare(app_for(proto), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_check_findings(snap_compare, proto: Path, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await wait_drafted(pilot)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, FindingsScreen), 60)
        await wait_until(pilot, lambda: pilot.app.screen.query_one(OptionList).option_count > 0)
        await settle(pilot)

    assert snap_compare(app_for(proto), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_the_refine_diff(snap_compare, proto: Path, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await wait_drafted(pilot)
        app = pilot.app
        old = app.session.spec.requirements[0]
        proposed = [
            old.model_copy(update={"statement": "When a review arrives, the system shall classify it within 2 s."}),
            old.model_copy(update={"id": "FR-090", "statement": "The system shall post the weekly counts."}),
        ]
        app.show_refinement([old], proposed, f"split {old.id}")
        await wait_until(pilot, lambda: isinstance(app.screen, RefineScreen) and bool(app.screen.query(Static)))
        await settle(pilot)

    assert snap_compare(app_for(proto), terminal_size=size, run_before=run_before)
