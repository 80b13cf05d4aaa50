"""Runtime configuration, read from environment variables (or a local .env file)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"


class Settings(BaseSettings):
    """All knobs of the agent. Env vars use the HRQA_ prefix, e.g. HRQA_TOP_K=6."""

    model_config = SettingsConfigDict(env_prefix="HRQA_", env_file=".env", extra="ignore")

    # LLM + embeddings
    model: str = "openai:gpt-4o-mini"          # init_chat_model id; eval also ran anthropic:claude-3-5-haiku-latest
    temperature: float = 0.0
    embedding_model: str = "text-embedding-3-small"
    embedding_dim: int = 1536

    # retrieval (pgvector)
    database_url: str = "postgresql+psycopg://hrqa:hrqa@localhost:5432/hrqa"
    top_k: int = Field(default=6, ge=1, le=20)
    min_similarity: float = 0.30

    # leave-balance REST API (owned by the Workforce team)
    leave_api_url: str = "https://leave.internal.example.com"
    leave_api_token: SecretStr = SecretStr("")
    leave_api_timeout_s: float = 5.0

    # HR helpdesk (escalations)
    helpdesk_url: str = "https://helpdesk.internal.example.com"
    helpdesk_token: SecretStr = SecretStr("")
    helpdesk_queue: str = "HR-POLICY"

    # agent loop
    max_agent_steps: int = 8                    # passed as recursion_limit; see notes/known_issues.md
    log_conversations: bool = False             # works-council agreement pending, keep off


@lru_cache
def get_settings() -> Settings:
    return Settings()


def load_prompt(name: str) -> str:
    """Prompts live in prompts/ so HR can edit them without touching code."""
    return (PROMPTS_DIR / name).read_text(encoding="utf-8")
