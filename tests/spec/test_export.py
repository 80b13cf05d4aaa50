"""Export to OpenSpec and Spec Kit; the real OpenSpec CLI validates every corpus prototype's export."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from specagent.pipeline.draft import draft
from specagent.spec.export import export_openspec, export_speckit
from specagent.spec.model import Spec
from tests.paths import CORPUS, CORPUS_NAMES

OPENSPEC_PACKAGE = "@fission-ai/openspec"
OPENSPEC_HOME = Path(os.environ.get("SPECAGENT_OPENSPEC_DIR", Path.home() / ".cache" / "specagent-openspec"))


def _openspec() -> list[str]:
    """The OpenSpec CLI, installed from the npm registry into a cache folder once."""
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed: the OpenSpec CLI cannot be installed to validate exports")
    script = OPENSPEC_HOME / "node_modules" / "@fission-ai" / "openspec" / "bin" / "openspec.js"
    if not script.exists():
        OPENSPEC_HOME.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            ["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(OPENSPEC_HOME), OPENSPEC_PACKAGE],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr
    return ["node", str(script)]


@pytest.fixture(scope="module")
def drafts() -> dict[str, Spec]:
    return {name: draft(CORPUS / name, out_dir=Path("/nonexistent-spec-dir")).spec for name in CORPUS_NAMES}


def _write(files: dict[str, str], root: Path) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


def test_every_corpus_export_passes_openspec_validate_strict(drafts: dict[str, Spec], tmp_path: Path) -> None:
    command = _openspec()
    env = {**os.environ, "OPENSPEC_TELEMETRY": "0", "DO_NOT_TRACK": "1", "NO_COLOR": "1"}
    for name, spec in drafts.items():
        root = tmp_path / name
        files = export_openspec(spec)
        _write(files, root)
        result = subprocess.run(
            [*command, "validate", "--all", "--strict", "--no-interactive"],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        output = result.stdout + result.stderr
        assert result.returncode == 0, f"{name}: {output}"
        assert f"{len(files)} passed, 0 failed" in output, f"{name}: {output}"


def test_an_empty_spec_still_exports_valid_openspec(tmp_path: Path) -> None:
    command = _openspec()
    _write(export_openspec(Spec()), tmp_path)
    result = subprocess.run(
        [*command, "validate", "--all", "--strict", "--no-interactive"],
        cwd=tmp_path,
        env={**os.environ, "OPENSPEC_TELEMETRY": "0"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_openspec_keeps_ids_and_citations(drafts: dict[str, Spec]) -> None:
    spec = drafts["inventory-api"]
    text = export_openspec(spec)["openspec/specs/http-api/spec.md"]
    route = next(i for i in spec.interfaces if i.kind == "http")
    assert f"### Requirement: {route.id} {route.name}" in text
    assert f"`{route.sources[0].label()}`" in text
    assert "#### Scenario:" in text and "- **WHEN**" in text and "SHALL" in text


def test_speckit_has_its_template_sections_with_ids(drafts: dict[str, Spec]) -> None:
    spec = drafts["inventory-api"]
    files = export_speckit(spec)
    assert list(files) == ["specs/001-inventory-api/spec.md"]
    text = files["specs/001-inventory-api/spec.md"]
    for heading in (
        "## User Scenarios & Testing *(mandatory)*",
        "(Priority: P1)",
        "**Acceptance Scenarios**:",
        "### Functional Requirements",
        "### Key Entities",
        "## Success Criteria *(mandatory)*",
    ):
        assert heading in text
    assert f"- **{spec.requirements[0].id}**:" in text
    assert f"({spec.metrics[0].id})" in text
