"""``specagent check`` as a library call: read the spec file, read its repository, run the checks.

The checks themselves (:mod:`specagent.quality`) judge a spec against the texts they are handed;
walking and reading the repository is orchestration, so it lives here, beside the drafter.
"""

from __future__ import annotations

from pathlib import Path

from specagent.config import Settings
from specagent.events import EventSink, null_sink
from specagent.ingest import ingest
from specagent.quality.checks import run_checks
from specagent.quality.findings import CheckReport
from specagent.quality.spec_file import load_for_check

__all__ = ["check_spec_file", "default_repo", "repo_texts"]


def default_repo(spec_path: Path) -> Path:
    """The folder above ``spec/`` when the file lives in ``<root>/spec/``, else its folder."""
    parent = Path(spec_path).resolve().parent
    return parent.parent if parent.name == "spec" else parent


def repo_texts(
    repo: Path,
    spec_path: Path | None = None,
    *,
    settings: Settings | None = None,
    on_event: EventSink = null_sink,
) -> dict[str, str]:
    """The repository's redacted text by relative path, as ingest reads it (spec folder left out)."""
    repo = Path(repo).resolve()
    skip: list[Path] = []
    own: str | None = None
    if spec_path is not None:
        spec_dir = Path(spec_path).resolve().parent
        if spec_dir != repo and spec_dir.is_relative_to(repo):
            skip.append(spec_dir)
        elif spec_dir == repo:
            own = Path(spec_path).name
    texts = dict(ingest(repo, settings=settings, on_event=on_event, skip_dirs=skip).texts)
    if own is not None:
        # A spec at the root must not vouch for its own identifiers.
        for name in (own, "SPEC.md", "spec.json"):
            texts.pop(name, None)
    return texts


def check_spec_file(
    path: Path,
    repo: Path | None = None,
    *,
    settings: Settings | None = None,
    on_event: EventSink = null_sink,
) -> CheckReport:
    """Check SPEC.md or spec.json against ``repo`` (default: see :func:`default_repo`)."""
    path = Path(path)
    spec, schema_findings, lines = load_for_check(path)
    repo = Path(repo) if repo is not None else default_repo(path)
    if spec is None:
        report = CheckReport(findings=schema_findings)
    else:
        texts = repo_texts(repo, path, settings=settings, on_event=on_event)
        report = run_checks(spec, texts, lines)
        known = {(f.code, f.item_id) for f in schema_findings}
        report.findings = schema_findings + [f for f in report.findings if (f.code, f.item_id) not in known]
    report.spec_path = str(path)
    report.repo = str(repo)
    return report
