"""What the evidence panel is given: cited lines with context, notebook cells with outputs."""

from __future__ import annotations

import json

from specagent.spec.model import Citation
from specagent.tui.evidence import CONTEXT, block_for, lexer_for, notebook_cells

TEXT = "\n".join(f"line {n}" for n in range(1, 21)) + "\n"
NOTEBOOK = json.dumps(
    {
        "cells": [
            {"cell_type": "markdown", "source": ["# Eval"]},
            {
                "cell_type": "code",
                "source": ["acc = 0.83\n", "print(acc)"],
                "outputs": [{"output_type": "stream", "text": ["accuracy=0.83\n"]}],
            },
        ]
    }
)


def test_cited_lines_come_with_context_and_their_numbers() -> None:
    block = block_for(Citation(path="app.py", start_line=10, end_line=11), {"app.py": TEXT})
    assert block.first_line == 10 - CONTEXT and block.cited == (10, 11)
    assert (
        block.code.splitlines()[0] == f"line {10 - CONTEXT}" and block.code.splitlines()[-1] == f"line {11 + CONTEXT}"
    )
    assert block.lexer == "python" and not block.problem


def test_a_notebook_cell_is_shown_whole_with_its_outputs() -> None:
    block = block_for(Citation(path="eval.ipynb", start_line=1, end_line=1, cell=2), {"eval.ipynb": NOTEBOOK})
    assert block.cell == 2 and block.code == "acc = 0.83\nprint(acc)" and block.outputs == "accuracy=0.83"
    assert notebook_cells("not json") is None


def test_what_cannot_be_shown_says_why() -> None:
    assert "not readable" in block_for(Citation(path="gone.py", start_line=1, end_line=1), {}).problem
    past = block_for(Citation(path="app.py", start_line=99, end_line=99), {"app.py": TEXT})
    assert "past the end" in past.problem
    cell = block_for(Citation(path="eval.ipynb", start_line=1, end_line=1, cell=9), {"eval.ipynb": NOTEBOOK})
    assert "no such notebook cell" in cell.problem
    assert lexer_for("Dockerfile") == "docker" and lexer_for("x.unknown") == "text"
