"""The system packages a Dockerfile installs (apt/apk/yum/dnf) join its container component."""

from __future__ import annotations

import textwrap
from pathlib import Path

from specagent.ingest.config import parse_config
from specagent.ingest.models import FactKind
from specagent.pipeline.draft import draft


def _packages(text: str) -> list[str] | None:
    (docker,) = [f for f in parse_config("Dockerfile", textwrap.dedent(text)).facts if f.kind is FactKind.DOCKER]
    return docker.detail.packages


def test_apt_get_continuations_flags_and_removal() -> None:
    text = """\
        FROM python:3.12-slim
        # OCR needs these
        RUN apt-get update \\
            && DEBIAN_FRONTEND=noninteractive apt-get -y install --no-install-recommends \\
                 tesseract-ocr \\
                 # the German model
                 tesseract-ocr-deu poppler-utils=22.02.0-2 \\
                 -o Dpkg::Options::=--force-confold build-essential $EXTRA \\
            && pip install -r requirements.txt \\
            && apt-get purge -y build-essential \\
            && rm -rf /var/lib/apt/lists/*
        RUN ["apt-get", "install", "-y", "curl"]
        RUN sudo apt install -y libpq5; echo done
        CMD ["python", "app.py"]
        """
    assert _packages(text) == ["tesseract-ocr", "tesseract-ocr-deu", "poppler-utils=22.02.0-2", "curl", "libpq5"]


def test_apk_yum_dnf_and_no_packages() -> None:
    assert _packages(
        """\
        FROM alpine:3.20
        RUN apk add --no-cache --virtual .build-deps gcc musl-dev \\
            && apk add --no-cache ffmpeg libmagic \\
            && apk del .build-deps
        """
    ) == ["ffmpeg", "libmagic"]
    assert _packages("FROM rockylinux:9\nRUN yum install -y --setopt=tsflags=nodocs git && dnf -y install jq\n") == [
        "git",
        "jq",
    ]
    # Nothing installed: no key (the detail stays as it was for such Dockerfiles).
    assert _packages("FROM python:3.12\nRUN pip install uv\nRUN echo 'apt-get install x' > notes\n") is None


def test_only_the_shipped_stage_counts() -> None:
    text = """\
        FROM python:3.12 AS build
        RUN apt-get install -y gcc
        FROM python:3.12-slim AS base
        RUN apt-get install -y libpq5
        FROM base
        RUN apk add curl
        """
    # The build stage's compiler does not ship; ``FROM base`` keeps what ``base`` installed.
    assert _packages(text) == ["libpq5", "curl"]


def test_container_component_names_the_packages(tmp_path: Path) -> None:
    packages = " ".join(f"lib{n}" for n in range(10))
    (tmp_path / "Dockerfile").write_text(
        f"FROM python:3.12-slim\nRUN apt-get install -y {packages}\nEXPOSE 8080\nCMD python app.py\n",
        encoding="utf-8",
    )
    (tmp_path / "app.py").write_text('"""App."""\n', encoding="utf-8")
    (component,) = [c for c in draft(tmp_path).spec.architecture if c.name == "Dockerfile"]
    assert component.responsibility == (
        "container image from `python:3.12-slim`; installs `lib0`, `lib1`, `lib2`, `lib3`, `lib4`, `lib5`, "
        "`lib6`, `lib7` and 2 more; exposes port 8080; runs `python app.py`"
    )
    assert [(s.path, s.start_line, s.end_line) for s in component.sources] == [("Dockerfile", 1, 4)]
