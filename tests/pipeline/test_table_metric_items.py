"""Success metrics from result tables: the row a summarised value comes from, and its twins."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from specagent.ingest.notebook import parse_notebook
from specagent.pipeline.offline.book import FactBook
from specagent.pipeline.offline.measures import metrics
from specagent.spec.model import Metric

PER_LAYOUT = """\
                  invoices  field_exact_match
layout
table_clean              9              0.988
letterhead_logo          4              0.917
two_column               4              0.889
multi_page               2              0.778
scanned_rotated          6              0.500"""

SWEEP = """\
   threshold fallback_rate  accuracy
0        0.5          2.4%     0.856
1        0.6          7.3%     0.859
2        0.7         18.9%     0.828"""

SMALL = "        system  field_exact_match\n0        rules              0.790\n1          llm              0.850\n"


def _metrics(*cells: tuple[str, str]) -> list[Metric]:
    nb = new_notebook()
    nb.cells = [
        new_code_cell(source, outputs=[new_output("execute_result", data={"text/plain": plain}, execution_count=1)])
        if plain
        else new_markdown_cell(source)
        for source, plain in cells
    ]
    facts = parse_notebook("eval.ipynb", nbformat.writes(nb)).facts
    return metrics(FactBook(list(facts), "proto"))


def _items(found: list[Metric]) -> list[tuple[str, str, str | None, list[int | None]]]:
    return [(m.name, m.definition, m.baseline.raw if m.baseline else None, [s.cell for s in m.sources]) for m in found]


def test_a_breakdown_names_its_weakest_and_strongest_rows() -> None:
    assert _items(_metrics(("by_layout.round(3)", PER_LAYOUT))) == [
        (
            "field exact match",
            "field exact match: lowest of 5 rows by `layout` at `scanned_rotated`; highest `table_clean` 0.988",
            "field exact match 0.500",
            [1],
        )
    ]


def test_a_sweep_names_its_best_setting_and_the_values_there() -> None:
    assert _items(_metrics(("pd.DataFrame(sweep).round(3)", SWEEP))) == [
        (
            "accuracy",
            "accuracy: best of 3 values tried, at `threshold` = 0.6 (`fallback_rate` 7.3%)",
            "accuracy 0.859",
            [1],
        )
    ]


def test_a_note_repeating_a_summarised_value_exactly_joins_it() -> None:
    found = _metrics(
        ("by_layout.round(3)", PER_LAYOUT),
        ("Clean invoices are solved (field exact match 0.988); rotated scans are the hole.", ""),
        ("summary", SMALL),
    )
    # The note quotes the breakdown's strongest row: a second source, not a second metric.
    # The small table's 0.790 rounds like 0.778 but is another measurement.
    assert _items(found) == [
        (
            "field exact match",
            "field exact match: lowest of 5 rows by `layout` at `scanned_rotated`; highest `table_clean` 0.988",
            "field exact match 0.500",
            [1, 2],
        ),
        (
            "field exact match",
            "field exact match by run: `rules` 0.790, `llm` 0.850",
            "field exact match 0.850 (highest, llm)",
            [3],
        ),
    ]


def test_one_value_under_two_wordings_of_its_name_is_one_metric() -> None:
    # The notebook's table and a README table quote one measurement under different headers.
    table = "         model  cost per 1k\n0  gpt-4o-mini         0.16\n1       gpt-4o         2.61\n"
    readme = "| model | cost / 1,000 tickets |\n|---|---|\n| gpt-4o-mini | $0.16 |\n| gpt-4o | $2.61 |\n"
    found = _metrics(("compare", table), (readme, ""))
    assert {m.definition: [s.cell for s in m.sources] for m in found} == {
        "cost per 1k by run: `gpt-4o-mini` 0.16, `gpt-4o` 2.61": [1, 2]
    }


def test_different_runs_or_values_under_other_wordings_stay_apart() -> None:
    # One run each: no comparison table, the one-run twin rule decides.
    table = "         model  cost per 1k\n0  gpt-4o-mini         0.16\n"
    other_run = "| model | cost / 1,000 tickets |\n|---|---|\n| gpt-4o | $0.16 |\n"
    other_value = "| model | cost / 1,000 tickets |\n|---|---|\n| gpt-4o-mini | $0.17 |\n"
    assert len(_metrics(("compare", table), (other_run, ""))) == 2
    assert len(_metrics(("compare", table), (other_value, ""))) == 2


COMPARISON = """\
         model  accuracy  p95_ms
0        rules     0.580     0.9
1  gpt-4o-mini     0.854  1480.0
2       gpt-4o     0.896  2710.0"""


def test_a_comparison_table_is_one_item_per_metric_with_every_run() -> None:
    found = _metrics(("results", COMPARISON))
    assert [(m.name, m.definition, m.baseline.raw if m.baseline else None) for m in found] == [
        (
            "accuracy",
            "accuracy by run: `rules` 0.580, `gpt-4o-mini` 0.854, `gpt-4o` 0.896",
            "accuracy 0.896 (highest, gpt-4o)",
        ),
        (
            "p95",
            "p95 by run: `rules` 0.9 ms, `gpt-4o-mini` 1480.0 ms, `gpt-4o` 2710.0 ms",
            "p95 0.9 ms (lowest, rules)",
        ),
    ]
    assert all(m.sources[0].cell == 1 for m in found)


def test_runs_printed_one_by_one_are_absorbed_and_name_the_metric_as_printed() -> None:
    table = "    model  roc_auc\n0  logreg    0.842\n1      gb    0.851"
    found = _metrics(
        ("print(report(logreg))", "ROC AUC = 0.842\n"),
        ("print(report(gb))", "ROC AUC = 0.851\n"),
        ("summary", table),
    )
    assert len(found) == 1
    (metric,) = found
    assert metric.definition == "ROC AUC by run: `logreg` 0.842, `gb` 0.851"
    assert sorted(s.cell for s in metric.sources) == [1, 2, 3]


def test_a_copy_of_the_table_under_other_run_names_is_the_same_item() -> None:
    readme = "| metric | gpt-4o-mini | gpt-4o |\n|---|---|---|\n| accuracy | 0.854 | 0.896 |\n"
    table = "                model  accuracy\n0  openai:gpt-4o-mini     0.854\n1       openai:gpt-4o     0.896"
    found = _metrics(("results", table), (readme, ""))
    assert len(found) == 1 and [s.cell for s in found[0].sources] == [1, 2]


def test_one_run_measured_twice_is_no_comparison() -> None:
    lines = "| run | accuracy |\n|---|---|\n| gpt-4o | 0.890 |\n| gpt-4o | 0.896 |\n"
    found = _metrics((lines, ""))
    assert [m.definition for m in found] == ["accuracy for `gpt-4o`", "accuracy for `gpt-4o`"]


def test_a_measured_comparison_becomes_a_constraint_that_names_every_run() -> None:
    from specagent.ingest.notes import parse_notes
    from specagent.pipeline.offline.measures import constraints

    nb = new_notebook()
    nb.cells = [new_code_cell("results", outputs=[new_output("execute_result", data={"text/plain": COMPARISON})])]
    notes = parse_notes("notes.md", "# Notes\n\n## Requirements\n\n- p95 latency must stay under 2,000 ms.\n")
    book = FactBook([*parse_notebook("eval.ipynb", nbformat.writes(nb)).facts, *notes.facts], "proto")
    latency = [c for c in constraints(book, metrics(book)) if c.category == "latency"]
    assert [c.statement for c in latency] == [
        "The prototype measured p95 by run: `rules` 0.9 ms, `gpt-4o-mini` 1480.0 ms, `gpt-4o` 2710.0 ms."
    ]
    assert latency[0].target == "p95 under 2,000 ms"
