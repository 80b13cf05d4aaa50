"""Settings precedence: flags > environment > the prototype's .specagent.toml > defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from specagent.config import load_settings
from specagent.errors import UsageError


def test_defaults_need_no_file(tmp_path: Path) -> None:
    settings = load_settings(tmp_path)
    assert settings.model is None and settings.max_file_bytes == 1024 * 1024


def test_prototype_toml_then_env_then_flags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".specagent.toml").write_text('exclude = ["scratch/"]\nsample_rows = 7\nembedder = "minilm"\n')
    assert load_settings(tmp_path).exclude == ["scratch/"]
    assert load_settings(tmp_path).sample_rows == 7
    monkeypatch.setenv("SPECAGENT_SAMPLE_ROWS", "9")
    assert load_settings(tmp_path).sample_rows == 9
    assert load_settings(tmp_path, sample_rows=11).sample_rows == 11
    assert load_settings(tmp_path, sample_rows=None).sample_rows == 9  # an unset flag is no override


def test_another_folders_toml_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / ".specagent.toml").write_text("sample_rows = 3\n")
    assert load_settings(tmp_path / "b").sample_rows == 50


def test_bad_toml_and_bad_values_are_one_line(tmp_path: Path) -> None:
    (tmp_path / ".specagent.toml").write_text("sample_rows = [\n")
    with pytest.raises(UsageError, match="not valid TOML"):
        load_settings(tmp_path)
    (tmp_path / ".specagent.toml").write_text('sample_rows = "many"\n')
    with pytest.raises(UsageError, match="bad setting sample_rows"):
        load_settings(tmp_path)


def test_exclude_from_toml_reaches_the_walker(tmp_path: Path) -> None:
    from specagent.ingest import ingest

    (tmp_path / ".specagent.toml").write_text('exclude = ["scratch/"]\n')
    (tmp_path / "scratch").mkdir()
    (tmp_path / "scratch" / "junk.py").write_text("x = 1\n")
    (tmp_path / "app.py").write_text("y = 2\n")
    assert [f.path for f in ingest(tmp_path, settings=load_settings(tmp_path)).files] == ["app.py"]
