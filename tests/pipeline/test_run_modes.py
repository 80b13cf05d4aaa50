"""Interfaces run other than by CLI or route: a UI app's item and a scheduled job's item."""

from __future__ import annotations

import textwrap

from specagent.ingest.models import Fact
from specagent.ingest.python_parser import parse_python
from specagent.ingest.schedules import schedule_facts
from specagent.pipeline.offline import draft_offline
from specagent.spec.markdown import render_markdown
from specagent.spec.model import Interface
from specagent.spec.reader import read_markdown
from specagent.spec.resolve import resolve

APP = '''
"""Chat with the support handbook.

    streamlit run app.py
"""
import streamlit as st

from handbook.qa import answer


def show(text: str) -> None:
    st.markdown(text)


if st.button("Clear"):
    st.session_state.clear()
if prompt := st.chat_input("Ask the handbook"):
    show(answer(prompt))
    st.feedback("thumbs", key="fb")

if __name__ == "__main__":
    show("started")
'''
QA = '''
"""Answer questions from the handbook."""


def answer(question: str) -> str:
    return question
'''
FLOW = '''
"""Nightly refresh of the handbook index."""
from prefect import flow


@flow
def refresh_index() -> None:
    """Rebuild the index."""


if __name__ == "__main__":
    refresh_index.serve(name="nightly", cron="15 1 * * *")
'''
README = "# Handbook\n\nThe index is rebuilt by a Prefect flow (cron `15 1 * * *`, Europe/Berlin).\n"


def _draft(files: dict[str, str]) -> tuple[list[Interface], dict[str, str]]:
    texts = {path: textwrap.dedent(src).lstrip("\n") for path, src in files.items()}
    facts: list[Fact] = []
    for path, text in texts.items():
        facts += parse_python(path, text).facts if path.endswith(".py") else schedule_facts(path, text)
    spec = draft_offline(facts, "handbook")
    assert read_markdown(render_markdown(spec)).interfaces == spec.interfaces  # SPEC.md keeps the new kinds
    for item in spec.interfaces:
        assert all(resolve(c, texts) is None for c in item.sources), item.name
    return spec.interfaces, texts


def test_streamlit_app_is_one_ui_item_not_a_library_or_script() -> None:
    items, _ = _draft({"app.py": APP, "handbook/qa.py": QA})
    assert [(i.kind, i.name) for i in items] == [("ui", "streamlit run app.py"), ("library", "handbook.qa")]
    [ui] = [i for i in items if i.kind == "ui"]
    assert ui.summary == (
        "Chat with the support handbook. "
        "Inputs: `button` (Clear), `chat_input` (Ask the handbook), `feedback` (thumbs)."
    )
    assert [(c.start_line, c.end_line) for c in ui.sources] == [(1, 4), (14, 14), (16, 16), (18, 18)]


def test_schedule_item_merges_code_and_readme() -> None:
    items, _ = _draft({"flows/refresh.py": FLOW, "README.md": README})
    [job] = [i for i in items if i.kind == "schedule"]
    assert job.name == "refresh_index"
    assert job.summary == "Runs `refresh_index` on cron `15 1 * * *` (Europe/Berlin), by Prefect."
    assert [(c.path, c.start_line) for c in job.sources] == [("README.md", 3), ("flows/refresh.py", 11)]


def test_schedule_without_a_target_and_an_interval() -> None:
    crontab = "0 4 * * * /srv/bin/export.sh\n*/10 * * * * /srv/bin/poll.sh\n"
    items, _ = _draft({"ops/app.crontab": crontab})
    assert [(i.kind, i.name, i.summary) for i in items] == [
        ("schedule", "/srv/bin/export.sh", "Runs `/srv/bin/export.sh` on cron `0 4 * * *`, by crontab."),
        ("schedule", "/srv/bin/poll.sh", "Runs `/srv/bin/poll.sh` on cron `*/10 * * * *`, by crontab."),
    ]
    items, _ = _draft({"NOTES.md": "Refresh on schedule `@hourly`.\n"})
    assert [(i.kind, i.name, i.summary) for i in items] == [("schedule", "@hourly", "Runs on cron `@hourly`.")]
