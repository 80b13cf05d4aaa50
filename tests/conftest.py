"""Shared fixtures.

Tests never reach a remote model or any other remote host: ``_no_remote_network`` makes every
socket connection to a non-loopback address fail loudly (pydantic-ai's ALLOW_MODEL_REQUESTS idea,
enforced at the socket so no client library can slip past it).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from netguard import _guarded_connect, _guarded_connect_ex
from openai_server import ScriptedOpenAI, scripted_openai
from paths import CORPUS

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")  # chromadb: no telemetry calls home


@pytest.fixture(autouse=True)
def _no_remote_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SPECAGENT_MODEL", "SPECAGENT_INDEX_URL"):
        monkeypatch.delenv(var, raising=False)
    yield


@pytest.fixture(autouse=True)
def _private_response_cache(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    # A test that drafts through the CLI must neither read nor fill the person's response cache
    # (the joined local model files stay where they are: they are not answers).
    monkeypatch.setenv("SPECAGENT_CACHE_DIR", str(tmp_path_factory.mktemp("response-cache")))


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[ScriptedOpenAI]:
    """The scripted OpenAI-protocol server on 127.0.0.1, with the environment pointing at it."""
    with scripted_openai() as state:
        monkeypatch.setenv("OPENAI_API_KEY", state.require_key)
        monkeypatch.setenv("OPENAI_BASE_URL", state.base_url)
        yield state


@pytest.fixture
def corpus_dir() -> Path:
    return CORPUS
