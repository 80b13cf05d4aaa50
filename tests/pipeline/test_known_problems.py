"""The team's own list of known problems (a "Known problems" / "Limitations" / "Risks" section
of its notes) becomes risk items, each citing its bullet; a README's "Problem" section does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from specagent.pipeline.draft import draft
from specagent.pipeline.offline.risks import known_problem

NOTES = """# Pilot notes

## Problem

Support agents spend 4 minutes routing each ticket by hand.

## Known problems

1. **Tickets can be lost.** The worker pops a ticket before it is classified; a crash in
   between loses it.
2. **Confidence is self-reported** by the model, not calibrated.
- Long bodies are cut at 4,000 characters. Nobody noticed for a week.
- Rate limits: a 429 kills the batch.

## Next steps

- Move to BLMOVE.
"""


@pytest.fixture
def risks(tmp_path: Path) -> list:
    (tmp_path / "notes.md").write_text(NOTES, encoding="utf-8")
    (tmp_path / "worker.py").write_text('"""Worker."""\n\n\ndef run() -> None:\n    pass\n', encoding="utf-8")
    return [r for r in draft(tmp_path).spec.risks if r.sources and r.sources[0].path == "notes.md"]


def test_each_known_problem_is_a_cited_risk(risks: list) -> None:
    assert [(r.title, r.detail) for r in risks] == [
        ("Tickets can be lost", "The worker pops a ticket before it is classified; a crash in between loses it."),
        ("Confidence is self-reported by the model, not calibrated", None),
        ("Long bodies are cut at 4,000 characters", "Nobody noticed for a week."),
        ("Rate limits", "a 429 kills the batch."),
    ]
    assert [(r.sources[0].start_line, r.sources[0].end_line) for r in risks] == [(9, 10), (11, 11), (12, 12), (13, 13)]
    assert all(r.provenance == "observed" and r.likelihood == "high" for r in risks)


def test_a_problem_statement_is_no_risk(risks: list) -> None:
    assert not any("routing" in r.title for r in risks)


@pytest.mark.parametrize(
    "heading", ["Known issues", "Limitations", "Risks", "Caveats", "Rough edges", "What doesn't work", "2. Known bugs"]
)
def test_headings_that_list_problems(tmp_path: Path, heading: str) -> None:
    (tmp_path / "README.md").write_text(f"# Tool\n\n## {heading}\n\n- The cache never expires.\n", encoding="utf-8")
    titles = [r.title for r in draft(tmp_path).spec.risks]
    assert "The cache never expires" in titles


@pytest.mark.parametrize("heading", ["Problem", "Problem statement", "Issue tracker", "Risk-free trial"])
def test_headings_that_do_not(tmp_path: Path, heading: str) -> None:
    (tmp_path / "README.md").write_text(f"# Tool\n\n## {heading}\n\n- The cache never expires.\n", encoding="utf-8")
    assert "The cache never expires" not in [r.title for r in draft(tmp_path).spec.risks]


def test_long_explanations_are_cut_at_a_sentence() -> None:
    text = "**Drift.** " + " ".join(f"Sentence number {i} says a little more." for i in range(20))
    title, detail = known_problem(text)
    assert title == "Drift"
    assert detail is not None and len(detail) <= 240 and detail.endswith(".")
