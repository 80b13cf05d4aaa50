"""One rule for what a Python file's import name is and whether it is test code, shared by the
parser (test facts, module facts) and the drafter (interfaces, console scripts, test plans)."""

from __future__ import annotations

import pytest

from specagent.ingest.python_common import is_test_path, module_name


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("pkg/cli.py", "pkg.cli"),
        ("pkg/__init__.py", "pkg"),
        ("src/pkg/cli.py", "pkg.cli"),  # src layout: `src` is not imported
        ("src/pkg/__init__.py", "pkg"),
        ("src.py", "src"),
        ("__init__.py", "__init__"),
        ("./app/main.py", "app.main"),
    ],
)
def test_module_name(path: str, name: str) -> None:
    assert module_name(path) == name


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("tests/test_api.py", True),
        ("test_cli.py", True),
        ("pkg/io_test.py", True),
        ("tests/helpers.py", True),
        ("conftest.py", True),
        ("tests/conftest.py", True),
        ("pkg/testing.py", False),
        ("pkg/contest.py", False),
        ("latest/run.py", False),
    ],
)
def test_is_test_path(path: str, expected: bool) -> None:
    assert is_test_path(path) is expected
