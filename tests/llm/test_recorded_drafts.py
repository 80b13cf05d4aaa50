"""Drafts recorded with the real local model (evals/recordings/<prototype>, made by
``specagent draft corpus/<prototype> --model local --record ...``, or ``evals/real/<prototype>/repo``
for a real prototype) replay byte for byte in CI: no model is installed or called, and the draft
keeps its model-written items."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from paths import CORPUS, REAL, REPO

from specagent.config import load_settings
from specagent.pipeline.draft import draft
from specagent.quality.checks import run_checks

RECORDINGS = REPO / "evals" / "recordings"
#: Recorded prototypes and where each one lives (a real one is drafted from its ``repo/`` folder).
SOURCES: dict[str, Path] = {
    "messy-sentiment": CORPUS / "messy-sentiment",
    "rag-assistant": CORPUS / "rag-assistant",
    "churn-notebook": CORPUS / "churn-notebook",
    "fastapi-inference-helm": REAL / "fastapi-inference-helm" / "repo",
    "gemini-chef-hackathon": REAL / "gemini-chef-hackathon" / "repo",
    "flask-ml-tts": REAL / "flask-ml-tts" / "repo",
    "django-gdsc-ml": REAL / "django-gdsc-ml" / "repo",
    "speech-summarization-cli": REAL / "speech-summarization-cli" / "repo",
    "aoai-whisper-gradio": REAL / "aoai-whisper-gradio" / "repo",
}
RECORDED = sorted(SOURCES)


def test_every_recording_folder_is_replayed_here() -> None:
    assert sorted(p.name for p in RECORDINGS.iterdir() if p.is_dir()) == sorted(RECORDED)


@pytest.mark.parametrize("name", RECORDED)
def test_a_recorded_local_model_draft_replays(name: str, tmp_path: Path) -> None:
    recording = RECORDINGS / name
    exchanges = [json.loads(p.read_text()) for p in sorted(recording.glob("*.json"))]
    assert exchanges, f"no recorded exchange in {recording}"
    source = SOURCES[name]
    # The copy keeps the folder's own name: the project's name is part of what the model was asked.
    root = shutil.copytree(
        source, tmp_path / name / source.name, symlinks=True, ignore=shutil.ignore_patterns("spec", ".specagent")
    )
    settings = load_settings(root, model="local", replay_dir=recording, cache_dir=tmp_path / "cache")
    result = draft(root, settings=settings)
    spec = result.spec
    usage = spec.meta.model_usage
    assert usage is not None
    assert spec.meta.drafter == f"llm:{exchanges[0]['request']['model']}"
    # Every answer comes from the recording (a repeated request is one file), none from a call.
    assert usage.calls == 0 and usage.cached_calls >= len(exchanges)
    assert usage.added > 0
    assert spec.overview.problem is not None and spec.overview.problem.sources
    inferred = [item for _, item in spec.iter_items() if item.provenance != "observed" and item.sources]
    assert inferred
    report = run_checks(spec, result.ingested.texts)
    assert report.scores.citations == report.scores.citations_resolved
