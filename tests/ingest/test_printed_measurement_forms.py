"""Printed measurement forms: labelled runs, paired parentheses, throughput and size units."""

from __future__ import annotations

from specagent.ingest.metrics_text import find_metrics


def _found(text: str) -> list[tuple[str, float, str | None, str | None]]:
    return [(m.name, m.value, m.unit, m.context) for m in find_metrics(text)]


def test_comma_label_keeps_two_runs_of_one_metric_apart() -> None:
    text = "rules alone, macro F1: 0.58\nrules + LLM, macro F1: 0.82\n"
    assert _found(text) == [
        ("macro f1", 0.58, None, "rules alone"),
        ("macro f1", 0.82, None, "rules + LLM"),
    ]


def test_colon_label_names_what_a_latency_measured() -> None:
    assert _found("end-to-end per document: p50 41.2 s, p95 187.5 s") == [
        ("p50", 41.2, "s", "end-to-end per document"),
        ("p95", 187.5, "s", "end-to-end per document"),
    ]


def test_epoch_and_split_labels_are_not_runs() -> None:
    assert _found("epoch 3: loss 0.21") == [("loss", 0.21, None, None)]
    assert _found("test: accuracy 0.91") == [("accuracy", 0.91, None, None)]


def test_paired_parenthesis_does_not_kill_the_metric() -> None:
    assert _found("Cohen's kappa (rater_a vs rater_b): 0.64") == [("kappa", 0.64, None, "rater_a vs rater_b")]
    assert _found("Cohen's kappa = 0.64") == [("kappa", 0.64, None, None)]


def test_things_per_time_is_a_throughput() -> None:
    assert _found("throughput: 38.6 pages/min") == [("throughput", 38.6, "pages/min", None)]
    assert _found("processed 1,200 docs/s") == [("throughput", 1200.0, "docs/s", None)]
    assert _found("images per hour: 5400") == [("images per hour", 5400.0, None, None)]


def test_size_with_a_size_unit_is_a_metric() -> None:
    assert _found("model size: 16.2 MB") == [("size", 16.2, "MB", None)]
    assert _found("checkpoint: 44.7 MB") == [("checkpoint", 44.7, "MB", None)]
    # Without a size unit "size" is a count or a setting, not a measurement.
    assert _found("batch size: 32") == []


def test_a_hyphenated_word_before_the_metric_belongs_to_its_name() -> None:
    found = [(m.name, m.value) for m in find_metrics("False-reject rate 5.8 %, missed-defect rate 8.6 %")]
    assert found == [("false reject rate", 5.8), ("missed defect rate", 8.6)]
    assert [(m.name, m.context) for m in find_metrics("gpt-4o accuracy 0.9")] == [("accuracy", "gpt-4o")]


def test_numbers_in_an_example_code_block_are_no_measurements() -> None:
    from specagent.ingest.models import FactKind
    from specagent.ingest.notes import parse_notes

    text = (
        "# Service\n\nAccuracy 0.91 on the test split.\n\nExample response:\n\n"
        '```json\n{"label": "scratch", "score": 0.71, "latency_ms": 57.9}\n```\n\n'
        "Last run:\n\n```\nMAPE 26.9%\n```\n"
    )
    metrics = [(f.name, f.detail.value) for f in parse_notes("README.md", text).facts if f.kind == FactKind.METRIC]
    assert metrics == [("accuracy", 0.91), ("mape", 26.9)]
