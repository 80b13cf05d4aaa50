"""LLM fallback: ask gpt-4o-mini for the fields the regex/layout rules missed."""
from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from openai import OpenAI

log = logging.getLogger(__name__)

PROMPT_PATH = Path(__file__).resolve().parent.parent / "prompts" / "fallback.txt"
# USD per 1M tokens, gpt-4o-mini list price (Nov 2024)
PRICE_PER_M_INPUT = 0.150
PRICE_PER_M_OUTPUT = 0.600


@dataclass
class LlmResult:
    fields: dict = field(default_factory=dict)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0


class LlmFallback:
    def __init__(self, cfg: dict):
        self.model = os.getenv("LLM_MODEL", cfg.get("model", "gpt-4o-mini"))
        self.temperature = cfg.get("temperature", 0)
        self.max_input_chars = int(cfg.get("max_input_chars", 12000))
        self.client = OpenAI(api_key=os.environ["OPENAI_API_KEY"], timeout=cfg.get("timeout_s", 30))
        self.prompt = PROMPT_PATH.read_text(encoding="utf-8")

    def fill_fields(self, ocr_text: str, wanted: list[str]) -> LlmResult:
        # FIXME: the whole OCR text (vendor addresses, bank details, IBAN) goes to OpenAI.
        # Nobody has signed off on that yet, see notes/open_questions.md
        text = ocr_text[: self.max_input_chars]
        msg = self.prompt.format(fields=", ".join(wanted), text=text)
        try:
            resp = self.client.chat.completions.create(
                model=self.model,
                temperature=self.temperature,
                response_format={"type": "json_object"},
                messages=[{"role": "user", "content": msg}],
            )
        except Exception as exc:  # noqa: BLE001  TODO: retry on RateLimitError / timeouts
            log.warning("llm fallback failed: %s", exc)
            return LlmResult()
        usage = resp.usage
        cost = (usage.prompt_tokens * PRICE_PER_M_INPUT + usage.completion_tokens * PRICE_PER_M_OUTPUT) / 1e6
        try:
            data = json.loads(resp.choices[0].message.content or "{}")
        except json.JSONDecodeError:
            log.warning("llm returned non-JSON")
            data = {}
        # keep only what we asked for; the model sometimes invents extra keys
        data = {k: v for k, v in data.items() if k in wanted}
        return LlmResult(
            fields=data,
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
            cost_usd=cost,
        )
