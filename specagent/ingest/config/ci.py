"""Parse CI workflows into CI_JOB facts, one a job with its steps.

GitHub Actions (``.github/workflows/*.yml``), GitLab CI (``.gitlab-ci.yml``) and
CircleCI-style files (``.circleci/config.yml``: ``jobs.<name>.steps``).
"""

from __future__ import annotations

import yaml

from specagent.ingest.config.common import config_chunks, quote, span, table
from specagent.ingest.config.yaml_nodes import last_line, mapping_items, yaml_docs, yaml_error
from specagent.ingest.models import Fact, FactKind, ParseResult, SourceRef

_STEP_MAX = 80

_GITLAB_RESERVED = frozenset(
    {
        "stages",
        "variables",
        "image",
        "include",
        "default",
        "workflow",
        "before_script",
        "after_script",
        "cache",
        "services",
        "types",
        "pages_options",
    }
)


def _short_step(text: str) -> str:
    text = " ".join(str(text).strip().splitlines()[0].split()) if str(text).strip() else ""
    return text if len(text) <= _STEP_MAX else text[: _STEP_MAX - 1] + "…"


def _ci_job(
    path: str,
    name: str,
    system: str,
    steps: list[str],
    key: yaml.Node,
    value: yaml.Node,
    lines: list[str],
) -> Fact:
    first = key.start_mark.line + 1
    return Fact(
        kind=FactKind.CI_JOB,
        name=name,
        detail={"system": system, "steps": [s for s in (_short_step(x) for x in steps) if s]},
        source=SourceRef(
            path=path,
            span=span(first, last_line(value) + 1),
            quote=quote(lines, first),
        ),
    )


def parse_ci(path: str, text: str, lines: list[str], system: str) -> ParseResult:
    try:
        docs = yaml_docs(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        return ParseResult(chunks=config_chunks(path, text), warnings=[yaml_error(path, exc)])
    if not docs or not isinstance(data, dict):
        return ParseResult(chunks=config_chunks(path, text))
    root = docs[0]
    facts: list[Fact] = []
    top = {k: key.start_mark.line + 1 for k, key, _ in mapping_items(root)}
    if system == "github":
        jobs_node = next((v for k, _, v in mapping_items(root) if k == "jobs"), None)
        jobs = table(data, "jobs")
        for name, key, value in mapping_items(jobs_node) if jobs_node is not None else []:
            job = table(jobs, name)
            steps: list[str] = []
            if job.get("uses"):
                steps.append(str(job["uses"]))
            for step in job.get("steps") or []:
                if isinstance(step, dict):
                    steps.append(str(step.get("name") or step.get("run") or step.get("uses") or ""))
            facts.append(_ci_job(path, name, "github", steps, key, value, lines))
    elif system == "gitlab":
        for name, key, value in mapping_items(root):
            body = data.get(name)
            if name in _GITLAB_RESERVED or name.startswith(".") or not isinstance(body, dict):
                continue
            if not any(k in body for k in ("script", "trigger", "extends", "run")):
                continue
            script = body.get("script") or []
            steps = [str(s) for s in (script if isinstance(script, list) else [script])]
            facts.append(_ci_job(path, name, "gitlab", steps, key, value, lines))
    else:  # CircleCI-style: jobs.<name>.steps with strings or {run: ...}
        jobs_node = next((v for k, _, v in mapping_items(root) if k == "jobs"), None)
        jobs = table(data, "jobs")
        for name, key, value in mapping_items(jobs_node) if jobs_node is not None else []:
            job = table(jobs, name)
            steps = []
            for step in job.get("steps") or []:
                if isinstance(step, str):
                    steps.append(step)
                elif isinstance(step, dict) and step:
                    kind, body = next(iter(step.items()))
                    if isinstance(body, dict):
                        body = body.get("name") or body.get("command") or kind
                    steps.append(str(body if kind == "run" else kind))
            facts.append(_ci_job(path, name, "other", steps, key, value, lines))
    return ParseResult(facts=facts, chunks=config_chunks(path, text, top))
