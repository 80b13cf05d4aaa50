"""A secret found in a notebook's JSON is cited by cell, as a reader sees the notebook."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from specagent.config import Settings
from specagent.ingest.models import FactKind
from specagent.ingest.notebook_cells import cell_position
from specagent.ingest.run import ingest
from specagent.ingest.secret_redaction import REDACTED
from specagent.ingest.secrets import redact

KEY = "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd"


def notebook_text(*, single_string_source: bool = False) -> str:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Try the API\nWith the team key."),
        nbformat.v4.new_code_cell(f'import openai\n\nclient = openai.OpenAI(api_key="{KEY}")\nprint("ok")'),
        nbformat.v4.new_code_cell(
            "print(settings)",
            outputs=[nbformat.v4.new_output("stream", text=f"db_password = 'hunter2-{KEY[8:30]}'\n")],
        ),
    ]
    text = nbformat.writes(nb)
    if single_string_source:  # some tools store each source as one string
        data = json.loads(text)
        for cell in data["cells"]:
            cell["source"] = "".join(cell["source"])
        text = json.dumps(data, indent=1)
    return text


@pytest.mark.parametrize("single", [False, True])
def test_a_secret_in_a_code_cell_is_cited_by_cell_and_line(single: bool) -> None:
    redacted = redact("try.ipynb", notebook_text(single_string_source=single))
    finding = next(f for f in redacted.findings if f.variable == "api_key")
    assert cell_position(redacted.text, finding.line, hint=REDACTED) == (2, 3)


def test_a_secret_in_an_output_cites_the_cell() -> None:
    redacted = redact("try.ipynb", notebook_text())
    lines = [f.line for f in redacted.findings if f.variable != "api_key"]
    assert lines, "the password printed in an output was not found"
    assert cell_position(redacted.text, lines[0], hint=REDACTED) == (3, 1)


def test_lines_outside_cells_and_other_text_have_no_position() -> None:
    text = notebook_text()
    metadata_line = next(i for i, row in enumerate(text.split("\n"), 1) if '"nbformat_minor"' in row)
    assert cell_position(text, metadata_line) is None
    assert cell_position(text, 0) is None and cell_position(text, 10_000) is None
    assert cell_position("not json\n", 1) is None
    assert cell_position('{"cells": "oops"}', 1) is None


def test_ingest_cites_notebook_secrets_by_cell(tmp_path: Path) -> None:
    (tmp_path / "try.ipynb").write_text(notebook_text(), encoding="utf-8")
    result = ingest(tmp_path, settings=Settings())
    secrets = [f for f in result.facts if f.kind == FactKind.SECRET]
    assert {(f.source.span.cell, f.source.span.start_line) for f in secrets} == {(2, 3), (3, 1)}
    assert KEY not in result.texts["try.ipynb"]
