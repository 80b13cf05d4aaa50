"""Bad input: each case gives at most a one-line warning, and the draft completes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from specagent.errors import InputPathError
from specagent.ingest import ingest
from specagent.pipeline.draft import draft

GOOD_PY = '"""Scores things."""\n\n\ndef score(x: float) -> float:\n    """Double it."""\n    return 2 * x\n'


def _warnings_for(root: Path, rel: str) -> list[str]:
    result = ingest(root)
    return [w.message for w in result.warnings if w.path == rel]


def _assert_one_line(messages: list[str]) -> None:
    assert len(messages) <= 1, messages
    for message in messages:
        assert "\n" not in message and len(message) < 200


def _assert_draft_completes(root: Path) -> None:
    spec = draft(root).spec
    assert spec.meta.project == root.name
    assert spec.open_questions or spec.interfaces


def test_empty_folder_drafts_open_questions(tmp_path: Path) -> None:
    spec = draft(tmp_path).spec
    assert spec.meta.files == 0
    assert spec.meta.warnings[0].startswith("no readable files in")
    questions = " ".join(q.question for q in spec.open_questions)
    assert "problem" in questions and "users" in questions


def test_file_instead_of_folder(tmp_path: Path) -> None:
    target = tmp_path / "app.py"
    target.write_text(GOOD_PY)
    with pytest.raises(InputPathError, match="not a folder"):
        ingest(target)


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputPathError, match="no such folder"):
        ingest(tmp_path / "nope")


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ok.py").write_text(GOOD_PY)
    secret = tmp_path / "locked.py"
    secret.write_text(GOOD_PY)
    secret.chmod(0)
    if os.access(secret, os.R_OK):  # root reads anything: make the read itself fail as EACCES would
        real = Path.read_bytes

        def deny(self: Path) -> bytes:
            if self.name == "locked.py":
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(Path, "read_bytes", deny)
    messages = _warnings_for(tmp_path, "locked.py")
    _assert_one_line(messages)
    assert messages and "unreadable" in messages[0]
    _assert_draft_completes(tmp_path)


def test_notebook_not_json(tmp_path: Path) -> None:
    (tmp_path / "broken.ipynb").write_text('{"cells": [ {"cell_type": "code", ')
    (tmp_path / "ok.py").write_text(GOOD_PY)
    messages = _warnings_for(tmp_path, "broken.ipynb")
    _assert_one_line(messages)
    assert messages
    _assert_draft_completes(tmp_path)


def test_notebook_without_kernel_metadata(tmp_path: Path) -> None:
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": 1,
                "metadata": {},
                "source": ["print('accuracy: 0.91')"],
                "outputs": [{"output_type": "stream", "name": "stdout", "text": ["accuracy: 0.91\n"]}],
            }
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (tmp_path / "eval.ipynb").write_text(json.dumps(nb))
    assert len(_warnings_for(tmp_path, "eval.ipynb")) <= 1
    spec = draft(tmp_path).spec
    assert any(m.baseline and m.baseline.raw.endswith("0.91") for m in spec.metrics)


def test_binary_file_named_py(tmp_path: Path) -> None:
    (tmp_path / "model.py").write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    (tmp_path / "ok.py").write_text(GOOD_PY)
    messages = _warnings_for(tmp_path, "model.py")
    _assert_one_line(messages)
    assert messages and "binary" in messages[0]
    _assert_draft_completes(tmp_path)


def test_python_syntax_error_falls_back_to_text(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("def f(:\n    return 1\n# TODO: fix the parser\n")
    messages = _warnings_for(tmp_path, "broken.py")
    _assert_one_line(messages)
    assert messages and "syntax" in messages[0].lower()
    result = ingest(tmp_path)
    assert any(c.path == "broken.py" for c in result.chunks)
    _assert_draft_completes(tmp_path)


def test_ten_megabyte_csv_is_sampled(tmp_path: Path) -> None:
    row = "2026-01-01,42,0.5,some text value here\n"
    with (tmp_path / "big.csv").open("w") as handle:
        handle.write("date,count,ratio,note\n")
        handle.write(row * (10 * 1024 * 1024 // len(row) + 1))
    assert (tmp_path / "big.csv").stat().st_size > 10 * 1024 * 1024
    result = ingest(tmp_path)
    files = {f.path: f for f in result.files}
    assert files["big.csv"].sampled
    schema = [f for f in result.facts if f.kind == "data_schema" and f.source.path == "big.csv"]
    assert schema and [c.name for c in schema[0].detail.columns] == ["date", "count", "ratio", "note"]
    assert len(result.texts["big.csv"]) < 64 * 1024


def test_huge_non_data_file_is_skipped_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "dump.txt").write_text("x" * (2 * 1024 * 1024))
    messages = _warnings_for(tmp_path, "dump.txt")
    _assert_one_line(messages)
    assert messages and "limit" in messages[0]


def test_symlink_loop_and_escape(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "rows.csv").write_text("a,b\n1,2\n")
    os.symlink("../data", tmp_path / "data" / "loop")
    os.symlink("self", tmp_path / "data" / "self")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.txt"
    outside.write_text("secret stuff")
    os.symlink(outside, tmp_path / "escape.txt")
    result = ingest(tmp_path)
    paths = [f.path for f in result.files]
    assert paths == ["data/rows.csv"]
    for rel in ("data/loop", "data/self", "escape.txt"):
        _assert_one_line([w.message for w in result.warnings if w.path == rel])
    _assert_draft_completes(tmp_path)


def test_paths_with_spaces_and_non_ascii(tmp_path: Path) -> None:
    folder = tmp_path / "mes modèles"
    folder.mkdir()
    (folder / "prévision des ventes.py").write_text(GOOD_PY)
    spec = draft(tmp_path).spec
    cited = {c.path for _, c in spec.iter_citations()}
    assert "mes modèles/prévision des ventes.py" in cited


def test_non_utf8_file_is_read_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_bytes("Qualité: the model must answer in French.\n".encode("latin-1"))
    messages = _warnings_for(tmp_path, "notes.txt")
    assert messages == ["not UTF-8; read as latin-1"]
    assert "Qualité" in ingest(tmp_path).texts["notes.txt"]


def test_gitignore_and_specagentignore_are_honoured(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("build_out/\n*.tmp.py\n")
    (tmp_path / ".specagentignore").write_text("private/\n")
    for rel in ("app.py", "build_out/gen.py", "x.tmp.py", "private/p.py", ".venv/lib/site.py", "node_modules/a.py"):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(GOOD_PY)
    assert [f.path for f in ingest(tmp_path).files] == ["app.py"]


def test_the_tools_own_output_is_never_ingested(tmp_path: Path) -> None:
    from specagent.pipeline.draft import run_draft

    (tmp_path / "app.py").write_text(GOOD_PY)
    run_draft(tmp_path, out_dir=tmp_path / "docs" / "spec")
    assert [f.path for f in ingest(tmp_path).files] == ["app.py"]


def test_messy_prototype_with_a_generated_ten_megabyte_csv(tmp_path: Path) -> None:
    """The messy corpus prototype plus the 10 MB export it would have: the draft completes."""
    import shutil

    from paths import CORPUS

    root = tmp_path / "messy-sentiment"
    shutil.copytree(CORPUS / "messy-sentiment", root, symlinks=True)
    row = "B0001,5,2026-03-01,Great kettle boils fast,positive\n"
    with (root / "data" / "reviews_full.csv").open("w") as handle:
        handle.write("product_id,stars,date,review_text,label\n")
        handle.write(row * (10 * 1024 * 1024 // len(row) + 1))
    result = draft(root)
    warnings = result.spec.meta.warnings
    assert all("\n" not in w for w in warnings)
    assert any(w.startswith("notes.txt: not UTF-8") for w in warnings)
    assert any("data/loop" in w for w in warnings) and any("data/self" in w for w in warnings)
    contract = next(d for d in result.spec.data_contracts if d.name == "data/reviews_full.csv")
    assert [f.name for f in contract.fields] == ["product_id", "stars", "date", "review_text", "label"]
    assert "sampled" in (contract.summary or "")


def test_ingest_only_reads_the_files_asked_for(tmp_path: Path) -> None:
    for rel in ("a.py", "pkg/b.py", "pkg/c [draft].py", "notes.md"):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(GOOD_PY if rel.endswith(".py") else "# Notes\n\nA line.\n")
    result = ingest(tmp_path, only={"pkg/c [draft].py", "notes.md", "missing.py"})
    assert sorted(f.path for f in result.files) == ["notes.md", "pkg/c [draft].py"]
    assert {c.path for c in result.chunks} <= {"notes.md", "pkg/c [draft].py"}


def test_names_that_are_not_utf8_are_skipped_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(GOOD_PY)
    root = os.fsencode(tmp_path)
    (Path(os.fsdecode(os.path.join(root, b"bad\xffname.py")))).write_text(GOOD_PY)
    folder = Path(os.fsdecode(os.path.join(root, b"d\xfeir")))
    folder.mkdir()
    (folder / "notes.md").write_text("# Notes\n")
    result = ingest(tmp_path)
    assert [f.path for f in result.files] == ["app.py"]
    skipped = {w.path: w.message for w in result.warnings}
    assert skipped == {
        "bad\\xffname.py": "name is not valid UTF-8; skipped",
        "d\\xfeir": "name is not valid UTF-8; skipped",
    }
    spec = draft(tmp_path).spec
    json.loads(spec.model_dump_json())  # every path in the spec is text


def _ingest_as_nobody(root: Path) -> tuple[int, list[str], list[tuple[str | None, str]]]:
    """Ingest ``root`` in a child process that gave up root (root reads any folder, whatever its mode).

    Forked rather than exec'd: the interpreter may live where an unprivileged user cannot reach it.
    Returns the child's exit status, the files it read and its warnings.
    """
    ingest(root)  # import everything ingest needs while still privileged
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        status = 0
        try:
            os.close(read_fd)
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
            result = ingest(root)
            payload = json.dumps([[f.path for f in result.files], [[w.path, w.message] for w in result.warnings]])
            os.write(write_fd, payload.encode())
        except BaseException as exc:  # report, never raise out of the forked pytest
            os.write(write_fd, json.dumps(["error", repr(exc)]).encode())
            status = 1
        finally:
            os._exit(status)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as pipe:
        data = json.loads(pipe.read() or b"[]")
    _, wait_status = os.waitpid(pid, 0)
    assert data and data[0] != "error", data
    return os.waitstatus_to_exitcode(wait_status), data[0], [tuple(w) for w in data[1]]


def test_an_unreadable_subfolder_is_skipped_with_one_line(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    for parent in tmp_path.parents:  # pytest's own folders are private to their owner
        if parent.stat().st_uid == os.geteuid() and parent != Path("/tmp"):
            parent.chmod(parent.stat().st_mode | 0o055)
    root = tmp_path / "proto"
    (root / "locked").mkdir(parents=True)
    (root / "app.py").write_text(GOOD_PY)
    (root / "locked" / "secret.py").write_text(GOOD_PY)
    (root / "locked").chmod(0)
    try:
        status, files, warnings = _ingest_as_nobody(root)
    finally:
        (root / "locked").chmod(0o755)
    assert status == 0
    assert files == ["app.py"]
    assert warnings == [("locked", "could not list folder: Permission denied; skipped")]
