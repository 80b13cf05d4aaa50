"""Parse configuration files: dependencies, env files, config keys, Dockerfiles, CI jobs.

Dispatch is on the file name:

- ``pyproject.toml`` / ``Pipfile`` / ``setup.cfg`` / ``requirements*.txt`` / ``constraints*.txt``
  -> DEPENDENCY facts (and CONFIG_KEY for scripts and project metadata): ``dependencies``;
- ``.env``, ``.env.example``, ``.env.*`` -> ENV_VAR facts: ``env_files``;
- ``Dockerfile*`` -> a DOCKER fact: ``docker``; ``.github/workflows/*.yml``, ``.gitlab-ci.yml``,
  ``.circleci/config.yml`` -> CI_JOB facts: ``ci``;
- other YAML / TOML / JSON / INI -> CONFIG_KEY facts with dotted key paths (leaves only): ``keys``.

Malformed files give one warning and are still chunked as text. Nothing here raises.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from specagent.ingest.config.ci import parse_ci
from specagent.ingest.config.common import config_chunks, warning
from specagent.ingest.config.dependencies import parse_pipfile, parse_pyproject, parse_requirements, parse_setup_cfg
from specagent.ingest.config.docker import parse_dockerfile
from specagent.ingest.config.env_files import parse_dotenv
from specagent.ingest.config.keys import (
    json_config_facts,
    parse_ini,
    parse_json_config,
    parse_toml_config,
    parse_yaml_config,
)
from specagent.ingest.models import Chunk, ParseResult

__all__ = ["json_config_facts", "parse_config"]


def parse_config(path: str, text: str) -> ParseResult:
    """Parse a config file by its name; never raises."""
    try:
        return _dispatch(path, text)
    except Exception as exc:  # a parser bug must not stop ingest
        return ParseResult(
            chunks=_safe_chunks(path, text),
            warnings=[warning(path, f"config not parsed: {type(exc).__name__}: {exc}")],
        )


def _safe_chunks(path: str, text: str) -> list[Chunk]:
    try:
        return config_chunks(path, text)
    except Exception:
        return []


def _dispatch(path: str, text: str) -> ParseResult:
    pure = PurePosixPath(path)
    name = pure.name.lower()
    suffix = pure.suffix.lower()
    lines = text.split("\n")
    lower_path = path.lower()
    if name == "pyproject.toml":
        return parse_pyproject(path, text, lines)
    if name == "pipfile":
        return parse_pipfile(path, text, lines)
    if name == "setup.cfg":
        return parse_setup_cfg(path, text, lines)
    if (name.startswith(("requirements", "constraints")) and suffix in {".txt", ".in"}) or (
        "/requirements/" in f"/{lower_path}" and suffix in {".txt", ".in"}
    ):
        return parse_requirements(path, text, lines)
    if name == ".env" or name.startswith(".env.") or name.endswith(".env"):
        return parse_dotenv(path, text, lines)
    if name.startswith("dockerfile") or name.endswith(".dockerfile") or name == "containerfile":
        return parse_dockerfile(path, text, lines)
    if suffix in {".yml", ".yaml"}:
        if ".github/workflows/" in f"/{lower_path}":
            return parse_ci(path, text, lines, "github")
        if name in {".gitlab-ci.yml", ".gitlab-ci.yaml"}:
            return parse_ci(path, text, lines, "gitlab")
        if ".circleci/" in f"/{lower_path}":
            return parse_ci(path, text, lines, "other")
        return parse_yaml_config(path, text, lines)
    if suffix == ".toml":
        return parse_toml_config(path, text, lines)
    if suffix == ".json":
        return parse_json_config(path, text, lines)
    if suffix in {".ini", ".cfg"}:
        return parse_ini(path, text, lines)
    if suffix == ".conf":
        return parse_ini(path, text, lines, quiet=True)  # nginx & co are not INI: just chunk them
    return ParseResult(chunks=config_chunks(path, text))
