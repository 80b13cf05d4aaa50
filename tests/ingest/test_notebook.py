"""Notebook parser: cells, outputs (metrics, dataframes, errors), Python facts per cell, bad input."""

from __future__ import annotations

import json

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from specagent.ingest.models import ChunkKind, Fact, FactKind, ParseResult
from specagent.ingest.notebook import parse_notebook
from specagent.spec.model import Citation
from specagent.spec.resolve import resolve

PATH = "notebooks/model.ipynb"


def _stream(text: str) -> dict:
    return new_output("stream", name="stdout", text=text)


def _result(plain: str, html: str | None = None, n: int = 1) -> dict:
    data = {"text/plain": plain}
    if html:
        data["text/html"] = html
    return new_output("execute_result", data=data, execution_count=n)


def _write(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb)


def _notebook() -> str:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        new_markdown_cell("# Churn model\n\nWe must beat the baseline.\n\n## Data"),  # 1
        new_code_cell(
            "import pandas as pd\n\ndf = pd.read_csv('data/customers.csv')\ndf.shape",
            outputs=[_result("(7043, 21)")],
        ),  # 2
        new_code_cell(
            "df.head()",
            outputs=[
                _result(
                    "   customerID  tenure\n0  7590-VHVEG       1\n\n[5 rows x 2 columns]",
                    '<table border="1" class="dataframe"><thead><tr style="text-align: right;">'
                    "<th></th><th>customerID</th><th>tenure</th></tr></thead><tbody></tbody>"
                    "</table>",
                )
            ],
        ),  # 3
        new_code_cell(
            "df.columns",
            outputs=[_result("Index(['customerID', 'tenure', 'Churn'], dtype='object')")],
        ),  # 4
        new_code_cell(
            "def evaluate(model):\n    '''Score on the test split.'''\n    return model\n\n"
            "print('LogisticRegression')\nprint(report)",
            outputs=[_stream("LogisticRegression\naccuracy: 0.847\nROC AUC = 0.912\np95 latency: 412 ms\n")],
        ),  # 5
        new_code_cell(
            "history = model.fit(X, y, epochs=3)",
            outputs=[
                _stream(
                    "Epoch 1/3\nloss: 0.61 - accuracy: 0.70\nEpoch 2/3\nloss: 0.45 - accuracy: 0.79\n"
                    "Epoch 3/3\nloss: 0.40 - accuracy: 0.83\n"
                )
            ],
        ),  # 6
        new_code_cell(
            "df['TotalCharges'].astype(float)",
            outputs=[
                new_output(
                    "error",
                    ename="ValueError",
                    evalue="could not convert string to float: ' '",
                    traceback=["\x1b[0;31mValueError\x1b[0m: could not convert string to float"],
                )
            ],
        ),  # 7
        new_code_cell(
            "%matplotlib inline\n!pip install -q seaborn\nimport os\n\ndef plot_churn(frame):\n"
            "    %time frame.plot()\n    return frame\n",
            outputs=[],
        ),  # 8
        new_code_cell("%%bash\necho this is not python", outputs=[_stream("this is not python\n")]),
        new_code_cell("{'accuracy': 0.83, 'f1': 0.71}", outputs=[_result("{'accuracy': 0.83, 'f1': 0.71}")]),
    ]
    return _write(nb)


def _by_kind(result: ParseResult, kind: FactKind) -> list[Fact]:
    return [f for f in result.facts if f.kind is kind]


def _resolves(text: str, result: ParseResult) -> None:
    texts = {PATH: text}
    for fact in result.facts:
        span = fact.source.span
        problem = resolve(
            Citation(
                path=PATH,
                start_line=span.start_line,
                end_line=span.end_line,
                cell=span.cell,
                quote=fact.source.quote,
            ),
            texts,
        )
        assert problem is None, (fact, problem)
    for chunk in result.chunks:
        span = chunk.span
        citation = Citation(path=PATH, start_line=span.start_line, end_line=span.end_line, cell=span.cell)
        assert resolve(citation, texts) is None, chunk


def test_metrics_from_outputs_cite_the_cell_and_quote_the_output() -> None:
    text = _notebook()
    result = parse_notebook(PATH, text)
    assert result.warnings == []
    metrics = {(f.source.span.cell, f.name): f for f in _by_kind(result, FactKind.METRIC)}
    acc = metrics[(5, "accuracy")]
    assert acc.detail.value == 0.847
    assert acc.detail.context == "LogisticRegression"
    assert acc.source.quote == "accuracy: 0.847"
    assert (acc.source.span.start_line, acc.source.span.end_line) == (1, 6)
    assert metrics[(5, "roc auc")].detail.raw == "ROC AUC = 0.912"
    assert metrics[(5, "p95 latency")].detail.unit == "ms"
    # Per cell, the last value of a metric wins (the final epoch).
    assert metrics[(6, "accuracy")].detail.value == 0.83
    assert metrics[(6, "loss")].detail.value == 0.40
    assert len([k for k in metrics if k[0] == 6]) == 2
    assert metrics[(10, "f1")].detail.value == 0.71  # an execute_result dict repr
    _resolves(text, result)


def test_dataframe_shapes_and_columns() -> None:
    result = parse_notebook(PATH, _notebook())
    frames = {f.source.span.cell: f for f in _by_kind(result, FactKind.DATAFRAME)}
    assert frames[2].detail.model_dump() == {
        "shape": [7043, 21],
        "columns": [],
        "variable": "df",
        "loaded_from": "data/customers.csv",
    }
    assert frames[2].source.quote == "(7043, 21)"
    assert frames[3].detail.shape == [5, 2]
    assert frames[3].detail.columns == ["customerID", "tenure"]
    assert frames[4].detail.columns == ["customerID", "tenure", "Churn"]
    assert frames[4].detail.variable == "df"


def test_error_output() -> None:
    result = parse_notebook(PATH, _notebook())
    errors = _by_kind(result, FactKind.ERROR_OUTPUT)
    assert [(f.source.span.cell, f.name, f.detail.evalue) for f in errors] == [
        (7, "ValueError", "could not convert string to float: ' '")
    ]


def test_markdown_cells_become_notes() -> None:
    result = parse_notebook(PATH, _notebook())
    sections = _by_kind(result, FactKind.NOTE_SECTION)
    assert [(f.name, f.source.span.cell, f.detail.doc_title) for f in sections] == [
        ("Churn model", 1, "Churn model"),
        ("Data", 1, "Churn model"),
    ]
    lines = _by_kind(result, FactKind.NOTE_LINE)
    assert [(f.detail.cue, f.source.span.cell, f.source.span.start_line) for f in lines] == [("must", 1, 3)]


def test_python_facts_are_remapped_to_cells_and_magics_keep_line_numbers() -> None:
    result = parse_notebook(PATH, _notebook())
    functions = {f.name: f for f in _by_kind(result, FactKind.FUNCTION)}
    assert functions["evaluate"].source.span.cell == 5
    assert functions["evaluate"].source.span.start_line == 1
    plot = functions["plot_churn"].source.span
    assert (plot.cell, plot.start_line) == (8, 5)  # after the two magic lines
    imports = {(f.name, f.source.span.cell) for f in _by_kind(result, FactKind.IMPORT)}
    assert ("pandas", 2) in imports and ("os", 8) in imports
    # Every Python fact now points into a cell.
    assert all(f.source.span.cell is not None for f in result.facts)


def test_chunks_one_per_cell_with_outputs() -> None:
    result = parse_notebook(PATH, _notebook())
    cells = [c.span.cell for c in result.chunks]
    assert cells == list(range(1, 11))
    assert all(c.kind is ChunkKind.CELL for c in result.chunks)
    cell5 = result.chunks[4]
    assert cell5.text.startswith("def evaluate(model):")
    assert "accuracy: 0.847" in cell5.text  # the output summary rides along
    assert "evaluate" in cell5.symbols
    error_chunk = result.chunks[6]
    assert "ValueError: could not convert" in error_chunk.text


def test_missing_kernelspec_defaults_to_python() -> None:
    nb = new_notebook()
    nb.cells = [new_code_cell("import requests\n\ndef fetch():\n    return 1\n")]
    result = parse_notebook("a.ipynb", _write(nb))
    assert result.warnings == []
    assert [f.name for f in _by_kind(result, FactKind.FUNCTION)] == ["fetch"]


def test_non_python_kernel_skips_python_facts() -> None:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "ir", "display_name": "R", "language": "R"}
    nb.cells = [new_code_cell("library(dplyr)\nprint('accuracy: 0.5')", outputs=[_stream("accuracy: 0.5\n")])]
    result = parse_notebook("a.ipynb", _write(nb))
    assert _by_kind(result, FactKind.FUNCTION) == [] and _by_kind(result, FactKind.IMPORT) == []
    assert [f.detail.value for f in _by_kind(result, FactKind.METRIC)] == [0.5]


def test_invalid_json() -> None:
    result = parse_notebook("broken.ipynb", '{"cells": [ {"cell_type": "code", ')
    assert result.facts == [] and result.chunks == []
    assert len(result.warnings) == 1
    assert result.warnings[0].message.startswith("not valid notebook JSON: ")


def test_json_that_is_not_a_notebook() -> None:
    result = parse_notebook("x.ipynb", '{"hello": "world"}')
    assert result.facts == [] and len(result.warnings) == 1


def test_validation_error_warns_but_parses() -> None:
    nb = json.loads(_notebook())
    nb["cells"][1]["execution_count"] = "seven"  # the schema wants an int
    text = json.dumps(nb)
    result = parse_notebook(PATH, text)
    assert len(result.warnings) == 1
    assert "validation" in result.warnings[0].message
    assert _by_kind(result, FactKind.DATAFRAME)  # facts still come through


def test_v3_notebook_is_upgraded() -> None:
    v3 = {
        "metadata": {"name": "old"},
        "nbformat": 3,
        "nbformat_minor": 0,
        "worksheets": [
            {
                "cells": [
                    {"cell_type": "heading", "level": 1, "metadata": {}, "source": "Old notebook"},
                    {
                        "cell_type": "code",
                        "collapsed": False,
                        "input": "print('rmse: 12.3')",
                        "language": "python",
                        "metadata": {},
                        "outputs": [{"output_type": "stream", "stream": "stdout", "text": "rmse: 12.3\n"}],
                        "prompt_number": 1,
                    },
                ],
                "metadata": {},
            }
        ],
    }
    text = json.dumps(v3)
    result = parse_notebook("old.ipynb", text)
    metrics = _by_kind(result, FactKind.METRIC)
    assert [(f.name, f.detail.value, f.source.span.cell) for f in metrics] == [("rmse", 12.3, 2)]
    assert [f.name for f in _by_kind(result, FactKind.NOTE_SECTION)] == ["Old notebook"]
    problem = resolve(
        Citation(path="old.ipynb", start_line=1, end_line=1, cell=2, quote="rmse: 12.3"),
        {"old.ipynb": text},
    )
    assert problem is None


def test_cell_with_syntax_error_is_skipped_with_a_warning() -> None:
    nb = new_notebook()
    nb.cells = [
        new_code_cell("def ok():\n    return 1"),
        new_code_cell("def broken(:\n    pass"),
        new_code_cell("def also_ok():\n    return 2"),
    ]
    result = parse_notebook("a.ipynb", _write(nb))
    names = {(f.name, f.source.span.cell) for f in _by_kind(result, FactKind.FUNCTION)}
    assert names == {("ok", 1), ("also_ok", 3)}
    assert [w.message.split(":")[0] for w in result.warnings] == ["cell 2"]


def test_empty_and_odd_notebooks() -> None:
    assert parse_notebook("e.ipynb", _write(new_notebook())).facts == []
    for text in ("", "null", "[]", '{"nbformat": 9, "cells": []}', "\x00"):
        result = parse_notebook("odd.ipynb", text)
        assert isinstance(result, ParseResult) and result.warnings


def test_html_only_results_table() -> None:
    # A pandas Styler displays only HTML; its text/plain is an object repr.
    html = (
        '<style type="text/css"></style><table id="T_1"><thead><tr><th class="blank"></th>'
        "<th>accuracy</th><th>p95 latency (ms)</th></tr></thead><tbody>"
        "<tr><th>logreg</th><td>0.810</td><td>120</td></tr>"
        "<tr><th>gb</th><td>0.851</td><td>340</td></tr></tbody></table>"
    )
    nb = new_notebook()
    nb.cells = [
        new_code_cell(
            "summary.style.highlight_max()",
            outputs=[_result("<pandas.io.formats.style.Styler at 0x7f>", html)],
        )
    ]
    text = _write(nb)
    result = parse_notebook("r.ipynb", text)
    metrics = [
        (f.name, f.detail.value, f.detail.unit, f.detail.context, f.source.quote)
        for f in _by_kind(result, FactKind.METRIC)
    ]
    assert metrics == [
        ("accuracy", 0.81, None, "logreg", "0.810"),
        ("p95 latency", 120.0, "ms", "logreg", "120"),
        ("accuracy", 0.851, None, "gb", "0.851"),
        ("p95 latency", 340.0, "ms", "gb", "340"),
    ]
    for fact in _by_kind(result, FactKind.METRIC):
        citation = Citation(path="r.ipynb", start_line=1, end_line=1, cell=1, quote=fact.source.quote)
        assert resolve(citation, {"r.ipynb": text}) is None


def test_html_table_with_a_text_repr_quotes_the_printed_row() -> None:
    html = (
        '<table border="1" class="dataframe"><thead><tr><th></th><th>step</th><th>seconds</th>'
        "<th>rows_per_s</th><th>memory_mb</th></tr></thead><tbody>"
        "<tr><th>0</th><td>read_csv</td><td>2.91</td><td>343643</td><td>412.7</td></tr>"
        "<tr><th>1</th><td>pandas_clean</td><td>1.84</td><td>543478</td><td>1562.3</td></tr>"
        "</tbody></table>"
    )
    plain = (
        "           step  seconds  rows_per_s  memory_mb\n"
        "0      read_csv     2.91      343643      412.7\n"
        "1  pandas_clean     1.84      543478     1562.3"
    )
    nb = new_notebook()
    nb.cells = [
        new_code_cell("print(f'pandas RSS growth: {mb:.1f} MB')", outputs=[_stream("pandas RSS growth: 1562.3 MB\n")]),
        new_code_cell("summary", outputs=[_result(plain, html)]),
    ]
    text = _write(nb)
    result = parse_notebook("b.ipynb", text)
    metrics = [
        (f.name, f.detail.value, f.detail.unit, f.detail.context, f.source.quote, f.source.span.cell)
        for f in _by_kind(result, FactKind.METRIC)
    ]
    assert metrics == [
        ("pandas rss growth", 1562.3, "MB", None, "pandas RSS growth: 1562.3 MB", 1),
        ("memory", 412.7, "MB", "read_csv", "0      read_csv     2.91      343643      412.7", 2),
        ("memory", 1562.3, "MB", "pandas_clean", "1  pandas_clean     1.84      543478     1562.3", 2),
    ]
    for fact in _by_kind(result, FactKind.METRIC):
        span = fact.source.span
        citation = Citation(path="b.ipynb", start_line=1, end_line=1, cell=span.cell, quote=fact.source.quote)
        assert resolve(citation, {"b.ipynb": text}) is None


def test_per_item_output_table_gives_no_metrics() -> None:
    plain = (
        "         sku   mape  rmse  mean_daily_units\n"
        "41  GRD-0107  63.50  1.92              1.40\n"
        "57  TLS-0588  58.10  2.40              2.10"
    )
    nb = new_notebook()
    nb.cells = [new_code_cell("per_sku.head(2)", outputs=[_result(plain)])]
    assert _by_kind(parse_notebook("f.ipynb", _write(nb)), FactKind.METRIC) == []


def test_cells_that_are_not_objects_are_skipped_with_one_line_each() -> None:
    good = new_markdown_cell("# Notes\n\n- TODO: label 300 more")
    text = json.dumps({"cells": ["x", dict(good)], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    result = parse_notebook("s.ipynb", text)
    assert [w.message for w in result.warnings] == ["cell 1 is not a notebook cell object; skipped"]
    # The good cell keeps its number: citations count cells in file order.
    assert {f.source.span.cell for f in result.facts} == {2}
    assert [f.detail.cue for f in _by_kind(result, FactKind.NOTE_LINE)] == ["todo"]
    bare = parse_notebook("b.ipynb", '{"cells": ["x"]}')
    assert [w.message for w in bare.warnings] == ["cell 1 is not a notebook cell object; skipped"]
    assert "attribute" not in " ".join(w.message for w in bare.warnings)


def test_odd_notebook_shapes_say_what_is_wrong() -> None:
    cases = {
        "[]": "not a notebook: the top level is a list, not an object",
        '{"cells": "x"}': "'cells' is not a list; no cells read",
        '{"nbformat": 99}': "not a notebook: unsupported nbformat 99",
    }
    for text, message in cases.items():
        assert [w.message for w in parse_notebook("o.ipynb", text).warnings] == [message]
    outputs = json.dumps(
        {
            "cells": [{"cell_type": "code", "source": "x", "metadata": {}, "outputs": ["bad", _stream("rmse: 1.5\n")]}],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )
    result = parse_notebook("o.ipynb", outputs)
    assert [w.message for w in result.warnings][:1] == ["cell 1: an output is not an output object; skipped"]
    assert [f.detail.value for f in _by_kind(result, FactKind.METRIC)] == [1.5]


def test_markdown_cell_cues_follow_the_notes_rules() -> None:
    nb = new_notebook()
    nb.cells = [
        new_markdown_cell(
            "Metrics: MAPE (see the FIXME in `app/forecast.py`) and RMSE.\n"
            "The idea: classify every review.\n\n"
            "## Who uses it\n\n- **Buyers**: check the forecast\n  before reordering.\n"
        )
    ]
    result = parse_notebook("m.ipynb", _write(nb))
    lines = [(f.detail.cue, f.detail.text, f.source.span.end_line) for f in _by_kind(result, FactKind.NOTE_LINE)]
    assert lines == [("user", "**Buyers**: check the forecast before reordering.", 7)]
