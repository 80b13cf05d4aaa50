"""Clause classification with Claude.

One call per section. The model returns JSON {"clause_type": ..., "confidence": ...}.
Cost is tracked per classifier instance so the task can store it on the Contract.
"""
import json
import logging
import time
from dataclasses import dataclass

import anthropic
from django.conf import settings

from .models import ClauseType

log = logging.getLogger(__name__)

# USD per million tokens, claude-3-haiku-20240307 list price (March 2024).
PRICE_PER_MTOK = {"input": 0.25, "output": 1.25}
MAX_TOKENS = 200
VALID_TYPES = set(ClauseType.values)


@dataclass
class Classification:
    clause_type: str
    confidence: float
    latency_ms: float
    input_tokens: int
    output_tokens: int


class ClauseClassifier:
    def __init__(self, model: str | None = None):
        self.model = model or settings.CLAUSE_LLM_MODEL
        # max_retries=0: retries happen at the Celery task level, not inside the SDK
        self.client = anthropic.Anthropic(
            api_key=settings.ANTHROPIC_API_KEY, max_retries=0, timeout=30.0
        )
        self.system_prompt = settings.CLAUSE_PROMPT_PATH.read_text(encoding="utf-8")
        self.total_cost_usd = 0.0
        self.calls = 0

    def classify(self, text: str, hints: list[str] | None = None) -> Classification:
        hint_line = ", ".join(hints) if hints else "none"
        started = time.perf_counter()
        message = self.client.messages.create(
            model=self.model,
            max_tokens=MAX_TOKENS,
            temperature=0,
            system=self.system_prompt,
            messages=[
                {
                    "role": "user",
                    "content": f"Pattern hints: {hint_line}\n\n<clause>\n{text}\n</clause>",
                }
            ],
        )
        latency_ms = (time.perf_counter() - started) * 1000
        usage = message.usage
        self.total_cost_usd += (
            usage.input_tokens * PRICE_PER_MTOK["input"]
            + usage.output_tokens * PRICE_PER_MTOK["output"]
        ) / 1_000_000
        self.calls += 1
        clause_type, confidence = self._parse(message.content[0].text)
        return Classification(
            clause_type, confidence, latency_ms, usage.input_tokens, usage.output_tokens
        )

    @staticmethod
    def _parse(raw: str) -> tuple[str, float]:
        # HACK: Haiku sometimes wraps the JSON in prose; take the first {...} block.
        start, end = raw.find("{"), raw.rfind("}")
        try:
            data = json.loads(raw[start : end + 1])
        except (ValueError, json.JSONDecodeError):
            log.warning("unparseable LLM output: %r", raw[:200])
            return ClauseType.OTHER, 0.0
        clause_type = data.get("clause_type", "other")
        if clause_type not in VALID_TYPES:
            return ClauseType.OTHER, 0.0
        try:
            confidence = float(data.get("confidence", 0.0))
        except (TypeError, ValueError):
            confidence = 0.0
        return clause_type, max(0.0, min(1.0, confidence))
