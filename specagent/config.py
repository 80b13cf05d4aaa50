"""Settings: flags > environment (SPECAGENT_*, OPENAI_*) > .specagent.toml > defaults.

Shared by every layer. Front ends build one ``Settings`` and pass it down; library code never
reads the environment itself.
"""

from __future__ import annotations

import os
import tomllib
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, Field, SecretStr, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from specagent.errors import UsageError

MIB = 1024 * 1024
#: The state file specagent writes beside SPEC.md (hashes of what it wrote). Ingest skips any
#: folder holding one: it is the tool's own output, wherever ``--out`` put it.
STATE_FILE = ".specagent-state.json"
#: Per-prototype settings file, read from the prototype's root.
CONFIG_FILE = ".specagent.toml"


class Settings(BaseSettings):
    """Everything specagent can be configured with. No setting is needed for an offline draft."""

    model_config = SettingsConfigDict(env_prefix="SPECAGENT_", extra="ignore", toml_file=".specagent.toml")

    # ingest
    max_file_bytes: int = Field(default=1 * MIB, description="Larger files are skipped or sampled.")
    sample_rows: int = Field(default=50, description="Rows read from a large CSV/JSONL.")
    exclude: list[str] = Field(default_factory=list, description="Extra gitignore-style patterns.")

    # index
    index_dir: Path | None = Field(default=None, description="Default: <root>/.specagent/index.")
    index_url: str | None = Field(default=None, description="A Chroma server, http://host:port.")
    embedder: str = Field(default="minilm", description="'minilm' or 'openai:<model>'.")
    embed_threads: int = Field(default=0, description="onnxruntime threads; 0 = all cores.")

    # model
    model: str | None = Field(default=None, description="Chat model; unset = offline drafter.")
    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SPECAGENT_OPENAI_API_KEY", "OPENAI_API_KEY")
    )
    openai_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("SPECAGENT_OPENAI_BASE_URL", "OPENAI_BASE_URL")
    )
    request_timeout_s: float = 60.0
    max_retries: int = 2

    # LLM drafter (only read when a model is set)
    jobs: int = Field(default=1, ge=1, description="Sections drafted at once (1 suits a local model).")
    max_calls: int | None = Field(default=None, ge=0, description="Stop asking the model after this many calls.")
    max_cost: float | None = Field(default=None, ge=0, description="Stop after this estimated cost in USD.")
    cache: bool = Field(default=True, description="Reuse cached model answers (--no-cache turns it off).")
    cache_dir: Path | None = Field(default=None, description="Default: ~/.cache/specagent (XDG_CACHE_HOME).")
    record_dir: Path | None = Field(default=None, description="Record every model exchange into this folder.")
    replay_dir: Path | None = Field(default=None, description="Answer from recorded exchanges; never call.")
    repair_rounds: int = Field(default=2, ge=0, le=5, description="Repair rounds per section.")
    local_port: int = Field(default=0, ge=0, description="Port of the local model server; 0 = a free one.")
    review: bool | None = Field(
        default=None,
        description="Let the model propose dropping or merging inferred items (one more call); "
        "unset = on for hosted models, off for the packaged local ones, too small to judge them.",
    )
    # tui
    author: str | None = Field(
        default=None, description="Who answers open questions in the TUI; default: the login name."
    )
    keymap: dict[str, str] = Field(
        default_factory=dict,
        description="TUI key bindings: action id -> keys, e.g. {save = 'ctrl+s', lock = 'l,space'}.",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = _TOML_FILE.get()
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=toml_file))


def user_cache_dir() -> Path:
    """specagent's user cache: ``$XDG_CACHE_HOME/specagent`` or ``~/.cache/specagent``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "specagent"


#: Which .specagent.toml the next Settings() reads (the prototype's, when a command names one).
_TOML_FILE: ContextVar[Path] = ContextVar("specagent_toml_file", default=Path(CONFIG_FILE))


def load_settings(root: Path | None = None, **overrides: Any) -> Settings:
    """Settings for a prototype: flags (``overrides``; ``None`` is ignored) over the environment
    over ``<root>/.specagent.toml`` (or ``./.specagent.toml`` without a root) over defaults.

    A malformed .specagent.toml is a one-line UsageError.
    """
    toml_file = Path(root) / CONFIG_FILE if root is not None else Path(CONFIG_FILE)
    token = _TOML_FILE.set(toml_file)
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{toml_file}: not valid TOML ({exc})") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise UsageError(f"bad setting {where}: {first['msg']} (from flags, SPECAGENT_* or {toml_file})") from None
    finally:
        _TOML_FILE.reset(token)
