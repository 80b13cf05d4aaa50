"""Validation repairs, demotes or drops: nothing that fails is silently kept."""

from __future__ import annotations

from specagent.pipeline.validate import validate_spec
from specagent.spec.model import Citation, Dependency, Risk, Spec

TEXTS = {"app.py": "import os\nKEY = os.getenv('API_KEY')\nprint(KEY)\n"}


def test_citation_past_the_end_is_clamped_and_bad_quote_removed() -> None:
    spec = Spec(
        dependencies=[
            Dependency(
                id="DEP-001",
                kind="env_var",
                name="API_KEY",
                sources=[Citation(path="app.py", start_line=2, end_line=40, quote="not there")],
            )
        ]
    )
    warnings = validate_spec(spec, TEXTS)
    cite = spec.dependencies[0].sources[0]
    assert (cite.start_line, cite.end_line, cite.quote) == (2, 3, None)
    assert any("quote" in w for w in warnings)


def test_observed_item_without_resolvable_citation_becomes_open_question() -> None:
    spec = Spec(
        dependencies=[
            Dependency(
                id="DEP-001",
                kind="package",
                name="ghost",
                sources=[Citation(path="missing.py", start_line=1, end_line=1)],
            )
        ]
    )
    warnings = validate_spec(spec, TEXTS)
    assert spec.dependencies == []
    assert spec.open_questions and "ghost" in spec.open_questions[0].question
    assert any("missing.py" in w for w in warnings) and any("open question" in w for w in warnings)


def test_inferred_item_without_sources_is_kept_and_locked_items_untouched() -> None:
    risk = Risk(id="RK-001", title="No tests", provenance="inferred")
    locked = Dependency(
        id="DEP-001",
        kind="package",
        name="x",
        locked=True,
        sources=[Citation(path="nowhere.py", start_line=9, end_line=9)],
    )
    spec = Spec(risks=[risk], dependencies=[locked])
    warnings = validate_spec(spec, TEXTS)
    assert spec.risks == [risk] and spec.dependencies == [locked]
    assert warnings == [
        "DEP-001 (locked): citation nowhere.py:9 no longer resolves: nowhere.py is not in the prototype"
    ]


def test_notebook_citation_checks_cells_and_outputs() -> None:
    import json

    nb = json.dumps(
        {
            "cells": [
                {
                    "cell_type": "code",
                    "source": "print(acc)",
                    "outputs": [{"output_type": "stream", "name": "stdout", "text": "accuracy: 0.9\n"}],
                }
            ],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )
    good = Citation(path="nb.ipynb", start_line=1, end_line=1, cell=1, quote="accuracy: 0.9")
    bad_cell = Citation(path="nb.ipynb", start_line=1, end_line=1, cell=3)
    spec = Spec(dependencies=[Dependency(id="DEP-001", kind="package", name="a", sources=[good, bad_cell])])
    warnings = validate_spec(spec, {"nb.ipynb": nb})
    assert spec.dependencies[0].sources == [good]
    assert any("cells" in w for w in warnings)
