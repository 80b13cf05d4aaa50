"""Model calls: langchain-openai's ``ChatOpenAI`` behind a small client that adds structured
output with fallbacks, the response cache, record/replay, usage and a call/cost budget.

Retries are the ``openai`` client's own: it retries 408/409/429/5xx and timeouts with
exponential backoff and honours ``Retry-After`` / ``retry-after-ms`` (up to 60 s); ``max_retries``
comes from the settings. Only this package imports ``openai`` and ``langchain_openai``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import openai
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI

from specagent.errors import ModelError
from specagent.llm.cache import ResponseCache, exchange_key
from specagent.llm.provider import Provider
from specagent.llm.record import Recorder, Replayer
from specagent.llm.structured import MODES, Mode, extract_json, is_unsupported, response_format, schema_instruction
from specagent.llm.usage import Usage, price_of

#: The chat model type, for callers outside ``llm/`` (which may not import langchain_openai).
ChatModel = ChatOpenAI


class BudgetExhausted(ModelError):
    """``--max-calls`` or ``--max-cost`` is spent: stop asking, keep what was drafted."""


@dataclass(frozen=True)
class Answer:
    """What came back for one request (from the endpoint, the cache or a recording)."""

    content: str
    finish_reason: str | None
    tokens_in: int = 0
    tokens_out: int = 0
    source: str = "model"  # "model", "cache" or "replay"

    @property
    def json_text(self) -> str:
        """The JSON object inside the content (fenced or bare)."""
        return extract_json(self.content)

    def stored(self) -> dict[str, Any]:
        return {
            "content": self.content,
            "finish_reason": self.finish_reason,
            "tokens_in": self.tokens_in,
            "tokens_out": self.tokens_out,
        }


def make_chat_model(model: str, provider: Provider, *, temperature: float = 0.0) -> ChatOpenAI:
    """A ``ChatOpenAI`` for ``model`` on the provider's endpoint (no request is made here)."""
    return ChatOpenAI(
        model=model,
        api_key=provider.api_key,
        base_url=provider.base_url,
        timeout=provider.timeout_s,
        max_retries=provider.max_retries,
        temperature=temperature,
    )


def _lc_messages(messages: list[dict[str, str]]) -> list[BaseMessage]:
    kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
    return [kinds[m["role"]](content=m["content"]) for m in messages]


def _one_line(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text[:200]


class ChatClient:
    """Asks one model for JSON answers; shared by every section of a run (thread-safe).

    ``chat`` is the model or a function that builds it on the first call the cache cannot answer
    (so a fully cached re-draft starts no local server). It may be None only when ``replayer`` is
    given: a replay never builds a client, so it cannot open a connection.
    """

    def __init__(
        self,
        model: str,
        chat: ChatOpenAI | Callable[[], ChatOpenAI] | None,
        *,
        where: str = "",
        cache: ResponseCache | None = None,
        recorder: Recorder | None = None,
        replayer: Replayer | None = None,
        max_calls: int | None = None,
        max_cost: float | None = None,
    ) -> None:
        if chat is None and replayer is None:
            raise ValueError("a ChatClient needs a chat model or a replayer")
        if max_cost is not None and price_of(model) is None:
            raise ModelError(f"--max-cost needs a known price and {model!r} has none in the table; use --max-calls")
        self.model = model
        self._chat = chat
        self.where = where
        self.cache = cache
        self.recorder = recorder
        self.replayer = replayer
        self.max_calls = max_calls
        self.max_cost = max_cost
        self.usage = Usage(model)
        self.mode: Mode = MODES[0]
        self._lock = threading.Lock()
        self._reserved = 0  # calls admitted by the budget, some maybe still in flight

    def _admit(self) -> None:
        with self._lock:
            if self.max_calls is not None and self._reserved >= self.max_calls:
                raise BudgetExhausted(f"--max-calls {self.max_calls} reached")
            cost = self.usage.cost_usd
            if self.max_cost is not None and cost is not None and cost >= self.max_cost:
                raise BudgetExhausted(f"--max-cost {self.max_cost:g} reached (spent ${cost:.4f})")
            self._reserved += 1

    def ask(
        self,
        label: str,
        messages: list[dict[str, str]],
        *,
        schema_name: str,
        schema: dict[str, Any],
        max_tokens: int,
        prompt_version: str,
    ) -> Answer:
        """One answer for ``messages``: from the recording, the cache, or the endpoint.

        Raises :class:`BudgetExhausted` before a call the budget does not allow, and
        :class:`~specagent.errors.ModelError` (one line) when the endpoint fails after retries.
        """
        params = {"max_tokens": max_tokens, "temperature": 0}
        key = exchange_key(self.model, messages, schema, params, prompt_version)
        if self.replayer is not None:
            stored = self.replayer.get(key, label)
            self.usage.add_cached()
            return Answer(**stored, source="replay")
        if self.cache is not None:
            cached = self.cache.get(key)
            if cached is not None:
                self.usage.add_cached()
                # A recording holds every answer of the run, cached or not, or its replay misses.
                self._record(key, label, messages, schema_name, params, cached)
                return Answer(**cached, source="cache")
        self._admit()
        answer = self._call(messages, schema_name, schema, max_tokens)
        self.usage.add_call(answer.tokens_in, answer.tokens_out)
        # Cut answers are cached too: the same prompt gets the same cut answer and the same
        # repair request, so an unchanged re-draft still makes no call at all.
        if self.cache is not None:
            self.cache.put(key, answer.stored())
        self._record(key, label, messages, schema_name, params, answer.stored())
        return answer

    def _record(
        self,
        key: str,
        label: str,
        messages: list[dict[str, str]],
        schema_name: str,
        params: dict[str, Any],
        stored: dict[str, Any],
    ) -> None:
        if self.recorder is not None:
            request = {"model": self.model, "messages": messages, "schema_name": schema_name, "params": params}
            self.recorder.save(key, label, request, stored)

    @property
    def chat(self) -> ChatOpenAI:
        """The chat model, built on first use."""
        with self._lock:
            if self._chat is None:
                raise ModelError(f"model {self.model}: replaying, no endpoint to call")
            if not isinstance(self._chat, ChatOpenAI):
                self._chat = self._chat()
            return self._chat

    def _call(
        self, messages: list[dict[str, str]], schema_name: str, schema: dict[str, Any], max_tokens: int
    ) -> Answer:
        for mode in MODES[MODES.index(self.mode) :]:
            sent = [dict(m) for m in messages]
            extra = schema_instruction(mode, schema)
            if extra:
                sent[-1]["content"] += "\n\n" + extra
            kwargs: dict[str, Any] = {"max_tokens": max_tokens}
            fmt = response_format(mode, schema_name, schema)
            if fmt is not None:
                kwargs["response_format"] = fmt
            try:
                chat = self.chat
                reply = chat.invoke(_lc_messages(sent), **kwargs)
            except openai.APIStatusError as exc:
                if is_unsupported(exc.status_code, str(exc)) and mode != MODES[-1]:
                    with self._lock:
                        self.mode = MODES[MODES.index(mode) + 1]
                    continue
                raise ModelError(
                    f"model {self.model} at {self.where}: HTTP {exc.status_code} after retries: {_one_line(exc)}"
                ) from None
            except openai.LengthFinishReasonError as exc:
                # The parse helper langchain-openai uses raises on a cut answer; it is an answer
                # all the same (the caller asks again for fewer, shorter items).
                return _completion_answer(exc.completion)
            except openai.APITimeoutError:
                raise ModelError(
                    f"model {self.model} at {self.where}: timed out after retries (raise SPECAGENT_REQUEST_TIMEOUT_S)"
                ) from None
            except openai.APIConnectionError as exc:
                raise ModelError(f"model {self.model} at {self.where}: cannot connect ({_one_line(exc)})") from None
            return _answer(reply)
        raise ModelError(f"model {self.model} at {self.where}: no structured-output mode was accepted")


def _answer(reply: BaseMessage) -> Answer:
    content = reply.content if isinstance(reply.content, str) else str(reply.content)
    meta = getattr(reply, "response_metadata", {}) or {}
    usage = getattr(reply, "usage_metadata", None) or {}
    return Answer(
        content=content,
        finish_reason=meta.get("finish_reason"),
        tokens_in=int(usage.get("input_tokens", 0) or 0),
        tokens_out=int(usage.get("output_tokens", 0) or 0),
    )


def _completion_answer(completion: Any) -> Answer:
    choice = completion.choices[0]
    usage = completion.usage
    return Answer(
        content=choice.message.content or "",
        finish_reason=choice.finish_reason,
        tokens_in=int(getattr(usage, "prompt_tokens", 0) or 0),
        tokens_out=int(getattr(usage, "completion_tokens", 0) or 0),
    )
