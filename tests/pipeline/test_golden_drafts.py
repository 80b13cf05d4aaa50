"""Golden drafts: the SPEC.md of every corpus and real prototype, committed, so that every change
in wording shows in review.

A change that moves a draft fails here until the golden files are rewritten on purpose:

    SPECAGENT_UPDATE_GOLDEN=1 pytest tests/pipeline/test_golden_drafts.py

then read `git diff evals/golden/` before committing it.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from paths import CORPUS, CORPUS_NAMES, GOLDEN, REAL, REAL_NAMES

from specagent.pipeline.draft import draft
from specagent.spec.markdown import render_markdown

NOW = datetime(2026, 1, 1, tzinfo=UTC)
UPDATE = os.environ.get("SPECAGENT_UPDATE_GOLDEN") == "1"
TARGETS = [("corpus", name, CORPUS / name) for name in CORPUS_NAMES] + [
    ("real", name, REAL / name / "repo") for name in REAL_NAMES
]


def _golden_markdown(root: Path) -> str:
    spec = draft(root, now=NOW).spec
    # The prototypes live in this repository: its commit moves with every change, the draft does not.
    spec.meta.git_commit = spec.meta.git_dirty = None
    return render_markdown(spec, root_rel="..")


@pytest.mark.slow
@pytest.mark.parametrize(("eval_set", "name", "root"), TARGETS, ids=[f"{s}/{n}" for s, n, _ in TARGETS])
def test_draft_matches_its_golden_file(eval_set: str, name: str, root: Path) -> None:
    golden = GOLDEN / eval_set / f"{name}.md"
    markdown = _golden_markdown(root)
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(markdown, encoding="utf-8")
    assert golden.exists(), f"no golden draft for {eval_set}/{name}: run with SPECAGENT_UPDATE_GOLDEN=1"
    expected = golden.read_text(encoding="utf-8")
    if markdown != expected:
        now, then = [*markdown.splitlines(), ""], [*expected.splitlines(), ""]
        at = next(i for i, (a, b) in enumerate(zip(now, then, strict=False)) if a != b)
        pytest.fail(
            f"{eval_set}/{name}: the draft changed from line {at + 1} on "
            f"(rewrite with SPECAGENT_UPDATE_GOLDEN=1 and review the diff)\n"
            f"now:    {now[at][:200]}\ngolden: {then[at][:200]}"
        )


def test_every_prototype_has_a_golden_draft_and_no_golden_draft_is_stale() -> None:
    expected = {f"{s}/{n}.md" for s, n, _ in TARGETS}
    present = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.md")}
    assert present == expected
