"""Load config/triage.yaml and apply env-var overrides."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

DEFAULT_CONFIG = Path(os.getenv("TRIAGE_CONFIG", "config/triage.yaml"))


@dataclass
class Settings:
    model: str = "gpt-4o-mini"
    temperature: float = 0.0
    max_tokens: int = 60
    timeout_s: float = 20.0
    prompt_file: str = "prompts/classify.txt"
    confidence_threshold: float = 0.6
    categories: list[str] = field(default_factory=list)
    batch_size: int = 20
    queue: str = "tickets:incoming"
    poll_timeout_s: int = 5
    table: str = "ticket_labels"
    pricing: dict[str, dict[str, float]] = field(default_factory=dict)
    redact: bool = True
    redis_url: str = "redis://localhost:6379/0"
    database_url: str = ""


def load_settings(path: Path | None = None) -> Settings:
    raw = yaml.safe_load((path or DEFAULT_CONFIG).read_text()) or {}
    model = raw.get("model", {})
    worker = raw.get("worker", {})
    s = Settings(
        model=os.getenv("TRIAGE_MODEL", model.get("name", "gpt-4o-mini")),
        temperature=model.get("temperature", 0.0),
        max_tokens=model.get("max_tokens", 60),
        timeout_s=model.get("timeout_s", 20),
        prompt_file=model.get("prompt_file", "prompts/classify.txt"),
        confidence_threshold=float(raw.get("confidence_threshold", 0.6)),
        categories=raw.get("categories", []),
        batch_size=int(raw.get("batch_size", 20)),
        queue=worker.get("queue", "tickets:incoming"),
        poll_timeout_s=worker.get("poll_timeout_s", 5),
        table=worker.get("table", "ticket_labels"),
        pricing=raw.get("pricing", {}),
        redact=raw.get("redaction", {}).get("enabled", True),
        redis_url=os.getenv("REDIS_URL", "redis://localhost:6379/0"),
        database_url=os.getenv("DATABASE_URL", ""),
    )
    return s
