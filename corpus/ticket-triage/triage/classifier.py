"""LLM classifier: OpenAI chat call with the prompt template, keyword-rule fallback."""
from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

from openai import OpenAI, APITimeoutError

from triage.config import Settings
from triage.models import Category, Ticket, TriageResult
from triage.redact import redact
from triage.rules import classify_rules

log = logging.getLogger(__name__)


class TriageClassifier:
    def __init__(self, settings: Settings, model: str | None = None, threshold: float | None = None):
        self.settings = settings
        self.model = model or settings.model
        self.threshold = settings.confidence_threshold if threshold is None else threshold
        self.prompt = Path(settings.prompt_file).read_text()
        # OPENAI_API_KEY is picked up from the environment by the client
        self.client = OpenAI(api_key=os.environ["OPENAI_API_KEY"], timeout=settings.timeout_s)

    def _cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        price = self.settings.pricing.get(self.model)
        if not price:
            return 0.0
        return (prompt_tokens * price["input"] + completion_tokens * price["output"]) / 1_000_000

    def _call_model(self, ticket: Ticket) -> TriageResult:
        body = redact(ticket.body) if self.settings.redact else ticket.body
        msg = self.prompt.format(subject=ticket.subject, body=body)
        start = time.perf_counter()
        resp = self.client.chat.completions.create(
            model=self.model,
            temperature=self.settings.temperature,
            max_tokens=self.settings.max_tokens,
            response_format={"type": "json_object"},
            messages=[{"role": "user", "content": msg}],
        )
        latency_ms = (time.perf_counter() - start) * 1000
        out = json.loads(resp.choices[0].message.content)
        usage = resp.usage
        return TriageResult(
            ticket_id=ticket.id,
            label=Category(out["label"]),
            # the model's self-reported confidence; not calibrated (see notes)
            confidence=float(out.get("confidence", 0.0)),
            source="model",
            model=self.model,
            reason=out.get("reason"),
            latency_ms=latency_ms,
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
            cost_usd=self._cost(usage.prompt_tokens, usage.completion_tokens),
        )

    def classify(self, ticket: Ticket) -> TriageResult:
        try:
            result = self._call_model(ticket)
        except (APITimeoutError, json.JSONDecodeError, ValueError, KeyError) as exc:
            # ValueError covers labels outside the Category enum
            log.warning("model failed on %s (%s); using rules", ticket.id, exc)
            return classify_rules(ticket)
        # FIXME: no retry on RateLimitError; a 429 bubbles up and kills the batch
        if result.confidence < self.threshold:
            fallback = classify_rules(ticket)
            log.info("low confidence %.2f on %s -> rules say %s",
                     result.confidence, ticket.id, fallback.label.value)
            # keep the model's latency/cost so the numbers add up
            return fallback.model_copy(update={
                "model": self.model, "latency_ms": result.latency_ms,
                "prompt_tokens": result.prompt_tokens,
                "completion_tokens": result.completion_tokens, "cost_usd": result.cost_usd,
            })
        return result

    def classify_batch(self, tickets: list[Ticket], batch_size: int) -> list[TriageResult]:
        # TODO: use the OpenAI Batch API or one multi-ticket prompt; today batch_size only
        # controls how often progress is logged, each ticket is still one request.
        results = []
        for i, ticket in enumerate(tickets, 1):
            results.append(self.classify(ticket))
            if i % batch_size == 0:
                log.info("classified %d/%d", i, len(tickets))
        return results
