"""Result tables in outputs: aligned text layout, breakdowns, sweeps, captions, HTML tables."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

from specagent.ingest.metrics_text import MetricMatch, RowPick, find_metrics
from specagent.ingest.models import FactKind
from specagent.ingest.notebook import parse_notebook
from specagent.ingest.text_tables import read_text_table
from specagent.spec.model import Citation
from specagent.spec.resolve import resolve

# A pandas repr with a named index, 6 rows: a breakdown, summarised per column.
PER_FIELD = """\
                support  precision  recall     f1
field
name                 30      0.828   0.800  0.814
tax_id               28      0.880   0.786  0.830
number               30      0.900   0.900  0.900
issued_on            30      0.867   0.867  0.867
amount_due           30      0.846   0.733  0.786
currency             30      0.933   0.933  0.933"""

# A sweep over a numeric column beside pandas' RangeIndex; the header is closed up.
SWEEP = """\
   threshold fallback_rate  accuracy  macro_f1
0        0.0          0.0%     0.854     0.838
1        0.5          2.4%     0.856     0.840
2        0.6          7.3%     0.859     0.845
3        0.7         18.9%     0.828     0.812"""

# No header names a metric: a column per model, under a caption.
PER_CLASS = """\
                 rules  small_llm  large_llm
billing           0.73       0.91       0.94
bug_report        0.61       0.88       0.91
account_access    0.69       0.80       0.84
feature_request   0.34       0.79       0.86
how_to            0.38       0.84       0.90"""


def _rows(found: list[MetricMatch]) -> list[tuple[str, float, str | None, str | None, RowPick | None]]:
    return [(m.name, m.value, m.unit, m.context, m.row) for m in found]


def _quoted(found: list[MetricMatch], text: str) -> None:
    lines = text.splitlines()
    for m in found:
        assert m.raw in lines[m.line - 1]


def test_layout_columns_from_character_positions() -> None:
    lines = [*SWEEP.splitlines(), "prices (USD per 1M tokens): {'small': {'input': 0.15}}"]
    table = read_text_table(lines, 0)
    assert table is not None
    assert table.header == ["", "threshold", "fallback_rate", "accuracy", "macro_f1"]
    assert table.rows[2] == (3, ["2", "0.6", "7.3%", "0.859", "0.845"])
    assert table.end == 5  # the printed line after the table is no row of it
    named = read_text_table(PER_FIELD.splitlines(), 0)
    assert named is not None and named.index_name == "field"
    assert named.rows[0] == (2, ["name", "30", "0.828", "0.800", "0.814"])
    spaced = (
        "                   micro_f1  p95_ms\n"
        "regex+layout only     0.791    4410\n"
        "with LLM fallback     0.852    4930\n"
    )
    table = read_text_table(spaced.splitlines(), 0)
    assert table is not None and [cells[0] for _, cells in table.rows] == ["regex+layout only", "with LLM fallback"]
    wide = "      name  p95 latency (ms)\n0   logreg                12\n1       gb                40\n"
    table = read_text_table(wide.splitlines(), 0)
    assert table is not None and table.header == ["", "name", "p95 latency (ms)"]
    assert read_text_table(["   accuracy  f1", "LogisticRegression scored well"], 0) is None


def test_a_breakdown_gives_one_metric_per_column_at_its_weakest_row() -> None:
    found = find_metrics(PER_FIELD)
    assert _rows(found) == [
        ("precision", 0.828, None, None, RowPick("name", "field", 6, "lowest", (("currency", "0.933"),))),
        ("recall", 0.733, None, None, RowPick("amount_due", "field", 6, "lowest", (("currency", "0.933"),))),
        ("f1", 0.786, None, None, RowPick("amount_due", "field", 6, "lowest", (("currency", "0.933"),))),
    ]
    assert found[1].raw == "amount_due           30      0.846   0.733  0.786"
    _quoted(found, PER_FIELD)


def test_lower_is_better_columns_nan_and_percentages() -> None:
    text = """\
               latency_ms  error_rate  recall
segment
enterprise          1,204        2.1%   0.870
smb                   980        3.4%     NaN
consumer              870        7.9%   0.655
public sector       1,530        4.0%   0.790
education             901        3.3%   0.812"""
    found = find_metrics(text)
    assert _rows(found) == [
        ("latency", 1530.0, "ms", None, RowPick("public sector", "segment", 5, "highest", (("consumer", "870"),))),
        ("error rate", 7.9, "%", None, RowPick("consumer", "segment", 5, "highest", (("enterprise", "2.1%"),))),
        ("recall", 0.655, None, None, RowPick("consumer", "segment", 4, "lowest", (("enterprise", "0.870"),))),
    ]
    _quoted(found, text)


def test_a_small_table_keeps_one_metric_per_row() -> None:
    text = "        system  accuracy  p95_ms\n0        rules     0.580     0.9\n1    small_llm     0.854  1480.0\n"
    assert _rows(find_metrics(text)) == [
        ("accuracy", 0.58, None, "rules", None),
        ("p95", 0.9, "ms", "rules", None),
        ("accuracy", 0.854, None, "small_llm", None),
        ("p95", 1480.0, "ms", "small_llm", None),
    ]


def test_a_sweep_gives_its_best_row_with_the_other_values() -> None:
    found = find_metrics(SWEEP)
    also = (("fallback_rate", "7.3%"), ("macro_f1", "0.845"))
    assert _rows(found) == [("accuracy", 0.859, None, None, RowPick("0.6", "threshold", 4, "best", also))]
    assert found[0].raw == "2        0.6          7.3%     0.859     0.845"
    by_k = "    recall@k  latency_ms\nk\n1      0.612         41\n5      0.874         55\n10     0.921         73\n"
    assert _rows(find_metrics(by_k)) == [
        ("recall@k", 0.921, None, None, RowPick("10", "k", 3, "best", (("latency_ms", "73"),)))
    ]
    history = (
        "       loss  accuracy  val_loss  val_accuracy\nepoch\n"
        "1     0.693     0.512     0.690         0.530\n2     0.401     0.832     0.470         0.790\n"
        "3     0.300     0.890     0.510         0.779\n"
    )
    best = find_metrics(history)
    assert [(m.name, m.value, m.split, m.row.label if m.row else None) for m in best] == [
        ("val accuracy", 0.79, "val", "2")
    ]


def test_a_caption_names_the_metric_of_a_table_of_numbers() -> None:
    expected = [
        ("recall", 0.34, None, "rules", RowPick("feature_request", None, 5, "lowest", (("billing", "0.73"),))),
        ("recall", 0.79, None, "small_llm", RowPick("feature_request", None, 5, "lowest", (("billing", "0.91"),))),
        ("recall", 0.84, None, "large_llm", RowPick("account_access", None, 5, "lowest", (("billing", "0.94"),))),
    ]
    assert _rows(find_metrics("Per-class recall:\n" + PER_CLASS)) == expected
    assert _rows(find_metrics(PER_CLASS, title="recall.round(2)  # per-class recall")) == expected
    assert find_metrics(PER_CLASS) == []  # no caption: nothing says what the numbers measure
    crosstab = "predicted  neg  pos\nlabel              \nneg         51    3\npos          3   67\n"
    assert find_metrics(crosstab, title="pd.crosstab(df.label, df.predicted)") == []


def test_a_table_whose_rows_name_the_metrics_is_read_turned() -> None:
    text = (
        "            logreg      gb\n"
        "accuracy     0.744   0.810\n"
        "recall       0.794   0.543\n"
        "support       1409    1409\n"
    )
    assert [(m.name, m.value, m.context, m.raw) for m in find_metrics(text)] == [
        ("accuracy", 0.744, "logreg", "accuracy     0.744   0.810"),
        ("recall", 0.794, "logreg", "recall       0.794   0.543"),
        ("accuracy", 0.81, "gb", "accuracy     0.744   0.810"),
        ("recall", 0.543, "gb", "recall       0.794   0.543"),
    ]
    pipe = "| | value |\n|---|---|\n| micro F1 | 0.852 |\n| pages per second | 0.42 |\n"
    assert [(m.name, m.value, m.context) for m in find_metrics(pipe)] == [
        ("micro f1", 0.852, None),
        ("pages per second", 0.42, None),
    ]


def test_total_is_a_summary_row_only_when_its_counts_add_up() -> None:
    summed = (
        "       support  recall\nclass\n"
        "a          100    0.90\nb           50    0.80\nc           30    0.70\n"
        "d           20    0.60\ne           10    0.50\ntotal      210    0.80\n"
    )
    assert [(m.name, m.value, m.row.label if m.row else None) for m in find_metrics(summed)] == [
        ("recall", 0.5, "e"),
        ("total recall", 0.8, None),
    ]
    # A field called "total" in a per-field table is a row like the others.
    field = summed.replace("total      210    0.80", "total       30    0.40")
    assert [(m.name, m.value, m.row.label if m.row else None) for m in find_metrics(field)] == [
        ("recall", 0.4, "total")
    ]


def test_classification_report_with_many_classes_is_summarised() -> None:
    report = """\
              precision    recall  f1-score   support

       anger       0.81      0.77      0.79        90
        fear       0.70      0.64      0.67        50
         joy       0.90      0.93      0.91       210
        love       0.66      0.58      0.62        40
    surprise       0.52      0.47      0.49        30

    accuracy                           0.84       420
   macro avg       0.72      0.68      0.70       420
"""
    found = find_metrics(report)
    assert [(m.name, m.value, m.row.label if m.row else None) for m in found] == [
        ("precision", 0.52, "surprise"),
        ("recall", 0.47, "surprise"),
        ("f1", 0.49, "surprise"),
        ("accuracy", 0.84, None),
        ("macro avg precision", 0.72, None),
        ("macro avg recall", 0.68, None),
        ("macro avg f1", 0.7, None),
    ]
    assert found[1].row == RowPick("surprise", "class", 5, "lowest", (("joy", "0.93"),))
    _quoted(found, report)


def test_a_long_pipe_table_keeps_its_summary_row() -> None:
    rows = "".join(
        f"| {c} | {v} | 10 |\n"
        for c, v in [("refunds", 0.92), ("shipping", 0.71), ("accounts", 0.85), ("billing", 0.88), ("returns", 0.64)]
    )
    text = "| category | accuracy | n |\n|---|---|---|\n" + rows + "| **overall** | 0.84 | 50 |\n"
    assert _rows(find_metrics(text)) == [
        ("accuracy", 0.64, None, None, RowPick("returns", "category", 5, "lowest", (("refunds", "0.92"),))),
        ("overall accuracy", 0.84, None, None, None),
    ]


def test_long_data_previews_and_per_item_tables_give_nothing() -> None:
    preview = "   order_id  customer  cost  quantity\n" + "".join(
        f"{i}      100{i}     name{i}   {i}.5         {i}\n" for i in range(8)
    )
    assert find_metrics(preview) == []
    per_sku = "         sku   mape  rmse\n" + "".join(f"{i}   SKU-010{i}  6{i}.50  1.9{i}\n" for i in range(6))
    assert find_metrics(per_sku) == []


def _result(plain: str, html: str | None = None) -> dict:
    data = {"text/plain": plain}
    if html:
        data["text/html"] = html
    return new_output("execute_result", data=data, execution_count=1)


def test_notebook_tables_cite_their_cell_and_quote_its_output() -> None:
    th = "".join(f"<th>{h}</th>" for h in ("precision", "recall"))
    body = "".join(
        f"<tr><th>{f}</th><td>{p}</td><td>{r}</td></tr>"
        for f, p, r in [
            ("name", 0.83, 0.80),
            ("tax_id", 0.88, 0.79),
            ("number", 0.90, 0.90),
            ("issued_on", 0.87, 0.87),
            ("amount_due", 0.85, 0.73),
        ]
    )
    styler = (
        f'<table id="T_1"><thead><tr><th class="blank"></th>{th}</tr>'
        f'<tr><th class="index_name">field</th><th></th><th></th></tr></thead><tbody>{body}</tbody></table>'
    )
    nb = new_notebook()
    nb.cells = [
        new_code_cell("per_field.round(3)", outputs=[_result(PER_FIELD)]),
        new_code_cell("recall.round(2)  # per-class recall", outputs=[_result(PER_CLASS)]),
        new_code_cell("per_field.style.highlight_min()", outputs=[_result("<Styler at 0x7f>", styler)]),
    ]
    text = nbformat.writes(nb)
    facts = [f for f in parse_notebook("eval.ipynb", text).facts if f.kind is FactKind.METRIC]
    got = [
        (f.source.span.cell, f.name, f.detail.value, f.detail.context, f.detail.row.label if f.detail.row else None)
        for f in facts
    ]
    assert got == [
        (1, "precision", 0.828, None, "name"),
        (1, "recall", 0.733, None, "amount_due"),
        (1, "f1", 0.786, None, "amount_due"),
        (2, "recall", 0.34, "rules", "feature_request"),
        (2, "recall", 0.79, "small_llm", "feature_request"),
        (2, "recall", 0.84, "large_llm", "account_access"),
        (3, "precision", 0.83, None, "name"),
        (3, "recall", 0.73, None, "amount_due"),
    ]
    assert facts[-1].detail.row.model_dump() == {
        "label": "amount_due",
        "key": "field",
        "rows": 5,
        "pick": "lowest",
        "also": [["number", "0.9"]],
    }
    for fact in facts:
        span = fact.source.span
        citation = Citation(path="eval.ipynb", start_line=1, end_line=1, cell=span.cell, quote=fact.source.quote)
        assert resolve(citation, {"eval.ipynb": text}) is None
