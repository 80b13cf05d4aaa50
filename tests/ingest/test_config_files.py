"""Config parser: dependencies, env files, config keys, Dockerfiles, CI jobs, malformed files."""

from __future__ import annotations

import textwrap

import pytest

from specagent.ingest.config import parse_config
from specagent.ingest.models import ChunkKind, Fact, FactKind, ParseResult
from specagent.ingest.secrets import redact
from specagent.spec.model import Citation
from specagent.spec.resolve import resolve


def _kind(result: ParseResult, kind: FactKind) -> list[Fact]:
    return [f for f in result.facts if f.kind is kind]


def _resolves(path: str, text: str, result: ParseResult) -> None:
    texts = {path: text}
    for fact in result.facts:
        span = fact.source.span
        citation = Citation(path=path, start_line=span.start_line, end_line=span.end_line, quote=fact.source.quote)
        assert resolve(citation, texts) is None, fact
    for chunk in result.chunks:
        span = chunk.span
        citation = Citation(path=path, start_line=span.start_line, end_line=span.end_line)
        assert resolve(citation, texts) is None, chunk


PYPROJECT = textwrap.dedent(
    """\
    [project]
    name = "support-assistant"
    version = "0.2.0"
    requires-python = ">=3.11"
    dependencies = [
        "fastapi>=0.111,<0.112",
        "uvicorn[standard]>=0.30",
        "chromadb>=0.5.3,<0.6",
        "requests",
        "tomli; python_version < '3.11'",
    ]

    [project.optional-dependencies]
    dev = ["pytest>=8.2", "httpx>=0.27"]

    [project.scripts]
    assistant = "app.cli:main"

    [dependency-groups]
    lint = ["ruff>=0.5"]

    [tool.poetry.dependencies]
    python = "^3.11"
    pandas = "^2.2"
    numpy = { version = ">=1.26", optional = true }

    [tool.poetry.group.docs.dependencies]
    mkdocs = "*"

    [tool.ruff]
    line-length = 100
    """
)


def test_pyproject_dependencies() -> None:
    result = parse_config("pyproject.toml", PYPROJECT)
    assert result.warnings == []
    deps = {(f.name, f.detail.version, f.detail.group) for f in _kind(result, FactKind.DEPENDENCY)}
    assert deps == {
        ("fastapi", ">=0.111,<0.112", None),
        ("uvicorn", ">=0.30", None),
        ("chromadb", ">=0.5.3,<0.6", None),
        ("requests", None, None),
        ("tomli", None, None),
        ("pytest", ">=8.2", "dev"),
        ("httpx", ">=0.27", "dev"),
        ("ruff", ">=0.5", "lint"),
        ("pandas", "^2.2", None),
        ("numpy", ">=1.26", None),
        ("mkdocs", None, "docs"),
    }
    assert {f.detail.source for f in _kind(result, FactKind.DEPENDENCY)} == {"pyproject"}
    chroma = next(f for f in result.facts if f.name == "chromadb")
    assert chroma.source.span.start_line == 8
    assert chroma.source.quote == '"chromadb>=0.5.3,<0.6",'
    keys = {f.name: f.detail.value for f in _kind(result, FactKind.CONFIG_KEY)}
    assert keys["project.scripts.assistant"] == "app.cli:main"
    assert keys["project.requires-python"] == ">=3.11"
    assert not any(k.startswith("tool.ruff") for k in keys)
    assert all(c.kind is ChunkKind.CONFIG for c in result.chunks)
    _resolves("pyproject.toml", PYPROJECT, result)


def test_requirements_files() -> None:
    text = textwrap.dedent(
        """\
        # pinned for the demo
        -r base.txt
        --index-url https://pypi.org/simple
        pandas==2.2.2  # data
        scikit-learn>=1.4,<1.6
        uvicorn[standard]==0.29.0 \\
            --hash=sha256:abc123
        -e git+https://github.com/org/tool.git#egg=orgtool
        -e .
        https://example.com/wheels/fancylib-1.0.0-py3-none-any.whl
        ./local/package
        not a valid line !!!
        """
    )
    result = parse_config("requirements-dev.txt", text)
    deps = [
        (f.name, f.detail.version, f.detail.group, f.source.span.start_line) for f in _kind(result, FactKind.DEPENDENCY)
    ]
    assert deps == [
        ("pandas", "==2.2.2", "dev", 4),
        ("scikit-learn", ">=1.4,<1.6", "dev", 5),
        ("uvicorn", "==0.29.0", "dev", 6),
        ("orgtool", None, "dev", 8),
        ("fancylib", None, "dev", 10),
        ("not", None, "dev", 12),
    ]
    assert {f.detail.source for f in _kind(result, FactKind.DEPENDENCY)} == {"requirements"}
    main = parse_config("requirements.txt", "requests==2.32.0\n")
    assert _kind(main, FactKind.DEPENDENCY)[0].detail.group is None


def test_env_example() -> None:
    text = textwrap.dedent(
        """\
        # copy to .env
        OPENAI_API_KEY=sk-your-key-here
        OPENAI_MODEL=gpt-4o-mini
        TOP_K=5
        export DEBUG=false
        DATABASE_URL=postgresql://app:change-me@localhost:5432/app
        CHROMA_PATH="./.chroma"  # where vectors live
        EMPTY=
        """
    )
    result = parse_config(".env.example", text)
    envs = {f.name: f.detail.model_dump() for f in _kind(result, FactKind.ENV_VAR)}
    assert list(envs) == [
        "OPENAI_API_KEY",
        "OPENAI_MODEL",
        "TOP_K",
        "DEBUG",
        "DATABASE_URL",
        "CHROMA_PATH",
        "EMPTY",
    ]
    assert envs["OPENAI_API_KEY"] == {"accessor": ".env.example", "default": None, "required": True, "is_secret": True}
    assert envs["OPENAI_MODEL"]["default"] == "gpt-4o-mini"
    assert envs["TOP_K"] == {"accessor": ".env.example", "default": "5", "required": False, "is_secret": False}
    assert envs["DEBUG"]["default"] == "false"
    assert envs["DATABASE_URL"]["is_secret"] and envs["DATABASE_URL"]["default"] is None
    assert envs["CHROMA_PATH"]["default"] == "./.chroma"
    assert envs["EMPTY"]["required"] and envs["EMPTY"]["default"] is None
    _resolves(".env.example", text, result)


def test_real_env_file_after_redaction() -> None:
    raw = "OPENAI_API_KEY=sk-proj-" + "abc123DEF456ghi789JKL012\nLOG_LEVEL=INFO\n"
    text = redact(".env", raw).text
    result = parse_config(".env", text)
    envs = {f.name: f.detail.model_dump() for f in _kind(result, FactKind.ENV_VAR)}
    assert envs["OPENAI_API_KEY"]["accessor"] == ".env"
    assert envs["OPENAI_API_KEY"]["is_secret"] and envs["OPENAI_API_KEY"]["default"] is None
    assert "abc123" not in str(result.model_dump())
    assert envs["LOG_LEVEL"]["default"] == "INFO"


def test_yaml_config_keys_with_lines() -> None:
    text = textwrap.dedent(
        """\
        model:
          name: gpt-4o-mini
          temperature: 0.1
        retrieval:
          top_k: 5
          stores: [chroma, bm25]
        warehouses:
          - code: AMS1
            open: true
          - code: RTM2
        empty: {}
        password: '[REDACTED]'
        """
    )
    result = parse_config("config/app.yaml", text)
    keys = {f.name: (f.detail.value, f.source.span.start_line) for f in _kind(result, FactKind.CONFIG_KEY)}
    assert keys == {
        "model.name": ("gpt-4o-mini", 2),
        "model.temperature": ("0.1", 3),
        "retrieval.top_k": ("5", 5),
        "retrieval.stores": ('["chroma", "bm25"]', 6),
        "warehouses[0].code": ("AMS1", 8),
        "warehouses[0].open": ("true", 9),
        "warehouses[1].code": ("RTM2", 10),
        "empty": ("{}", 11),
        "password": ("[REDACTED]", 12),
    }
    assert {f.detail.file_format for f in result.facts} == {"yaml"}
    assert result.chunks[0].symbols == ["model", "retrieval", "warehouses", "empty", "password"]
    _resolves("config/app.yaml", text, result)


def test_key_cap() -> None:
    text = "\n".join(f"key_{i}: {i}" for i in range(500))
    result = parse_config("big.yaml", text)
    assert len(_kind(result, FactKind.CONFIG_KEY)) == 200


def test_toml_json_ini_config_keys() -> None:
    toml_text = '[server]\nport = 8000\nhosts = ["a", "b"]\n\n[[jobs]]\nname = "nightly"\n'
    toml = parse_config("settings.toml", toml_text)
    assert {(f.name, f.detail.value, f.source.span.start_line) for f in toml.facts} == {
        ("server.port", "8000", 2),
        ("server.hosts", '["a", "b"]', 3),
        ("jobs[0].name", "nightly", 6),
    }
    json_text = '{\n  "api": {"url": "http://x", "retries": 3},\n  "flags": [1, 2]\n}\n'
    js = parse_config("settings.json", json_text)
    assert {(f.name, f.detail.value, f.source.span.start_line) for f in js.facts} == {
        ("api.url", "http://x", 2),
        ("api.retries", "3", 2),
        ("flags", "[1, 2]", 3),
    }
    ini_text = "[pytest]\ntestpaths = tests\naddopts = -q\n"
    ini = parse_config("pytest.ini", ini_text)
    assert {(f.name, f.detail.value, f.detail.file_format) for f in ini.facts} == {
        ("pytest.testpaths", "tests", "ini"),
        ("pytest.addopts", "-q", "ini"),
    }
    for path, text, result in (
        ("settings.toml", toml_text, toml),
        ("settings.json", json_text, js),
        ("pytest.ini", ini_text, ini),
    ):
        _resolves(path, text, result)


@pytest.mark.parametrize(
    ("path", "text", "word"),
    [
        ("config.yaml", "a: [1, 2\nb: c: d\n", "invalid YAML"),
        ("pyproject.toml", "[project\nname = 'x'\n", "invalid TOML"),
        ("settings.toml", "key = \n", "invalid TOML"),
        ("settings.json", '{"a": 1,,}', "invalid JSON"),
        ("setup.ini", "no section header\nkey = value\n", "invalid INI"),
        (".github/workflows/ci.yml", "jobs:\n  test: [unclosed\n", "invalid YAML"),
    ],
)
def test_malformed_files_warn_once_and_still_chunk(path: str, text: str, word: str) -> None:
    result = parse_config(path, text)
    assert len(result.warnings) == 1 and result.warnings[0].message.startswith(word)
    assert "\n" not in result.warnings[0].message
    assert result.chunks and result.chunks[0].text.strip()


def test_dockerfile() -> None:
    text = textwrap.dedent(
        """\
        # syntax=docker/dockerfile:1
        FROM python:3.11 AS build
        RUN pip wheel -w /wheels .

        FROM --platform=linux/amd64 python:3.11-slim
        ARG APP_VERSION=dev
        ENV PYTHONUNBUFFERED=1 \\
            CHROMA_PATH=/data/chroma
        ENV LEGACY_MODE on
        EXPOSE 8000 9090/tcp
        ENTRYPOINT ["uvicorn"]
        CMD ["app.main:app", "--host", "0.0.0.0", "--port", "8000"]
        """
    )
    result = parse_config("Dockerfile", text)
    (docker,) = _kind(result, FactKind.DOCKER)
    assert docker.detail.model_dump() == {
        "base_image": "python:3.11-slim",
        "ports": [8000, 9090],
        "cmd": "uvicorn app.main:app --host 0.0.0.0 --port 8000",
        "env": ["APP_VERSION", "PYTHONUNBUFFERED", "CHROMA_PATH", "LEGACY_MODE"],
    }
    assert docker.source.quote == "FROM --platform=linux/amd64 python:3.11-slim"
    _resolves("Dockerfile", text, result)
    dev = parse_config("docker/Dockerfile.dev", "FROM node:20\nCMD npm start\n")
    assert _kind(dev, FactKind.DOCKER)[0].detail.cmd == "npm start"


def test_github_workflow_jobs() -> None:
    text = textwrap.dedent(
        """\
        name: CI
        on: [push]
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - name: Install
                run: pip install -r requirements.txt
              - run: |
                  pytest -q
                  ruff check .
          deploy:
            uses: org/workflows/.github/workflows/deploy.yml@main
        """
    )
    result = parse_config(".github/workflows/ci.yml", text)
    jobs = {f.name: f for f in _kind(result, FactKind.CI_JOB)}
    assert jobs["test"].detail.model_dump() == {
        "system": "github",
        "steps": ["actions/checkout@v4", "Install", "pytest -q"],
    }
    assert (jobs["test"].source.span.start_line, jobs["test"].source.span.end_line) == (4, 12)
    assert jobs["deploy"].detail.steps == ["org/workflows/.github/workflows/deploy.yml@main"]
    assert _kind(result, FactKind.CONFIG_KEY) == []
    _resolves(".github/workflows/ci.yml", text, result)


def test_gitlab_jobs() -> None:
    text = textwrap.dedent(
        """\
        stages: [test, build]
        variables:
          PIP_CACHE_DIR: .cache
        .template:
          script: [echo hidden]
        unit:
          stage: test
          script:
            - pip install .
            - pytest
        image-build:
          stage: build
          script: docker build .
        """
    )
    result = parse_config(".gitlab-ci.yml", text)
    jobs = [(f.name, f.detail.system, f.detail.steps) for f in _kind(result, FactKind.CI_JOB)]
    assert jobs == [
        ("unit", "gitlab", ["pip install .", "pytest"]),
        ("image-build", "gitlab", ["docker build ."]),
    ]


def test_setup_cfg_dependencies() -> None:
    text = textwrap.dedent(
        """\
        [metadata]
        name = tool

        [options]
        install_requires =
            click>=8
            rich

        [options.extras_require]
        test =
            pytest
        """
    )
    result = parse_config("setup.cfg", text)
    deps = [
        (f.name, f.detail.version, f.detail.group, f.detail.source, f.source.span.start_line)
        for f in _kind(result, FactKind.DEPENDENCY)
    ]
    assert deps == [
        ("click", ">=8", None, "setup", 6),
        ("rich", None, None, "setup", 7),
        ("pytest", None, "test", "setup", 11),
    ]


def test_never_raises() -> None:
    for path in (
        "pyproject.toml",
        "requirements.txt",
        ".env",
        "Dockerfile",
        "a.yaml",
        "a.json",
        "a.ini",
        "a.conf",
        ".gitlab-ci.yml",
        "Pipfile",
        "setup.cfg",
    ):
        for text in ("", "\x00\x01", "[[[", "=\n=\n", "- - -\n  :"):
            assert isinstance(parse_config(path, text), ParseResult)
