"""Parsers stay linear on one very long line: each regex here once backtracked quadratically.

No timing is asserted (see benchmarks/): before the fix each of these took minutes, now
milliseconds, so a regression shows as a test that hangs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from specagent.ingest.classification_report import read_classification_report
from specagent.ingest.config.env_files import _env_value
from specagent.ingest.config.locators import ini_lines, toml_lines
from specagent.ingest.schedules import text_schedule_facts

LONG = 50_000


def test_ini_key_on_a_long_line_of_spaces() -> None:
    lines = ["[metadata]", "a" + " " * LONG + "x", "name  =  demo"]
    assert ini_lines(lines) == {"metadata": 1, "metadata.name": 3}


def test_toml_header_on_a_long_unclosed_line() -> None:
    lines = ["[ a" + " " * LONG, '[ "tool.x".y ]', "[[ items ]]", "k = 1"]
    assert toml_lines(lines) == {"tool.x.y": 2, "items[0]": 3, "items[0].k": 4}


def test_env_value_on_a_long_run_of_spaces() -> None:
    assert _env_value("x" + " " * LONG + "y") == "x" + " " * LONG + "y"
    assert _env_value("value   # a comment") == "value"


def test_classification_report_stops_at_a_long_line() -> None:
    header = "              precision    recall  f1-score   support"
    found, end = read_classification_report([header, "", "a" + " " * LONG + "x"], 0)
    assert (found, end) == ([], 2)


def test_schedule_entrypoint_on_a_long_word() -> None:
    lines = ["prefect deploy --cron '*/5 * * * *' " + "a" * LONG]
    [fact] = text_schedule_facts("run.sh", lines)
    assert fact.detail.cron == "*/5 * * * *" and fact.detail.target is None
    lines = ["prefect deploy flows/etl.py:nightly --cron '0 2 * * *'"]
    [fact] = text_schedule_facts("run.sh", lines)
    assert fact.detail.target == "nightly"


def test_an_ini_file_with_a_huge_line_is_indexed_as_text_with_a_warning() -> None:
    from specagent.ingest.config.keys import MAX_INI_LINE, parse_ini

    text = "[metadata]\nname = demo\n" + "x" * (MAX_INI_LINE + 1) + "\n"
    result = parse_ini("setup.cfg", text, text.split("\n"))
    assert not result.facts and result.chunks
    assert [w.message for w in result.warnings] == [
        f"a line over {MAX_INI_LINE:,} characters: not read as INI, indexed as text"
    ]


def test_a_linking_bug_costs_the_links_not_the_ingest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import specagent.ingest.python_django_routes as routes
    from specagent.config import Settings
    from specagent.ingest.run import ingest

    def broken(facts: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(routes, "link_django_routes", broken)
    (tmp_path / "app.py").write_text('"""App."""\n\n\ndef run() -> None:\n    pass\n', encoding="utf-8")
    result = ingest(tmp_path, settings=Settings())
    assert any(f.source.path == "app.py" for f in result.facts)
    assert any("could not link Django routes across files (RuntimeError: boom)" in w.message for w in result.warnings)
