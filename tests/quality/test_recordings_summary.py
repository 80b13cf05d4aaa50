"""The recordings summary: what a recorded model run cost, read from its exchange files."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from specagent.cli import app
from specagent.evals.recordings import summarise


def _exchange(folder: Path, name: str, label: str, tokens: tuple[int, int], finish: str = "stop") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    body = {
        "key": name,
        "label": label,
        "request": {"model": "local:tiny", "messages": []},
        "answer": {"content": "{}", "finish_reason": finish, "tokens_in": tokens[0], "tokens_out": tokens[1]},
    }
    (folder / f"{name}.json").write_text(json.dumps(body))


def test_exchanges_tokens_repairs_and_cut_answers_are_summed(tmp_path: Path) -> None:
    folder = tmp_path / "proto"
    _exchange(folder, "a", "overview (round 0)", (1000, 300), finish="length")
    _exchange(folder, "b", "overview (round 1)", (1100, 200))
    _exchange(folder, "c", "stories (round 0)", (900, 250))
    s = summarise(folder)
    assert (s.name, s.model, s.exchanges, s.repairs, s.cut) == ("proto", "local:tiny", 3, 1, 1)
    assert (s.tokens_in, s.tokens_out) == (3000, 750)
    assert s.groups == {"overview": 2, "stories": 1}


def test_the_command_prints_a_row_per_recording_and_fails_on_none(tmp_path: Path) -> None:
    empty = CliRunner().invoke(app, ["recordings", str(tmp_path)])
    assert empty.exit_code == 1 and "no recording folders" in empty.output
    _exchange(tmp_path / "one", "a", "risks (round 0)", (10, 5))
    result = CliRunner().invoke(app, ["recordings", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "| one | local:tiny | 1 | 0 | 0 | 10 | 5 |" in result.output and "| **total** |" in result.output
