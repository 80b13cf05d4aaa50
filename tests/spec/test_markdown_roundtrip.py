"""SPEC.md and spec.json both read back into the Spec that was written."""

from __future__ import annotations

from pathlib import Path

import pytest

from specagent.errors import SpecFileError
from specagent.spec.markdown import render_markdown
from specagent.spec.model import Spec, json_schema
from specagent.spec.reader import locate, read_markdown, read_spec

from .sample import sample_spec


def test_json_round_trip_is_lossless() -> None:
    spec = sample_spec()
    assert Spec.model_validate_json(spec.model_dump_json()) == spec


def test_markdown_round_trip_with_companion_is_lossless() -> None:
    spec = sample_spec()
    back = read_markdown(render_markdown(spec), companion=spec)
    assert back == spec


def test_markdown_round_trip_without_companion_keeps_everything_a_person_sees() -> None:
    spec = sample_spec()
    back = read_markdown(render_markdown(spec))
    # Only what SPEC.md does not show may differ: warnings and the parsed baseline unit.
    assert back.model_dump(exclude={"meta": {"warnings"}}) == spec.model_dump(exclude={"meta": {"warnings"}})


def test_person_edit_is_read_back(tmp_path: Path) -> None:
    md = render_markdown(sample_spec())
    edited = md.replace("the `ask` route shall answer.", "the `ask` route shall answer within 2 s.")
    edited = edited.replace("- **FR-001** (must, observed)", "- **FR-001** (must, observed, locked)")
    path = tmp_path / "SPEC.md"
    path.write_text(edited, encoding="utf-8")
    spec = read_spec(path)
    fr = spec.requirements[0]
    assert fr.statement.endswith("within 2 s.") and fr.locked
    assert (
        locate(path)["FR-001"]
        == edited.split("\n").index(next(ln for ln in edited.split("\n") if "**FR-001**" in ln)) + 1
    )


def test_links_are_relative_and_encoded() -> None:
    md = render_markdown(sample_spec(), root_rel="..")
    assert "[app/main.py:3-9](../app/main.py#L3-L9)" in md
    assert "(../my%20dir/tr%C3%A4nkle.py#L1" in md
    assert '[nb.ipynb cell 4](../nb.ipynb#cell-4-L1-L3 "accuracy: 0.847")' in md
    assert "```mermaid" in md and "n_app --> n_openai" in md


def test_unreadable_spec_gives_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(SpecFileError, match="no such file"):
        read_spec(tmp_path / "missing.md")
    bad = tmp_path / "spec.json"
    bad.write_text('{"requirements": [{"id": "nope"}]}')
    with pytest.raises(SpecFileError, match=r"requirements\.0"):
        read_spec(bad)


def test_schema_names_every_section() -> None:
    props = json_schema()["properties"]
    for key in (
        "meta",
        "overview",
        "user_stories",
        "requirements",
        "interfaces",
        "data_contracts",
        "metrics",
        "constraints",
        "dependencies",
        "architecture",
        "risks",
        "open_questions",
    ):
        assert key in props
