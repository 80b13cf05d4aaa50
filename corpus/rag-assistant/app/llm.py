"""The chat-completion step: build the prompt from retrieved chunks and ask the model."""

from __future__ import annotations

import os
from pathlib import Path

from openai import OpenAI

from app.retriever import Hit

MODEL = os.getenv("OPENAI_MODEL", "gpt-4o-mini")
TEMPERATURE = float(os.getenv("LLM_TEMPERATURE", "0.1"))
MAX_TOKENS = int(os.getenv("LLM_MAX_TOKENS", "512"))
PROMPT_PATH = Path(__file__).resolve().parent.parent / "prompts" / "answer.txt"

# USD per 1M tokens (gpt-4o-mini list price, July 2024)
PRICE_INPUT_PER_M = 0.15
PRICE_OUTPUT_PER_M = 0.60

_client: OpenAI | None = None


def get_client() -> OpenAI:
    """One OpenAI client per process (reads OPENAI_API_KEY from the environment)."""
    global _client
    if _client is None:
        _client = OpenAI(api_key=os.getenv("OPENAI_API_KEY"), timeout=30.0)
    return _client


def build_messages(question: str, hits: list[Hit], customer_tier: str | None = None) -> list[dict]:
    """System prompt with the retrieved context, then the user's question."""
    context = "\n\n".join(f"[{h.doc_id}] {h.title}\n{h.text}" for h in hits)
    system = PROMPT_PATH.read_text(encoding="utf-8").format(context=context)
    user = question if not customer_tier else f"(customer tier: {customer_tier}) {question}"
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def answer_question(
    question: str, hits: list[Hit], customer_tier: str | None = None
) -> tuple[str, dict]:
    """Ask the model; returns the answer text and token usage with its cost in USD."""
    response = get_client().chat.completions.create(
        model=MODEL,
        messages=build_messages(question, hits, customer_tier),
        temperature=TEMPERATURE,
        max_tokens=MAX_TOKENS,
    )
    usage = response.usage
    cost = (
        usage.prompt_tokens * PRICE_INPUT_PER_M + usage.completion_tokens * PRICE_OUTPUT_PER_M
    ) / 1_000_000
    return response.choices[0].message.content or "", {
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "cost_usd": cost,
    }


# TODO: stream tokens to the sidebar instead of waiting ~2 s for the full answer
# FIXME: no retry on RateLimitError; one 429 during peak hours fails the whole request
