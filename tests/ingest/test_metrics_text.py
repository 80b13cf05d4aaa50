"""Metric extraction from free text: the shapes people print, and the look-alikes they also print."""

from __future__ import annotations

import pytest

from specagent.ingest.metric_names import is_metric_name, normalise_name
from specagent.ingest.metrics_text import find_metrics


def _one(text: str):
    found = find_metrics(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "name", "value", "unit"),
    [
        ("accuracy: 0.83", "accuracy", 0.83, None),
        ("accuracy = 0.83", "accuracy", 0.83, None),
        ("accuracy 0.83", "accuracy", 0.83, None),
        ("F1 (macro): 0.78", "f1 macro", 0.78, None),
        ("Test accuracy: 87.5%", "test accuracy", 87.5, "%"),
        ("p95 latency: 412 ms", "p95 latency", 412.0, "ms"),
        ("cost per 1k: $0.42", "cost per 1k", 0.42, "$"),
        ("RMSE=12.3", "rmse", 12.3, None),
        ("ROC AUC = 0.912", "roc auc", 0.912, None),
        ("Training time: 12.4 s", "training time", 12.4, "s"),
        ("val_acc 0.91", "val acc", 0.91, None),
        ("R^2 = 0.91", "r2", 0.91, None),
        ("recall@10: 0.64", "recall@10", 0.64, None),
        ("hit rate@5: 0.91 (42/46 in-scope questions)", "hit rate@5", 0.91, None),
        ("Mean absolute error: 3.21", "mean absolute error", 3.21, None),
        ("churn rate: 26.5%", "churn rate", 26.5, "%"),
        ("peak memory: 781.4 MB", "peak memory", 781.4, "MB"),
        ('"latency_ms": 412,', "latency", 412.0, "ms"),
        ("The model reached 87.5% accuracy on the holdout", "accuracy", 87.5, "%"),
        ("cost per 1,000 questions: $0.30", "cost per 1,000 questions", 0.3, "$"),
        ("Accuracy is 0.83", "accuracy", 0.83, None),
        ("pandas RSS growth: 1562.3 MB", "pandas rss growth", 1562.3, "MB"),
        ("inference latency (gb): 24.1 ms per 1,000 rows", "inference latency", 24.1, "ms per 1,000 rows"),
    ],
)
def test_recognised_shapes(text: str, name: str, value: float, unit: str | None) -> None:
    m = _one(text)
    assert (m.name, m.value, m.unit) == (name, value, unit)
    assert m.raw in text  # the exact matched substring
    assert m.line == 1


def test_raw_is_exact_and_lines_count_from_one() -> None:
    text = "Epoch 3/10\nloss: 0.3124 - accuracy: 0.8812 - val_loss: 0.4012\n"
    found = find_metrics(text)
    assert [(m.name, m.value, m.line) for m in found] == [
        ("loss", 0.3124, 2),
        ("accuracy", 0.8812, 2),
        ("val loss", 0.4012, 2),
    ]
    assert [m.raw for m in found] == ["loss: 0.3124", "accuracy: 0.8812", "val_loss: 0.4012"]
    assert found[2].split == "val"


def test_dict_reprs() -> None:
    found = find_metrics("{'accuracy': 0.83, 'f1': 0.71, 'auc': np.float64(0.9)}")
    assert [(m.name, m.value) for m in found] == [("accuracy", 0.83), ("f1", 0.71), ("auc", 0.9)]
    assert found[2].raw == "'auc': np.float64(0.9)"


def test_classification_report() -> None:
    report = """              precision    recall  f1-score   support

           0       0.85      0.90      0.87       100
           1       0.80      0.72      0.76        60

    accuracy                           0.83       160
   macro avg       0.82      0.81      0.82       160
weighted avg       0.83      0.83      0.83       160
"""
    by_name = {m.name: m for m in find_metrics(report)}
    assert by_name["accuracy"].value == 0.83
    assert by_name["macro avg f1"].value == 0.82
    assert by_name["weighted avg precision"].line == 8
    # with summary rows, each column's classes give their weakest (and strongest) row only
    assert by_name["recall"].value == 0.72 and by_name["recall"].row is not None
    assert not any(name.startswith("class ") for name in by_name)
    assert len(by_name) == 10  # precision, recall, f1 + accuracy + 2 averages x 3
    assert all(m.raw in report for m in by_name.values())


def test_context_from_a_label_line_and_from_parentheses() -> None:
    text = "LogisticRegression\naccuracy: 0.744\nrecall: 0.794\n\nlatency (gb): 24.1 ms\n"
    found = find_metrics(text)
    assert [(m.name, m.context) for m in found] == [
        ("accuracy", "LogisticRegression"),
        ("recall", "LogisticRegression"),
        ("latency", "gb"),
    ]


def test_split_from_the_line() -> None:
    m = find_metrics("Test set: accuracy=0.83, f1=0.71")
    assert [x.split for x in m] == ["test", "test"]


def test_results_tables() -> None:
    pipe = "| Model | Accuracy | p95 latency (ms) | Notes |\n|---|---|---|---|\n| logreg | 0.81 | 120 | ok |\n"
    found = find_metrics(pipe)
    assert [(m.name, m.value, m.unit, m.context) for m in found] == [
        ("accuracy", 0.81, None, "logreg"),
        ("p95 latency", 120.0, "ms", "logreg"),
    ]
    printed = (
        "        accuracy  precision  recall\n"
        "logreg     0.744      0.511   0.794\n"
        "gb         0.810      0.677   0.543\n"
    )
    found = find_metrics(printed)
    assert [(m.name, m.value, m.context) for m in found][-3:] == [
        ("accuracy", 0.81, "gb"),
        ("precision", 0.677, "gb"),
        ("recall", 0.543, "gb"),
    ]


def test_a_data_preview_is_not_a_results_table() -> None:
    preview = (
        "   order_id  customer  country  cost  quantity\n"
        "0      1001     alice       US  19.9         2\n"
        "1      1002       bob       DE   5.5         1\n"
    )
    assert find_metrics(preview) == []


NOT_METRICS = """Epoch 3/10
prompt tokens: 61,240
Senior Architect: $310
Python 3.11.4
scikit-learn 1.3.0
2024-01-15 12:30:01 INFO Loaded 7043 rows
(7043, 21)
  File "/tmp/x.py", line 42, in <module>
max_tokens = 512
max_tokens: 512
temperature: 0.2
n_estimators=100, random_state=42
Target accuracy: 0.90
p95 latency must be under 500 ms
The accuracy should be at least 0.9
accuracy >= 0.9
We want 95% accuracy
Step 100/1000
memory usage: 1.2+ MB
time: 12:30
Precision at k=5
Released on 2023-10-01
Version: 2.1
threshold: 0.5
batch_size: 32
lr = 0.001
learning rate: 0.001
RangeIndex: 7043 entries, 0 to 7042
seed = 42
port: 8000
timeout: 30
top_k: 5
Accuracy improved from 0.81 to 0.85
The accuracy score was computed with sklearn 1.3
recall = TP / (TP + FN)
git sha 3f786850e387550fdab836ed7e6dc881de23001b
latency p95 < 500ms
cost must stay under $0.01 per request
same run on gpt-4-turbo would be: $1.89
100%|██████████| 50/50 [01:53<00:00,  2.27s/it]
ValueError: Found input variables with inconsistent numbers of samples: [100, 99]
dtypes: float64(3), int64(2), object(16)
 0   customerID        7043 non-null   object
Name: Churn, dtype: int64
"""


@pytest.mark.parametrize("line", NOT_METRICS.strip().split("\n"))
def test_look_alikes_yield_nothing(line: str) -> None:
    assert find_metrics(line) == []


def test_look_alikes_together_yield_nothing() -> None:
    assert find_metrics(NOT_METRICS) == []


def test_names() -> None:
    assert normalise_name("F1 (macro)") == "f1 macro"
    assert normalise_name("val_acc") == "val acc"
    assert normalise_name("R²") == "r2"
    assert is_metric_name("p95 latency")
    assert is_metric_name("inference", "ms")
    assert not is_metric_name("inference")
    assert not is_metric_name("n estimators")


def test_never_raises_on_odd_input() -> None:
    for text in ("", "\x00\x01", "accuracy: " + "9" * 5000, "(" * 10_000, "a: 1\n" * 3):
        find_metrics(text)


@pytest.mark.parametrize(
    ("text", "name", "unit", "raw"),
    [
        (
            "inference latency (logreg): 8.7 ms per 1,000 rows",
            "inference latency",
            "ms per 1,000 rows",
            "inference latency (logreg): 8.7 ms per 1,000 rows",
        ),
        ("cost: $0.30 per 1,000 questions.", "cost", "$ per 1,000 questions", "cost: $0.30 per 1,000 questions"),
        ("prompt tokens: 812 tokens per request", "prompt tokens", "tokens per request", None),
        ("p95 latency: 412 ms per call", "p95 latency", "ms per call", None),
        ("p95 latency: 412 ms", "p95 latency", "ms", "p95 latency: 412 ms"),
    ],
)
def test_a_denominator_after_the_unit_stays_with_it(text: str, name: str, unit: str, raw: str | None) -> None:
    m = _one(text)
    assert (m.name, m.unit) == (name, unit)
    assert m.raw == (raw or text)


def test_a_hedge_word_is_no_metric_name() -> None:
    assert find_metrics("about $0.30 per 1,000 questions") == []


@pytest.mark.parametrize(
    ("text", "name", "context"),
    [
        ("Answer accuracy 0.84 on the 50-question set", "answer accuracy", None),
        ("Retrieval latency: 212 ms", "retrieval latency", None),
        ("XGBoost accuracy: 0.81", "accuracy", "XGBoost"),
        ("LogisticRegression recall: 0.79", "recall", "LogisticRegression"),
        ("gpt-4o-mini accuracy: 0.84", "accuracy", "gpt-4o-mini"),
        ("accuracy (judge): 0.84", "accuracy", "judge"),
        ("model: gpt-4o-mini, accuracy: 0.84", "accuracy", "gpt-4o-mini"),
    ],
)
def test_context_only_when_it_names_a_model(text: str, name: str, context: str | None) -> None:
    m = _one(text)
    assert (m.name, m.context) == (name, context)


def test_context_from_a_model_line_not_from_a_generic_title() -> None:
    found = find_metrics("model: gpt-4o-mini\naccuracy: 0.84\n\nResults:\nrecall: 0.7\n")
    assert [(m.name, m.context) for m in found] == [("accuracy", "gpt-4o-mini"), ("recall", None)]


def test_a_per_item_printed_table_gives_no_metrics() -> None:
    per_sku = (
        "         sku   mape  rmse  mean_daily_units\n"
        "41  GRD-0107  63.50  1.92              1.40\n"
        "57  TLS-0588  58.10  2.40              2.10\n"
        "12  GRD-0230  52.70  3.05              3.30\n"
    )
    assert find_metrics(per_sku) == []
    by_id = "      mape  rmse\nGRD-0107  63.50  1.92\nCUST-00042  58.10  2.40\n2024-06-01  52.70  3.05\n"
    assert find_metrics(by_id) == []


def test_a_per_item_pipe_table_keeps_only_its_summary_row() -> None:
    table = (
        "| sku | MAPE | RMSE |\n|---|---|---|\n"
        "| GRD-0107 | 63.5 | 1.92 |\n| TLS-0588 | 58.1 | 2.40 |\n| **mean** | 26.9 | 4.61 |\n"
    )
    found = find_metrics(table)
    assert [(m.name, m.value, m.context, m.line) for m in found] == [
        ("mean mape", 26.9, None, 5),
        ("mean rmse", 4.61, None, 5),
    ]
    numbered = "| # | accuracy |\n|---|---|\n| 1 | 0.80 |\n| 2 | 0.82 |\n"
    assert find_metrics(numbered) == []


def test_model_and_split_rows_of_a_table() -> None:
    table = (
        "|  | model | accuracy | f1 |\n|---|---|---|---|\n"
        "| 0 | logreg | 0.74 | 0.62 |\n| 1 | GradientBoosting | 0.81 | 0.60 |\n"
    )
    assert [(m.name, m.value, m.context) for m in find_metrics(table)] == [
        ("accuracy", 0.74, "logreg"),
        ("f1", 0.62, "logreg"),
        ("accuracy", 0.81, "GradientBoosting"),
        ("f1", 0.6, "GradientBoosting"),
    ]
    splits = "split  accuracy\ntrain     0.91\ntest      0.83\n"
    assert [(m.name, m.value, m.split, m.context) for m in find_metrics(splits)] == [
        ("accuracy", 0.91, "train", None),
        ("accuracy", 0.83, "test", None),
    ]


def test_a_printed_row_closed_up_by_a_long_label_still_parses() -> None:
    printed = (
        "          method  accuracy  latency_ms\n"
        "0          logreg     0.744         8.7\n"
        "1 gradient_boost     0.810        24.1\n"
    )
    found = find_metrics(printed)
    assert [(m.name, m.value, m.unit, m.context) for m in found] == [
        ("accuracy", 0.744, None, "logreg"),
        ("latency", 8.7, "ms", "logreg"),
        ("accuracy", 0.81, None, "gradient_boost"),
        ("latency", 24.1, "ms", "gradient_boost"),
    ]


def test_a_metric_after_model_is_not_a_model() -> None:
    found = find_metrics("model: accuracy 0.84, f1 0.7")
    assert [(m.name, m.context) for m in found] == [("accuracy", None), ("f1", None)]
